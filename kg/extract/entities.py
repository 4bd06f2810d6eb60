"""The entities stage: find actor mentions, type them, give persons their roles, group them.

Requires: a ``ParsedArticle`` whose Doc has ``ents``, POS tags and a dependency parse
(spaCy ``ner``, ``tagger``, ``parser``), and the gazetteer (``kg.gazetteer``).
Assigns: a tuple of ``Entity`` records, each with all its ``Mention`` spans
(0-based character offsets into the body, end exclusive), ``Role`` records parsed
from titles ("Russian President Vladimir Putin" → title "President" of Russia),
and an ``affiliation_key``.

Rules (ours, from the conventions of wire copy):
- spaCy PERSON / NORP / GPE / ORG / LOC / FAC entities are the candidate mentions; a
  gazetteer match (exact name, alias or demonym) decides the type, else the entity
  label and the head words in ``lexicon`` do.
- Any gazetteer name spaCy missed (an n-gram of up to 5 tokens starting with a capital)
  is a mention too.
- A short person name ("Putin", "Xi", "Lee") is the same person as the full name in the
  article whose first or last token it is; if none, the gazetteer's unique person with that
  surname; pronouns are resolved later, per event, by ``kg.extract.index``.
- A capital city used as an actor (subject, possessor, object of a non-locative
  preposition: "Beijing said", "Beijing's view", "colluded with Moscow") is a mention of
  its state; used as a location ("in Beijing", "visited Beijing") it is a Place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kg.extract import lexicon, mention_rules, noise
from kg.extract.gaz import GazMatch, best_match, lookup
from kg.extract.roles import POSSESSIVE as _POSSESSIVE
from kg.extract.roles import find_role
from kg.model import Entity, Mention, ParsedArticle, Role

# Titles that are part of how a name is written ("Queen Elizabeth", "Crown Prince Mohammed").
_NAME_TITLES = frozenset("king queen prince princess emperor empress pope sheikh emir crown sultan".split())
_SPACY_TYPES = {"PERSON", "NORP", "GPE", "ORG", "LOC", "FAC"}
_LOCATIVE_PREPS = frozenset("in at from into near outside inside across around via within throughout".split())
# "to"/"for"/"toward" are locative only after a word of motion ("flew to Beijing", "left for Moscow");
# otherwise the city is a recipient or partner ("arms sales to Kyiv").
_DIRECTIONAL_PREPS = frozenset("to for toward towards".split())
_TRAVEL_VERBS = frozenset("""visit arrive reach leave depart fly travel return head go come trip journey move
flee send deploy""".split())


@dataclass
class _Raw:
    """A mention before grouping (token span [ts, te), char span [start, end))."""

    ts: int
    te: int
    start: int
    end: int
    text: str
    type: str
    match: GazMatch | None = None
    role_title: str | None = None
    role_of: "_Raw | None" = None
    key: str = ""
    label: str = ""
    extra_roles: list = field(default_factory=list)
    retyped: bool = False  # typed by its context, not by spaCy's label ("Jollibee, a chain")


def normalise(text: str) -> str:
    """Lower-case, ASCII-folded, single-spaced form of a name (for keys and matching)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s\-]", "", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def extract_entities(parsed: ParsedArticle, gaz) -> tuple[Entity, ...]:
    """Find, type and group the actor mentions of one article.

    Args:
        parsed: The parsed article.
        gaz: A ``kg.gazetteer.Gazetteer``.

    Returns:
        Entities in order of first mention; every mention's ``text`` equals
        ``body[start:end]``.
    """
    doc = parsed.doc
    raws = _spacy_mentions(doc, gaz)
    raws += _gazetteer_mentions(doc, gaz, raws)
    # -- page noise (kg.extract.noise, issue 3 §2): no mention inside a dateline, byline, caption,
    # link list or banner (so a related-stories list links no entities), except the news agency
    # the page credits; filtered before and after the surname pass ("By Kim Eun-jung" is no "Kim").
    body = parsed.article.body
    raws = [r for r in raws if not noise.hides_mention(body, r.start, r.end, r.text)
            and not mention_rules.is_malformed(body, r.start, r.end, gaz)]  # "#APEChottie", glued page text
    raws += [r for r in _surname_mentions(doc, raws) if not noise.hides_mention(body, r.start, r.end, r.text)
             and not mention_rules.is_malformed(body, r.start, r.end, gaz)]
    # -- end page noise
    raws.sort(key=lambda r: r.start)
    for r in raws:
        find_role(doc, r, raws)
    for r in raws:
        _capital_metonymy(doc, r, gaz)
    _assign_keys(raws, gaz)
    return _group(raws, gaz)


# -- candidate mentions ---------------------------------------------------------------------

