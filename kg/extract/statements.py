"""The statements stage: reported speech acts of named speakers.

Requires: a ``ParsedArticle`` whose Doc has POS tags, lemmas, a dependency parse and DATE
entities (spaCy ``tagger``, ``parser``, ``ner``), and the article's ``EntityIndex``.
Assigns: a tuple of ``Statement`` records (speaker = entity key; evidence = the sentence
holding the reporting verb, 0-based character offsets into the body, end exclusive).

Rules (ours, from the reporting conventions of wire copy; the verb lists are in
``kg.extract.reporting``, quotations and content in ``kg.extract.quotes``):

1. Every reporting verb (``reporting.is_reporting_verb``) with a named speaker is a speech act.
   The speaker is the verb's nominal subject; for a verb without one, the subject of the verb
   it is coordinated with or subordinated to ("…, adding that", "insisting", "and urged").
   Passive "X was quoted as saying" / "X is reported to have declared" -> X; "RIA quoted X as
   saying", "the ministry paraphrased X as telling" -> X (and the quoting body too, unless it
   is a news medium). "according to X" makes X a speaker.
2. Speakers: a mention of an actor; the apposition of a title ("Erdoğan's spokesman, Ibrahim
   Kalin"); a title referring back to a person the article names with that title ("the
   Turkish president" -> the person whose role is President of Turkey); "he"/"she" (a person
   subject earlier in the sentence, else ``EntityIndex.resolve_pronoun``); "it" (a body
   subject earlier in the sentence, else the body that spoke in the last three sentences);
   "who" (the noun a relative clause modifies); "the government/authorities of X" -> X.
   Unnamed sources ("an official", "sources", "a senior Kremlin official") are no speakers, nor
   are places, nor news media relaying others ("…, Al Jazeera reports").
3. One statement per speaker and sentence, except that a coordinated clause with its own
   subject ("X cursed Y … and he subsequently declared Z") is a second speech act. Reports
   nested in reports are statements of their own speakers ("Putin said …, Peskov added").
4. Content and ``direct_quote``: ``quotes.reported_content``.
5. Date: a DATE entity modifying the verb ("said on Sunday", "said Monday"), resolved with
   ``kg.dates.resolve_date`` against the publication date.

Confidence: 0.85 for a plain reporting verb with a named subject, less for an inherited
subject, a pronoun or title, "according to", or a verb of judgment ("praised"). CAMEO codes:
Schrodt, "CAMEO Conflict and Mediation Event Observations Event and Actor Codebook",
version 1.1b3 (2012), category 01, via ``reporting.cameo_of``.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from kg.dates import resolve_date
from kg.extract import lexicon, reporting
from kg.extract.quotes import find_quotes, reported_content
from kg.model import Evidence, ParsedArticle, Statement

log = logging.getLogger(__name__)

#: Verbs that plainly report words; other reporting verbs (judgments: "praised", "condemned")
#: get a lower confidence.
_PLAIN = frozenset("""
say tell state announce add stress emphasize emphasise clarify note insist claim deny tweet write
declare confirm explain reiterate warn urge quote paraphrase report reply respond
""".split())

#: Verbs whose passive subject is the speaker ("X was quoted as saying", "is reported to have").
_PASSIVE_SPEAKER = frozenset("quote report say cite".split())
#: Verbs whose object is the speaker of an "as saying" complement ("RIA quoted X as saying").
_QUOTING = frozenset("quote paraphrase cite report".split())

#: Nouns that report a speech act when they carry its content ("the president's announcement
#: that …"); a subset of ``reporting.SPEECH_NOUNS``.
_ASSERTION_NOUNS = frozenset("announcement assertion claim insistence declaration warning pledge promise "
                             "tweet accusation denial allegation suggestion statement".split())

#: Subject nouns that name no one ("an official said", "sources told Reuters").
_UNNAMED = frozenset("""
official officials source sources spokesman spokeswoman spokesperson diplomat diplomats aide aides
analyst analysts expert experts observer observers people person resident residents witness
witnesses member members insider insiders critic critics activist activists officer officers
report reports document documents media study survey poll statement agency someone anyone
""".split())
#: Subject nouns that stand for their state ("the Chinese government", "Taiwan's authorities").
_STATE_NOUNS = frozenset("government administration authorities regime leadership side".split())
_BULLETS = frozenset("*•·▪-–—")
_EDITORIAL = re.compile(r"\((?:ATTN|LEAD|EDS|EDITORS|REFILE|CORRECTED|UPDATE)\b")
#: Participles that, hanging off a non-speech clause, describe what an event shows.
_EVENT_PARTICIPLES = frozenset("highlight underscore underline signal echo hint reveal reflect".split())
#: Title heads that say only "the head of": matched on their modifiers ("human rights chief").
_GENERIC_TITLES = frozenset("chief head boss".split())
_RANKS = frozenset("top senior acting".split())
_SPELLING = {"defence": "defense", "counsellor": "counselor", "adviser": "advisor"}
_MODALS = frozenset("would could might may should will can must shall 'll 'd wo ca".split())
_IRREALIS_HEADS = frozenset("expect due plan intend hope want seek aim try attempt going likely ready able "
                            "set schedule wish prepare decline refuse fail reluctant unwilling".split())
_WH = frozenset("how whether if what why when who which".split())
_NOTE_START = re.compile(r"(?:Corrects|Refiles|Updates|Adds|Changes|Recasts|Removes|Fixes|Repeats)\b")
_FINAL = frozenset(".!?:;\"”’'…")
_QUANTIFIERS = frozenset("many some most several few all ordinary other two three thousands "
                         "hundreds millions".split())
_SPEAKER_TYPES = frozenset({"Person", "Country", "GovernmentBody", "Organization", "Group"})


@dataclass
class _Act:
    """A candidate speech act before grouping."""

    sent: int
    trigger: object  # the spaCy token of the verb, or the "according" of "according to"
    speaker: str
    explicit: bool  # the speaker is the trigger's own subject
    confidence: float


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
    finder = _Speakers(parsed, index, quotes)
    acts: list[_Act] = []
    doc = parsed.doc
    prose = [_is_prose(parsed.article.body, s) for s in parsed.sentences]
    for tok in doc:
        if not prose[finder.sentence_of(tok)] or _in_editorial_note(parsed.article.body, tok):
            continue  # a headline or editor's note
        if reporting.is_reporting_verb(tok):
            if _not_asserted(tok, index):
                continue
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
        for key, explicit, conf in found:
            acts.append(_Act(si, tok, key, explicit, round(conf - (0 if plain else 0.15), 2)))
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
            cameo=reporting.cameo_of(act.trigger.lemma_),
        ))
    log.debug("%d statements in %s", len(out), parsed.article.article_id)
    return tuple(out)


def _is_prose(body: str, sent) -> bool:
    """False for text that is not running prose: a headline or list line without final
    punctuation ("* Russia demands Ukraine give up land; Kyiv refuses"), an editor's note in
    parentheses ("(Refiles to add …)", "(ATTN: UPDATES headline)")."""
    line_start = body.rfind("\n", 0, sent.start) + 1
    line_end = body.find("\n", sent.end)
    line = body[line_start:len(body) if line_end < 0 else line_end].strip()
    text = sent.text.strip()
    if line[:1] in _BULLETS or _EDITORIAL.search(text) or (text.startswith("(") and text.endswith(")")):
        return False
    headline = line == text and text[-1:] not in _FINAL and not any(q in text for q in "\"“”")
    return not headline


def _not_asserted(verb, index) -> bool:
    """True for a speech act the sentence does not report as made: negated ("has not
    condemned"), modal or future ("would raise", "will explain"), intended ("is due … to
    reassure", "trying to blame"), or asked about ("was asked how he had responded")."""
    tok, via_infinitive = verb, False
    for _ in range(6):
        for child in tok.children:
            if child.dep_ == "neg" and tok.i == verb.i:
                return True
            if child.dep_ == "aux" and child.lower_ in _MODALS and not index.key_at_token(child):
                return True
        if via_infinitive and (tok.lemma_.lower() in _IRREALIS_HEADS or tok.lower_ in _IRREALIS_HEADS
                               or any(c.lower_ == "yet" for c in tok.children)):  # "has yet to confirm"
            return True
        if tok.lemma_.lower() == "ask" and tok.i != verb.i and any(c.lower_ in _WH for c in verb.children):
            return True
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        if tok.dep_ in ("xcomp", "advcl", "conj", "acomp", "ccomp", "acl") and tok.head.i != tok.i and (
                infinitive or tok.dep_ in ("conj", "acomp", "xcomp") or tok.head.lemma_.lower() == "ask"):
            via_infinitive = infinitive or (via_infinitive and tok.dep_ == "acomp")
            tok = tok.head
            continue
        break
    return False


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
    out = set()
    for child in verb.children:
        if child.dep_ in ("dobj", "dative"):
            key = index.key_at_token(child)
            if key:
                out.add(key)
                out.add(index.state_of(key) or key)
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
    “confirmed …”") is the spokesperson's statement only."""
    kept: list[_Act] = []
    for act in acts:
        if any(k.sent == act.sent and _inside(act.trigger, k.trigger) and act.speaker in (
                index.state_of(k.speaker), index.entity(k.speaker).affiliation_key) for k in kept):
            continue
        same = [k for k in kept if k.sent == act.sent and k.speaker == act.speaker]
        if not same or (act.explicit and any(_coordinated(act.trigger, k.trigger) for k in same)):
            kept.append(act)
    return kept


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


class _Speakers:
    """Speaker resolution for one article (rule 2 of the module docstring)."""

    def __init__(self, parsed: ParsedArticle, index, quotes=()) -> None:
        self.parsed = parsed
        self.quotes = quotes
        self.index = index
        self.doc = parsed.doc
        self.starts = [s.start for s in parsed.sentences]
        self.history: list[tuple[int, str | None]] = []  # (sentence, speaker key or None) so far
        self.pronouns: dict[int, str | None] = {}  # token index -> resolved person
        self.names = _name_tokens(index)
        self.titled = _titled_persons(parsed.doc, index, self.names)

    def quoted(self, tok) -> bool:
        """True when ``tok`` lies inside a quotation."""
        return any(q.start <= tok.idx < q.end for q in self.quotes)

    def sentence_of(self, tok) -> int:
        return max(bisect.bisect_right(self.starts, tok.idx) - 1, 0)

    def sentence_tokens(self, si: int):
        sent = self.parsed.sentences[si]
        span = self.doc.char_span(sent.start, sent.end, alignment_mode="expand")
        return list(span) if span is not None else []

    def spoke(self, key: str | None, sent: int) -> None:
        self.history.append((sent, key))

    # -- per trigger ---------------------------------------------------------------------
    def of_verb(self, verb) -> list[tuple[str, bool, float]]:
        """(speaker key, explicit subject?, confidence) for each speaker of a reporting verb."""
        lemma = verb.lemma_.lower()
        kids = list(verb.children)
        subjects = [c for c in kids if c.dep_ == "nsubj"]
        if any(d.dep_ == "det" and d.lower_ in ("no", "neither") for c in subjects for d in c.children):
            return []  # "no EU or NATO foreign ministers raised the issue"
        inverted = self.inverted_speaker(verb)
        if inverted:
            return [(inverted, True, 0.85)]
        for subj in subjects:  # a misparse may give two subjects: take the one that names someone
            found = self.actors(subj, verb, 0.85)
            if found:
                return [(k, True, c) for k, c in found]
        if subjects:
            return []
        passive = next((c for c in kids if c.dep_ == "nsubjpass"), None)
        if passive is not None:
            return [(k, True, c) for k, c in self.actors(passive, verb, 0.85)] if lemma in _PASSIVE_SPEAKER else []
        if verb.i > 0:  # "“…,” May told reporters": a name parsed as a modal or compound
            prev = self.doc[verb.i - 1]
            key = self._accept(self.index.key_at_token(prev)) if prev.dep_ in ("aux", "compound", "npadvmod") else None
            if key and self.index.entity(key).type == "Person":
                return [(key, True, 0.75)]
        head = verb.head
        if verb.dep_ == "pcomp" and head.lower_ == "as" and head.head.pos_ == "VERB":
            quoting = head.head  # "quoted X as saying", "paraphrased X as telling"
            obj = next((c for c in quoting.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if obj is not None and quoting.lemma_.lower() in _QUOTING:
                return [(k, False, c) for k, c in self.actors(obj, verb, 0.8)]
            return []
        if verb.dep_ == "acl" and head.lemma_.lower() in reporting.SPEECH_NOUNS:
            return [(k, False, c) for k, c in self.of_speech_noun(head, 0.65)]
        if verb.dep_ == "pcomp" and head.lower_ == "for" and head.head.pos_ == "VERB":
            obj = next((c for c in head.head.children if c.dep_ == "dobj"), None)  # "cursed Obama for raising"
            return [(k, False, c) for k, c in self.actors(obj, verb, 0.7)] if obj is not None else []
        if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "acl"):  # "Trump's tweet Thursday calling for"
            noun = next((c for c in head.children if c.dep_ == "dobj" and c.i < verb.i
                         and c.lemma_.lower() in reporting.SPEECH_NOUNS and verb.i - c.i <= 3), None)
            if noun is not None:
                return [(k, False, c) for k, c in self.of_speech_noun(noun, 0.65)]
        subj = self.inherited_subject(verb)
        if subj is not None:
            return [(k, False, c - 0.1) for k, c in self.actors(subj, verb, 0.85)]
        return []

    def inverted_speaker(self, verb) -> str | None:
        """The speaker of "…, added Kang." / "“…,” said Peskov.": a person named right after a
        reporting verb that follows a comma or closing quote, has no subject before it, and
        whose name ends the clause."""
        doc = self.doc
        if verb.i == 0 or verb.i + 1 >= len(doc) or doc[verb.i - 1].text not in (",", "”", '"', "’"):
            return None
        if any(c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i for c in verb.children):
            return None
        nxt = doc[verb.i + 1]
        key = self.index.key_at_token(nxt) or self.names.get(nxt.text)
        if not key or self.index.entity(key).type != "Person":
            return None
        j = verb.i + 1
        while j < len(doc) and (self.index.key_at_token(doc[j]) == key or j == verb.i + 1):
            j += 1
        return key if j == len(doc) or doc[j].text in (",", ".", ";", "—", "–") else None

    def of_according(self, to_tok) -> list[tuple[str, bool, float]]:
        """Speakers of "according to X": X, or whoever issued the readout/statement X."""
        pobj = next((c for c in to_tok.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return []
        if pobj.lemma_.lower() in reporting.SPEECH_NOUNS and self.index.key_at_token(pobj) is None:
            return [(k, False, c) for k, c in self.of_speech_noun(pobj, 0.7)]
        return [(k, False, c) for k, c in self.actors(pobj, to_tok, 0.75)]

    def of_speech_noun(self, noun, conf: float) -> list[tuple[str, float]]:
        """Who issued a statement noun: "the White House readout", "Trump's tweet",
        "a statement from X", "an announcement by X"."""
        for child in noun.children:
            if child.dep_ == "poss" and child.lower_ in ("his", "her"):
                key = self._accept(self.possessor(child))
                return [(key, conf - 0.1)] if key else []
            if child.dep_ == "poss":
                return self.actors(child, noun, conf)
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return self.actors(obj, noun, conf)
        for child in noun.lefts:
            if child.dep_ in ("compound", "nmod"):
                key = self._accept(self.index.key_at_token(child))
                if key:
                    return [(key, conf)]
        return []

    def inherited_subject(self, verb):
        """The subject of the clause a subject-less verb is coordinated with or depends on.
        A participle ("…, highlighting tensions") inherits only from a reporting verb or when
        it plainly reports words itself ("…, adding that", "insisting")."""
        tok = verb
        for _ in range(4):
            dep = tok.dep_
            if dep == "pcomp" and tok.head.lower_ in ("in", "by"):  # "joined X in condemning"
                tok = tok.head
                dep = "advcl"
            elif dep not in ("conj", "advcl", "xcomp", "acomp") or tok.head.i == tok.i:
                return None
            head = tok.head
            if head.pos_ not in ("VERB", "AUX", "ADJ"):
                return None
            if dep == "advcl" and verb.lemma_.lower() in _EVENT_PARTICIPLES and not reporting.is_reporting_verb(head):
                return None  # "…, highlighting deepening tensions": the event highlights, no one speaks
            tok = head
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    return child
        return None

    # -- noun phrases ----------------------------------------------------------------------
    def actors(self, tok, verb, conf: float) -> list[tuple[str, float]]:
        """The speakers a subject (and its conjuncts: "X and Y said") refers to."""
        out: list[tuple[str, float]] = []
        for head in [tok, *_coordinated_heads(tok, self.index)]:
            found = self.actor(head, verb, conf)
            if found and found[0] not in [k for k, _ in out]:
                out.append(found)
        return out

    def actor(self, tok, verb, conf: float) -> tuple[str, float] | None:
        """The speaker a noun-phrase head names, with the confidence left for it."""
        index = self.index
        if any(t.lemma_.lower() in reporting.MEDIA_WORDS and t.dep_ in ("compound", "appos", "nmod")
               for t in tok.children) or (tok.tag_ in ("NNPS", "NNS") and _is_country(index, tok) and any(
                   d.dep_ in ("det", "amod") and d.lower_ in _QUANTIFIERS for d in tok.children)):
            return None  # "the Turkish newspaper Hurriyet"; "many Cubans said" (people, not the state)
        key = self._accept(index.key_at_token(tok))
        if key:
            return key, conf
        key = self.named_person(tok)
        if key:
            return key, conf - 0.05
        low = tok.lower_
        if low in lexicon.PRONOUNS_PERSON:
            key = self._accept(self.person_pronoun(tok))
            return (key, conf - 0.15) if key else None
        if low == "it":
            key = self._accept(self.body_pronoun(tok))
            return (key, conf - 0.15) if key else None
        if low in ("who", "which", "that") and verb.dep_ == "relcl":
            return self.actor(verb.head, verb.head, conf - 0.05)
        lemma = tok.lemma_.lower()
        if tok.pos_ not in ("NOUN", "PROPN") or (tok.pos_ == "PROPN" and lemma not in lexicon.TITLE_HEADS):
            return None
        if lemma in lexicon.TITLE_HEADS or lemma in _GENERIC_TITLES:
            key = self._accept(self.by_title(tok))
            return (key, conf - 0.1) if key else None
        if lemma in _STATE_NOUNS:
            key = self._accept(index.actor_of(tok))
            if key is None:  # "His government says": the state of the person "his" refers to
                poss = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None)
                key = index.state_of(self.person_pronoun(poss)) if poss is not None else None
            if key and index.entity(key).type != "Person":
                return key, conf - 0.1
        return None

    def possessor(self, pron) -> str | None:
        """His/her in "criticised Bolton for his insistence": the person object of the verb the
        phrase hangs off, else the person the pronoun refers to."""
        noun = pron.head
        if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
            obj = next((c for c in noun.head.head.children if c.dep_ == "dobj"), None)
            key = self.person_of(obj) if obj is not None else None
            if key:
                return key
        return self.person_pronoun(pron)

    def named_person(self, tok) -> str | None:
        """A person named by ``tok`` although no mention covers it: an apposition ("his
        spokesman, Ibrahim Kalin"), or a proper noun equal to a name word of exactly one
        person of the article ("Mattis said" when only "Jim Mattis" was tagged)."""
        for child in tok.children:
            if child.dep_ == "appos":
                key = self._accept(self.index.key_at_token(child)) or self.named_person(child)
                if key:
                    return key
        if tok.text[:1].isupper() and tok.pos_ not in ("PRON", "DET"):  # spaCy may tag a name NOUN/VERB
            key = self.index.key_at_token(tok)
            if key is None or self.index.entity(key).type == "Place":
                return self.names.get(tok.text)
        return None

    def _accept(self, key: str | None) -> str | None:
        """``key`` if its entity can speak: not a place, not a news medium."""
        if not key:
            return None
        ent = self.index.entities.get(key)
        if ent is None or ent.type not in _SPEAKER_TYPES:
            return None
        if ent.type == "Organization" and (reporting.is_news_media(ent.label)
                                           or any(reporting.is_news_media(m.text) for m in ent.mentions)):
            return None
        return key

    def person_of(self, tok) -> str | None:
        """The person a subject token names (mention, apposition, name word or title)."""
        key = self.index.key_at_token(tok)
        if key and self.index.entity(key).type == "Person":
            return key
        key = self.named_person(tok)
        if key is None and tok.pos_ in ("NOUN", "PROPN") and (
                tok.lemma_.lower() in lexicon.TITLE_HEADS or tok.lemma_.lower() in _GENERIC_TITLES):
            key = self.by_title(tok)
        return key if key and self.index.entity(key).type == "Person" else None

    def person_pronoun(self, tok) -> str | None:
        """He/she: a person subject (or possessor: "Xi's speech, in which he said") earlier in
        the sentence; else the last main-clause subject of the two previous sentences that is
        a person (a pronoun there is resolved the same way; an unknown name stops the search);
        else ``EntityIndex.resolve_pronoun``."""
        if tok.i in self.pronouns:
            return self.pronouns[tok.i]
        self.pronouns[tok.i] = None  # guards against cycles
        si = self.sentence_of(tok)
        subjects, owners = [], []
        inside = self.quoted(tok)
        for t in self.sentence_tokens(si):
            if t.i >= tok.i:
                break
            if self.quoted(t) and not inside:
                continue
            if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ not in lexicon.PRONOUNS_PERSON:
                named = t.head.head if t.lower_ == "who" and t.head.dep_ == "relcl" else t
                key = self.person_of(named)
                if key:
                    subjects.append(key)
            elif t.dep_ == "poss":
                key = self.index.key_at_token(t)
                if key and self.index.entity(key).type == "Person":
                    owners.append(key)
        result = (subjects or owners or [None])[-1]
        if result is None:
            decided, result = self._previous_subject(si)
            if not decided:
                result = self.index.resolve_pronoun(tok)
        self.pronouns[tok.i] = result
        return result

    def _previous_subject(self, si: int) -> tuple[bool, str | None]:
        """(decided, person) from the two previous sentences: the last subject of a main verb,
        else of a reporting verb, that names someone. Decided with no person when that someone
        could not be identified ("the ambassador … wrote"; an unlinked name)."""
        for prev in (si - 1, si - 2):
            if prev < 0:
                break
            main, reported, other = [], [], []
            for t in self.sentence_tokens(prev):
                if t.dep_ not in ("nsubj", "nsubjpass") or self.quoted(t):
                    continue
                head = t.head
                if head.dep_ == "ROOT" or head.dep_ == "conj" and head.head.dep_ == "ROOT":
                    main.append(t)
                elif reporting.is_reporting_verb(head):
                    reported.append(t)
                else:
                    other.append(t)
            for rank, t in [*((0, t) for t in reversed(main)), *((1, t) for t in reversed(reported)),
                            *((2, t) for t in reversed(other))]:
                if t.lower_ in lexicon.PRONOUNS_PERSON:
                    key = self.person_pronoun(t)
                    if key:
                        return True, key
                    continue
                key = self.person_of(t)
                if key:
                    return True, key
                tkey = self.index.key_at_token(t)
                lemma = t.lemma_.lower()
                if tkey and self._accept(tkey) is None:
                    continue  # "…, Reuters reports": the medium relays, look further
                if rank < 2 and reporting.is_reporting_verb(t.head) and (
                        t.pos_ == "PROPN" and (tkey is None or self.index.entity(tkey).type == "Organization")
                        or tkey is None and (lemma in lexicon.TITLE_HEADS or lemma in _UNNAMED)):
                    return True, None  # someone spoke whom we could not identify
        return False, None

    def body_pronoun(self, tok) -> str | None:
        """It: a non-person subject earlier in the sentence, else the non-person that spoke
        in this or the three previous sentences."""
        before = [t for t in self.sentence_tokens(self.sentence_of(tok))
                  if t.i < tok.i and (self.quoted(tok) or not self.quoted(t))]
        for t in reversed(before):
            key = self.index.key_at_token(t) if t.dep_ in ("nsubj", "nsubjpass") else None
            if key and self.index.entity(key).type != "Person":
                return key
        here = self.sentence_of(tok)
        for sent, key in reversed(self.history):
            if here - sent > 3:
                break
            if key is None or self.index.entity(key).type != "Person":
                return key
        return None

    def by_title(self, tok) -> str | None:
        """The person a title refers to: "the Turkish president" -> a person the article gives
        the title President with affiliation Turkey (a role, or an apposition "the secretary of
        state, Mike Pompeo"); the last one mentioned before ``tok``, else the first after it."""
        index = self.index
        words = _title_words(tok)
        if tok.lemma_.lower() in _GENERIC_TITLES:  # "the UN human rights chief": match the modifiers
            words = words - _GENERIC_TITLES - _RANKS
            if not words:
                return None
        affs = _title_affiliations(tok, index)
        aff_states = {index.state_of(a) for a in affs} - {None}
        cands: list[tuple[str, int]] = []
        for key, title, linked, at in self.titled:
            if not words <= title or ("former" in title) != ("former" in words):
                continue  # "the president" is not the "former president"
            if affs and not (linked & affs or {index.state_of(k) for k in linked} & aff_states):
                continue
            cands.append((key, at))
        if not affs and len({key for key, _ in cands}) > 1:
            keys = {key for key, _ in cands}  # "the president continued": the president who just spoke
            here = self.sentence_of(tok)
            recent = [k for sent, k in self.history if k in keys and here - sent <= 3]
            return recent[-1] if recent else None
        before = [(at, key) for key, at in cands if at < tok.idx]
        after = [(at, key) for key, at in cands if at > tok.idx]
        if before:
            return max(before)[1]
        return min(after)[1] if after else None


def _is_country(index, tok) -> bool:
    key = index.key_at_token(tok)
    return bool(key) and index.entity(key).type == "Country"


def _coordinated_heads(tok, index) -> list:
    """The other heads of a coordinated subject: "X, Y and Z said" (conjuncts, also where the
    parser hung the list under an "of" phrase or an apposition of X)."""
    def index_key(t):
        return index.key_at_token(t) or t.i

    out = [c for c in tok.conjuncts if c.i > tok.i]
    for t in tok.subtree:
        if t.i == tok.i or t in out or t.dep_ != "conj" and not (
                t.dep_ == "appos" and any(c.dep_ == "conj" for c in t.children)):
            continue
        path, ok = t, True
        while path.i != tok.i:
            if path.dep_ not in ("conj", "appos", "pobj", "prep", "compound") or (
                    path.dep_ == "prep" and path.lower_ != "of"):
                ok = False
                break
            path = path.head
        if ok and index_key(t) != index_key(t.head):
            out.append(t)
    return out


def _title_words(tok) -> set[str]:
    """The title words of a title noun phrase: "the US secretary of state" -> {secretary, state}."""
    words = {_SPELLING.get(tok.lemma_.lower(), tok.lemma_.lower())}
    for t in tok.subtree:
        if t.i == tok.i or t.lower_ not in lexicon.TITLE_WORDS:
            continue
        if t.dep_ in ("compound", "amod") or (t.dep_ == "pobj" and t.head.lower_ in ("of", "for")):
            words.add(_SPELLING.get(t.lower_, t.lower_))
    return words


def _title_affiliations(tok, index) -> set[str]:
    """Keys of the actors a title's left modifiers name: "the U.S. ambassador to London" -> {US}."""
    return {k for left in tok.lefts for t in left.subtree
            for k in [index.key_at_token(t)] if k and index.entity(k).type != "Person"}


def _titled_persons(doc, index, names: dict[str, str]) -> list[tuple[str, set[str], set[str], int]]:
    """(person key, title words, affiliation keys, offset) for every title the article gives a
    person: its roles, and appositions ("the secretary of state, Mike Pompeo" / "Mike Pompeo,
    the secretary of state")."""
    out = []
    for ent in index.entities.values():
        if ent.type != "Person":
            continue
        for role in ent.roles:
            words = {_SPELLING.get(w, w) for w in role.title.lower().split()}
            linked = {k for k in (role.of_key, ent.affiliation_key) if k}
            out.extend((ent.key, words, linked, m.start) for m in ent.mentions)
    for tok in doc:  # "UN High Commissioner for Human Rights Volker Turk"
        key = index.key_at_token(tok)
        if (not key or index.entity(key).type != "Person") and tok.pos_ == "PROPN":
            key = names.get(tok.text)
        if not key or index.entity(key).type != "Person" or index.key_at_token(tok.head) == key:
            continue
        left = [t for c in tok.lefts for t in c.subtree if index.key_at_token(t) != key]
        words = {_SPELLING.get(t.lower_, t.lower_) for t in left if t.lower_ in lexicon.TITLE_WORDS}
        if words & lexicon.TITLE_HEADS:
            affs = {k for t in left for k in [index.key_at_token(t)] if k and index.entity(k).type != "Person"}
            out.append((key, words, affs, tok.idx))
    for tok in doc:
        if tok.dep_ != "appos":
            continue
        pairs = [(tok, tok.head), (tok.head, tok)]  # (name, title) either way round
        for name, title in pairs:
            key = index.key_at_token(name) or (names.get(name.text) if name.pos_ == "PROPN" else None)
            if key and index.entity(key).type == "Person" and title.lemma_.lower() in lexicon.TITLE_HEADS:
                affs = _title_affiliations(title, index)
                out.append((key, _title_words(title), affs, name.idx))
    return out


def _name_tokens(index) -> dict[str, str]:
    """Name word -> person key, for words of exactly one person's names ("Mattis" -> Jim Mattis)."""
    owners: dict[str, set[str]] = {}
    for ent in index.entities.values():
        if ent.type != "Person":
            continue
        for name in {ent.label, *(m.text for m in ent.mentions)}:
            for word in name.split():
                if len(word) > 1 and word[:1].isupper() and word.lower() not in lexicon.TITLE_WORDS:
                    owners.setdefault(word, set()).add(ent.key)
    return {w: next(iter(keys)) for w, keys in owners.items() if len(keys) == 1}


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
