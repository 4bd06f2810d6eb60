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
  resolved against
  the publication date (``kg.dates.resolve_date``), in the future for planned meetings.
- An undated meeting that happened takes the date of the nearest earlier dated one sharing an
  actor or an actor's state (the story's lead event), at slightly lower confidence.
- Plural anaphora ("they met", "their talks", "the two leaders") names the participants of the
  meeting reported in the same or the two previous sentences.
- The same participants with the same status and agreeing dates are one meeting within an
  article (cross-article merging is a later stage).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from kg.extract.index import EntityIndex
from kg.model import Evidence, Meeting, ParsedArticle

log = logging.getLogger(__name__)

MEETING_VERBS = frozenset("meet talk speak visit host confer negotiate parley".split())
MEETING_NOUNS = frozenset("""
meeting talks talk summit call conversation conference videoconference video-conference visit trip
negotiation negotiations discussion discussions consultation consultations dialogue round luncheon
dinner banquet encounter tete-a-tete session
""".split())
REMOTE_WORDS = frozenset("call phone telephone video videoconference video-conference virtual phoned telephoned".split())
# Nouns that look like meeting nouns but are not meetings between the actors.
NOT_MEETING_MODIFIERS = frozenset("news press".split())
# Verbs whose object noun is the meeting the subject takes part in.
HOLDING_VERBS = frozenset("""
hold have conduct attend pay make host begin start open end conclude wrap finish join resume
continue convene arrange seek propose plan schedule set take receive get roll give offer extend
stage lay
""".split())
# Prepositions whose clause frames a meeting the clause's subject took part in
# ("During a phone call with Cho, Wang urged…", "After his talks with Tusk, Zelenskiy said…").
FRAME_PREPS = frozenset("during in after before at on following ahead amid since through".split())
# Plural anaphora for the two sides of a meeting just reported ("they met", "the two leaders").
PLURAL_PRONOUNS = frozenset("they their them".split())
PAIR_NOUNS = frozenset("leaders men sides presidents women pair counterparts countries nations governments".split())
# Pair nouns that name the states behind the people ("the two sides held working-level talks").
STATE_PAIR_NOUNS = frozenset("sides countries nations governments".split())
PLANNING_HEADS = frozenset("""
plan expect schedule set agree intend want hope seek propose prepare aim due arrange invite
""".split())
CANCEL_HEADS = frozenset("cancel postpone scrap delay lack fail refuse abandon".split())
MODALS_FUTURE = frozenset("will 'll shall would may might could".split())
FUTURE_MODIFIERS = frozenset("upcoming next planned proposed possible future forthcoming expected".split())
LOCATIVE_PREPS = frozenset("in at".split())
_NAMED_DAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
                        r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2})\b", re.I)


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
    for si, sent in enumerate(parsed.sentences):
        span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
        if span is None:
            continue
        here: list[tuple[int, Meeting]] = []
        deferred = []
        for tok in span:
            meeting = _meeting_at(tok, span, sent, index, published, None)
            if meeting is not None:
                here.append((tok.i, meeting))
            elif _is_trigger(tok):
                deferred.append(tok)
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


def _explicit_pair(trigger, verb) -> bool:
    """True for "the two leaders" / "both men" (not a bare "they", which may be anyone)."""
    _nouns, verbs = _clause_chain(trigger)
    subjects = [c for v in verbs[:1] for c in _subjects(v)] + [c for c in trigger.children if c.dep_ == "poss"]
    return any((c.lemma_.lower() in PAIR_NOUNS or c.lower_ in PAIR_NOUNS)
               and any(d.lower_ in ("two", "both") for d in c.children) for c in subjects)


def _plural_anaphor(trigger, verb) -> str | None:
    """"people" when the trigger's actors are "they", "their" or "the two leaders"; "states" for
    "the two sides"/"both countries"; else None."""
    cands = [c for c in trigger.children if c.dep_ == "poss"]
    cands += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if trigger.pos_ == "VERB":
        cands += _subjects(trigger)
    _nouns, verbs = _clause_chain(trigger)
    for v in verbs[:1]:  # "they wrapped up two days of golf and talks"; "had 16 conversations"
        cands += _subjects(v)
    for c in cands:
        if c.lower_ in PLURAL_PRONOUNS:
            return "people"
        if c.lemma_.lower() in PAIR_NOUNS or c.lower_ in PAIR_NOUNS:
            if any(d.lower_ in ("two", "both") for d in c.children):
                return "states" if c.lower_ in STATE_PAIR_NOUNS else "people"
    return None


