"""Who is speaking: the speaker of a reporting verb, of "according to", of a speech noun.

Requires: a ``ParsedArticle`` (POS tags, lemmas, dependency parse), its ``EntityIndex`` and the
quotation spans of its body. Used by ``kg.extract.statements``; speakers are entity keys.

Rules (ours, from the reporting conventions of wire copy):

* The speaker is the verb's nominal subject, else the subject of the verb it is coordinated
  with or subordinated to ("…, adding that", "insisting", "and urged"; not a subject inside a
  quotation the verb is outside of); passive "X was quoted as saying" / "X is reported to have
  declared" -> X; "RIA quoted X as saying", "the ministry paraphrased X as telling" -> X;
  "criticised X for saying" -> X; "…, added Kang." (inverted) -> Kang; "X's tweet … calling
  for" -> X; "according to X" / "according to the White House readout" -> X.
* A subject names a speaker when it is a mention of a person, country, body, organisation or
  group (not a place, not a news medium relaying others: "…, Al Jazeera reports"); an
  apposition ("his spokesman, Ibrahim Kalin"); a proper noun equal to a name word of exactly
  one person of the article ("Mattis" for "Jim Mattis"); a title referring back to a person
  the article gives that title ("the secretary of state" -> "the secretary of state, Mike
  Pompeo"; "the UN human rights chief" -> "UN High Commissioner for Human Rights Volker Turk";
  "the president" only when one person has that title, or the one who just spoke);
  "he"/"she" (a person subject, then a possessor, earlier in the sentence outside quotations;
  else the last main-clause subject of the two previous sentences; an unidentified speaker
  there stops the search); "it" (a body subject earlier in the sentence, else the body that
  spoke last, if it was identified); "who" (the noun the relative clause modifies);
  "the government/authorities/administration" -> the state (of "his" too).
* Unnamed sources ("an official", "sources", "a senior Kremlin official"), people of a country
  ("many Cubans said") and subjects negated by "no" name no speaker.
"""

from __future__ import annotations

import bisect

from kg.extract import lexicon
from kg.extract.reporting import MEDIA_WORDS, SPEECH_NOUNS, is_news_media, is_reporting_verb
from kg.extract.speaker_pronouns import PronounResolution
from kg.extract.titles import Titles, is_title_noun, name_words
from kg.model import ParsedArticle

#: Verbs whose passive subject is the speaker ("X was quoted as saying", "is reported to have").
_PASSIVE_SPEAKER = frozenset("quote report say cite".split())
#: Verbs whose object is the speaker of an "as saying" complement ("RIA quoted X as saying").
_QUOTING = frozenset("quote paraphrase cite report".split())
#: Subject nouns that stand for their state ("the Chinese government", "Taiwan's authorities").
_STATE_NOUNS = frozenset("government administration authorities regime leadership side".split())
#: Participles that, hanging off a non-speech clause, describe what an event shows.
_EVENT_PARTICIPLES = frozenset("highlight underscore underline signal echo hint reveal reflect".split())
_QUANTIFIERS = frozenset("many some most several few all ordinary other two three thousands "
                         "hundreds millions".split())
_SPEAKER_TYPES = frozenset({"Person", "Country", "GovernmentBody", "Organization", "Group"})


class SpeakerResolver(PronounResolution):
    """Speaker resolution for one article (rules in the module docstring).

    Args:
        parsed: The parsed article.
        index: Its ``EntityIndex``.
        quotes: ``quotes.find_quotes(parsed.article.body)``.

    Methods return ``(entity key, explicit subject?, confidence)`` triples (``of_verb``,
    ``of_according``) or ``(entity key, confidence)`` pairs; ``spoke`` records who spoke in
    which sentence, for "it"/"he" and "the president" later.
    """

    def __init__(self, parsed: ParsedArticle, index, quotes=()) -> None:
        self.parsed = parsed
        self.quotes = quotes
        self.index = index
        self.doc = parsed.doc
        self.starts = [s.start for s in parsed.sentences]
        self.history: list[tuple[int, str | None]] = []  # (sentence, speaker key or None) so far
        self.pronouns: dict[int, str | None] = {}  # token index -> resolved person
        self.names = name_words(index)
        self.titles = Titles(parsed.doc, index, self.names)

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
        if verb.dep_ == "acl" and head.lemma_.lower() in SPEECH_NOUNS:
            return [(k, False, c) for k, c in self.of_speech_noun(head, 0.65)]
        if verb.dep_ == "pcomp" and head.lower_ == "for" and head.head.pos_ == "VERB":
            obj = next((c for c in head.head.children if c.dep_ == "dobj"), None)  # "cursed Obama for raising"
            return [(k, False, c) for k, c in self.actors(obj, verb, 0.7)] if obj is not None else []
        if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "acl"):  # "Trump's tweet Thursday calling for"
            noun = next((c for c in head.children if c.dep_ == "dobj" and c.i < verb.i
                         and c.lemma_.lower() in SPEECH_NOUNS and verb.i - c.i <= 3), None)
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
        if pobj.lemma_.lower() in SPEECH_NOUNS and self.index.key_at_token(pobj) is None:
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
            if dep == "advcl" and verb.lemma_.lower() in _EVENT_PARTICIPLES and not is_reporting_verb(head):
                return None  # "…, highlighting deepening tensions": the event highlights, no one speaks
            tok = head
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    # a subject inside a quotation is the quoted speaker's, not this verb's
                    return None if self.quoted(child) and not self.quoted(verb) else child
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
        if any(t.lemma_.lower() in MEDIA_WORDS and t.dep_ in ("compound", "appos", "nmod")
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
        if is_title_noun(tok):
            if tok.tag_ in ("NNS", "NNPS"):
                return None  # "leaders at the summit, including Trump, would raise": several, not one
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
            ent = self.index.entity(key) if key else None
            # also a name mistyped as a place or an unlinked organisation ("De Mistura")
            if ent is None or ent.type == "Place" or (ent.type == "Organization" and ent.qid is None):
                return self.names.get(tok.text)
        return None

    def _accept(self, key: str | None) -> str | None:
        """``key`` if its entity can speak: not a place, not a news medium."""
        if not key:
            return None
        ent = self.index.entities.get(key)
        if ent is None or ent.type not in _SPEAKER_TYPES:
            return None
        if ent.type == "Organization" and (is_news_media(ent.label)
                                           or any(is_news_media(m.text) for m in ent.mentions)):
            return None
        return key

    def person_of(self, tok) -> str | None:
        """The person a subject token names (mention, apposition, name word or title)."""
        key = self.index.key_at_token(tok)
        if key and self.index.entity(key).type == "Person":
            return key
        key = self.named_person(tok)
        if key is None and is_title_noun(tok):
            key = self.by_title(tok)
        return key if key and self.index.entity(key).type == "Person" else None

    def by_title(self, tok) -> str | None:
        """The person a title noun refers to (``titles.Titles.person``)."""
        here = self.sentence_of(tok)
        recent = [k for sent, k in self.history if k and here - sent <= 3]
        return self.titles.person(tok, recent)


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