def _trim(doc, ts: int, te: int) -> tuple[int, int]:
    """Drop leading determiners, lower-case words ("marks Lee") and punctuation, and trailing
    possessives/punctuation from a token span."""
    while ts < te and (doc[ts].lower_ in ("the", "a", "an") or doc[ts].is_punct or doc[ts].is_space
                       or (doc[ts].text[:1].islower() and ts + 1 < te)):
        ts += 1
    while te > ts and (doc[te - 1].text in _POSSESSIVE or doc[te - 1].is_punct or doc[te - 1].is_space):
        te -= 1
    return ts, te


def _make(doc, ts: int, te: int, type_: str, match: GazMatch | None) -> _Raw:
    span = doc[ts:te]
    return _Raw(ts, te, span.start_char, span.end_char, span.text, type_, match)


def _merged_ents(doc) -> list:
    """spaCy entities with directly adjacent PERSON spans joined ("Aung San" + "Suu Kyi")."""
    from spacy.tokens import Span

    out: list = []
    ents = list(doc.ents)
    for n, ent in enumerate(ents):
        if ent.label_ == "PERSON":  # "Aung San" + "Suu" + "Kyi": a name goes on over capitalised PROPNs
            end = ent.end
            limit = ents[n + 1].start if n + 1 < len(ents) and ents[n + 1].label_ != "PERSON" else len(doc)
            while (end < limit and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper()
                   and doc[end - 1].whitespace_ == " " and doc[end].lower_ not in lexicon.TITLE_WORDS):
                end += 1
            if end != ent.end:
                ent = Span(doc, ent.start, end, label="PERSON")
        prev = out[-1] if out else None
        if prev is not None and prev.label_ == "PERSON" and prev.end > ent.start:
            continue  # swallowed by the extension above
        if (prev is not None and prev.label_ == ent.label_ == "PERSON" and prev.end == ent.start
                and doc[prev.end - 1].whitespace_ and "\n" not in doc[prev.end - 1].whitespace_):
            out[-1] = Span(doc, prev.start, ent.end, label="PERSON")
        else:
            out.append(ent)
    return out


def _surname_mentions(doc, raws: list[_Raw]) -> list[_Raw]:
    """A full-name person's family name (the first or last word of the full name) that spaCy tagged
    otherwise or missed ("Trump upset China…", spaCy: NOUN; "Wi said") is a mention; one that
    spaCy calls a DATE ("May") only where it fills an actor's slot (subject, object, possessor)."""
    surnames = {}
    for r in raws:  # the family name comes first in Korean and Chinese names ("Wi Sung-lac" → "Wi")
        if r.type == "Person" and len(r.text.split()) > 1:
            surnames.setdefault(r.text.split()[-1], r)
            surnames.setdefault(r.text.split()[0], r)
    used = {i for r in raws for i in range(r.ts, r.te)}
    out = []
    for tok in doc:
        if tok.i in used or tok.text not in surnames or tok.pos_ not in ("PROPN", "NOUN"):
            continue
        if tok.ent_type_ == "DATE" and tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "poss", "appos"):
            continue  # "in May" is the month
        out.append(_make(doc, tok.i, tok.i + 1, "Person", None))
    return out


def _spacy_mentions(doc, gaz) -> list[_Raw]:
    out: list[_Raw] = []
    for ent in _merged_ents(doc):
        if ent.label_ not in _SPACY_TYPES or "\n" in ent.text:
            continue
        ts, te = _trim(doc, ent.start, ent.end)
        if ent.label_ == "PERSON":  # "Spokesperson Lin Jian": the title is a role, not the name
            while te - ts > 1 and doc[ts].lower_ in lexicon.TITLE_WORDS and doc[ts].lower_ not in _NAME_TITLES:
                ts += 1
            te = mention_rules.extend_hyphenated(doc, ts, te)  # "Moon Jae" + "-in"
        commas = [t.i for t in doc[ts:te] if t.text == ","]
        if ent.label_ == "PERSON":  # "Ja’afari accused de Mistura": two names and a verb
            commas = sorted(commas + mention_rules.name_breaks(doc, ts, te))
        if ent.label_ == "ORG" and mention_rules.is_enumerated_name(doc, ts, te):
            commas = []  # "Ministry of Trade, Industry and Resources": one name
        if commas and ent.label_ in ("PERSON", "ORG"):  # "Tusk, Zelenskiy": two names
            bounds = [ts, *commas, te]
            for a, b in zip(bounds, bounds[1:]):
                a2, b2 = _trim(doc, a + (1 if a in commas else 0), b)
                if a2 < b2:
                    raw = _typed(doc, a2, b2, ent.label_, gaz)
                    if raw is not None:
                        out.append(raw)
            continue
        if ts >= te:
            continue
        text = doc[ts:te].text
        if normalise(text) in lexicon.NON_ACTORS or not any(c.isupper() for c in text):
            continue
        # "Reuters Trump": split a PERSON span that starts with a known organisation name.
        raw = _typed(doc, ts, te, ent.label_, gaz)
        if raw is None and ent.label_ in ("PERSON", "ORG") and te - ts > 1:
            for cut in range(ts + 1, te):
                left = best_match(lookup(gaz, doc[ts:cut].text), None)
                if left and left.entry.type != "Person":
                    out.append(_make(doc, ts, cut, left.entry.type, left))
                    raw = _typed(doc, cut, te, ent.label_, gaz)
                    break
        if raw is not None:
            out.append(raw)
    return out


