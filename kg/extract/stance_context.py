"""Who speaks where in an article, and what their words say, for :mod:`kg.extract.positions`.

``SpeechContext`` requires a parsed article and its ``EntityIndex``. Its speech acts are the
statements of :func:`kg.extract.statements.extract_statements` (speaker, trigger, content),
so that positions and statements agree on who said what; the sentences of a quotation
(:func:`kg.extract.quotes.find_quotes`) are attributed to the speaker of the sentence that
introduces or closes it. Holders are resolved with the statements stage's
:class:`kg.extract.speakers.SpeakerResolver` (mentions, name words, titles such as "the
Turkish president", "he"/"she", "it", "the government"), not a second resolver; this module
adds only what stance rules need beyond speakers: "we" = the speaker, "his government" = his
state, "it" in the complement of a body's verb = that body, "they" after a joint statement =
all its parties, and people of a nation ("British politicians") are not its state.

``valence`` scores the evaluative tone of a phrase with VADER (Hutto & Gilbert, "VADER: A
Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM 2014; the
vaderSentiment package, MIT licence; in :mod:`kg.extract.stance_lexicon`, re-exported here).

Conventions (ours, from English wire copy): a quote paragraph with no attribution continues
the previous speaker; "they" refers to an actor only as the reporting subject it is the
complement of, or to the parties of the previous sentence's joint statement.
"""

from __future__ import annotations

import bisect

from kg.dates import resolve_date
from kg.extract import reporting
from kg.extract import quotes as quotes_mod
from kg.extract import stance_lexicon as lex
from kg.extract import stance_syntax as syn
from kg.extract.speakers import SpeakerResolver
from kg.extract.stance_lexicon import valence
from kg.extract.statements import extract_statements
from kg.model import EventDate, ParsedArticle

