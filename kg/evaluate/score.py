"""Pure scoring functions: predicted items against gold items (rules of corpus/README.md).

Readings of the rule text, made precise here:

* **Names** are compared case-insensitively (``str.casefold``) after collapsing
  runs of white space to one space and stripping the ends.
* **Entity match**: when the extracted actor has at least one QID (owl:sameAs) and
  the gold entity has one, they match iff the gold QID is among the actor's; otherwise
  iff one of the actor's labels equals the gold name or one of its mentions.
* **Sentence overlap**: after the same normalisation, one sentence contains the
  other; or they share at least 60% of the shorter one's words. *Words* are the
  ``\\w+`` tokens (Unicode) of the lower-cased sentence, counted as a multiset;
  "shorter" means fewer words; the threshold is inclusive (3 of 5 words overlap).
  A missing or empty sentence overlaps nothing.
* **Meetings**: only meetings with status occurred are scored, on both sides. An
  extracted meeting marked planned/cancelled/denied is neither a true nor a false
  positive (counted as ``unscored``); a gold meeting with another status is not in
  the gold total (it can never be matched, so counting it would cap recall below 1).
  An extracted meeting without a status counts as occurred. A pair is a candidate
  when at least two *distinct* extracted participants match two *distinct* gold
  participants (a bipartite matching of size >= 2).
* **Statements**: the gold lists only speech acts the text reports as made ("one per
  reported speech act"), so, as for meetings, only extracted statements with status
  occurred (or none) are scored; one marked denied or planned (a negated, refused, modal,
  future or conditional speech act: ``kg.extract.reporting.factuality``) is counted as
  ``unscored``.
* **One-to-one**: in each article and kind, candidate pairs are resolved by a
  maximum-cardinality bipartite matching (augmenting paths, Kuhn 1955), so every
  gold and every extracted item is used at most once and the number of true
  positives is the largest possible. Candidates are tried most similar first
  (evidence overlap, then participants matched), which only decides *which* pairs
  are reported (and so the date/mode accuracy), never how many.
* **Linking**: per article, the set of QIDs the graph links against the set of gold
  QIDs; each shared QID is one true positive.

All counts are micro-averaged: summed over articles before dividing. A ratio with
a zero denominator is 0.0.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

from kg.evaluate.gold import GoldArticle, GoldEntity
from kg.evaluate.predicted import PredictedActor, PredictedArticle

KINDS: tuple[str, ...] = ("meetings", "statements", "positions", "linking")
OVERLAP_THRESHOLD = 0.6  # corpus/README.md: "share at least 60% of the shorter one's words"

_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """Case-fold and collapse white space: the form names and sentences are compared in."""
    return " ".join(text.split()).casefold()


def words(text: str) -> list[str]:
    """The words of ``text``: its lower-cased ``\\w+`` tokens, in order ("Russia’s" -> russia, s)."""
    return _WORD.findall(text.lower())


def _overlap(a: str | None, b: str | None) -> tuple[int, int]:
    """(shared words, words of the shorter sentence); (1, 1) for containment; (0, 0) when one is empty."""
    if not a or not b:
        return 0, 0
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 0, 0
    if na in nb or nb in na:
        return 1, 1
    shorter, longer = sorted((words(a), words(b)), key=len)
    return sum((Counter(shorter) & Counter(longer)).values()), len(shorter)


def overlap_ratio(a: str | None, b: str | None) -> float:
    """How much two sentences overlap, in [0, 1]: 1.0 when one contains the other (normalised),
    else the share of the shorter one's words (multiset) found in the longer one."""
    shared, n = _overlap(a, b)
    return shared / n if n else 0.0


def sentences_overlap(a: str | None, b: str | None) -> bool:
    """True when the sentences overlap: containment, or >= 60% of the shorter one's words shared.

    Args:
        a, b: Sentences, or None (never overlaps).
    """
    shared, n = _overlap(a, b)
    return n > 0 and shared * 5 >= n * 3  # shared / n >= OVERLAP_THRESHOLD (0.6), in integers


def entity_matches(actor: PredictedActor, gold: GoldEntity) -> bool:
    """The README's entity match: equal QIDs when both have one, else label = gold name/mention."""
    if actor.qids and gold.qid:
        return gold.qid in actor.qids
    names = {normalize(gold.name), *(normalize(m) for m in gold.mentions)}
    return any(normalize(label) in names for label in actor.labels)


