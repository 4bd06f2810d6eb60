"""Status, mode, date and place of a meeting trigger: the factual half of the meeting rules.

Requires a spaCy Doc with a dependency parse and DATE entities; dates are resolved with
``kg.dates.resolve_date`` against the publication date. See ``kg.extract.meetings``.
"""

from __future__ import annotations

import logging

from kg.extract.index import EntityIndex
from kg.extract.meeting_syntax import (
    _NAMED_DAY, ACHIEVED_HEADS, CANCEL_HEADS, FORWARD_NOUNS, FRAME_NOUNS, FUTURE_MODIFIERS, LOCATIVE_PREPS,
    MEETING_NOUNS, MODALS_FUTURE, PLANNING_HEADS, REMOTE_WORDS, clause_chain, is_trigger, prep_objects,
)

log = logging.getLogger(__name__)


def status_of(trigger, verb) -> str:
    """occurred / planned / cancelled / denied from negation, modality and governing words.

    Negation counts on the trigger ("no call"), the nouns above it ("no proposals for a call")
    and its governing verbs up an xcomp chain ("did not hold talks"), never across a
    conjunction ("did not stop in Pakistan, but visited India" is a visit). A noun above the
    trigger that speaks of the meeting beforehand (``FORWARD_NOUNS``: "a proposal for a call",
    "the agenda of summit talks") makes it planned. ``verb`` is not used (kept for the call sites).

    Returns one of "occurred", "planned", "cancelled", "denied"."""
    nouns, verbs = clause_chain(trigger)
    for t in nouns + verbs:
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in t.children):
            return "denied"
        if t.lemma_.lower() in CANCEL_HEADS and t is not trigger:
            return "cancelled"
    above = nouns[1:] + [v.head for v in verbs[-1:] if v.dep_ in ("acl", "relcl")]  # "an offer to him to make a visit"
    for t in above:
        if t.lemma_.lower() in FORWARD_NOUNS or t.lower_ in FORWARD_NOUNS:
            return "planned"
    t = verbs[-1] if verbs else None
    while t is not None and t.dep_ == "conj" and t.head is not t:  # "is scheduled to have … and meet"
        t = t.head
        verbs.append(t)
        while t.dep_ == "xcomp" and t.head is not t:
            t = t.head
            verbs.append(t)
    first = verbs[0] if verbs else None
    if (first is not None and first.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to"
            for c in first.children) and first.head.lemma_.lower() not in ACHIEVED_HEADS):
        return "planned"  # a purpose or intention: "called for … an offer to him to make a state visit"
    for t in verbs:
        if any(c.dep_ == "aux" and c.lower_ in MODALS_FUTURE for c in t.children):
            return "planned"
        if t.lemma_.lower() in PLANNING_HEADS and t is not trigger:
            return "planned"
    if any(c.lower_ in FUTURE_MODIFIERS for c in trigger.lefts):
        return "planned"
    return "occurred"


def mode_of(trigger, span) -> str:
    words = {trigger.lower_, trigger.lemma_.lower()} | {c.lower_ for c in trigger.lefts}
    if trigger.pos_ == "VERB":
        words |= {o.lower_ for p in trigger.children for o in p.subtree if p.dep_ == "prep"}
    if words & REMOTE_WORDS:
        return "remote"
    return "in_person"


def date_of(trigger, verb, span, published, future: bool):
    from kg.dates import resolve_date

    dates = [e for e in span.ents if e.label_ == "DATE"]
    if not dates:
        return None
    clause = {t.i for t in verb.subtree} | {t.i for t in trigger.subtree}
    in_clause = [e for e in dates if e.start in clause and not _in_nested_clause(e.root, {trigger.i, verb.i})]
    # Outside the trigger's clause only a named day is taken ("on Thursday", "on Jan. 4"), and only
    # when the sentence reports no other meeting the day could belong to; vaguer expressions there
    # ("last weekend", "last year") date something else.
    others = [t for t in span if t.i != trigger.i and is_trigger(t)]
    claimed = {x.i for o in others for x in o.head.subtree}
    pool = in_clause or [e for e in dates if _NAMED_DAY.search(e.text) and e.start not in claimed]
    if not pool:
        return None
    best = min(pool, key=lambda e: abs(e.start - trigger.i))
    try:
        return resolve_date(best.text, published, future=future)
    except Exception:  # dateparser on odd text: no date rather than no meeting
        log.debug("could not resolve date %r", best.text, exc_info=True)
        return None


