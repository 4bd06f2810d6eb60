"""The positions stage: an actor's stance (support / oppose) towards a target.

``extract_positions`` requires a parsed article (spaCy Doc with POS tags, lemmas and a
dependency parse) and its ``EntityIndex``; it assigns a tuple of ``Position`` records whose
``holder`` and ``target`` are entity keys and whose ``evidence`` is the source sentence.

Rules (ours, from the conventions of English wire copy; the vocabulary and its CAMEO codes
are in :mod:`kg.extract.stance_lexicon`, after Schrodt's CAMEO codebook 1.1b3, 2012):

1. **Stance verbs** ("Taiwan's government has rejected China's claims", "called for talks",
   "urged Turkey to de-escalate"): the subject holds the stance towards the object. A
   subject is looked for up the chain of open clauses (xcomp, conj, advcl, relcl, acl), so
   "…, while accusing the US of fueling it" inherits the subject of the main verb. Passive
   verbs take the ``by`` agent. Negation turns support into opposition ("did not support").
2. **Stance nouns** ("his denial of the allegations", "Erdogan's calls for a ceasefire",
   "relayed concerns over"): the possessor, a by/from object, or the subject of the light
   verb ("express", "voice", "renew") holds the stance.
3. **Adjectives** ("Russia is ready for dialogue", "officials were frustrated by") and
   **causatives** ("Trump upset China" - China opposes Trump).
4. **Ascriptions** ("described China as an ally", "called the accusations a hoax"): the
   stance follows the valence of the predicate noun.
5. **Refusals and contrasts**: a negated verb of consent with an actor subject ("will not
   allow", "would not negotiate") is opposition; "seeking X, not Y" opposes Y.
6. **Modal demands in reported speech** ("Chiu said China should respect…"): the speaker
   supports (urges) what the embedded clause says must happen.
7. **Evaluative speech** (corpus README: "A statement that expresses a stance is annotated
   as both a statement and a position"): a statement of a named person with no stance
   found by 1-6 is a position when its words carry clear valence (VADER, Hutto & Gilbert
   2014, names and the event words of war reporting neutralised), negate a claim ("did
   not offer any alternatives": a complaint) or commit the speaker's side ("we will
   maintain…"): :func:`kg.extract.stance_syntax.speech_stance`; lower confidence.

Factuality (issue 3: "negated, hypothetical and conditional events are marked, not reported
as facts"): a stance that is negated without turning into its opposite ("has not condemned",
"did not raise concerns") or lies in the complement of a denial ("denied that Trump had
expressed concern") gets status ``denied``; a conditional or hypothetical one ("would reject
if…", "could support"; not the reported future "said it would…") gets ``planned``
(gk:Planned, "expected"); both lose confidence (``stance_lexicon.NOT_OCCURRED_PENALTY``).

Filters: a stance word inside the complement of another actor's wish, belief or demand
("China hopes the U.S. side continues to abide by…") or of a "whether" question is not its
subject's stance; lines without final punctuation (headlines, captions) are skipped; places
and news media never hold a stance. A stance needs a target text: the object phrase (also of a
coordinated verb, after a particle, a passive's subject, a stance noun's cause) or the clause
complement, for a refusal the action refused; with none the stance is no position. One position is kept per (holder, stance, sentence):
the most confident.

CAMEO codes of demands and appeals (lexicon code 100): by what is asked for, with
:func:`kg.extract.demand_codes.demand_cameo` (CAMEO 1.1b3 10x for a demand, 02x for an appeal
of kind ``urge``: "called for a ceasefire" 1056, "urged … to hold talks" 026).

Speakers, quotes, pronouns and valence live in :mod:`kg.extract.stance_context`, parse
helpers in :mod:`kg.extract.stance_syntax`, the rules themselves (applied to one sentence)
in :mod:`kg.extract.position_rules`.
"""

from __future__ import annotations

import logging

from kg.extract import stance_syntax as syn
from kg.extract.position_rules import _Cand, _Rules
from kg.extract.stance_context import SpeechContext
from kg.model import Evidence, ParsedArticle, Position

log = logging.getLogger(__name__)


def extract_positions(parsed: ParsedArticle, index) -> tuple[Position, ...]:
    """Find the positions of one article.

    Args:
        parsed: The parsed article.
        index: Its ``kg.extract.index.EntityIndex``.

    Returns:
        Positions in body order; holder/target are entity keys, evidence the sentence
        (offsets into the body, 0-based, end exclusive).
    """
    return tuple(p for p, _rule in _extract(parsed, index))


def _extract(parsed: ParsedArticle, index) -> list[tuple[Position, str]]:
    """The positions with the name of the rule that found each (for error analysis)."""
    doc = parsed.doc
    speech = SpeechContext(parsed, index)
    out: list[tuple[Position, str]] = []
    for si, sent in enumerate(parsed.sentences):
        span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
        if span is None or not syn.is_prose(parsed.article.body, sent):
            continue
        rules = _Rules(index, speech, si)
        cands = rules.run(span)
        best: dict[tuple[str, str], _Cand] = {}
        for c in cands:
            key = (c.holder, c.stance)
            if key not in best or c.confidence > best[key].confidence:
                best[key] = c
        evidence = Evidence(sent.text, sent.start, sent.end)
        for c in sorted(best.values(), key=lambda c: c.trigger.i):
            out.append((Position(
                holder=c.holder, stance=c.stance, kind=c.kind, target_text=c.target_text,
                evidence=evidence, target=c.target, date=speech.date_near(span, c.trigger),
                confidence=round(min(max(c.confidence, 0.0), 1.0), 2), cameo=c.cameo, status=c.status), c.rule))
    log.debug("%d positions in %s", len(out), parsed.article.article_id)
    return out