def _is_trigger(tok) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" and lemma in MEETING_VERBS:
        if lemma == "speak" and not any(c.lower_ in ("with", "by", "to") for c in tok.children):
            return False
        if lemma == "talk" and not any(c.lower_ in ("with", "to") for c in tok.children):
            return False
        return True
    if tok.pos_ == "VERB" and lemma == "shake":
        return any(c.dep_ == "dobj" and c.lower_ == "hands" for c in tok.children)
    if tok.pos_ == "NOUN" and lemma == "welcome":
        return any(c.lower_ == "for" for c in tok.children)
    if tok.pos_ in ("NOUN", "PROPN") and (lemma in MEETING_NOUNS or tok.lower_ in MEETING_NOUNS):
        if any(c.lower_ in NOT_MEETING_MODIFIERS for c in tok.lefts):
            return False
        if lemma == "call" and any(c.lower_ == "for" for c in tok.rights):
            return False  # "calls for restraint"
        if lemma == "round" and not any(c.lower_ == "of" for c in tok.rights):
            return False
        return True
    if tok.pos_ == "VERB" and lemma in ("call", "phone", "telephone") and any(
            c.dep_ == "dobj" for c in tok.children) and not any(c.lower_ in ("for", "on") for c in tok.children):
        # "Trump called Erdogan" (not "called for", "called on", "called X a liar": xcomp/oprd)
        return not any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in tok.children)
    return False


def _actors(tok, index: EntityIndex) -> list[str]:
    """Actors a noun phrase head names, over its conjuncts and "envoys from X" / "officials of X"."""
    out: list[str] = []
    for t in (tok, *tok.conjuncts):
        key = index.actor_of(t)
        if key is None:  # "its arch rival, India"
            key = next((index.key_at_token(a) for a in t.children if a.dep_ == "appos" and index.key_at_token(a)), None)
        for obj in _prep_objects(t, ("including",)):  # "officials, including General Bajwa"
            out.extend(k for k in _actors(obj, index) if k not in out)
        if key is None:
            for child in t.children:
                if child.dep_ == "prep" and child.lower_ in ("from", "of"):
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            out.extend(k for k in _actors(obj, index) if k not in out)
            continue
        if key not in out:
            out.append(key)
    return out


def _prep_objects(tok, preps: tuple[str, ...]) -> list:
    out = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            out.extend(o for o in child.children if o.dep_ == "pobj")
    return out


