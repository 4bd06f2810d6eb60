"""Pronoun resolution for :class:`kg.extract.speakers.SpeakerResolver`: "he"/"she" and "it".

Rules (ours, from the reporting conventions of wire copy; summarised in the
:mod:`kg.extract.speakers` docstring): "he"/"she" is a person subject, then a possessor,
earlier in the sentence outside quotations; else the last main-clause subject of the two
previous sentences (an unidentified speaker there stops the search); else the last person
mentioned outside quotations (``EntityIndex.resolve_pronoun``). "it" is a body subject earlier
in the sentence, else the body that spoke last, if it was identified. Results are entity keys.

``PronounResolution`` is a mixin: its host (``SpeakerResolver``) provides ``index``,
``quotes``, ``history``, ``pronouns``, ``quoted``, ``sentence_of``, ``sentence_tokens``,
``person_of`` and ``_accept``.
"""

from __future__ import annotations

from kg.extract import lexicon
from kg.extract.reporting import is_reporting_verb


#: Subject nouns that name no one ("an official said", "sources told Reuters").
_UNNAMED = frozenset("""
official officials source sources spokesman spokeswoman spokesperson diplomat diplomats aide aides
analyst analysts expert experts observer observers people person resident residents witness
witnesses member members insider insiders critic critics activist activists officer officers
report reports document documents media study survey poll statement agency someone anyone
""".split())


class PronounResolution:
    """The "he"/"she" and "it" rules of :class:`kg.extract.speakers.SpeakerResolver` (module docstring)."""

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
                if key and self.index.agrees(key, tok):  # "she" is no man the text calls "Mr"
                    subjects.append(key)
            elif t.dep_ == "poss":
                key = self.index.key_at_token(t)
                if key and self.index.entity(key).type == "Person" and self.index.agrees(key, tok):
                    owners.append(key)
        result = (subjects or owners or [None])[-1]
        if result is None:
            decided, result = self._previous_subject(si, tok)
            if not decided:
                result = self._last_person(tok)
        self.pronouns[tok.i] = result
        return result

    def _last_person(self, tok) -> str | None:
        """The last person mentioned outside quotations in this and the two previous sentences,
        a subject preferred (``EntityIndex.resolve_pronoun`` without the quoted words)."""
        return self.index.resolve_pronoun(tok, skip=lambda start: any(q.start <= start < q.end for q in self.quotes))

    def _previous_subject(self, si: int, pronoun) -> tuple[bool, str | None]:
        """(decided, person) from the two previous sentences: the last subject of a main verb,
        else of a reporting verb, that names someone the ``pronoun`` can refer to
        (``EntityIndex.agrees``). Decided with no person when that someone could not be
        identified ("the ambassador … wrote"; an unlinked name)."""
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
                elif is_reporting_verb(head):
                    reported.append(t)
                else:
                    other.append(t)
            for rank, t in [*((0, t) for t in reversed(main)), *((1, t) for t in reversed(reported)),
                            *((2, t) for t in reversed(other))]:
                if t.lower_ in lexicon.PRONOUNS_PERSON:
                    if t.lower_ != pronoun.lower_ and pronoun.lower_ in lexicon.PRONOUNS_PERSON:
                        continue  # "He said … . She added": not the one "he" is
                    key = self.person_pronoun(t)
                    if key and self.index.agrees(key, pronoun):
                        return True, key
                    continue
                key = self.person_of(t)
                if key and not self.index.agrees(key, pronoun):
                    continue  # "Ms. Tsai …. He said": someone else
                if key:
                    return True, key
                tkey = self.index.key_at_token(t)
                lemma = t.lemma_.lower()
                if tkey and self._accept(tkey) is None:
                    continue  # "…, Reuters reports": the medium relays, look further
                if rank < 2 and is_reporting_verb(t.head) and (
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