def max_matching(candidates: Sequence[Sequence[int]]) -> dict[int, int]:
    """Maximum-cardinality bipartite matching by augmenting paths (Kuhn's algorithm).

    Args:
        candidates: For each left item ``i``, the right items it may pair with, in order of preference.

    Returns:
        Mapping left index -> right index of one maximum matching.
    """
    owner: dict[int, int] = {}  # right -> left

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(candidates)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def participants_matched(actors: Sequence[PredictedActor], gold_ids: Sequence[str], gold: GoldArticle) -> int:
    """How many distinct gold participants distinct extracted participants match (matching size)."""
    entities = [gold.entity(g) for g in dict.fromkeys(gold_ids)]
    cands = [[j for j, e in enumerate(entities) if entity_matches(a, e)] for a in actors]
    return len(max_matching(cands))


@dataclass(frozen=True)
class Counts:
    """Gold total, predicted total and true positives of one kind; P/R/F1 derived."""

    gold: int = 0
    predicted: int = 0
    tp: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.gold + other.gold, self.predicted + other.predicted, self.tp + other.tp)

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Accuracy:
    """``correct`` out of ``n`` judged pairs."""

    correct: int = 0
    n: int = 0

    def __add__(self, other: "Accuracy") -> "Accuracy":
        return Accuracy(self.correct + other.correct, self.n + other.n)

    @property
    def value(self) -> float | None:
        return self.correct / self.n if self.n else None


@dataclass(frozen=True)
class KindResult:
    """One kind in one article: the scored items of each side and the matched (predicted, gold) index pairs.

    ``unscored`` counts extracted items left out of the score (meetings and statements whose
    status is not occurred).
    """

    kind: str
    predicted: tuple = ()
    gold: tuple = ()
    matches: tuple[tuple[int, int], ...] = ()
    unscored: int = 0

    @property
    def counts(self) -> Counts:
        return Counts(len(self.gold), len(self.predicted), len(self.matches))

    @property
    def false_positives(self) -> list:
        used = {p for p, _ in self.matches}
        return [x for i, x in enumerate(self.predicted) if i not in used]

    @property
    def false_negatives(self) -> list:
        used = {g for _, g in self.matches}
        return [x for i, x in enumerate(self.gold) if i not in used]


@dataclass(frozen=True)
class ArticleResult:
    """The scores of one gold article; ``url`` is None when the store has no such article."""

    gold: GoldArticle
    url: str | None
    kinds: dict[str, KindResult]
    date: Accuracy = Accuracy()
    mode: Accuracy = Accuracy()
    date_mismatches: tuple[tuple, ...] = ()  # (predicted meeting, gold meeting)
    mode_mismatches: tuple[tuple, ...] = ()
    qid_labels: dict[str, str] = field(default_factory=dict)  # linked QID -> a label, for reports


@dataclass
class EvalResult:
    """The scores of a gold folder against a store."""

    articles: list[ArticleResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, Counts]:
        """Micro-averaged counts per kind (summed over articles)."""
        out = {k: Counts() for k in KINDS}
        for a in self.articles:
            for k in KINDS:
                out[k] = out[k] + a.kinds[k].counts
        return out

    @property
    def date_accuracy(self) -> Accuracy:
        return sum((a.date for a in self.articles), Accuracy())

    @property
    def mode_accuracy(self) -> Accuracy:
        return sum((a.mode for a in self.articles), Accuracy())

    @property
    def unscored_meetings(self) -> int:
        """Extracted meetings with status planned, cancelled or denied (not scored)."""
        return sum(a.kinds["meetings"].unscored for a in self.articles)

    @property
    def unscored_statements(self) -> int:
        """Extracted statements with status denied or planned (not scored)."""
        return sum(a.kinds["statements"].unscored for a in self.articles)

    def to_dict(self) -> dict:
        """A JSON-serialisable form: totals, accuracies, warnings and per-article FP/FN."""
        from kg.evaluate.report import result_to_dict

        return result_to_dict(self)


