"""Meeting triggers and their participants: the syntactic half of the meeting rules.

Requires a spaCy Doc with a dependency parse and the article's ``EntityIndex``. The rules are
described in ``kg.extract.meetings``; the word lists below are ours, by kind of word.
"""

from __future__ import annotations

import re

from kg.extract.index import EntityIndex
from kg.extract.titles import is_title_noun

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
# Verbs after which an infinitive meeting did take place ("managed to meet").
ACHIEVED_HEADS = frozenset("manage succeed get begin start continue go come happen".split())
CANCEL_HEADS = frozenset("cancel postpone scrap delay lack fail refuse abandon".split())
MODALS_FUTURE = frozenset("will 'll shall would may might could".split())
FUTURE_MODIFIERS = frozenset("upcoming next planned proposed possible future forthcoming expected".split())
LOCATIVE_PREPS = frozenset("in at".split())
# Nouns above a meeting noun that speak of the meeting before it happens ("a proposal for a call",
# "the agenda of summit talks", "preparations for the visit"): the meeting is planned.
FORWARD_NOUNS = frozenset("proposal plan invitation request offer idea prospect agenda preparation".split())
# Nouns a place phrase may hang from below the trigger ("on the sidelines of the summit in Vietnam",
# "at a weekend summit in Vietnam"), besides meeting nouns, venues (ORG/FAC names) and DATE phrases
# ("in recent days in Abu Dhabi").
FRAME_NOUNS = frozenset("sidelines sideline margins margin side round rounds series".split())
_NAMED_DAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
                        r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2})\b", re.I)




def definite(trigger) -> bool:
    """A meeting noun that refers back: "the meeting", "this visit"."""
    return trigger.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                                          for c in trigger.children)


def explicit_pair(trigger, verb) -> bool:
    """True for "the two leaders" / "both men" (not a bare "they", which may be anyone)."""
    _nouns, verbs = clause_chain(trigger)
    heads = verbs[:1] + [v.head for v in verbs[:1] if v.dep_ == "advcl"]  # "The two leaders toasted … as they wrapped up"
    subs = [c for v in heads for c in subjects(v)] + [c for c in trigger.children if c.dep_ == "poss"]
    return any((c.lemma_.lower() in PAIR_NOUNS or c.lower_ in PAIR_NOUNS)
               and any(d.lower_ in ("two", "both") for d in c.children) for c in subs)


def plural_anaphor(trigger, verb) -> str | None:
    """"people" when the trigger's actors are "they", "their" or "the two leaders"; "states" for
    "the two sides"/"both countries"; else None."""
    cands = [c for c in trigger.children if c.dep_ == "poss"]
    cands += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if trigger.pos_ == "VERB":
        cands += subjects(trigger)
    _nouns, verbs = clause_chain(trigger)
    for v in verbs[:1]:  # "they wrapped up two days of golf and talks"; "had 16 conversations"
        cands += subjects(v)
    for c in cands:
        if c.lower_ in PLURAL_PRONOUNS:
            return "people"
        if c.lemma_.lower() in PAIR_NOUNS or c.lower_ in PAIR_NOUNS:
            if any(d.lower_ in ("two", "both") for d in c.children):
                return "states" if c.lower_ in STATE_PAIR_NOUNS else "people"
    return None


def is_trigger(tok) -> bool:
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


def actors(tok, index: EntityIndex) -> list[str]:
    """Actors a noun phrase head names, over its conjuncts and "envoys from X" / "officials of X"."""
    out: list[str] = []
    for t in (tok, *tok.conjuncts):
        key = index.key_at_token(t)
        if key is None and is_title_noun(t):  # "a call from Taiwan's president": the person with that role
            key = index.titles.person(t)
        if key is None:
            key = index.actor_of(t)
        if key is None:  # "its arch rival, India"
            key = next((index.key_at_token(a) for a in t.children if a.dep_ == "appos" and index.key_at_token(a)), None)
        for prep in (c for c in t.children if c.dep_ == "prep" and c.lower_ == "including"):
            # "officials, including General Bajwa and Lieutenant-General Mukhtar": every person named
            out.extend(k for k in index.keys_in_tokens(prep.subtree)
                       if k not in out and index.entity(k).type == "Person")
        if key is None:
            for child in t.children:
                if child.dep_ == "prep" and child.lower_ in ("from", "of"):
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            out.extend(k for k in actors(obj, index) if k not in out)
            continue
        if key not in out:
            out.append(key)
    return out


