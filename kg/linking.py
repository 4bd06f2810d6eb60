"""Entity linking: give each extracted entity the Wikidata QID of its gazetteer entry, if sure.

Stage ``link``: ``tuple[Entity, ...]`` + ``Article`` -> the same entities, those linked with
``qid``, ``link_score`` and, for people and countries, the gazetteer's canonical ``label``
(mention "Trump" -> "Donald Trump"). Keys, mentions and roles are unchanged. Requires the
``published`` date of the article for office-based evidence (optional).

Precision comes first: a wrong QID is worse than none. Scoring (each candidate's score is the
best of its evidence, plus bonuses, capped at 1):

- evidence from the entity's label and each mention text, matched exactly (see
  :mod:`kg.gazetteer.normalize`): label or alias 1.0; demonym of a country 0.9 ("Russian");
  capital city read as its country 0.85 ("Moscow" in a Country entity); a capital city as a
  Place 0.5 (below the default threshold: the dev gold leaves datelines and venues such as
  "BEIJING (Reuters)" or "in Ankara" unlinked far more often than it links them); a person's
  full name after a title ("U.S. President Donald Trump") 0.95; a weak alias ("Korea") 0.5; a
  person's family name alone, after nothing but titles and states ("President Lee", "Putin";
  not "Melania Trump") 0.45;
- type agreement multiplies: same type 1.0; Organization/GovernmentBody 0.9; Group with
  Organization 0.85; a Place entity naming a country 0.9; anything else (a Person mention and
  a Country) excludes the candidate;
- bonuses: +0.05 per further text supporting the candidate (at most +0.1); for a family name,
  +0.3 when the full name appears in the body and +0.05 when the name is distinctive (one person,
  4+ letters); for a weak alias, +0.15 when the body also names the entry strongly; for people,
  +0.05 when they hold an office on the article date, +0.15 when a role in the text ("President",
  "Prime Minister") fits such an office (+0.1 for any of their offices when the article has no
  date), +0.1 when the role's country ("Russian", "U.S.") is the office's. So a family name
  alone links only with the full name in the article or a fitting role: "Trump" alone in office
  scores 0.55, "President Lee" on 2026-01-04 scores 0.65;
- no link below the ``link_threshold`` setting (default 0.6), nor when the two best candidates
  are within 0.1 of each other, nor to a gazetteer entry without QID (the Kremlin).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date

from kg import settings
from kg.gazetteer import Gazetteer, GazEntry
from kg.gazetteer.normalize import is_abbreviation, key
from kg.model import Article, Entity

log = logging.getLogger(__name__)

_COMPAT = {
    ("Organization", "GovernmentBody"): 0.9, ("GovernmentBody", "Organization"): 0.9,
    ("Group", "Organization"): 0.85, ("Organization", "Group"): 0.85,
    ("Place", "Country"): 0.9,
}
_ROLE_WORDS = frozenset({"president", "premier", "prime", "minister", "chancellor", "king", "queen", "monarch",
                         "emperor", "leader", "secretary", "sultan", "emir", "pope", "chairman", "taoiseach",
                         "director", "counsellor", "chief", "vice"})
_TITLE_WORDS = _ROLE_WORDS | frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "madam", "general", "gen", "lieutenant", "lt",
    "colonel", "col", "admiral", "adm", "senator", "sen", "rep", "representative", "governor", "gov", "mayor",
    "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "foreign", "defense", "defence", "state",
    "deputy", "first", "former", "then", "ex", "acting", "supreme", "interim", "national", "security", "adviser",
    "advisor", "of", "the", "and", "affairs", "crown", "prince", "princess", "top", "diplomat", "officer",
    "commander", "head", "elect", "designate", "new", "incoming", "outgoing", "late", "party"})
_POSSESSIVE = re.compile(r"[’']s\b")
MARGIN = 0.1


@dataclass
class _Candidate:
    entry: GazEntry
    base: float = 0.0
    how: str = ""
    texts: set[str] = field(default_factory=set)
    role_words: set[str] = field(default_factory=set)
    role_states: set[str] = field(default_factory=set)

    def offer(self, score: float, how: str, text: str) -> None:
        self.texts.add(text)
        if score > self.base:
            self.base, self.how = score, how


@dataclass(frozen=True)
class _Context:
    gaz: Gazetteer
    body: str  # " " + key(body) + " "
    day: date | None
    states: dict[str, str | None]  # entity key -> country QID (for Role.of_key)


def _compat(entity_type: str, entry_type: str) -> float:
    return 1.0 if entity_type == entry_type else _COMPAT.get((entity_type, entry_type), 0.0)


def _states_in(text: str, gaz: Gazetteer) -> set[str]:
    """Country QIDs named in ``text`` by a name, demonym or capital ("U.S.", "Russian")."""
    out = set()
    for m in gaz.match(text):
        if m.entry.type == "Country" and m.entry.qid and m.how != "weak":
            out.add(m.entry.qid)
        elif m.entry.capital_of:
            out.add(m.entry.capital_of)
    return out


def _is_title(prefix: list[str], gaz: Gazetteer) -> bool:
    """True when every token before a family name is a title word or names a state ("U.S. President")."""
    i = 0
    while i < len(prefix):
        if key(prefix[i]) in _TITLE_WORDS or not key(prefix[i]):
            i += 1
            continue
        for n in (3, 2, 1):
            if i + n <= len(prefix) and _states_in(" ".join(prefix[i:i + n]), gaz):
                i += n
                break
        else:
            return False
    return True


def _add_role(c: _Candidate, prefix: list[str], gaz: Gazetteer) -> None:
    """Record the role words and states of the title before a name ("U.S. President")."""
    words = {w for t in prefix for w in key(t).split()}
    c.role_words |= words & _ROLE_WORDS
    for n in range(1, min(4, len(prefix)) + 1):
        for i in range(len(prefix) - n + 1):
            c.role_states |= _states_in(" ".join(prefix[i:i + n]), gaz)


def _candidates(entity: Entity, ctx: _Context) -> dict[str, _Candidate]:
    gaz = ctx.gaz
    cands: dict[str, _Candidate] = {}

    def offer(entry: GazEntry | None, score: float, how: str, text: str) -> _Candidate | None:
        if entry is None or not entry.qid or score <= 0:
            return None
        c = cands.setdefault(entry.qid, _Candidate(entry))
        c.offer(score, how, text)
        return c

    texts = []
    for t in (entity.label, *(m.text for m in entity.mentions)):
        t = _POSSESSIVE.sub("", t).strip()
        if key(t) and key(t) not in {key(x) for x in texts}:
            texts.append(t)
    for text in texts:
        abbreviation = is_abbreviation(text)
        for m in gaz.match(text):
            e = m.entry
            if not e.qid and e.type == entity.type and m.how in ("label", "alias"):
                return {}  # a known actor the gazetteer gives no QID (the Kremlin): never link it
            if e.capital_of and entity.type == "Country":
                offer(gaz.by_qid(e.capital_of), 0.85, "capital", text)
                continue
            if e.capital_of and entity.type == "Place":
                offer(e, 0.5, "capital as place", text)
                continue
            factor = _compat(entity.type, e.type)
            if abbreviation and factor < 1.0:
                continue  # an acronym only links within its own type ("SDF" Group is not a fund)
            if m.how == "demonym":
                factor *= 0.9 if entity.type in ("Country", "Place") else 0.0
            base = {"label": 1.0, "alias": 1.0, "weak": 0.5, "demonym": 1.0}[m.how]
            offer(e, base * factor, m.how, text)
        if entity.type != "Person":
            continue
        raw = text.split()
        for k in range(1, len(raw)):
            rest = " ".join(raw[k:])
            if len(key(rest).split()) < 2:
                break
            hits = [m.entry for m in gaz.match(rest) if m.entry.type == "Person" and m.how != "demonym"]
            for e in hits:
                c = offer(e, 0.95, "full name after title", text)
                if c:
                    _add_role(c, raw[:k], gaz)
            if hits:
                break
        if raw and not any(c.texts & {text} for c in cands.values()):
            for n in (2, 1):  # "Suu Kyi", "Putin"
                if len(raw) < n or not _is_title(raw[:-n], gaz):
                    continue
                people = gaz.lookup_person_short(" ".join(raw[-n:]))
                for e in people:
                    c = offer(e, 0.45, "family name", text)
                    if c:
                        _add_role(c, raw[:-n], gaz)
                if people:
                    break
    for role in entity.roles:
        for c in cands.values():
            c.role_words |= set(key(role.title).split()) & _ROLE_WORDS
            if role.of_key and ctx.states.get(role.of_key):
                c.role_states.add(ctx.states[role.of_key])
    return cands


def _names_in_body(entry: GazEntry, ctx: _Context) -> bool:
    names = (entry.label, *entry.aliases)
    return any(key(n) and f" {key(n)} " in ctx.body for n in names)


def _score(c: _Candidate, ctx: _Context) -> float:
    e = c.entry
    score = c.base + min(0.1, 0.05 * (len(c.texts) - 1))
    if c.how == "family name":
        if _names_in_body(e, ctx):
            score += 0.3
        short = [s for s in e.short_names if len(ctx.gaz.lookup_person_short(s)) == 1 and sum(ch.isalpha() for ch in s) >= 4]
        if short:
            score += 0.05
    if c.how == "weak":
        capitals = [x for x in ctx.gaz.entries if x.capital_of == e.qid]
        strong = _names_in_body(e, ctx) or any(_names_in_body(x, ctx) for x in capitals)
        score += 0.15 if strong else 0.0
    if e.type == "Person":
        held = e.offices_on(ctx.day) if ctx.day is not None else e.offices
        if held and ctx.day is not None:
            score += 0.05
        if held and c.role_words and any(c.role_words & set(key(o.title).split()) for o in held):
            score += 0.15 if ctx.day is not None else 0.1
        if held and c.role_states and any(o.of_qid in c.role_states for o in held):
            score += 0.1
    return min(1.0, score)


def link_entity(entity: Entity, ctx: _Context, threshold: float) -> Entity:
    """Return ``entity`` linked to its best candidate, or unchanged (see the module docstring)."""
    cands = _candidates(entity, ctx)
    if not cands:
        return entity
    ranked = sorted(((round(_score(c, ctx), 4), c) for c in cands.values()), key=lambda x: -x[0])
    best_score, best = ranked[0]
    if len(ranked) > 1 and best_score - ranked[1][0] < MARGIN:
        log.debug("no link for %r: %s and %s are %.2f / %.2f", entity.label, best.entry.label,
                  ranked[1][1].entry.label, best_score, ranked[1][0])
        return entity
    if best_score < threshold:
        return entity
    label = best.entry.label if entity.type in ("Person", "Country") else entity.label
    return replace(entity, qid=best.entry.qid, link_score=best_score, label=label)


def link_entities(entities: tuple[Entity, ...], article: Article, gaz: Gazetteer,
                  threshold: float | None = None) -> tuple[Entity, ...]:
    """Link every entity of one article.

    Args:
        entities: The article's entities (any order).
        article: The article (its body and published date are evidence).
        gaz: The gazetteer.
        threshold: Minimum score; None = the ``link_threshold`` setting.

    Returns:
        The entities in the same order, linked where sure (``qid``, ``link_score``, label).
    """
    threshold = float(settings.get("link_threshold", threshold))
    states: dict[str, str | None] = {}
    for e in entities:
        if e.type in ("Country", "Place"):
            found = _states_in(e.label, gaz)
            states[e.key] = next(iter(found)) if len(found) == 1 else None
    ctx = _Context(gaz, f" {key(_POSSESSIVE.sub('', article.body))} ", article.published, states)
    return tuple(link_entity(e, ctx, threshold) for e in entities)
