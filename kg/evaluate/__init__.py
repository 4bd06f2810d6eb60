"""``kg evaluate``: score the extraction in a store against the gold annotations.

The rules are those of ``corpus/README.md`` ("Scoring rules"); their precise
reading is documented in :mod:`kg.evaluate.score`. Modules:

- :mod:`kg.evaluate.gold`      load and check gold JSON files
- :mod:`kg.evaluate.predicted` read the extracted items out of a store (SPARQL)
- :mod:`kg.evaluate.score`     pure scoring functions and result records
- :mod:`kg.evaluate.report`    the text table, per-article details and the JSON form
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Callable, Iterable, Sequence

from kg.errors import KGError
from kg.evaluate.gold import GoldArticle, load_gold, load_gold_dir
from kg.evaluate.predicted import find_article, read_predicted
from kg.evaluate.report import render
from kg.evaluate.score import EvalResult, score_article

log = logging.getLogger(__name__)

__all__ = ["EvalResult", "evaluate", "evaluate_golds", "evaluate_cli", "load_gold", "load_gold_dir"]


def evaluate_golds(golds: Sequence[GoldArticle], store) -> EvalResult:
    """Score the store's extraction against already-loaded gold annotations.

    Args:
        golds: The gold articles.
        store: Anything with ``query(sparql) -> rdflib.query.Result`` over the union of the
            article graphs (a ``kg.store.KGStore``; an ``rdflib.Dataset`` with ``default_union``).

    Returns:
        The EvalResult; a gold article missing from the store is scored with every item a
        false negative and named in ``warnings``.

    Raises:
        StoreError: the store cannot be queried.
    """
    predicted = read_predicted(store)
    result = EvalResult()
    for gold in golds:
        article, urls = find_article(predicted, gold.name)
        if article is None:
            result.warnings.append(f"{gold.name}: no article in the store whose schema:url ends with this name")
        elif len(urls) > 1:
            result.warnings.append(f"{gold.name}: {len(urls)} articles in the store end with this name; "
                                   f"scored {urls[0]}, ignored {', '.join(urls[1:])}")
        result.articles.append(score_article(article, gold))
    return result


def evaluate(gold_dir: Path, store) -> EvalResult:
    """Score the extraction in ``store`` against every ``*.gold.json`` of ``gold_dir``.

    Raises:
        ReadError: the folder holds no gold file or a gold file is malformed.
        StoreError: the store cannot be queried.
    """
    return evaluate_golds(load_gold_dir(gold_dir), store)


def _open_store(location: str, read_only: bool = False):
    from kg.store import open_store

    return open_store(location, read_only=read_only)


def _ingest(paths: list[str], store, progress):
    from kg.pipeline import ingest

    return ingest(paths, store, progress=progress)


def evaluate_cli(gold_dir: Path, store_location: str | None, details: bool, *, as_json: bool = False,
                 progress: Callable[[Iterable], Iterable] | None = None) -> tuple[str, int]:
    """What ``kg evaluate`` prints and its exit code.

    Args:
        gold_dir: Folder of ``*.gold.json`` files.
        store_location: A store to evaluate (a store directory, opened read-only); None = build an in-memory
            store and ingest the gold files' articles into it first (each gold's ``article``
            resolved against the gold file's folder; a gold whose article file is missing is
            reported and left out).
        details: Also list per article the false positives and false negatives of each kind.
        as_json: Print ``EvalResult.to_dict()`` as JSON instead of the table.
        progress: Optional iterable wrapper (e.g. ``tqdm``) for the ingest.

    Returns:
        (text to print, exit code): 0 when the evaluation ran, 2 on an error (unreadable or
        malformed gold, no article to ingest, store failure); errors are in the text.
    """
    store = None
    try:
        golds = load_gold_dir(Path(gold_dir))
        warnings: list[str] = []
        if store_location is None:
            present = [g for g in golds if g.article_path.is_file()]
            for g in golds:
                if g not in present:
                    warnings.append(f"{g.path.name}: article file {g.article_path} is missing; not evaluated")
            if not present:
                return "error: " + "; ".join(warnings or ["no gold file"]) + "\n", 2
            store = _open_store("memory")
            report = _ingest([str(g.article_path) for g in present], store, progress)
            for f in list(report.failed) + list(report.quarantined):
                warnings.append(f"{f.source}: not ingested: {f.reason}")
            golds = present
        else:
            store = _open_store(store_location, read_only=store_location != "memory")
        result = evaluate_golds(golds, store)
    except KGError as exc:
        log.debug("evaluate: %s", exc)  # the caller prints the returned "error: ..." line
        return f"error: {exc}\n", 2
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()
    result.warnings[:0] = warnings
    if as_json:
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", 0
    return render(result, details), 0
