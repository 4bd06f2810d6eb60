"""Render an EvalResult: the summary table, the per-article details, and a JSON-ready dict."""

from __future__ import annotations

from kg.evaluate.gold import GoldArticle, GoldMeeting, GoldPosition, GoldStatement
from kg.evaluate.predicted import PredictedMeeting, PredictedPosition, PredictedStatement
from kg.evaluate.score import KINDS, Accuracy, ArticleResult, Counts, EvalResult

SNIPPET = 80  # characters of the sentence shown per item


def _snippet(sentence: str | None) -> str:
    if not sentence:
        return "(no sentence)"
    text = " ".join(sentence.split())
    return text if len(text) <= SNIPPET else text[:SNIPPET] + "…"


def _gold_name(gold: GoldArticle, entity_id: str) -> str:
    e = gold.entity(entity_id)
    return f"{e.name} ({e.qid})" if e.qid else e.name


def _actor_names(actors) -> str:
    names = []
    for a in actors:
        qids = ",".join(sorted(a.qids))
        names.append(f"{a.display} ({qids})" if qids else a.display)
    return " + ".join(names) if names else "(no actor)"


def describe(item, gold: GoldArticle) -> dict:
    """A short description of a predicted or gold item: who, what, and the sentence's first 80 chars."""
    if isinstance(item, str):  # a QID of the linking kind
        names = [e.name for e in gold.entities if e.qid == item]
        return {"qid": item, "name": names[0] if names else None}
    if isinstance(item, GoldMeeting):
        return {"who": " + ".join(_gold_name(gold, p) for p in item.participants), "date": item.date,
                "mode": item.mode, "sentence": _snippet(item.evidence)}
    if isinstance(item, GoldStatement):
        return {"who": _gold_name(gold, item.speaker), "sentence": _snippet(item.evidence)}
    if isinstance(item, GoldPosition):
        return {"who": _gold_name(gold, item.holder), "stance": item.stance, "target": item.target,
                "sentence": _snippet(item.evidence)}
    if isinstance(item, PredictedMeeting):
        return {"who": _actor_names(item.participants), "date": item.date, "mode": item.mode,
                "sentence": _snippet(item.sentence), "iri": item.iri}
    if isinstance(item, PredictedStatement):
        return {"who": _actor_names(item.speakers), "sentence": _snippet(item.sentence), "iri": item.iri}
    if isinstance(item, PredictedPosition):
        return {"who": _actor_names(item.holders), "stance": item.stance, "target": item.target,
                "sentence": _snippet(item.sentence), "iri": item.iri}
    raise TypeError(f"cannot describe {type(item).__name__}")


def _fmt(ratio: float) -> str:
    return f"{ratio:.3f}"


def _accuracy_line(name: str, acc: Accuracy, what: str) -> str:
    if not acc.n:
        return f"{name}: n/a (n=0: no matched meeting whose gold gives {what})"
    return f"{name}: {acc.correct}/{acc.n} = {_fmt(acc.value)} (n = {acc.n} matched meetings whose gold gives {what})"


