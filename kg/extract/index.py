"""Where the entities are in a parsed article: the lookups every event rule shares.

``EntityIndex`` maps tokens and character spans of the spaCy Doc to entity keys,
resolves subject pronouns ("He clarified…") to the person last mentioned as a
subject, and finds the state an actor speaks for.
"""

from __future__ import annotations

import bisect
import functools

from kg.extract import lexicon
from kg.model import Entity, ParsedArticle


class EntityIndex:
    """Lookups from tokens/offsets to entities of one article.

    Args:
        parsed: The parsed article (its Doc's token offsets are body offsets).
        entities: The article's entities (linked or not).
    """

    def __init__(self, parsed: ParsedArticle, entities: tuple[Entity, ...]) -> None:
        self.parsed = parsed
        self.doc = parsed.doc
        self.entities = {e.key: e for e in entities}
        spans = sorted((m.start, m.end, m.entity_key) for e in entities for m in e.mentions)
        self._starts = [s for s, _, _ in spans]
        self._spans = spans

    @functools.cached_property
    def titles(self):
        """The article's ``kg.extract.titles.Titles`` (built once, on first use)."""
        from kg.extract.titles import Titles, name_words

        return Titles(self.doc, self, name_words(self))

    # -- basic lookups ----------------------------------------------------------------------
    def entity(self, key: str) -> Entity:
        """The entity with ``key`` (KeyError if unknown)."""
        return self.entities[key]

    def key_at(self, char: int) -> str | None:
        """Key of the mention covering body offset ``char``, or None."""
        i = bisect.bisect_right(self._starts, char) - 1
        if i >= 0:
            start, end, key = self._spans[i]
            if start <= char < end:
                return key
        return None

    def key_at_token(self, tok) -> str | None:
        """Key of the mention covering spaCy token ``tok``, or None."""
        return self.key_at(tok.idx)

    def mentions_between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Mentions (start, end, key) lying within body offsets [start, end), in order."""
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self._spans) and self._spans[i][0] < end:
            if self._spans[i][1] <= end:
                out.append(self._spans[i])
            i += 1
        return out

    def keys_in_tokens(self, tokens) -> list[str]:
        """Distinct entity keys mentioned by ``tokens`` (any iterable of tokens), in order."""
        out: list[str] = []
        for tok in tokens:
            key = self.key_at_token(tok)
            if key and key not in out:
                out.append(key)
        return out

    # -- actors of syntactic heads ----------------------------------------------------------
    def actor_of(self, tok) -> str | None:
        """The entity a noun-phrase head refers to.

        "Putin" → Putin; "Taiwan's government" → Taiwan; "the Chinese foreign ministry" → the
        ministry if it is an entity, else China; "he"/"she" → resolved pronoun; "leaders" → None.
        """
        key = self.key_at_token(tok)
        if key:
            return key
        if tok.lower_ in lexicon.PRONOUNS_PERSON or (tok.lower_ in ("his", "her") and tok.dep_ == "poss"):
            return self.resolve_pronoun(tok)
        if tok.pos_ in ("NOUN", "PROPN"):
            for child in tok.children:  # "the US national security adviser, John Bolton,"
                if child.dep_ == "appos":
                    key = self.key_at_token(child)
                    if key:
                        return key
            for child in tok.lefts:
                if child.dep_ in ("poss", "compound", "amod", "nmod"):
                    key = self.key_at_token(child) or (self.actor_of(child) if child.dep_ == "poss" else None)
                    if key:
                        return key
            for child in tok.rights:  # "the government of Taiwan"
                if child.dep_ == "prep" and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            key = self.key_at_token(obj)
                            if key and self.entities[key].type != "Person":
                                return key
        return None

    def _window_start(self, tok) -> int:
        """Body offset where the sentence two before ``tok``'s sentence starts."""
        sent_starts = [s.start for s in self.parsed.sentences]
        si = bisect.bisect_right(sent_starts, tok.idx) - 1
        return self.parsed.sentences[max(0, si - 2)].start if si >= 0 else 0

    def resolve_pronoun(self, tok, skip=None) -> str | None:
        """The person a subject pronoun refers to: the last person mentioned as a subject in the
        same or the two previous sentences, else the last person mentioned before it; a person
        whose gender the text states otherwise than the pronoun's is passed over
        (:meth:`agrees`).

        Args:
            tok: The pronoun token.
            skip: Optional predicate on a mention's start offset; mentions it accepts are ignored
                (the statements stage skips names inside quotations).
        """
        last_subject = last_any = None
        for start, _end, key in self.mentions_between(self._window_start(tok), tok.idx):
            if (self.entities[key].type != "Person" or (skip is not None and skip(start))
                    or not self.agrees(key, tok)):
                continue
            last_any = key
            span_tok = self.doc.char_span(start, _end, alignment_mode="expand")
            if span_tok is not None and span_tok.root.dep_ in ("nsubj", "nsubjpass"):
                last_subject = key
        return last_subject or last_any

    @functools.cached_property
    def _genders(self) -> dict[str, str]:
        """Entity key -> "male"/"female" for the persons whose gender the text states, by an
        honorific right before a mention ("Mr Trump", "Ms. Tsai"), a gendered title word at its
        start or among the title words just before it ("Queen Elizabeth", "Crown Prince
        Mohammed"), a kinship noun just before it ("his wife Peng Liyuan"), or a gendered role
        title ("spokeswoman"); words in ``lexicon``. The gazetteer has no gender. A person the
        text gives both genders gets none."""
        body = self.parsed.article.body
        gendered = {**lexicon.HONORIFIC_GENDER, **lexicon.TITLE_GENDER, **lexicon.KIN_GENDER}
        found: dict[str, set[str]] = {}
        for e in self.entities.values():
            if e.type != "Person":
                continue
            cues = found.setdefault(e.key, set())
            for m in e.mentions:
                # the run of title words right before the mention ("Saudi Crown Prince", "Mr."),
                # and the mention's own first word ("Queen Elizabeth")
                run = []
                for w in reversed(body[max(0, m.start - 60):m.start].split()[-4:]):
                    w = w.strip(".,").lower()
                    if w not in gendered and w not in lexicon.TITLE_WORDS:
                        break
                    run.append(w)
                cues.update(gendered[w] for w in [*run, *m.text.lower().split()[:1]] if w in gendered)
            for role in e.roles:
                cues.update(lexicon.TITLE_GENDER[w] for w in role.title.lower().split() if w in lexicon.TITLE_GENDER)
        return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}

    def gender_of(self, key: str) -> str | None:
        """"male", "female", or None when the text does not state the person's gender."""
        return self._genders.get(key)

    def agrees(self, key: str, pronoun) -> bool:
        """False only when both the pronoun's gender (he/she/his/her) and the person's
        (:meth:`gender_of`) are known and differ; True otherwise (the gazetteer has no gender)."""
        want = lexicon.PRONOUN_GENDER.get(pronoun.lower_)
        have = self.gender_of(key)
        return want is None or have is None or want == have

    def recent_persons(self, tok, exclude: tuple[str, ...] = (), n: int = 2) -> list[str]:
        """The last ``n`` distinct persons mentioned before ``tok`` in its sentence and the two
        previous ones, most recent first, leaving out ``exclude``."""
        out: list[str] = []
        for _start, _end, key in reversed(self.mentions_between(self._window_start(tok), tok.idx)):
            if self.entities[key].type == "Person" and key not in exclude and key not in out:
                out.append(key)
                if len(out) == n:
                    break
        return out

    # -- on whose behalf ----------------------------------------------------------------------
    def state_of(self, key: str | None) -> str | None:
        """The Country entity an actor belongs to: itself for a Country; its affiliation (followed
        once more if the affiliation is a body) for a person or body; None if unknown."""
        seen = set()
        while key and key not in seen:
            seen.add(key)
            ent = self.entities.get(key)
            if ent is None:
                return None
            if ent.type == "Country":
                return key
            key = ent.affiliation_key
        return None
