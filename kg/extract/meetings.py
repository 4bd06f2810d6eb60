"""Meetings: talks, meetings, summits, phone and video calls, visits, negotiations.

Requires: the parsed article (dependency parse, DATE entities) and its ``EntityIndex``.
Assigns: ``Meeting`` records whose ``participants`` are >= 2 distinct entity keys.

Rules (ours, by kind of sentence; CAMEO codes from Schrodt, *CAMEO Conflict and
Mediation Event Observations Codebook* v1.1b3, 2012: 040 consult, 042 make a visit,
043 host a visit, 046 engage in negotiation, 036 express intent to meet or negotiate):

- A trigger is a meeting verb ("met", "talked with", "visited", "hosted") or a meeting
  noun ("talks", "summit", "phone call", "video conference", "visit", "negotiations").
- Participants are the actors of the trigger: the subject(s) of the trigger verb (or of the
  verb that governs the trigger noun: "X held talks"), its object, and the objects of
  "with" / "between" / "by" / "to" (visits), the possessor ("Lee's summit with Xi"),
  each expanded over conjunctions ("Putin and Xi"), and the modifier "visiting X" of an
  actor the subject speaks to ("Xi told visiting President Trump").
- A capital city a visit goes to stands for its state (host of the visit).
- Status: future or intended (will, expected/scheduled/plan/agree to, upcoming, next) →
  planned; negated ("did not meet", "no call") → denied; cancelled/called off/lack of →
  cancelled; otherwise occurred.
- Mode: remote for calls, phone, video, telephone; in person otherwise.
- Date: the DATE entity in the trigger's clause (elsewhere in the sentence only a named day),
  resolved against the publication date (``kg.dates.resolve_date``). The status is computed
  first and decides the direction: for a planned meeting a bare weekday is the next such day
  on or after the publication date ("will meet on Monday" in an article of Friday 2026-01-02 is
  2026-01-05), for one that occurred the last such day on or before it ("met on Monday" is
  2025-12-29); the publication weekday itself is the publication day ("today") either way.
- Place: a Place/Country in "in"/"at" on the trigger, its "round of"/"sidelines of" frame or its
  clause verb, not a participant; else a visit's destination (``meeting_facts.place_of``).
- An undated meeting that happened takes the date of the nearest earlier dated one sharing an
  actor or an actor's state (the story's lead event), at slightly lower confidence.
- Plural anaphora ("they met", "their talks", "the two leaders") names the participants of the
  meeting reported in the same or the two previous sentences.
- The same participants with the same status and agreeing dates are one meeting within an
  article (cross-article merging is a later stage).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from kg.extract.index import EntityIndex
from kg.extract.meeting_facts import date_of, mode_of, place_of, status_of
from kg.extract.meeting_syntax import definite, explicit_pair, is_trigger, participants, plural_anaphor
from kg.model import Evidence, Meeting, ParsedArticle

log = logging.getLogger(__name__)

def extract_meetings(parsed: ParsedArticle, index: EntityIndex) -> tuple[Meeting, ...]:
    """Find the meetings of one article.

    Args:
        parsed: The parsed article.
        index: Its EntityIndex.

    Returns:
        Meetings in order of their evidence sentence, deduplicated per participants and date.
    """
    doc = parsed.doc
    published = parsed.article.published
    found: list[Meeting] = []
    recent: tuple[int, tuple[str, ...]] | None = None  # (sentence number, participants) of the last meeting
    last_dated = None  # (sentence number, EventDate) of the last dated meeting word, even without participants
    for si, sent in enumerate(parsed.sentences):
        span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
        if span is None:
            continue
        here: list[tuple[int, Meeting]] = []
        deferred = []
        for tok in span:
            meeting = _meeting_at(tok, span, sent, index, published, None)
            if is_trigger(tok):
                # the trigger's own date, its status first: a planned meeting's weekday lies ahead
                when = meeting.date if meeting is not None else date_of(
                    tok, tok.head, span, published, future=status_of(tok, tok.head) == "planned")
            if meeting is not None and meeting.date is None and last_dated is not None \
                    and si - last_dated[0] <= 1 and definite(tok):
                # "… held an emergency meeting Sunday. The meeting was convened by …"
                meeting = replace(meeting, date=last_dated[1])
            if meeting is not None:
                here.append((tok.i, meeting))
            elif is_trigger(tok):
                deferred.append(tok)
            if is_trigger(tok) and when is not None:
                last_dated = (si, when)
        # anaphoric triggers ("the two sides held talks … after Lee's summit with Xi") name the
        # participants of a meeting of the same sentence, else of the last one reported
        pair = here[0][1].participants if here else (
            recent[1] if recent is not None and si - recent[0] <= 2 else None)
        for tok in deferred:
            meeting = _meeting_at(tok, span, sent, index, published, pair)
            if meeting is not None:
                here.append((tok.i, meeting))
        here.sort(key=lambda pair_: pair_[0])
        found.extend(m for _, m in here)
        if here:
            recent = (si, here[-1][1].participants)
    return _dedupe(_inherit_dates(found, index), index)


def _inherit_dates(meetings: list[Meeting], index: EntityIndex) -> list[Meeting]:
    """An undated meeting that happened takes the date of the nearest earlier dated one it shares
    an actor (or an actor's state) with: news copy dates its lead event once and tells the rest of
    the visit ("In his discussion with Mattis, Abbasi said…") without repeating the day."""
    out: list[Meeting] = []
    for m in meetings:
        if m.date is None and m.status == "occurred":
            mine = set(m.participants) | {index.state_of(k) for k in m.participants} - {None}
            for prev in reversed(out):
                if prev.date is None or prev.status != "occurred" or prev.date.precision != "day":
                    continue
                theirs = set(prev.participants) | {index.state_of(k) for k in prev.participants} - {None}
                if mine & theirs:
                    m = replace(m, date=prev.date, confidence=round(m.confidence * 0.9, 3))
                    break
        out.append(m)
    return out


def _meeting_at(tok, span, sent, index: EntityIndex, published,
                recent: tuple[str, ...] | None = None) -> Meeting | None:
    if not is_trigger(tok):
        return None
    keys, verb = participants(tok, index)
    keys = [k for k in keys if index.entity(k).type != "Place"]
    anaphor = plural_anaphor(tok, verb) if len(keys) < 2 else None
    if anaphor == "people" and recent:
        keys = list(dict.fromkeys([*recent, *keys]))
    elif anaphor == "people" and explicit_pair(tok, verb):
        # "The two leaders toasted …" with no meeting reported just before: the last two persons named
        keys = list(dict.fromkeys([*keys, *index.recent_persons(tok, tuple(keys), 2 - len(keys))]))
    elif anaphor == "states" and not recent:
        anaphor = None
    if anaphor == "states" and recent:
        states = [index.state_of(k) or k for k in recent]
        keys = list(dict.fromkeys([*states, *keys]))
    if len(keys) < 2:
        return None
    status = status_of(tok, verb)
    mode = mode_of(tok, span)
    lemma = tok.lemma_.lower()
    if status == "planned":
        cameo = "036"
    elif lemma in ("visit", "trip"):
        cameo = "042"
    elif lemma in ("negotiation", "negotiations", "negotiate"):
        cameo = "046"
    else:
        cameo = "040"
    confidence = 0.8 if tok.pos_ == "VERB" or tok.dep_ in ("dobj", "pobj") else 0.6
    return Meeting(
        participants=tuple(keys),
        evidence=Evidence(sent.text, sent.start, sent.end),
        trigger=tok.text,
        status=status,
        mode=mode,
        date=date_of(tok, verb, span, published, future=status == "planned"),
        place=place_of(tok, verb, index, tuple(keys)),
        confidence=confidence,
        cameo=cameo,
    )


def _dedupe(meetings: list[Meeting], index: EntityIndex) -> tuple[Meeting, ...]:
    """Merge reports of one meeting within an article.

    - Same participants and status in one sentence: one meeting ("met … for talks").
    - Same sentence, same status, and the same states behind the participants: one meeting with
      all of them ("they met …, when Xi visited South Korea" is the Lee–Xi meeting).
    - Same participants in other sentences with the same status and dates that agree or are
      unknown: the article retelling its lead meeting ("Mattis met…", "Mattis, on a one-day visit
      to Pakistan, said…").
    The first report is kept; a dated later one gives it its date.
    """
    def states(m: Meeting) -> frozenset:
        return frozenset(index.state_of(k) or k for k in m.participants)

    kept: list[Meeting] = []
    for m in meetings:
        same = None
        for i, k in enumerate(kept):
            if set(k.participants) == set(m.participants) and k.status == m.status and (
                    k.evidence == m.evidence or k.date is None or m.date is None or k.date == m.date):
                same = i
                break
            if k.evidence == m.evidence and k.status == m.status and states(k) == states(m):
                kept[i] = replace(k, participants=tuple(dict.fromkeys(k.participants + m.participants)))
                same = i
                break
        if same is None:
            kept.append(m)
        elif kept[same].date is None and m.date is not None:
            kept[same] = replace(kept[same], date=m.date)
    return tuple(kept)