def summary_table(result: EvalResult) -> str:
    """The per-kind table (micro-averaged) with the meeting date/mode accuracy lines."""
    totals = result.totals
    lines = [f"{'kind':<11}{'gold':>6}{'pred':>6}{'TP':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for k in KINDS:
        c: Counts = totals[k]
        lines.append(f"{k:<11}{c.gold:>6}{c.predicted:>6}{c.tp:>6}"
                     f"{_fmt(c.precision):>8}{_fmt(c.recall):>8}{_fmt(c.f1):>8}")
    lines.append("")
    lines.append(_accuracy_line("meeting date accuracy", result.date_accuracy, "a date"))
    lines.append(_accuracy_line("meeting mode accuracy", result.mode_accuracy, "in_person/remote"))
    found = sum(a.url is not None for a in result.articles)
    lines.append(f"articles: {len(result.articles)} gold, {found} found in the store")
    if result.unscored_meetings:
        lines.append(f"not scored: {result.unscored_meetings} extracted meeting(s) with status "
                     "planned/cancelled/denied (only occurred meetings are scored)")
    if result.unscored_statements:
        lines.append(f"not scored: {result.unscored_statements} extracted statement(s) with status "
                     "denied/planned (only occurred statements are scored)")
    return "\n".join(lines)


def _item_line(tag: str, d: dict) -> str:
    who = d.get("who", d.get("qid", ""))
    extra = []
    if d.get("stance"):
        extra.append(f"{d['stance']} → {d['target']}" if d.get("target") else d["stance"])
    if "date" in d and d.get("date"):
        extra.append(d["date"])
    if d.get("mode"):
        extra.append(d["mode"])
    extra_text = f" [{', '.join(extra)}]" if extra else ""
    return f"    {tag}  {who}{extra_text} | {d.get('sentence', '')}"


def article_details(a: ArticleResult) -> str:
    """The false positives and false negatives of each kind in one article."""
    head = f"== {a.gold.name}"
    head += f"  <{a.url}>" if a.url else "  (NOT IN THE STORE: every gold item is a false negative)"
    lines = [head]
    for k in KINDS:
        r = a.kinds[k]
        c = r.counts
        lines.append(f"  {k}: gold {c.gold}, predicted {c.predicted}, TP {c.tp}"
                     + (f", not scored {r.unscored}" if r.unscored else ""))
        if k == "linking":
            names = {e.qid: e.name for e in a.gold.entities if e.qid}
            fp = [f"{q} ({a.qid_labels[q]})" if a.qid_labels.get(q, q) != q else q for q in r.false_positives]
            fn = [f"{q} ({names[q]})" for q in r.false_negatives]
            if fp:
                lines.append("    FP  " + ", ".join(fp))
            if fn:
                lines.append("    FN  " + ", ".join(fn))
            continue
        for item in r.false_positives:
            lines.append(_item_line("FP", describe(item, a.gold)))
        for item in r.false_negatives:
            lines.append(_item_line("FN", describe(item, a.gold)))
    for tag, pairs in (("date", a.date_mismatches), ("mode", a.mode_mismatches)):
        for p, g in pairs:
            got, want = (p.date, g.date) if tag == "date" else (p.mode, g.mode)
            lines.append(f"  wrong {tag}: extracted {got or 'none'}, gold {want} | {_snippet(g.evidence)}")
    return "\n".join(lines)


def render(result: EvalResult, details: bool = False) -> str:
    """The printed report: the summary table, the warnings, and with ``details`` every article's FP/FN.

    Args:
        result: The scores.
        details: Also list, per article, each kind's false positives and false negatives.

    Returns:
        The text, ending with a newline.
    """
    parts = [summary_table(result)]
    if result.warnings:
        parts.append("\n".join(f"warning: {w}" for w in result.warnings))
    if details:
        parts.extend(article_details(a) for a in result.articles)
    return "\n\n".join(parts) + "\n"


def _counts_dict(c: Counts) -> dict:
    return {"gold": c.gold, "predicted": c.predicted, "tp": c.tp,
            "precision": c.precision, "recall": c.recall, "f1": c.f1}


def _acc_dict(acc: Accuracy) -> dict:
    return {"correct": acc.correct, "n": acc.n, "accuracy": acc.value}


def result_to_dict(result: EvalResult) -> dict:
    """JSON-ready dict: ``totals`` per kind, date/mode accuracy, warnings, and per-article FP/FN lists."""
    articles = []
    for a in result.articles:
        kinds = {}
        for k in KINDS:
            r = a.kinds[k]
            if k == "linking":
                names = {e.qid: e.name for e in a.gold.entities if e.qid}
                fps = [{"qid": q, "label": a.qid_labels.get(q)} for q in r.false_positives]
                fns = [{"qid": q, "name": names[q]} for q in r.false_negatives]
            else:
                fps = [describe(x, a.gold) for x in r.false_positives]
                fns = [describe(x, a.gold) for x in r.false_negatives]
            kinds[k] = {**_counts_dict(r.counts), "unscored": r.unscored,
                        "false_positives": fps, "false_negatives": fns}
        articles.append({"article": a.gold.name, "gold_file": str(a.gold.path), "url": a.url,
                         "kinds": kinds, "date_accuracy": _acc_dict(a.date), "mode_accuracy": _acc_dict(a.mode)})
    return {
        "totals": {k: _counts_dict(c) for k, c in result.totals.items()},
        "meeting_date_accuracy": _acc_dict(result.date_accuracy),
        "meeting_mode_accuracy": _acc_dict(result.mode_accuracy),
        "unscored_meetings": result.unscored_meetings,
        "unscored_statements": result.unscored_statements,
        "warnings": list(result.warnings),
        "articles": articles,
    }