def _typed(doc, ts: int, te: int, label: str, gaz) -> _Raw | None:
    """Type one candidate span from its gazetteer match, else from its spaCy label."""
    text = doc[ts:te].text
    prefer = {"PERSON": "Person", "GPE": "Country", "NORP": "Country", "ORG": "Organization"}.get(label)
    match = best_match(lookup(gaz, text), prefer)
    if match is not None:
        if label == "PERSON" and match.entry.type != "Person" and te - ts > 1 and not match.exact_label:
            match = None  # a multi-word person name that merely contains an alias
        else:
            return _make(doc, ts, te, match.entry.type, match)
    if mention_rules.is_event_name(doc, ts, te):
        return None  # "Gyeongju APEC Summit": an event, not an actor
    if label == "PERSON":
        if any(t.lower_ in lexicon.TITLE_HEADS for t in doc[ts:te]) and te - ts == 1:
            return None
        for kind, test in (("Organization", mention_rules.names_organisation), ("Place", mention_rules.names_place)):
            if test(doc, ts, te):  # "Jollibee, a chain that …", "the Black Sea resort of Sochi"
                raw = _make(doc, ts, te, kind, None)
                raw.retyped = True
                return raw
        return _make(doc, ts, te, "Person", None)
    if label in ("GPE", "LOC", "FAC"):
        return _make(doc, ts, te, "Place", None)
    if label == "ORG":
        words = {t.lower_ for t in doc[ts:te]}
        if words & lexicon.GROUP_WORDS:
            return _make(doc, ts, te, "Group", None)
        if words & lexicon.GOVERNMENT_BODY_WORDS:
            return _make(doc, ts, te, "GovernmentBody", None)
        return _make(doc, ts, te, "Organization", None)
    return None  # NORP with no country behind it ("Democrats", "Kurdish") is not an actor here


def _gazetteer_mentions(doc, gaz, taken: list[_Raw]) -> list[_Raw]:
    """Gazetteer names that spaCy did not tag (longest match first, no overlaps)."""
    used = set()
    for r in taken:
        used.update(range(r.ts, r.te))
    out: list[_Raw] = []
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if i in used or not (tok.text[:1].isupper()) or tok.is_space:
            i += 1
            continue
        found = None
        for width in range(min(5, n - i), 0, -1):
            if any(j in used for j in range(i, i + width)):
                continue
            ts, te = _trim(doc, i, i + width)
            if ts != i or te <= ts:
                continue
            match = best_match(lookup(gaz, doc[ts:te].text), None)
            if match is not None and (width > 1 or match.entry.type != "Person" or match.exact_label):
                found = _make(doc, ts, te, match.entry.type, match)
                break
        if found is None:
            i += 1
            continue
        out.append(found)
        used.update(range(found.ts, found.te))
        i = found.te
    return out


def _capital_metonymy(doc, r: _Raw, gaz) -> None:
    """Re-type a capital city acting as an actor as a mention of its state."""
    if r.type != "Place" or r.match is None or not getattr(r.match.entry, "capital_of", None):
        return
    head = doc[r.te - 1]
    while head.dep_ == "compound" and head.head.i < len(doc) and head.head.i != head.i:
        head = head.head
    dep = head.dep_
    is_actor = False
    if dep in ("nsubj", "nsubjpass", "poss", "agent") or (r.te < len(doc) and doc[r.te].text in _POSSESSIVE):
        is_actor = True
    elif dep == "pobj":
        prep = head.head
        if prep.lower_ in _DIRECTIONAL_PREPS:
            is_actor = prep.head.lemma_.lower() not in _TRAVEL_VERBS
        else:
            is_actor = prep.lower_ not in _LOCATIVE_PREPS
    elif dep == "dobj":
        is_actor = head.head.lemma_ not in _TRAVEL_VERBS
    elif dep == "conj":
        is_actor = head.head.dep_ in ("nsubj", "nsubjpass")
    if not is_actor:
        return
    state = gaz.by_qid(r.match.entry.capital_of)
    if state is not None:
        r.type = state.type
        r.match = GazMatch(state, "capital", False)


# -- grouping -------------------------------------------------------------------------------