__all__ = ["SpeechContext", "valence"]  # valence is re-exported for the stance rules

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
        self._quotes = quotes_mod.find_quotes(parsed.article.body)
        self.resolver = SpeakerResolver(parsed, index, self._quotes)
        self._speech: list[list[tuple[str, object, str]]] = [[] for _ in parsed.sentences]
        # speech acts reported as made: a denied or hypothetical one says nothing of a stance
        self._statements = tuple(st for st in extract_statements(parsed, index) if st.status == "occurred")
        starts = [s.start for s in parsed.sentences]
        for st in self._statements:
            si = bisect.bisect_right(starts, st.evidence.start) - 1
            trigger = self._trigger_token(si, st.trigger) if si >= 0 else None
            if trigger is not None:
                self._speech[si].append((st.speaker, trigger, st.content))
        self._synced = 0
        self._quote_speaker = self._attribute_quotes()

    def _trigger_token(self, si: int, trigger: str):
        """The token of a statement's trigger word in sentence ``si`` (a reporting verb first)."""
        sent = self.parsed.sentences[si]
        span = self.doc.char_span(sent.start, sent.end, alignment_mode="expand")
        if span is None:
            return None
        first = trigger.split()[0]
        toks = [t for t in span if t.text == first]
        return next((t for t in toks if reporting.is_reporting_verb(t)), toks[0] if toks else None)

    def _sync(self, si: int) -> None:
        """Tell the speaker resolver who spoke before sentence ``si`` (for "it" and "the president")."""
        while self._synced < len(self._statements):
            st = self._statements[self._synced]
            j = bisect.bisect_right([s.start for s in self.parsed.sentences], st.evidence.start) - 1
            if j >= si:
                break
            self.resolver.spoke(st.speaker, j)
            self._synced += 1

    def _plain_actor(self, tok) -> str | None:
        """The actor a token refers to (no first-person pronouns), or None for places and media."""
        self._sync(self._sentence_index(tok.idx))
        if tok.lower_ == "it" and tok.dep_ in ("nsubj", "nsubjpass") and (key := self._complement_subject(tok)):
            return key
        found = self.resolver.actor(tok, tok.head, 1.0) if tok.lower_ not in ("they", "their", "them") else None
        if found:
            ent = self.index.entity(found[0])
            if ent.type != "Place" and not reporting.is_news_media(ent.label):
                return found[0]
        if tok.lower_ in _THIRD_NONPERSON:
            key = self._resolve_nonperson(tok)
        elif tok.lower_ in _HE_SHE:
            key = None  # the speaker resolver's person_pronoun found no one
        else:
            done, key = self._possessed(tok)
            if not done:
                key = self._group_actor(tok)
        if key is None:
            return None
        ent = self.index.entity(key)
        if ent.type == "Place" or reporting.is_news_media(ent.label):
            return None
        return key

    def _group_actor(self, tok) -> str | None:
        """``EntityIndex.actor_of``, except for people of a country ("British politicians",
        "British people"): a group of a nation's people is not its state."""
        if tok.tag_ in ("NNS", "NNPS") and tok.lemma_.lower() in lex.PEOPLE_NOUNS and not self.index.key_at_token(tok):
            return None
        return self.index.actor_of(tok)

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
            return True, self.resolver.person_pronoun(poss)
        return True, self._resolve_nonperson(poss)

    def _complement_subject(self, tok) -> str | None:
        """ "Turkey has insisted it will not allow…": "it" in the complement clause of a verb
        whose subject is a non-person actor refers to that subject."""
        child = tok.head
        for anc in child.ancestors:
            if child.dep_ not in ("ccomp", "conj", "xcomp"):
                return None
            if child.dep_ == "ccomp":
                subj = next((c for c in anc.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is None or subj.lower_ in _THIRD_NONPERSON or subj.lower_ in _HE_SHE:
                    return None
                key = self._plain_actor(subj)
                if key is None:
                    for c in subj.subtree:  # "one of the co-sponsors, Turkey,"
                        if c.dep_ == "appos" and (k := self.index.key_at_token(c)):
                            key = k
                            break
                return key if key and self.index.entity(key).type != "Person" else None
            child = anc
        return None

    def plural_referents(self, tok) -> list[str]:
        """ "They call on the government…": "they" opening a sentence after one whose subject
        coordinates two or more non-person actors ("ECOWAS, the U.N. and African Union echoed…")
        refers to all of them."""
        si = self._sentence_index(tok.idx)
        if tok.lower_ not in ("they", "them") or si < 1:
            return []
        keys = []  # the joint speakers of the previous sentence, else its coordinated subject
        for k in [k for k, _v, _c in self._speech[si - 1]]:
            if self.index.entity(k).type != "Person" and k not in keys:
                keys.append(k)
        if len(keys) < 2:
            prev = self.parsed.sentences[si - 1]
            span = self.doc.char_span(prev.start, prev.end, alignment_mode="expand")
            subj = next((t for t in span if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None) if span else None
            keys = []
            for t in [subj, *subj.conjuncts] if subj is not None else []:
                k = self.index.key_at_token(t)
                if k and self.index.entity(k).type != "Person" and k not in keys:
                    keys.append(k)
        return keys if len(keys) >= 2 else []

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

    def holders(self, si: int, verb) -> list[str]:
        """The actors holding the stance of a verb in sentence ``si``: its subject(s), climbing
        open clauses ("…, while accusing the US": the main verb's subject), the ``by`` agent of a
        passive, the possessor of a gerund, the owner of a noun an infinitive modifies."""
        seen = set()
        tok = verb
        while tok is not None and tok.i not in seen:
            seen.add(tok.i)
            if any(c.dep_ == "nsubjpass" for c in tok.children):
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                pobj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
                return self.conj_actors(si, pobj) if pobj is not None else []
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "csubj")), None)
            if subj is not None:
                if subj.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
                    return self.conj_actors(si, tok.head)
                return self.conj_actors(si, subj)
            poss = next((c for c in tok.children if c.dep_ == "poss"), None) if tok.tag_ == "VBG" else None
            if poss is not None:  # "Regarding China's raising concerns over…": the gerund's possessor
                k = self.actor(si, poss)
                return [k] if k else []
            if tok.dep_ == "pcomp" and tok.head.dep_ == "prep":
                prep, verb = tok.head, tok.head.head
                if prep.lower_ in ("for", "of"):  # "cursed Obama for raising concerns": Obama raised them
                    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
                    return self.conj_actors(si, obj) if obj is not None else []
                if prep.lower_ in ("in", "by", "while", "after", "before", "without") and verb.pos_ in ("VERB", "AUX"):
                    tok = verb  # "joined international bodies in condemning"
                    continue
                return []
            if tok.dep_ in ("xcomp", "conj", "advcl") and tok.head.i != tok.i:
                tok = tok.head
                continue
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            if poss is not None:  # "China's raising concerns"
                k = self.actor(si, poss)
                return [k] if k else []
            if tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
                head = tok.head  # "his intention to be tough on China": the intention's owner
                poss = next((c for c in head.children if c.dep_ == "poss"), None)
                k = self.actor(si, poss) if poss is not None and tok.dep_ == "acl" else self.actor(si, head)
                return [k] if k else []
            return []
        return []

    def conj_actors(self, si: int, tok) -> list[str]:
        """The actors a subject and its conjuncts refer to ("X and Y"; "they" after a joint
        statement; "Ukrainian and Russian officials": both states)."""
        if plural := self.plural_referents(tok):
            return plural
        out = []
        for t in [tok, *tok.conjuncts]:
            k = self.actor(si, t)
            if k and k not in out:
                out.append(k)
        if out and not self.index.key_at_token(tok):  # "Ukrainian and Russian officials": both states
            for mod in tok.lefts:
                if mod.dep_ in ("amod", "compound") and self.index.key_at_token(mod) == out[0]:
                    for c in mod.conjuncts:
                        k = self.index.key_at_token(c)
                        if k and k not in out and self.index.entity(k).type == "Country":
                            out.append(k)
        return out

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
