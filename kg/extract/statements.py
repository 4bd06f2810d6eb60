"""The statements stage: reported speech acts of named speakers.

Requires: a ``ParsedArticle`` whose Doc has POS tags, lemmas, a dependency parse and DATE
entities (spaCy ``tagger``, ``parser``, ``ner``), and the article's ``EntityIndex``.
Assigns: a tuple of ``Statement`` records (speaker = entity key; evidence = the sentence
holding the trigger, 0-based character offsets into the body, end exclusive).

Modules: verb inventory and assertion test in ``kg.extract.reporting``; who speaks in
``kg.extract.speakers`` (titles and name words in ``kg.extract.titles``); quotations and
content in ``kg.extract.quotes``. Rules (ours, from the reporting conventions of wire copy):

1. Triggers: a reporting verb (``reporting.is_reporting_verb``); "according to X"; a speech
   noun with its content ("Obama's assertion that …", "an announcement by Trump that …").
   Headlines, list bullets and editors' notes are skipped. Factuality
   (``reporting.factuality``; issue 3: "negated, hypothetical and conditional events are
   marked, not reported as facts"): a speech act the sentence does not report as made is
   kept, under the same speaker rules, with a status instead of "occurred": "denied" when
   negated, refused or not yet made ("has not condemned", "declined to comment" — CAMEO 011,
   "has yet to confirm"); "planned" when modal, future, intended or conditional ("would
   raise", "will explain", "is due … to clarify", "if X says"), the nearest value of
   ``kg.model.STATUSES`` for a hypothetical act. A verb asked about ("was asked how he had
   responded") is no statement. Such acts are 0.15 less confident, do not make their speaker
   the one "he"/"it" refers to next, and give way to an occurred act of the same speaker in
   the same sentence.
2. Speakers: ``speakers.SpeakerResolver``; no one is the addressee of their own act ("urged
   Pyongyang" is not said by North Korea); inside a quotation only a verb's own subject counts.
3. One statement per speaker and sentence, except that a coordinated clause with its own
   subject ("X cursed Y … and he subsequently declared Z") is a second speech act. Reports
   nested in reports are statements of their own speakers ("Putin said …, Peskov added"),
   except a state's act reported by its own official ("Ushakov emphasized that Russia
   “confirmed …”" is Ushakov's statement only).
4. Content and ``direct_quote``: ``quotes.reported_content``.
5. Date: a DATE entity modifying the verb ("said on Sunday", "said Monday"), resolved with
   ``kg.dates.resolve_date`` against the publication date.

Confidence: 0.85 for a plain reporting verb with a named subject, less for an inherited
subject, a pronoun or title, "according to", a speech noun, or a verb of judgment
("praised"). CAMEO codes: Schrodt, "CAMEO Conflict and Mediation Event Observations Event
and Actor Codebook", version 1.1b3 (2012), category 01, via ``reporting.cameo_of``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from kg.dates import resolve_date
from kg.extract import reporting
from kg.extract.quotes import find_quotes, reported_content
from kg.extract.speakers import SpeakerResolver
from kg.model import Evidence, ParsedArticle, Statement

log = logging.getLogger(__name__)

#: Verbs that plainly report words; other reporting verbs (judgments: "praised", "condemned")
#: get a lower confidence.
_PLAIN = frozenset("""
say tell state announce add stress emphasize emphasise clarify note insist claim deny tweet write
declare confirm explain reiterate warn urge quote paraphrase report reply respond
""".split())


#: Nouns that report a speech act when they carry its content ("the president's announcement
#: that …"); a subset of ``reporting.SPEECH_NOUNS``.
_ASSERTION_NOUNS = frozenset("announcement assertion claim insistence declaration warning pledge promise "
                             "tweet accusation denial allegation suggestion statement".split())

_BULLETS = frozenset("*•·▪-–—")
_EDITORIAL = re.compile(r"\((?:ATTN|LEAD|EDS|EDITORS|REFILE|CORRECTED|UPDATE)\b")
_NOTE_START = re.compile(r"(?:Corrects|Refiles|Updates|Adds|Changes|Recasts|Removes|Fixes|Repeats)\b")
_FINAL = frozenset(".!?:;\"”’'…")


@dataclass
class _Act:
    """A candidate speech act before grouping."""

    sent: int
    trigger: object  # the spaCy token of the verb, or the "according" of "according to"
    speaker: str
    explicit: bool  # the speaker is the trigger's own subject
    confidence: float
    status: str = "occurred"  # kg.model.STATUSES, from reporting.factuality
    cue: str | None = None  # why it is not "occurred" (reporting.CUE_STATUS)


def extract_statements(parsed: ParsedArticle, index) -> tuple[Statement, ...]:
    """Find the reported speech acts of named speakers in one article.

    Args:
        parsed: The parsed article.
        index: Its ``kg.extract.index.EntityIndex``.

    Returns:
        Statements in text order (rules in the module docstring).
    """
    if not parsed.sentences:
        return ()
    quotes = find_quotes(parsed.article.body)
    finder = SpeakerResolver(parsed, index, quotes)
    acts: list[_Act] = []
    doc = parsed.doc
    prose = [_prose_start(parsed.article.body, s) for s in parsed.sentences]
    for tok in doc:
        si = finder.sentence_of(tok)
        start = prose[si]
        if (start is None or tok.idx < start or tok.idx >= parsed.sentences[si].end
                or _in_editorial_note(parsed.article.body, tok)):
            continue  # a headline, an editor's note, or noise dropped between kept sentences
        fact = reporting.Factuality()
        if reporting.is_reporting_verb(tok):
            fact = reporting.factuality(tok, index)
            if fact is None:
                continue  # asked about: the sentence reports a question, not the act
            found = [f for f in finder.of_verb(tok) if f[0] not in _addressees(tok, index)]
            if finder.quoted(tok):  # a speech act the quoted speaker reports: only with its own subject
                found = [f for f in found if f[1]]
        elif tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            found = finder.of_according(doc[tok.i + 1])
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in _ASSERTION_NOUNS and _has_content_clause(tok):
            found = [(k, False, c) for k, c in finder.of_speech_noun(tok, 0.6)]
        else:
            continue
        si = finder.sentence_of(tok)
        plain = tok.lemma_.lower() in _PLAIN or tok.lower_ == "according"
        conf_penalty = 0.0 if fact.status == "occurred" else reporting.NOT_OCCURRED_PENALTY
        for key, explicit, conf in found:
            acts.append(_Act(si, tok, key, explicit, round(conf - (0 if plain else 0.15) - conf_penalty, 2),
                             fact.status, fact.cue))
            if fact.status == "occurred":
                finder.spoke(key, si)
        if not found and any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")
                             for c in tok.children):
            finder.spoke(None, si)  # someone we cannot name spoke: "it said" next is not resolved
    out = []
    for act in _group(acts, index):
        sent = parsed.sentences[act.sent]
        content, direct = reported_content(parsed, act.trigger, sent, quotes)
        out.append(Statement(
            speaker=act.speaker,
            content=content,
            evidence=Evidence(sent.text, sent.start, sent.end),
            trigger="according to" if act.trigger.lower_ == "according" else act.trigger.text,
            direct_quote=direct,
            on_behalf_of=index.state_of(act.speaker),
            date=_date(parsed, act.trigger),
            confidence=max(0.3, min(act.confidence, 0.95)),
            cameo=reporting.cameo_of(act.trigger.lemma_, act.cue),
            status=act.status,
        ))
    log.debug("%d statements in %s", len(out), parsed.article.article_id)
    return tuple(out)


def _prose_start(body: str, sent) -> int | None:
    """Where running prose starts in a sentence: its start; after the dateline ("… (Yonhap)
    --") when an editor's header is fused to it ("(LEAD) … (ATTN: UPDATES headline) By … SEOUL,
    Jan. 2 (Yonhap) -- President Lee …"); None for a headline or list line without final
    punctuation ("* Russia demands Ukraine give up land; Kyiv refuses") or a parenthesised
    editor's note ("(Refiles to add …)")."""
    line_start = body.rfind("\n", 0, sent.start) + 1
    line_end = body.find("\n", sent.end)
    line = body[line_start:len(body) if line_end < 0 else line_end].strip()
    text = sent.text.strip()
    if line[:1] in _BULLETS or (text.startswith("(") and text.endswith(")")):
        return None
    marker = _EDITORIAL.search(text)
    if marker:
        dateline = text.rfind("--", marker.end())
        return sent.start + dateline + 2 if dateline >= 0 else None
    if line == text and text[-1:] not in _FINAL and not any(q in text for q in "\"“”"):
        return None
    return sent.start


def _has_content_clause(noun) -> bool:
    """True for a speech noun with its content: "Obama's assertion that …", "his insistence
    that …", "Trump's tweet calling for …" (not "Erdoğan's calls for a ceasefire")."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "relcl") and child.pos_ in ("VERB", "AUX"):
            if any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children) or child.tag_ == "VBG":
                return True
    doc, i = noun.doc, noun.i + 1  # "Obama's assertion last week that …" (the parser may attach it elsewhere)
    while i < len(doc) and i - noun.i <= 3 and (doc[i].ent_type_ == "DATE" or doc[i].pos_ == "ADV"):
        i += 1
    return i < len(doc) and doc[i].lower_ == "that" and doc[i].dep_ == "mark"


def _addressees(verb, index) -> set[str]:
    """Keys of the verb's objects ("urged Pyongyang"): no one urges or tells themselves."""
    out, tok = set(), verb
    for _ in range(4):  # also the addressee of the verb this one depends on: "urging Beijing to cut …"
        for child in tok.children:
            if child.dep_ in ("dobj", "dative") or (child.dep_ == "nsubj" and tok.i != verb.i
                                                     and tok.dep_ == "xcomp"):
                key = index.key_at_token(child)
                if key:
                    out.add(key)
                    out.add(index.state_of(key) or key)
        if tok.dep_ not in ("conj", "xcomp") or tok.head.i == tok.i:
            break
        tok = tok.head
    return out


def _in_editorial_note(body: str, tok) -> bool:
    """True inside an editor's note in parentheses: "(Corrects paragraph 7 to show …)"."""
    open_at = body.rfind("(", max(0, tok.idx - 300), tok.idx)
    if open_at < 0 or ")" in body[open_at:tok.idx]:
        return False
    return bool(_NOTE_START.match(body, open_at + 1))


def _group(acts: list[_Act], index) -> list[_Act]:
    """One act per (sentence, speaker), plus coordinated clauses with a subject of their own.
    A state's speech act reported by its own spokesperson ("Ushakov emphasized that Russia
    “confirmed …”") is the spokesperson's statement only. Acts reported as made come first: a
    speaker's denied or hypothetical act is kept only in a sentence where that speaker makes
    none ("De Mistura said he would report …" is one occurred statement). Text order out."""
    kept: list[_Act] = []
    for act in sorted(acts, key=lambda a: a.status != "occurred"):  # stable: text order within each
        if any(k.sent == act.sent and _inside(act.trigger, k.trigger) and act.speaker in (
                index.state_of(k.speaker), index.entity(k.speaker).affiliation_key) for k in kept):
            continue
        same = [k for k in kept if k.sent == act.sent and k.speaker == act.speaker]
        if not same or (act.explicit and act.status == "occurred"
                        and any(_coordinated(act.trigger, k.trigger) for k in same)):
            kept.append(act)
    return sorted(kept, key=lambda a: (a.sent, a.trigger.i))


def _inside(tok, other) -> bool:
    """True when ``tok`` is a descendant of ``other`` in the parse."""
    return tok.i != other.i and any(a.i == other.i for a in tok.ancestors)


def _coordinated(verb, other) -> bool:
    """True when ``verb`` hangs off ``other`` through a chain of conj arcs."""
    tok = verb
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
        if tok.i == other.i:
            return True
    return False


def _date(parsed: ParsedArticle, verb):
    """The date of the speech act: a DATE entity attached to the verb ("said on Sunday")."""
    cands = []
    for child in verb.children:
        if child.ent_type_ == "DATE" and child.dep_ in ("npadvmod", "tmod", "advmod", "obl"):
            cands.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("on", "in", "at", "during"):
            cands.extend(c for c in child.children if c.dep_ == "pobj" and c.ent_type_ == "DATE")
    for tok in cands:
        for ent in parsed.doc.ents:
            if ent.label_ == "DATE" and ent.start <= tok.i < ent.end:
                date = resolve_date(ent.text, parsed.article.published)
                if date is not None:
                    return date
    return None
