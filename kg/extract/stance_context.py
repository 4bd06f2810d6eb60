"""Who speaks where in an article, for the stance rules (:mod:`kg.extract.positions`).

``SpeechContext`` requires a parsed article and its ``EntityIndex``. It finds, per sentence,
the speech acts of named actors (a reporting verb of :mod:`kg.extract.reporting` with an
actor subject, or "according to X"), attributes the sentences of a quotation
(:func:`kg.extract.quotes.find_quotes`) to the speaker of the sentence that introduces or
closes it, and resolves the pronouns and descriptions stance rules meet ("we" = the
speaker, "he said he would…", "the Philippines president", "his government"). ``valence``
scores the evaluative tone of a phrase with VADER (Hutto & Gilbert, "VADER: A Parsimonious
Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM 2014; the
vaderSentiment package, MIT licence).

Conventions (ours, from English wire copy): a quote paragraph with no attribution continues
the previous speaker; "he"/"she" in the complement of a reporting verb is its speaker; "they"
refers to an actor only as the reporting subject it is the complement of.
"""

from __future__ import annotations

from kg.dates import resolve_date
from kg.extract import lexicon, reporting
from kg.extract import quotes as quotes_mod
from kg.extract import stance_lexicon as lex
from kg.extract import stance_syntax as syn
from kg.model import EventDate, ParsedArticle

_FIRST_PERSON = frozenset("i we me us my our ours myself ourselves".split())
_THIRD_NONPERSON = frozenset("it its they their them".split())
_HE_SHE = frozenset("he she him her his hers".split())