def _assign_keys(raws: list[_Raw], gaz) -> None:
    """Give every raw mention the key of the entity it refers to."""
    # a name typed by its context, or a place, is no person elsewhere ("The Hurriyet report", "the
    # Sochi conference"), unless it is the short name of a person the article names in full
    retyped = {normalise(r.text): r.type for r in raws if r.type == "Place" and r.match is None}
    retyped.update({normalise(r.text): r.type for r in raws if r.retyped})
    persons = [r for r in raws if r.type == "Person" and len(r.text.split()) > 1]
    for r in raws:
        if (r.type == "Person" and r.match is None and normalise(r.text) in retyped
                and _owner_of_short_name(r, persons) is None):
            r.type = retyped[normalise(r.text)]
    full_names: list[_Raw] = [r for r in raws if r.type == "Person" and len(r.text.split()) > 1]
    for r in raws:
        if r.type == "Organization" and r.match is None and _owner_of_short_name(r, full_names) is not None:
            r.type = "Person"  # spaCy often tags a leader's surname ORG ("the Trump administration", "De Mistura")
    for r in raws:
        if r.type != "Person":
            if r.match is not None:
                entry = r.match.entry
                r.key = f"{entry.type.lower()}:{entry.qid or normalise(entry.label)}"
                r.label = entry.label
            else:
                r.key = f"{r.type.lower()}:{normalise(r.text)}"
                r.label = r.text
            continue
        if r.match is not None and r.match.entry.qid:
            r.key, r.label = f"person:{r.match.entry.qid}", r.match.entry.label
            continue
        owner = _owner_of_short_name(r, full_names)  # "Putin", "De Mistura": the full name's person
        if owner is not None:
            r.key, r.label = "", ""  # filled below from the owner's key
            r.extra_roles.append(owner)
            continue
        r.key, r.label = f"person:{normalise(r.text)}", r.text
    for r in raws:
        if r.type == "Person" and not r.key and r.extra_roles:
            owner = r.extra_roles.pop()
            r.key, r.label = owner.key, owner.label


def _owner_of_short_name(short: _Raw, full_names: list[_Raw]) -> _Raw | None:
    """The full-name mention whose first or last token is ``short``, or whose last words it is
    ("De Mistura" of "Staffan de Mistura"); nearest preceding wins."""
    words = normalise(short.text).split()
    if len(words) == 1:
        cands = [f for f in full_names if words[0] in (normalise(f.text).split()[0], normalise(f.text).split()[-1])]
    else:
        cands = [f for f in full_names if len(normalise(f.text).split()) > len(words)
                 and normalise(f.text).split()[-len(words):] == words]
    if not cands:
        return None
    before = [f for f in cands if f.start < short.start]
    pick = max(before, key=lambda f: f.start) if before else min(cands, key=lambda f: f.start)
    # all candidates must be one person, or the nearest preceding one decides
    return pick


def _group(raws: list[_Raw], gaz) -> tuple[Entity, ...]:
    order: list[str] = []
    by_key: dict[str, dict] = {}
    for r in raws:
        slot = by_key.get(r.key)
        if slot is None:
            slot = by_key[r.key] = {"label": r.label, "type": r.type, "mentions": [], "roles": [], "aff": None}
            order.append(r.key)
        if r.type == "Person" and len(r.label) > len(slot["label"]):
            slot["label"] = r.label
        slot["mentions"].append(Mention(r.text, r.start, r.end, r.key))
        if r.role_title:
            role = Role(r.role_title, r.role_of.key if r.role_of is not None else None)
            same_title = [x for x in slot["roles"] if x.title.lower() == role.title.lower()]
            if role.of_key is None and same_title:
                pass  # "President Xi" after "Chinese President Xi Jinping": nothing new
            elif role not in slot["roles"]:
                slot["roles"].append(role)
            if slot["aff"] is None and role.of_key:
                slot["aff"] = role.of_key
    for k, slot in by_key.items():  # a government body speaks for the state it belongs to
        entry = next((r.match.entry for r in raws if r.key == k and r.match is not None), None)
        part_of = getattr(entry, "part_of", None) if entry is not None else None
        if slot["aff"] is None and part_of and f"country:{part_of}" in by_key:
            slot["aff"] = f"country:{part_of}"
        capital_of = getattr(entry, "capital_of", None) if entry is not None else None
        if slot["aff"] is None and capital_of and f"country:{capital_of}" in by_key:
            slot["aff"] = f"country:{capital_of}"
    return tuple(
        Entity(key=k, label=by_key[k]["label"], type=by_key[k]["type"],
               mentions=tuple(by_key[k]["mentions"]), roles=tuple(by_key[k]["roles"]),
               affiliation_key=by_key[k]["aff"])
        for k in order
    )

