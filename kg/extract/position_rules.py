"""The per-sentence stance rules of the positions stage (:mod:`kg.extract.positions`).

``_Rules`` applies rules 1-7 of the :mod:`kg.extract.positions` docstring to one sentence of a
parsed article (spaCy tokens with POS tags, lemmas and a dependency parse) and returns ``_Cand``
stance candidates: holder and target are entity keys of the article's ``EntityIndex``,
``trigger`` the spaCy token that fired rule ``rule``, ``status`` occurred / denied / planned.
:mod:`kg.extract.positions` keeps one per (holder, stance, sentence) and builds the ``Position``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kg.extract import stance_lexicon as lex
from kg.extract.demand_codes import demand_cameo
from kg.extract import stance_syntax as syn
from kg.extract.stance_context import SpeechContext
from kg.extract.stance_lexicon import valence

log = logging.getLogger(__name__)


_SUBJ = ("nsubj", "nsubjpass", "csubj")


@dataclass
class _Cand:
    holder: str
    stance: str
    kind: str
    cameo: str
    target_text: str
    target: str | None
    confidence: float
    trigger: object  # spaCy token
    rule: str = ""
    status: str = "occurred"


class _Rules:
    """The rules of the :mod:`kg.extract.positions` docstring, applied to one sentence."""

    def __init__(self, index, speech: SpeechContext, sent_index: int) -> None:
        self.index = index
        self.speech = speech
        self.si = sent_index
        self.cands: list[_Cand] = []
        self.rule = ""

    # -- driver ---------------------------------------------------------------------------
    def run(self, span) -> list[_Cand]:
        for tok in span:
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" and syn.nominal_verb(tok) and tok.lower_ in lex.NOUN_FORMS:
                self.rule = "noun"  # "rejected Erdoğan’s calls for…" tagged as a verb
                self._noun(tok, lex.NOUNS[lex.NOUN_FORMS[tok.lower_]])
            elif tok.pos_ in ("VERB", "AUX"):
                self.rule = "verb"
                self._verb(tok, lemma)
            elif tok.pos_ in ("NOUN", "PROPN") and lemma in lex.NOUNS:
                self.rule = "noun"
                self._noun(tok, lex.NOUNS[lemma])
            elif tok.pos_ == "NOUN" and lemma in lex.RAISED_NOUNS and tok.head.lemma_.lower() == "raise":
                self.rule = "noun"  # "raised the issue of the exodus"
                self._noun(tok, lex.StanceEntry("oppose", "criticize", "111"))
            elif tok.pos_ == "ADJ" and lemma in lex.ADJECTIVES and tok.dep_ in ("acomp", "amod", "oprd", "xcomp"):
                self.rule = "adj"
                self._adjective(tok, lex.ADJECTIVES[lemma])
        self._speech_fallback(span)
        return self.cands

    def _add(self, holders, entry: lex.StanceEntry, trigger, target_tok, conf: float,
             stance: str | None = None, kind: str | None = None, cameo: str | None = None,
             target_span=None, status: str = "occurred") -> None:
        span = list(target_span if target_span is not None else (target_tok.subtree if target_tok is not None else ()))
        text = syn.span_text(span)
        tkey = self._target_key(target_tok) if target_tok is not None else None
        if status == "occurred" and syn.is_denied(trigger):
            status = "denied"  # "the official denied that Trump had expressed concern"
        elif status == "occurred" and syn.is_hypothetical(trigger):
            status = "planned"  # "would reject if…", "could support": expected, not asserted
        if status != "occurred":
            conf -= lex.NOT_OCCURRED_PENALTY
        cameo = cameo or entry.cameo
        if cameo == "100":  # a demand or appeal: coded by what it asks for (CAMEO 10x / 02x)
            cameo = demand_cameo(span, target_tok, appeal=(kind or entry.kind) == "urge",
                                 ended=(stance or entry.stance) == "oppose")
        if not text:  # no object phrase nor clause complement: nothing says what the stance is towards
            log.debug("position dropped, no target: %s %s", trigger.text, trigger.sent.text[:80])
            return
        for h in holders:
            if h is None:
                continue
            self.cands.append(_Cand(h, stance or entry.stance, kind or entry.kind, cameo,
                                    text, tkey if tkey != h else None, conf, trigger, self.rule, status))

    # -- rule 1: verbs --------------------------------------------------------------------
    def _verb(self, tok, lemma: str) -> None:
        lemma = syn.verb_lemma(tok, lemma)
        entry, prep = None, None
        for c in tok.children:
            if c.dep_ in ("prt", "prep", "dobj", "advmod") and (e := lex.PHRASAL.get((lemma, c.lower_))):
                if entry is None or c.dep_ == "prt" or c.lower_ == "for":
                    entry, prep = e, c
        entry = entry or lex.VERBS.get(lemma)
        if lemma in lex.CAUSATIVE and entry is None:
            self.rule = "causative"
            self._causative(tok, lex.CAUSATIVE[lemma])
            return
        self.rule = "ascription"
        if lemma in lex.ASCRIBE_VERBS and prep is None and self._ascription(tok):
            return
        if lemma in lex.PHRASAL_ONLY and entry is None:
            return
        if self._irrealis(tok):
            return
        self.rule = "modal"
        if self._modal_demand(tok):
            return
        negated = syn.negated(tok)
        if entry is None:
            self.rule = "refusal"
            if negated and lemma in lex.REFUSAL_WHEN_NEGATED:
                holders = self._holders(tok)
                self._add(holders, lex.StanceEntry("oppose", "reject", "120"), tok, syn.object_of(tok), 0.55,
                          target_span=syn.object_span(tok) or syn.predicate_span(tok))  # "would not negotiate under…"
            return
        self.rule = "verb"
        if lemma in lex.DOBJ_ONLY and not any(c.dep_ == "dobj" for c in tok.children):
            return  # "believed Putin's denial", not "believed that…"
        if tok.dep_ in ("amod", "compound") or (tok.tag_ == "VBN" and tok.dep_ == "acl"):
            return  # "the accused man", "the rejected plan"
        holders = self._holders(tok)
        if lemma == "blame" and tok.dep_ == "xcomp" and tok.head.lemma_ == "be":
            speaker = self.speech.speaker_of(self.si, tok)  # "X was to blame for…", the Kremlin said
            holders = [speaker] if speaker else []
        if lemma in lex.VERBAL_ONLY_WITH_FOR and not any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
            holders = [h for h in holders if self.index.entity(h).type == "Person"]
        if not holders and syn.passive(tok) and not negated:
            return
        if not holders and syn.passive(tok) and self.speech.in_quote(tok):  # "“… would not be welcomed,” Khan said"
            speaker = self.speech.speaker_of(self.si, tok)
            holders = [speaker] if speaker else []
        if not holders:
            return
        obj = syn.object_of(tok, prep)
        if lemma in ("refuse", "decline") and obj is not None and obj.lemma_.lower() in lex.NO_COMMENT_VERBS:
            return  # "refused to be drawn into…", "declined to comment": no stance
        if obj is not None and obj.lower_ in lex.REFLEXIVES:
            return  # "help it defend itself"
        target_span = syn.object_span(tok, prep)
        if obj is None and syn.passive(tok):
            obj = syn.passive_subject(tok)  # "any official visit … would not be welcomed"
            target_span = list(obj.subtree) if obj is not None else ()
        if obj is None and negated:
            target_span = syn.predicate_span(tok)  # the action refused
        stance, kind, cameo, conf = entry.stance, entry.kind, entry.cameo, 0.75
        reversal = syn.reversal(tok, obj)
        status = "occurred"
        if negated and entry.stance == "oppose":
            status = "denied"  # "has not condemned": the stance is marked as not held
        elif negated:
            stance, kind, cameo, conf = "oppose", "reject", "120", 0.6  # "did not support": a refusal
        elif entry.stance == "support" and reversal is not None:
            stance, kind, conf = "oppose", "demand" if entry.kind in ("demand", "urge") else "reject", 0.65
            obj = reversal
        contrast = syn.contrast(obj)
        if contrast is not None and stance == "support":
            self.rule = "contrast"
            self._add(holders, entry, tok, contrast, 0.7, stance="oppose", kind="reject", cameo="120", status=status)
            return
        self._add(holders, entry, tok, obj, conf, stance, kind, cameo,
                  target_span=target_span, status=status)

    def _irrealis(self, tok) -> bool:
        """Whether ``tok`` lies in the complement of a wish, belief or demand with its own subject
        ("China hopes the U.S. side continues to abide by…", "China suspects Tsai wants to push
        for…"): then it is not its subject's asserted stance. "X wants to push for" (no subject
        of its own) is X's wish and stays."""
        child = tok
        for anc in [tok, *tok.ancestors][:4]:
            if any(c.dep_ == "mark" and c.lower_ == "whether" for c in anc.children):
                return True  # "whether Russia should keep or withdraw from…": a question
        for anc in tok.ancestors:
            if child.dep_ in ("ccomp", "xcomp") and syn.verb_lemma(anc, anc.lemma_.lower()) in lex.IRREALIS_VERBS:
                if child.dep_ == "ccomp" or any(c.dep_ in _SUBJ for c in child.children):
                    return True
            if child.dep_ not in ("ccomp", "xcomp", "conj"):
                return False
            child = anc
        return False

    def _causative(self, tok, entry: lex.StanceEntry) -> None:
        """ "Trump upset China" (the object holds the stance), "officials were frustrated by"
        (passive: the subject holds it, towards the by-object)."""
        if syn.negated(tok):
            return
        if syn.passive(tok):
            subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            target = next((g for g in agent.children if g.dep_ in ("pobj", "pcomp")), None) if agent is not None else None
            if subj is not None:
                self._add(self._conj_actors(subj), entry, tok, target, 0.6)
            return
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if obj is None:
            return
        subj = next((c for c in tok.children if c.dep_ in _SUBJ), None)
        self._add(self._conj_actors(obj), entry, tok, subj, 0.6)

    def _ascription(self, tok) -> bool:
        """ "described China as an ally", "called the accusations a hoax", "considers X to be Y"."""
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubj") and c.i > tok.i), None)
        pred = None
        clausal = ("oprd",) if tok.lemma_.lower() == "call" else ("oprd", "xcomp", "ccomp")
        for c in tok.children:
            if c.dep_ in clausal:
                pred = c
            elif c.dep_ == "prep" and c.lower_ == "as":
                pred = next((g for g in c.children if g.dep_ == "pobj"), None)
        if pred is None:
            return False
        v = valence(syn.span_text(pred.subtree), events_neutral=False)
        if abs(v) < lex.SENTIMENT_THRESHOLD:
            return False
        holders = self._holders(tok)
        if not holders:
            return False
        stance = "support" if v > 0 else "oppose"
        entry = lex.StanceEntry(stance, "praise" if v > 0 else "criticize", "051" if v > 0 else "111")
        target = obj if obj is not None else pred
        self._add(holders, entry, tok, target, 0.6, target_span=target.subtree)
        return True

    def _modal_demand(self, tok) -> bool:
        """Rule 6: "<speaker> said <X> should/must/needs to <V>" -> the speaker urges it.

        Returns:
            True when ``tok`` is such a modal clause (a position of its subject is then not
            asserted, whether or not a speaker was found).
        """
        modal = any(c.dep_ == "aux" and c.lower_ in lex.DEMAND_MODALS for c in tok.children)
        if not modal and tok.dep_ == "xcomp" and tok.head.lemma_.lower() in lex.DEMAND_MODALS:
            modal, tok = True, tok.head
        if not modal:
            return False
        speaker = self.speech.speaker_of(self.si, tok)
        subj = next((c for c in tok.children if c.dep_ in _SUBJ), None)
        if speaker is None or (subj is not None and self._actor(subj) == speaker):
            return True
        entry = lex.StanceEntry("support", "urge", "100")
        reverse = syn.negated(tok) or tok.lemma_.lower() in lex.REVERSAL_VERBS  # "sanctions should be terminated"
        stance = "oppose" if reverse else "support"
        self._add([speaker], entry, tok, subj, 0.55, stance=stance, target_span=syn.clause_span(tok))
        return True

    # -- rule 2: nouns ----------------------------------------------------------------------
    def _noun(self, tok, entry: lex.StanceEntry) -> None:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in ("NOUN", "VERB") or self.index.key_at_token(tok):
            return  # "Rapid Support Forces"
        lemma = lex.NOUN_FORMS.get(tok.lower_, lemma)
        preps = ("from",) if lemma in ("withdrawal", "pullout") else ("for", "to", "on")
        if lemma in lex.NEEDS_COMPLEMENT and not any(
                c.dep_ in ("acl", "relcl") or (c.dep_ == "prep" and c.lower_ in preps) for c in tok.children):
            return  # "a telephone call"
        holders: list[str | None] = []
        verb = syn.governing_verb(tok)
        if verb is not None and self._irrealis(verb):
            return  # "activists had been hoping that leaders would raise the issue of…"
        if verb is not None and (verb.lemma_.lower() in lex.LIGHT_VERBS or (
                verb.lemma_.lower() in lex.ELICIT_VERBS and tok.dep_ == "pobj" and tok.head.lower_ == "with")):
            holders = self._holders(verb)  # "expressed concern"; "sparked outrage with a rebuke"
        by_verb = bool(holders)
        if not holders:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("by", "from", "among", "in"):
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if pobj is not None and (k := self._actor(pobj)):
                        holders = [k, *[self._actor(x) for x in pobj.conjuncts]]
                        break
        if not holders and tok.dep_ == "attr" and tok.head.lemma_ == "be" and any(
                c.dep_ == "nsubj" and c.lower_ in ("this", "that", "it") for c in tok.head.children):
            speaker = self.speech.speaker_of(self.si, tok)  # "“This is a tremendous concern,” he said"
            holders = [speaker] if speaker else []
        if not holders and lemma in lex.POSSESSOR_HOLDS:
            poss = syn.possessor(tok)
            if poss is not None:
                holders = [self._actor(poss)]
        holders = [h for h in holders if h]
        if not holders:
            return
        # "Trump did not raise concerns about…": the stance is denied
        status = "denied" if verb is not None and syn.negated(verb) else "occurred"
        if verb is not None and verb.lemma_.lower() in lex.REAFFIRM_VERBS and entry.stance == "support":
            entry = lex.StanceEntry("support", "reaffirm", entry.cameo)  # "confirmed its support for"
        target = None
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in syn.TARGET_PREPS and c.lower_ not in ("by", "from", "in"):
                target = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if target is not None:
                    break
        if target is None and lemma in ("withdrawal", "pullout"):  # "Trump's withdrawal from the TPP"
            target = next((syn.pobj(c) for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"), None)
        if target is None:
            target = next((c for c in tok.children if c.dep_ in ("acl", "relcl") and c.lemma_ != "be"), None)
        if target is None and verb is not None and by_verb:  # "expressed concern | about…" (attached to the verb)
            target = next((syn.pobj(c) for c in verb.children if c.dep_ == "prep" and c.i > tok.i
                           and c.lower_ in syn.TARGET_PREPS and c.lower_ not in ("by", "from", "in")), None)
        if target is None and verb is not None and not by_verb:
            # "open criticism of the US was raising concerns in Washington": what raised them
            target = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON" and c.i < tok.i
                           and self._actor(c) not in holders), None)
        stance, kind = entry.stance, entry.kind
        if target is not None and target.lemma_.lower() in lex.REVERSAL_NOUNS and stance == "support":
            stance, kind = "oppose", "demand"
        self._add(holders, entry, tok, target, 0.65, stance, kind, status=status)

    # -- rule 3: adjectives ------------------------------------------------------------------
    def _adjective(self, tok, entry: lex.StanceEntry) -> None:
        head = tok.head if tok.dep_ in ("acomp", "oprd", "xcomp") else None
        if head is None:
            return
        holders = self._holders(head)
        if not holders:
            return
        target = None
        for c in tok.children:
            if c.dep_ == "prep":
                target = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            elif c.dep_ in ("xcomp", "ccomp"):
                target = c
            if target is not None:
                break
        if target is None:  # "was keen for the talks to lead to…": the clause attached to the copula
            target = next((c for c in head.children if c.dep_ == "advcl" and c.i > tok.i and any(
                m.dep_ == "mark" and m.lower_ in ("for", "to") for m in c.children)), None)
        negated = syn.negated(head) or syn.negated(tok)
        if negated:
            if entry.stance == "oppose":
                return
            self._add(holders, entry, tok, target, 0.55, "oppose", "reject", "120")
            return
        if entry.stance == "support" and target is not None and target.lemma_.lower() in lex.REVERSAL_NOUNS:
            # "committed to Assad's removal" opposes Assad
            self._add(holders, entry, tok, syn.of_object(target) or target, 0.6, "oppose", "demand", "100",
                      target_span=target.subtree)
            return
        self._add(holders, entry, tok, target, 0.65)

    # -- rule 7: evaluative speech ------------------------------------------------------------
    def _speech_fallback(self, span) -> None:
        for speaker, verb, content in self.speech.statements_in(self.si, span):
            if self.index.entity(speaker).type != "Person":
                continue  # bodies' and states' statements with no stance word are reports of fact
            if any(c.holder == speaker or verb in c.trigger.ancestors for c in self.cands):
                continue  # the words' own stance words decide (a third party's stance is reported)
            state = self.index.state_of(speaker)
            judged = syn.speech_stance(content, syn.content_tokens(span, verb),
                                   own=lambda t, s=speaker, st=state: self._actor(t) in (s, st) if self._actor(t) else False)
            if judged is None:
                continue
            entry, v = judged
            target = self.speech.first_actor_in(content, span, exclude=speaker)
            if not content.strip():
                continue
            self.cands.append(_Cand(speaker, entry.stance, entry.kind, entry.cameo, content[:syn.MAX_TARGET_CHARS],
                                    target, 0.3 + 0.2 * min(abs(v), 1.0), verb, "speech"))

    # -- holders and targets ----------------------------------------------------------------
    def _actor(self, tok) -> str | None:
        return self.speech.actor(self.si, tok)

    def _holders(self, verb) -> list[str]:
        return self.speech.holders(self.si, verb)

    def _conj_actors(self, tok) -> list[str]:
        return self.speech.conj_actors(self.si, tok)

    def _target_key(self, tok) -> str | None:
        if tok is None:
            return None
        k = self.index.key_at_token(tok) or self.index.actor_of(tok)
        if k:
            return k
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "nmod", "amod", "nsubj") and (k := self.index.key_at_token(c)):
                return k
        return None