def _subjects(verb) -> list:
    """Subject tokens of a verb, climbing xcomp/conj chains ("X agreed to meet", "X arrived and met")."""
    v = verb
    for _ in range(4):
        subs = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subs:
            return subs
        if v.dep_ == "pcomp" and v.head.head is not v.head:  # "upset China by taking a call"
            v = v.head.head
            continue
        if v.dep_ in ("xcomp", "conj", "advcl", "relcl", "acl") and v.head is not v:
            if v.dep_ in ("relcl", "acl"):
                noun = v.head  # "Abe was the first foreign leader to meet Trump": the copula's subject
                if noun.dep_ == "attr":
                    return [c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")]
                return [noun]
            v = v.head
            continue
        break
    return []


def _participants(trigger, index: EntityIndex) -> tuple[list[str], object]:
    """Participants of a trigger and the verb that carries its clause."""
    keys: list[str] = []

    def add(tokens):
        for t in tokens:
            for k in _actors(t, index):
                if k not in keys:
                    keys.append(k)

    lemma = trigger.lemma_.lower()
    if trigger.pos_ == "VERB":
        verb = trigger
        add(_subjects(verb))
        if lemma == "shake":
            add(_prep_objects(verb, ("with",)))
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            if obj.lower_ in ("him", "her"):  # "the first foreign leader to visit him": not the subject
                keys.extend(index.recent_persons(obj, tuple(keys), 1))
            else:
                add([obj])
        add(_prep_objects(verb, ("with", "between")))
        add([o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"])
        if lemma == "visit":
            _add_visit_hosts(keys, [c for c in verb.children if c.dep_ == "dobj"], index)
    else:
        verb = trigger.head if trigger.dep_ in ("dobj", "pobj", "attr", "nsubj", "nsubjpass", "conj") else trigger
        if trigger.dep_ == "pobj":  # "during their talks", "in his discussion with Mattis"
            verb = trigger.head.head
        add([c for c in trigger.children if c.dep_ == "poss"])
        add(_prep_objects(trigger, ("with", "between", "by", "among", "from")
                          if lemma in ("call", "conversation", "visit", "welcome") else ("with", "between", "by", "among")))
        if lemma == "welcome":
            add(_prep_objects(trigger, ("for",)))
        if trigger.dep_ == "pobj" and trigger.head.lower_ in FRAME_PREPS:
            clause = trigger.head.head
            if clause.pos_ in ("VERB", "AUX"):
                add(_subjects(clause))
                for c in clause.children:  # "asked Putin during their talks": a named object only
                    key = index.key_at_token(c) if c.dep_ in ("dobj", "dative") else None
                    if key and key not in keys:
                        keys.append(key)
                add(_prep_objects(clause, ("with",)))
                verb = clause
        if lemma in ("visit", "trip"):
            _add_visit_hosts(keys, _prep_objects(trigger, ("to",)), index)
        if trigger.dep_ in ("dobj", "attr") and verb.lemma_.lower() in HOLDING_VERBS | {"take", "be"}:
            add(_subjects(verb))
            add(_prep_objects(verb, ("with", "between")))
        elif trigger.dep_ in ("nsubj", "nsubjpass") and verb.pos_ in ("VERB", "AUX"):
            add(_prep_objects(verb, ("with", "between")))
            if trigger.dep_ == "nsubjpass":  # "The meeting was convened by X and attended by Y"
                for v in (verb, *verb.conjuncts):
                    add([o for c in v.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"])
        for rel in (c for c in trigger.children if c.dep_ == "relcl"):
            # "a summit at which Erdogan pleaded with Russia and Iran", "the talks where X met Y"
            if any(c.lower_ == "where" for c in rel.children) or any(
                    c.dep_ == "prep" and any(o.lower_ == "which" for o in c.children) for c in rel.children):
                add(_subjects(rel))
                add(_prep_objects(rel, ("with",)))
                add([c for c in rel.children if c.dep_ == "dobj"])
        for cc in trigger.children:  # "talks between envoys ... " already; "Russia-China talks": compounds
            if cc.dep_ == "compound":
                add([cc])
    # "Xi told visiting President Trump": a visiting actor meets the clause subject
    if trigger.pos_ == "VERB" and lemma == "visit" and trigger.dep_ == "amod":
        visitor = trigger.head
        add([visitor])
        add(_subjects(visitor.head))
        verb = visitor.head
    return keys, verb


def _add_visit_hosts(keys: list[str], places, index: EntityIndex) -> None:
    """The place a visit goes to: a country is a participant (the host)."""
    for p in places:
        for t in (p, *p.conjuncts):
            key = index.key_at_token(t)
            if key is None:
                continue
            ent = index.entity(key)
            if ent.type == "Place" and ent.affiliation_key:  # a visit to Jerusalem is hosted by Israel
                key, ent = ent.affiliation_key, index.entity(ent.affiliation_key)
            if ent.type == "Country" and key not in keys:
                keys.append(key)


def _clause_chain(trigger) -> tuple[list, list]:
    """The noun-phrase path from the trigger up to its first verb, and that verb's xcomp/conj-free
    chain of governing verbs ("is expected to hold talks": [talks], [hold, expected])."""
    nouns, verbs = [trigger], []
    t = trigger
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") and t is not trigger or (t is trigger and t.pos_ == "VERB"):
            break
        if t.head is t or t.dep_ == "conj":
            return nouns, verbs
        t = t.head
        if t.pos_ not in ("VERB", "AUX"):
            nouns.append(t)
    if t.pos_ in ("VERB", "AUX"):
        verbs.append(t)
        while t.dep_ == "xcomp" and t.head is not t:
            t = t.head
            verbs.append(t)
    return nouns, verbs


def _status(trigger, verb) -> str:
    """occurred / planned / cancelled / denied from negation, modality and governing words.

    Negation counts on the trigger ("no call"), the nouns above it ("no proposals for a call")
    and its governing verbs up an xcomp chain ("did not hold talks"), never across a
    conjunction ("did not stop in Pakistan, but visited India" is a visit)."""
    nouns, verbs = _clause_chain(trigger)
    for t in nouns + verbs:
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in t.children):
            return "denied"
        if t.lemma_.lower() in CANCEL_HEADS and t is not trigger:
            return "cancelled"
    for t in nouns[1:]:
        if t.lemma_.lower() in ("proposal", "plan", "invitation", "request", "offer", "idea", "prospect"):
            return "planned"
    t = verbs[-1] if verbs else None
    while t is not None and t.dep_ == "conj" and t.head is not t:  # "is scheduled to have … and meet"
        t = t.head
        verbs.append(t)
        while t.dep_ == "xcomp" and t.head is not t:
            t = t.head
            verbs.append(t)
    for t in verbs:
        if any(c.dep_ == "aux" and c.lower_ in MODALS_FUTURE for c in t.children):
            return "planned"
        if t.lemma_.lower() in PLANNING_HEADS and t is not trigger:
            return "planned"
    if any(c.lower_ in FUTURE_MODIFIERS for c in trigger.lefts):
        return "planned"
    return "occurred"


def _mode(trigger, span) -> str:
    words = {trigger.lower_, trigger.lemma_.lower()} | {c.lower_ for c in trigger.lefts}
    if trigger.pos_ == "VERB":
        words |= {o.lower_ for p in trigger.children for o in p.subtree if p.dep_ == "prep"}
    if words & REMOTE_WORDS:
        return "remote"
    return "in_person"


def _date(trigger, verb, span, published, future: bool):
    from kg.dates import resolve_date

    dates = [e for e in span.ents if e.label_ == "DATE"]
    if not dates:
        return None
    clause = {t.i for t in verb.subtree} | {t.i for t in trigger.subtree}
    in_clause = [e for e in dates if e.start in clause and not _in_nested_clause(e.root, {trigger.i, verb.i})]
    # Outside the trigger's clause only a named day is taken ("on Thursday", "on Jan. 4"), and only
    # when the sentence reports no other meeting the day could belong to; vaguer expressions there
    # ("last weekend", "last year") date something else.
    others = [t for t in span if t.i != trigger.i and _is_trigger(t)]
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


def _place(trigger, verb, index: EntityIndex) -> str | None:
    for head in (trigger, verb):
        for obj in _prep_objects(head, tuple(LOCATIVE_PREPS)):
            key = index.key_at_token(obj)
            if key and index.entity(key).type in ("Place", "Country"):
                return key
    return None


def _meeting_at(tok, span, sent, index: EntityIndex, published,
                recent: tuple[str, ...] | None = None) -> Meeting | None:
    if not _is_trigger(tok):
        return None
    keys, verb = _participants(tok, index)
    keys = [k for k in keys if index.entity(k).type != "Place"]
    anaphor = _plural_anaphor(tok, verb) if len(keys) < 2 else None
    if anaphor == "people" and recent:
        keys = list(dict.fromkeys([*recent, *keys]))
    elif anaphor == "people" and _explicit_pair(tok, verb):
        # "The two leaders toasted …" with no meeting reported just before: the last two persons named
        keys = list(dict.fromkeys([*keys, *index.recent_persons(tok, tuple(keys), 2 - len(keys))]))
    elif anaphor == "states" and not recent:
        anaphor = None
    if anaphor == "states" and recent:
        states = [index.state_of(k) or k for k in recent]
        keys = list(dict.fromkeys([*states, *keys]))
    if len(keys) < 2:
        return None
    status = _status(tok, verb)
    mode = _mode(tok, span)
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
        date=_date(tok, verb, span, published, future=status == "planned"),
        place=_place(tok, verb, index),
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