def _resolve(kind: str, predicted: Sequence, gold: Sequence,
             candidate: Callable[[object, object], float | None]) -> KindResult:
    """Pair items one-to-one: ``candidate(p, g)`` is None (not a pair) or a preference (higher first)."""
    cands = []
    for p in predicted:
        scored = [(pref, -j) for j, g in enumerate(gold) if (pref := candidate(p, g)) is not None]
        cands.append([-j for _, j in sorted(scored, reverse=True)])
    pairs = sorted(max_matching(cands).items())
    return KindResult(kind, tuple(predicted), tuple(gold), tuple(pairs))


def score_meetings(predicted: Sequence, gold: GoldArticle) -> tuple[KindResult, Accuracy, Accuracy, list, list]:
    """Score the extracted meetings of one article.

    Returns:
        (the KindResult, date accuracy, mode accuracy, date mismatches, mode mismatches); the
        accuracies are over matched pairs whose gold meeting gives a date / a mode other than unknown.
    """
    scored = [m for m in predicted if m.status in (None, "occurred")]
    golds = [g for g in gold.meetings if g.status == "occurred"]

    def candidate(p, g):
        n = participants_matched(p.participants, g.participants, gold)
        return None if n < 2 else (overlap_ratio(p.sentence, g.evidence), n)

    res = _resolve("meetings", scored, golds, candidate)
    res = KindResult(res.kind, res.predicted, res.gold, res.matches, len(predicted) - len(scored))
    date, mode, bad_date, bad_mode = Accuracy(), Accuracy(), [], []
    for pi, gi in res.matches:
        p, g = scored[pi], golds[gi]
        if g.date:
            date = date + Accuracy(int(p.date == g.date), 1)
            if p.date != g.date:
                bad_date.append((p, g))
        if g.mode in ("in_person", "remote"):
            mode = mode + Accuracy(int(p.mode == g.mode), 1)
            if p.mode != g.mode:
                bad_mode.append((p, g))
    return res, date, mode, bad_date, bad_mode


def score_statements(predicted: Sequence, gold: GoldArticle) -> KindResult:
    """Score statements: a speaker matches the gold speaker and the sentence overlaps the evidence.

    Only statements with status occurred (or none) are scored; the others are counted in
    ``KindResult.unscored``.
    """
    scored = [s for s in predicted if s.status in (None, "occurred")]

    def candidate(p, g):
        speaker = gold.entity(g.speaker)
        if any(entity_matches(a, speaker) for a in p.speakers) and sentences_overlap(p.sentence, g.evidence):
            return overlap_ratio(p.sentence, g.evidence)
        return None

    res = _resolve("statements", scored, gold.statements, candidate)
    return KindResult(res.kind, res.predicted, res.gold, res.matches, len(predicted) - len(scored))


def score_positions(predicted: Sequence, gold: GoldArticle) -> KindResult:
    """Score positions: holder matches, stance equal, and the sentence overlaps the evidence."""

    def candidate(p, g):
        holder = gold.entity(g.holder)
        if (p.stance == g.stance and any(entity_matches(a, holder) for a in p.holders)
                and sentences_overlap(p.sentence, g.evidence)):
            return overlap_ratio(p.sentence, g.evidence)
        return None

    return _resolve("positions", predicted, gold.positions, candidate)


def score_linking(predicted_qids, gold: GoldArticle) -> KindResult:
    """Score linking: the article's linked QIDs against the gold entities' QIDs (sets)."""
    pred, golds = sorted(set(predicted_qids)), sorted(gold.qids)
    index = {q: j for j, q in enumerate(golds)}
    pairs = tuple((i, index[q]) for i, q in enumerate(pred) if q in index)
    return KindResult("linking", tuple(pred), tuple(golds), pairs)


def score_article(predicted: PredictedArticle | None, gold: GoldArticle) -> ArticleResult:
    """Score one article; ``predicted`` None (not in the store) makes every gold item a false negative."""
    p = predicted or PredictedArticle(url="")
    meetings, date, mode, bad_date, bad_mode = score_meetings(p.meetings, gold)
    kinds = {
        "meetings": meetings,
        "statements": score_statements(p.statements, gold),
        "positions": score_positions(p.positions, gold),
        "linking": score_linking(p.qids, gold),
    }
    return ArticleResult(gold, predicted.url if predicted else None, kinds, date, mode,
                         tuple(bad_date), tuple(bad_mode), dict(p.qids))