class SpeechContext:
    """Who speaks in each sentence, and the pronoun/quote conventions that depend on it.

    Args:
        parsed: The parsed article.
        index: Its ``EntityIndex``.
    """

    def __init__(self, parsed: ParsedArticle, index) -> None:
        self.parsed = parsed
        self.index = index
        self.doc = parsed.doc
        self._speech: list[list[tuple[str, object, str]]] = []
        for sent in parsed.sentences:
            span = self.doc.char_span(sent.start, sent.end, alignment_mode="expand")
            self._speech.append(self._find_speech(span) if span is not None else [])
        self._quotes = quotes_mod.find_quotes(parsed.article.body)
        self._quote_speaker = self._attribute_quotes()

    def _find_speech(self, span) -> list[tuple[str, object, str]]:
        out = []
        for tok in span:
            if tok.lower_ == "according" and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
                pobj = next((g for g in self.doc[tok.i + 1].children if g.dep_ == "pobj"), None)
                if pobj is not None and (k := self._plain_actor(pobj)):
                    out.append((k, tok, syn.span_text(t for t in span if t.i < tok.i)))
                continue
            if not reporting.is_reporting_verb(tok) or syn.negated(tok):
                continue  # "China does not acknowledge a ban" is no speech act
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                continue
            k = self._plain_actor(subj)
            if not k or reporting.is_news_media(self.index.entity(k).label):
                continue
            comp = next((c for c in tok.children if c.dep_ in ("ccomp", "xcomp")), None)
            if comp is not None:
                content = syn.span_text(comp.subtree)
            else:
                skip = {t.i for t in subj.subtree} | {tok.i}
                content = syn.span_text(t for t in span if t.i not in skip)
            out.append((k, tok, content))
        return out

    def _plain_actor(self, tok) -> str | None:
        """The actor a token refers to (no first-person pronouns), or None for places and media."""
        if tok.lower_ in _THIRD_NONPERSON:
            key = self._resolve_nonperson(tok)
        elif tok.lower_ in _HE_SHE:
            key = self._resolve_he(tok)
        else:
            done, key = self._possessed(tok)
            if not done:
                key = self._role_holder(tok) or self.index.actor_of(tok)
        if key is None:
            return None
        ent = self.index.entity(key)
        if ent.type == "Place" or reporting.is_news_media(ent.label):
            return None
        return key

    def _role_holder(self, tok) -> str | None:
        """The person an unnamed title or description refers to: an appositive name ("Erdogan's
        spokesman, Ibrahim Kalin,"), or the person of the article holding that title ("the
        Philippines president", "London's mayor", "the Secretary") or, for a description ("the
        Russian politician"), belonging to that state; the last one mentioned before ``tok``."""
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        for c in tok.children:
            if c.dep_ == "appos" and (k := self.index.key_at_token(c)) and self.index.entity(k).type == "Person":
                return k
        low = tok.lower_
        if self.index.key_at_token(tok) or (low not in lexicon.TITLE_HEADS and low not in lex.PERSON_DESCRIPTIONS):
            return None
        if any(c.dep_ == "det" and c.lower_ in ("a", "an", "another", "some", "any") for c in tok.children):
            return None  # "a U.S. official": someone not named
        of = self.index.actor_of(tok)
        persons = [e for e in self.index.entities.values() if e.type == "Person"]
        if low in lexicon.TITLE_HEADS:
            pool = [e for e in persons if any(r.title and r.title.lower().split()[-1] == low for r in e.roles)]
        else:
            pool = persons if of else []
        if of:
            same = [e for e in pool if any(r.of_key == of for r in e.roles) or self.index.state_of(e.key) == of]
            if low in lexicon.TITLE_HEADS:
                pool = same or (pool if len(pool) == 1 and self.index.state_of(pool[0].key) is None else [])
            else:  # a description: a person of that state, or of no known state
                pool = same or [e for e in pool if self.index.state_of(e.key) is None]
        before = [(max((m.start for m in e.mentions if m.start < tok.idx), default=-1), e.key) for e in pool]
        before = [b for b in before if b[0] >= 0]
        if before:
            return max(before)[1]
        return pool[0].key if len(pool) == 1 else None

    def _possessed(self, tok) -> tuple[bool, str | None]:
        """ "his government" -> (True, the pronoun's referent); "his critics" -> (True, None): a
        group named by a possessive pronoun is an actor only when it is an institution."""
        if tok.pos_ != "NOUN" or self.index.key_at_token(tok):
            return False, None
        poss = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        if poss is None:
            return False, None
        if tok.lemma_.lower() not in lex.INSTITUTION_NOUNS:
            return True, None
        low = poss.lower_
        if low in _FIRST_PERSON:
            si = self._sentence_index(poss.idx)
            return True, (self.sentence_speaker(si) if si >= 0 and si < len(self._speech) else None)
        if low in _HE_SHE:
            return True, self._resolve_he(poss)
        return True, self._resolve_nonperson(poss)

    def _resolve_he(self, tok) -> str | None:
        """ "he"/"she"/"his": (1) in the complement of a reporting verb, its speaker ("Putin
        said he would…"); (2) a person that is the subject earlier in the same sentence
        ("Duterte cursed Obama… and he declared…"); (3) as the subject of a reporting verb
        after a quote, the person who spoke last; (4) the entity index's rule."""
        for anc in tok.ancestors:
            if reporting.is_reporting_verb(anc) and anc.i != tok.head.i:
                subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.i != tok.i and subj not in tok.ancestors:
                    key = self._resolve_he(subj) if subj.lower_ in _HE_SHE else self._plain_actor(subj)
                    if key and self.index.entity(key).type == "Person":
                        return key
                break
        sent = tok.sent
        for t in reversed(sent[: tok.i - sent.start]):
            if t.dep_ == "nsubj" and t.lower_ not in _HE_SHE and (k := self.index.key_at_token(t)):
                if self.index.entity(k).type == "Person":
                    return k
        if tok.dep_ == "nsubj" and reporting.is_reporting_verb(tok.head):
            key = self._last_speaker_person(tok)
            if key:
                return key
        return self.index.resolve_pronoun(tok)

    def _last_speaker_person(self, tok) -> str | None:
        """ "…,” he said.": the person who spoke in one of the two previous sentences."""
        si = self._sentence_index(tok.idx)
        for j in (si - 1, si - 2):
            if 0 <= j < len(self._speech) and self._speech[j]:
                key = self._speech[j][0][0]
                return key if self.index.entity(key).type == "Person" else None
        return None

    def _resolve_nonperson(self, tok) -> str | None:
        """ "it": the last non-person actor that was a subject before ``tok``, in this or the
        previous sentence. "they": only the subject of the reporting verb whose complement it is
        in ("Pakistani officials say they have done…"); plural pronouns mostly refer to people."""
        if tok.lower_ in ("they", "their", "them"):
            for anc in tok.ancestors:
                if reporting.is_reporting_verb(anc) and anc.i != tok.head.i:
                    subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
                    if subj is not None and subj.lower_ not in _THIRD_NONPERSON and subj not in tok.ancestors:
                        return self._plain_actor(subj)
                    break
            return None
        si = self._sentence_index(tok.idx)
        start = self.parsed.sentences[max(0, si - 1)].start if si >= 0 else 0
        last = None
        for s, e, key in self.index.mentions_between(start, tok.idx):
            ent = self.index.entity(key)
            if ent.type == "Person":
                continue
            span = self.doc.char_span(s, e, alignment_mode="expand")
            if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
                last = key
        return last

    def _sentence_index(self, char: int) -> int:
        for i, s in enumerate(self.parsed.sentences):
            if s.start <= char < s.end:
                return i
        return -1

    def _attribute_quotes(self) -> dict[int, str]:
        """Sentence index -> speaker, for sentences inside a quote attributed elsewhere."""
        sents = self.parsed.sentences
        out: dict[int, str] = {}
        for q in quotes_mod.find_quotes(self.parsed.article.body):
            members = [i for i, s in enumerate(sents) if s.start < q.end and q.start < s.end
                       and min(q.end, s.end) - max(q.start, s.start) >= (s.end - s.start) / 2]
            if not members:
                continue
            speaker = next((self._speech[i][0][0] for i in members if self._speech[i]), None)
            if speaker is None:
                nxt = members[-1] + 1
                if nxt < len(sents) and self._speech[nxt]:
                    speaker = self._speech[nxt][0][0]
            if speaker is None:
                prev = members[0] - 1  # a quote paragraph continuing the previous speaker
                if prev >= 0 and self._speech[prev]:
                    speaker = self._speech[prev][-1][0]
            if speaker is not None:
                for i in members:
                    out.setdefault(i, speaker)
        return out

    # -- public lookups -----------------------------------------------------------------------
    def in_quote(self, tok) -> bool:
        """Whether a token lies inside quotation marks (a direct quote)."""
        return any(q.start <= tok.idx < q.end for q in self._quotes)

    def sentence_speaker(self, si: int) -> str | None:
        """The speaker of sentence ``si``: its first reporting verb's subject, else the speaker
        the quote it lies in is attributed to."""
        if self._speech[si]:
            return self._speech[si][0][0]
        return self._quote_speaker.get(si)

    def speaker_of(self, si: int, tok) -> str | None:
        """The speaker whose words ``tok`` is part of: the nearest reporting verb above it, else
        the sentence's speaker."""
        for key, verb, _content in self._speech[si]:
            if verb in tok.ancestors:
                return key
        return self.sentence_speaker(si)

    def statements_in(self, si: int, span) -> list[tuple[str, object, str]]:
        """(speaker, trigger token, content) of the speech acts of sentence ``si``; a sentence
        inside an attributed quote is one speech act of its speaker."""
        if self._speech[si]:
            return self._speech[si]
        speaker = self._quote_speaker.get(si)
        return [(speaker, span.root, syn.span_text(span))] if speaker else []

    def actor(self, si: int, tok) -> str | None:
        """The actor a token refers to, resolving pronouns (first person = the speaker)."""
        low = tok.lower_
        if low in _FIRST_PERSON:
            return self.speaker_of(si, tok)
        return self._plain_actor(tok)

    def first_actor_in(self, content: str, span, exclude: str | None) -> str | None:
        """The first actor mentioned in ``content`` (a piece of the sentence ``span``)."""
        at = span.text.find(content[:40]) if content else -1
        start = span.start_char + max(at, 0)
        for _s, _e, key in self.index.mentions_between(start, span.end_char):
            if key != exclude:
                return key
        return None

    def date_near(self, span, trigger) -> EventDate | None:
        """The date a sentence gives its stance: a DATE entity governed by the trigger's clause."""
        published = self.parsed.article.published
        for ent in span.ents:
            if ent.label_ != "DATE":
                continue
            root = ent.root
            if trigger in root.ancestors or root.head.i == trigger.i or trigger.head in root.ancestors:
                return resolve_date(ent.text, published)
        return None


_VADER: dict[bool, object] = {}
_QUOTE_MARKS = str.maketrans({"“": " ", "”": " ", "‘": " ", "’": "'"})  # VADER strips ASCII marks only


def valence(text: str, events_neutral: bool = True) -> float:
    """VADER compound valence of ``text`` in [-1, 1] (Hutto & Gilbert 2014, vaderSentiment),
    its lexicon extended by :data:`stance_lexicon.POLITICAL_VALENCE`; with ``events_neutral``
    the event words of war reporting (:data:`stance_lexicon.NEUTRAL_EVENT_WORDS`) count 0.

    Returns:
        0.0 for empty text.
    """
    if not text:
        return 0.0
    analyzer = _VADER.get(events_neutral)
    if analyzer is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        analyzer = _VADER[events_neutral] = SentimentIntensityAnalyzer()
        analyzer.lexicon.update(lex.POLITICAL_VALENCE)
        if events_neutral:
            for word in lex.NEUTRAL_EVENT_WORDS:
                analyzer.lexicon.pop(word, None)
    return analyzer.polarity_scores(text.translate(_QUOTE_MARKS))["compound"]