def _in_nested_clause(tok, stop: set[int]) -> bool:
    """True when ``tok`` sits in a clause of its own below the trigger ("met by Yang, a key player
    since he won election a year ago": "a year ago" dates the election, not the meeting)."""
    t = tok
    for _ in range(12):
        if t.i in stop or t.head is t:
            return False
        if t.dep_ in ("relcl", "advcl", "ccomp", "acl", "csubj"):
            return True
        t = t.head
    return False


def place_of(trigger, verb, index: EntityIndex, participants: tuple[str, ...] = ()) -> str | None:
    """The entity key of the place a meeting is held in, or None.

    Args:
        trigger: The meeting trigger token (spaCy ``Token``).
        verb: The token that carries the trigger's clause (``meeting_syntax.participants``).
        index: The article's EntityIndex.
        participants: The meeting's participant keys: a place phrase naming one of them is not
            the venue ("talks with officials in Moscow" read as Russia).

    Rule (ours, by kind of phrase): the first Place or Country entity that is the object of
    "in"/"at" attached to the trigger, to a meeting noun it is "of" ("a second round of talks in
    Abu Dhabi"), or to its clause verb ("met … in Berlin"); the place phrase may also hang from a
    frame below them, up to two steps down: a meeting noun ("during their talks at a weekend
    summit in Vietnam"), "the sidelines of" ("on the sidelines of the APEC summit in Gyeongju"),
    a venue name ("at Far Eastern Federal University in Vladivostok") or a DATE phrase ("in
    recent days in Abu Dhabi"), never a topic ("talks on the situation in Syria" is not held in
    Syria). Failing that, the destination of a visit or trip noun ("a visit to Jordan"), which
    may be its host.
    """
    heads = [trigger]
    heads += [o for o in prep_objects(trigger, ("of",)) if _meeting_noun(o)]  # "a round of talks"
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "of" and _meeting_noun(trigger.head.head):
        heads.append(trigger.head.head)  # "talks" in "a round of talks": the round's phrases
    heads.append(verb)
    seen: set[int] = set()
    for head in heads:
        if head.i in seen:
            continue
        seen.add(head.i)
        key = _located(head, index, set(participants), depth=2)
        if key is not None:
            return key
    if trigger.lemma_.lower() in ("visit", "trip") and trigger.pos_ in ("NOUN", "PROPN"):
        for obj in prep_objects(trigger, ("to",)):
            key = index.key_at_token(obj)
            if key and index.entity(key).type in ("Place", "Country"):
                return key
    return None


def _meeting_noun(tok) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and (tok.lemma_.lower() in MEETING_NOUNS or tok.lower_ in MEETING_NOUNS
                                            or tok.lower_ in FRAME_NOUNS)


def _frame(tok, index: EntityIndex) -> bool:
    """A noun a place phrase may hang from (see ``place_of``)."""
    return (_meeting_noun(tok) or tok.ent_type_ in ("DATE", "FAC", "ORG")
            or (index.key_at_token(tok) is not None and index.entity(index.key_at_token(tok)).type != "Place"))


def _located(head, index: EntityIndex, participants: set[str], depth: int) -> str | None:
    for prep in head.children:
        if prep.dep_ != "prep":
            continue
        word = prep.lower_
        objs = [o for o in prep.children if o.dep_ == "pobj"]
        objs += [o for p in prep.children if p.dep_ == "prep" and p.lower_ in LOCATIVE_PREPS
                 for o in p.children if o.dep_ == "pobj"]  # "in recent days in Abu Dhabi"
        for obj in (x for o in objs for x in (o, *o.conjuncts)):
            key = index.key_at_token(obj)
            if word in LOCATIVE_PREPS and key and key not in participants \
                    and index.entity(key).type in ("Place", "Country"):
                return key
        if depth == 0 or word not in LOCATIVE_PREPS | {"during", "on"}:
            continue
        for obj in objs:
            if word == "on" and obj.lower_ not in FRAME_NOUNS:
                continue  # "talks on the situation in Syria": a topic, not a frame
            if not _frame(obj, index):
                continue
            inner = [obj] + [o for o in prep_objects(obj, ("of",)) if _frame(o, index)]
            for noun in inner:
                key = _located(noun, index, participants, depth - 1)
                if key is not None:
                    return key
    return None