def prep_objects(tok, preps: tuple[str, ...]) -> list:
    out = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in preps:
            out.extend(o for o in child.children if o.dep_ == "pobj")
    return out


def subjects(verb) -> list:
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


def participants(trigger, index: EntityIndex) -> tuple[list[str], object]:
    """Participants of a trigger and the verb that carries its clause."""
    keys: list[str] = []

    def add(tokens):
        for t in tokens:
            for k in actors(t, index):
                if k not in keys:
                    keys.append(k)

    lemma = trigger.lemma_.lower()
    if trigger.pos_ == "VERB":
        verb = trigger
        add(subjects(verb))
        if lemma == "shake":
            add(prep_objects(verb, ("with",)))
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            if obj.lower_ in ("him", "her"):  # "the first foreign leader to visit him": not the subject
                keys.extend(index.recent_persons(obj, tuple(keys), 1))
            else:
                add([obj])
        add(prep_objects(verb, ("with", "between")))
        if any(c.lower_ == "with" for c in verb.children):  # "met with officials from Pakistan's military"
            add(prep_objects(verb, ("from",)))
        add([o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"])
        if lemma == "visit":
            add_visit_hosts(keys, [c for c in verb.children if c.dep_ == "dobj"], index)
    else:
        verb = trigger.head if trigger.dep_ in ("dobj", "pobj", "attr", "nsubj", "nsubjpass", "conj") else trigger
        if trigger.dep_ == "pobj":  # "during their talks", "in his discussion with Mattis"
            verb = trigger.head.head
        add([c for c in trigger.children if c.dep_ == "poss"])
        add(prep_objects(trigger, ("with", "between", "by", "among", "from")
                          if lemma in ("call", "conversation", "visit", "welcome") else ("with", "between", "by", "among")))
        if lemma == "welcome":
            add(prep_objects(trigger, ("for",)))
        if trigger.dep_ == "pobj" and trigger.head.lower_ in FRAME_PREPS:
            clause = trigger.head.head
            if clause.pos_ in ("VERB", "AUX"):
                add(subjects(clause))
                for c in clause.children:  # "asked Putin during their talks": a named object only
                    key = index.key_at_token(c) if c.dep_ in ("dobj", "dative") else None
                    if key and key not in keys:
                        keys.append(key)
                add(prep_objects(clause, ("with",)))
                verb = clause
        if lemma in ("visit", "trip"):
            add_visit_hosts(keys, prep_objects(trigger, ("to",)), index)
        if trigger.dep_ in ("dobj", "attr") and verb.lemma_.lower() in HOLDING_VERBS | {"take", "be"}:
            add(subjects(verb))
            add(prep_objects(verb, ("with", "between")))
        elif trigger.dep_ in ("nsubj", "nsubjpass") and verb.pos_ in ("VERB", "AUX"):
            add(prep_objects(verb, ("with", "between")))
            if trigger.dep_ == "nsubjpass":  # "The meeting was convened by X and attended by Y"
                for v in (verb, *verb.conjuncts):
                    add([o for c in v.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"])
        for rel in (c for c in trigger.children if c.dep_ == "relcl"):
            # "a summit at which Erdogan pleaded with Russia and Iran", "the talks where X met Y"
            if any(c.lower_ == "where" for c in rel.children) or any(
                    c.dep_ == "prep" and any(o.lower_ == "which" for o in c.children) for c in rel.children):
                add(subjects(rel))
                add(prep_objects(rel, ("with",)))
                add([c for c in rel.children if c.dep_ == "dobj"])
        for cc in trigger.children:  # "talks between envoys ... " already; "Russia-China talks": compounds
            if cc.dep_ == "compound":
                add([cc])
    # "Xi told visiting President Trump": a visiting actor meets the clause subject
    if trigger.pos_ == "VERB" and lemma == "visit" and trigger.dep_ == "amod":
        visitor = trigger.head
        add([visitor])
        add(subjects(visitor.head))
        verb = visitor.head
    return keys, verb


def add_visit_hosts(keys: list[str], places, index: EntityIndex) -> None:
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


def clause_chain(trigger) -> tuple[list, list]:
    """The noun-phrase path from the trigger up to its first verb, and that verb's xcomp/conj-free
    chain of governing verbs ("is expected to hold talks": [talks], [hold, expected])."""
    nouns, verbs = [trigger], []
    t = trigger
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") and t is not trigger or (t is trigger and t.pos_ == "VERB"):
            break
        if t.head is t or (t.dep_ == "conj" and t.pos_ in ("VERB", "AUX")):
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
