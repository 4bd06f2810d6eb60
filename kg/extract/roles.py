"""Roles from titles: "Russian President Vladimir Putin", "Jim Mattis, the U.S. defense secretary",
and from the gazetteer's offices held on the publication date.

Requires the spaCy Doc of the article and the entities stage's raw mentions (objects with
``ts``/``te`` token offsets, ``type``, and writable ``role_title``/``role_of``). Title words are
``kg.extract.lexicon.TITLE_WORDS``; a run of them must contain one of ``TITLE_HEADS``.
"""

from __future__ import annotations

import re

from kg.extract import lexicon
from kg.model import Entity, Role

POSSESSIVE = ("'s", "’s", "'", "’")


def _raw_at(raws: list, token_i: int):
    for r in raws:
        if r.ts <= token_i < r.te:
            return r
    return None


def find_role(doc, person, raws: list) -> None:
    """Read a title run to the left of a person ("Kremlin foreign policy advisor Yuri Ushakov")."""
    if person.type != "Person":
        return
    j = person.ts - 1
    title_tokens: list[int] = []
    affiliation = None
    while j >= 0:
        tok = doc[j]
        other = _raw_at(raws, j)
        if other is not None and other is not person and other.type != "Person":
            if affiliation is None:
                affiliation = other
            j = other.ts - 1
            continue
        if tok.text in POSSESSIVE or tok.lower_ in ("of", "-") and title_tokens:
            j -= 1
            continue
        if tok.lower_ in lexicon.TITLE_WORDS and tok.lower_ not in lexicon.NOT_TITLE:
            title_tokens.append(j)
            j -= 1
            continue
        break
    if not any(doc[k].lower_ in lexicon.TITLE_HEADS for k in title_tokens):
        # "Jim Mattis, the U.S. defense secretary,": an appositive title after the name
        _appositive_role(doc, person, raws)
        return
    lo, hi = min(title_tokens), max(title_tokens) + 1
    person.role_title = _clean_title(doc[lo:hi].text)
    person.role_of = affiliation


def _appositive_role(doc, person, raws: list) -> None:
    i = person.te
    if i >= len(doc) or doc[i].text != ",":
        return
    i += 1
    if i < len(doc) and doc[i].lower_ in ("the", "a", "an"):
        i += 1
    title_tokens = []
    affiliation = None
    while i < len(doc):
        other = _raw_at(raws, i)
        if other is not None and other.type != "Person":
            affiliation = affiliation or other
            i = other.te
            continue
        if doc[i].text in POSSESSIVE or (doc[i].lower_ == "of" and title_tokens):
            i += 1
            continue
        if doc[i].lower_ in lexicon.TITLE_WORDS and doc[i].lower_ not in lexicon.NOT_TITLE:
            title_tokens.append(i)
            i += 1
            continue
        break
    if i < len(doc) and (_raw_at(raws, i) is not None and _raw_at(raws, i).type == "Person"):
        return  # "with Mattis, Pakistani Prime Minister Abbasi": the title is the next person's
    if title_tokens and doc[max(title_tokens)].lower_ in lexicon.TITLE_HEADS:
        person.role_title = _clean_title(doc[min(title_tokens):max(title_tokens) + 1].text)
        person.role_of = affiliation


def _clean_title(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,-")
    return text[:1].upper() + text[1:] if text else text


def affiliate_from_offices(entities: tuple[Entity, ...], published, gaz) -> tuple[Entity, ...]:
    """Give linked persons the role and state of the office they held on the publication date.

    The gazetteer's offices (Wikidata P39 with start/end) say that "President Lee" in a 2026
    article is the President of South Korea even where the text names no country. Only states
    the article itself mentions are used (an affiliation must point at an article entity).

    Args:
        entities: The article's linked entities.
        published: The article's publication date (None: nothing is added).
        gaz: The gazetteer.

    Returns:
        The entities, with ``affiliation_key`` and a ``Role`` added where an office decides them.
    """
    from dataclasses import replace

    if published is None:
        return entities
    keys = {e.key for e in entities}
    out = []
    for e in entities:
        if e.type == "Person" and e.qid:
            roles = list(e.roles)
            aff = e.affiliation_key
            for office in gaz.offices_on(e.qid, published):
                of_key = f"country:{office.of_qid}" if office.of_qid else None
                if of_key not in keys:
                    continue
                if not any(r.of_key == of_key for r in roles):
                    roles.append(Role(office.title, of_key))
                aff = aff or of_key
            e = replace(e, roles=tuple(roles), affiliation_key=aff)
        out.append(e)
    return tuple(out)
