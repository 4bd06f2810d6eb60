"""Roles at the event date: the office and state each person actor of an event holds on its date.

"President Lee" in a 2026 article is the President of South Korea; Vladimir Putin meeting someone
in 2010 was the Prime Minister of Russia, not the President he is at publication. For every person
among an event's actors (meeting participants, statement speaker, position holder and target) this
stage gives the event ``EventRole`` records:

1. The day: the event date when the text states it to the day or the month (``EventDate.precision``
   "day" or "month"; a month-precision date is its first day), else the article's publication date,
   else none.
2. From the gazetteer (Wikidata P39 "position held" with start/end, ``kg.gazetteer``) when the person
   is linked (has a QID) and holds an office on that day (both term ends inclusive): one role per
   office held, with the office's label, state and term (source "gazetteer"); two terms of the same
   office that both contain the day (overlapping Wikidata terms, or the handover day of consecutive
   terms) are one role from the earliest start to the latest end (open if either term is). When
   several offices are held at once (Xi Jinping: General Secretary and President) the ones the
   text's title names are kept ("President" keeps "President of the People's Republic of China"),
   else the ones whose state the article names, else all.
3. From the text otherwise (unlinked person, no office on the day, no day): the titles the article
   gives the person (``kg.extract.roles.find_role``: "Foreign Minister", "Kremlin foreign policy
   advisor") with the state or body next to the title (source "text", no term).

Roles the entities stage copied from the offices held on the publication date
(``kg.extract.roles.affiliate_from_offices``) are not text roles and never count as such.

The stage is pure: events in, events with ``roles`` out; nothing else changes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Iterable, TypeVar

from kg.model import Entity, EventDate, EventRole, Meeting, Position, Statement

E = TypeVar("E", Meeting, Statement, Position)

DATED_PRECISIONS: tuple[str, ...] = ("day", "month")
"""Event-date precisions precise enough to choose the office held (a year can span two terms)."""

_WORD = re.compile(r"[a-z]+")
_MINOR = frozenset({"of", "the", "for", "and", "s"})


def role_day(event_date: EventDate | None, published: date | None) -> date | None:
    """The day roles are looked up for: the event date at day or month precision, else ``published``.

    Args:
        event_date: The event's date, or None.
        published: The article's publication date, or None.

    Returns:
        ``event_date.value`` when its precision is "day" or "month", else ``published`` (may be None).
    """
    if event_date is not None and event_date.precision in DATED_PRECISIONS:
        return event_date.value
    return published


def actor_keys(event: Meeting | Statement | Position) -> tuple[str, ...]:
    """The entity keys of an event's actors, in order, without repeats.

    Meeting: participants; Statement: speaker; Position: holder, then target (when it is an actor).

    Raises:
        TypeError: ``event`` is not a Meeting, Statement or Position.
    """
    if isinstance(event, Meeting):
        keys: Iterable[str] = event.participants
    elif isinstance(event, Statement):
        keys = (event.speaker,)
    elif isinstance(event, Position):
        keys = (event.holder,) + ((event.target,) if event.target else ())
    else:
        raise TypeError(f"not an event record: {type(event).__name__} (expected Meeting, Statement or Position)")
    return tuple(dict.fromkeys(keys))


def _words(title: str) -> set[str]:
    return set(_WORD.findall(title.lower())) - _MINOR


def _text_roles(entity: Entity, gaz) -> list:
    """The entity's roles that come from the text, not from a gazetteer office title."""
    entry = gaz.by_qid(entity.qid) if entity.qid else None
    office_titles = {o.title for o in entry.offices} if entry else set()
    return [r for r in entity.roles if r.title not in office_titles]


def _choose(offices: tuple, text_titles: list[str], article_qids: set[str]) -> tuple:
    """Among offices held at once, those the text's title names, else those of a named state, else all."""
    if len(offices) <= 1:
        return offices
    named = [o for o in offices if any(_words(t) and _words(t) <= _words(o.title) for t in text_titles)]
    if named:
        return tuple(named)
    of_named = [o for o in offices if o.of_qid in article_qids]
    return tuple(of_named) if of_named else offices


def _merge_terms(roles: Iterable[EventRole]) -> tuple[EventRole, ...]:
    """One role per (holder, title, state): several terms of the same office held on the day become one.

    Two terms can both contain the day: overlapping terms in Wikidata (Rumen Radev, President of
    Bulgaria 2017-2022 and from 2022, both at year precision) or consecutive terms on the handover
    day (both ends inclusive). The merged role starts at the earliest start and ends at the latest
    end, or is open (``end`` None) when any of the terms is. Order: first occurrence.
    """
    merged: dict[tuple, EventRole] = {}
    for r in roles:
        key = (r.actor, r.title, r.of_qid)
        seen = merged.get(key)
        if seen is None:
            merged[key] = r
            continue
        starts = [d for d in (seen.start, r.start) if d is not None]
        end = None if seen.end is None or r.end is None else max(seen.end, r.end)
        merged[key] = replace(seen, start=min(starts) if starts else None, end=end)
    return tuple(merged.values())


def roles_of(entity: Entity, day: date | None, entities: dict[str, Entity], gaz) -> tuple[EventRole, ...]:
    """The roles of one person on ``day``, from the gazetteer's offices, else from the text.

    Args:
        entity: A Person entity of the article (other types get no roles: returns ``()``).
        day: The day (see :func:`role_day`), or None (text roles only).
        entities: The article's entities by key (to resolve the state of a role).
        gaz: A ``kg.gazetteer.Gazetteer`` (``offices_on``, ``by_qid``).

    Returns:
        The EventRole records, gazetteer ones if any office is held on ``day`` (at most one per
        title and state: terms of the same office are merged), else text ones.
    """
    if entity.type != "Person":
        return ()
    text_roles = _text_roles(entity, gaz)
    if entity.qid and day is not None:
        offices = gaz.offices_on(entity.qid, day)
        if offices:
            by_qid = {e.qid: e.key for e in entities.values() if e.qid}
            chosen = _choose(offices, [r.title for r in text_roles], set(by_qid))
            return _merge_terms(EventRole(entity.key, o.title, by_qid.get(o.of_qid), o.of_qid, "gazetteer", o.start,
                                          o.end) for o in chosen)
    out = []
    for r in text_roles:
        of = entities.get(r.of_key) if r.of_key else None
        out.append(EventRole(entity.key, r.title, of.key if of else None, of.qid if of else None, "text"))
    return tuple(dict.fromkeys(out))


def with_event_roles(events: Iterable[E], entities: tuple[Entity, ...], published: date | None, gaz) -> tuple[E, ...]:
    """Give each event the roles of its person actors at the event date (the rule of the module docstring).

    Args:
        events: Meetings, statements or positions of one article.
        entities: That article's linked entities (the events' keys refer to them).
        published: The article's publication date (the fallback day), or None.
        gaz: A ``kg.gazetteer.Gazetteer``.

    Returns:
        The same events in the same order, each with ``roles`` set (``()`` when no actor is a
        person with a role). An actor key that is not among ``entities`` gets no role; the RDF
        mapping reports such keys.
    """
    by_key = {e.key: e for e in entities}
    out = []
    for event in events:
        day = role_day(event.date, published)
        roles: list[EventRole] = []
        for key in actor_keys(event):
            entity = by_key.get(key)
            if entity is not None:
                roles.extend(roles_of(entity, day, by_key, gaz))
        out.append(replace(event, roles=tuple(roles)))
    return tuple(out)
