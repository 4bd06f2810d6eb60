"""The ingest pipeline: read → parse → entities → link → events → to_rdf → validate → store.

Each stage lives in its own module; this one only wires them and keeps the batch
going when one article fails. Nothing already stored is touched by a failing
article: its graph and its actors' descriptions are validated together in memory
first, and only a conforming article replaces its named graph and merges its actors
into ``id/graph/actors`` (one transaction, ``KGStore.write_articles``; layout in
:mod:`kg.actors`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from kg.errors import KGError, ReadError
from kg.model import Article, Extraction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredArticle:
    """An article whose graph conformed and was stored.

    Attributes:
        source: The path or name it was read from.
        article_iri: IRI of its gk:Article node.
        graph_iri: IRI of its named graph.
        counts: Number of items stored by kind: entities, meetings, statements, positions, triples
            (of the article graph; its actors' triples go to the shared actors graph).
    """

    source: str
    article_iri: str
    graph_iri: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Failure:
    """An input that was not stored: ``reason`` says why; ``report_path`` is the kept SHACL report."""

    source: str
    reason: str
    report_path: str | None = None
    report: str | None = None


@dataclass
class IngestReport:
    """Outcome of one batch: stored articles, read/extraction failures, and SHACL quarantines."""

    stored: list[StoredArticle] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    quarantined: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every input was stored."""
        return not self.failed and not self.quarantined


#: Singular of each ``StoredArticle.counts`` kind (and of "articles") for report lines.
SINGULAR = {"articles": "article", "entities": "entity", "meetings": "meeting", "statements": "statement",
            "positions": "position", "triples": "triple"}


def count_phrase(n: int, kind: str) -> str:
    """``n`` and the plural ``kind`` in the right number: (1, "meetings") -> "1 meeting", (0, ...) -> "0 meetings".

    A kind not in :data:`SINGULAR` is written as given.
    """
    return f"{n} {SINGULAR.get(kind, kind) if n == 1 else kind}"


class Pipeline:
    """The extraction stages with their loaded resources (spaCy pipeline, gazetteer).

    Args:
        spacy_model: Name or path of a spaCy pipeline; None = the ``spacy_model`` setting.

    Raises:
        ModelError: the spaCy pipeline cannot be loaded.
        GazetteerError: the gazetteer cannot be loaded.
    """

    def __init__(self, spacy_model: str | None = None) -> None:
        from kg import settings
        from kg.nlp import load_pipeline

        self.nlp = load_pipeline(settings.get("spacy_model", spacy_model))
        self.gazetteer  # noqa: B018 - load it now, so a broken gazetteer fails here and not per article

    @property
    def gazetteer(self):
        """The gazetteer of the ``gazetteer`` setting (``KG_GAZETTEER``), read at each access through
        :func:`kg.gazetteer.default_gazetteer`, which is cached and loads the file again when its
        mtime or size changes (docs/gazetteer.md): a long-lived Pipeline (the service's) follows a
        replaced gazetteer file.

        Raises:
            GazetteerError: the gazetteer cannot be loaded.
        """
        from kg.gazetteer import default_gazetteer

        return default_gazetteer()

    def extract(self, article: Article) -> Extraction:
        """Run parse → entities → link → roles from offices → events on one article.

        The gazetteer is the current one (:attr:`gazetteer`), read once per article.

        Returns:
            The Extraction with linked entities and all events.

        Raises:
            GazetteerError: the gazetteer file changed and cannot be loaded.
        """
        from kg.extract import extract_events
        from kg.extract.entities import extract_entities
        from kg.extract.roles import affiliate_from_offices
        from kg.linking import link_entities
        from kg.nlp import parse

        gazetteer = self.gazetteer  # one gazetteer for the whole article, even if the file changes meanwhile
        parsed = parse(article, self.nlp)
        entities = extract_entities(parsed, gazetteer)
        entities = link_entities(entities, article, gazetteer)
        entities = affiliate_from_offices(entities, article.published, gazetteer)
        return extract_events(parsed, entities, gazetteer)

    def process(self, article: Article, store, source: str, quarantine: Path | None) -> StoredArticle | Failure:
        """Extract, map, validate and (if it conforms) store one article.

        Returns:
            StoredArticle on success, or a Failure carrying the SHACL report (quarantined).
        """
        from kg.rdf.iris import article_iri
        from kg.rdf.mapping import to_graphs
        from kg.validate import validate_graph

        extraction = self.extract(article)
        parts = to_graphs(extraction)
        graph = parts.union()  # the shapes check the actors of the events: validate both parts together
        report = validate_graph(graph)
        if not report.conforms:
            path = quarantine_article(quarantine, article, graph, report.text)
            return Failure(source, "does not conform to the SHACL shapes", path, report.text)
        store.write_articles([parts])
        counts = {
            "entities": len(extraction.entities),
            "meetings": len(extraction.meetings),
            "statements": len(extraction.statements),
            "positions": len(extraction.positions),
            "triples": len(parts.article),
        }
        return StoredArticle(source, str(article_iri(article.article_id)), str(parts.graph_iri), counts)


def quarantine_article(directory: Path | None, article: Article, graph, report: str) -> str | None:
    """Keep a non-conforming article's graph and its SHACL report under ``directory``.

    Args:
        directory: The quarantine directory (created if missing); None = keep nothing.
        article: The article; its ``article_id`` names the files.
        graph: An rdflib Graph: the article graph with its actors' descriptions, so the file is
            self-contained. Written as ``{article_id}.ttl`` (Turtle).
        report: The pyshacl report text, written as ``{article_id}.report.txt`` after a
            ``source: {url}`` line.

    Returns:
        The report file's path, or None when ``directory`` is None.

    Raises:
        OSError: the directory or a file cannot be written.
    """
    if directory is None:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / article.article_id
    graph.serialize(destination=str(stem) + ".ttl", format="turtle")
    report_path = Path(str(stem) + ".report.txt")
    report_path.write_text(f"source: {article.url}\n\n{report}", encoding="utf-8")
    log.warning("quarantined %s: report at %s", article.url, report_path)
    return str(report_path)


def ingest(
    paths: Sequence[str],
    store,
    *,
    spacy_model: str | None = None,
    quarantine: Path | str | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    pipeline: Pipeline | None = None,
) -> IngestReport:
    """Ingest files, folders and globs into ``store``; one bad input never stops the batch.

    Args:
        paths: Files, folders (searched recursively) or glob patterns.
        store: A ``kg.store.KGStore``; each article's named graph is replaced atomically.
        spacy_model: spaCy pipeline name/path (None = setting ``spacy_model``).
        quarantine: Directory for non-conforming graphs and their reports (None = setting ``quarantine``).
        progress: Optional wrapper for the input iterable (e.g. ``tqdm``).
        pipeline: A loaded Pipeline to reuse (its ``spacy_model`` wins).

    Returns:
        IngestReport listing stored, failed (unreadable) and quarantined (non-conforming) inputs.
        After a batch that stored something, the roles and affiliations no article asserts any
        more and the actors no article refers to any more are removed (``kg.actors.prune_orphans``)
        and the canonical meetings of the whole store are recomputed (``kg.canonical.update_canonical``).
    """
    from kg import settings
    from kg.readers import iter_inputs, read_path_report

    pipeline = pipeline or Pipeline(spacy_model)
    qdir = Path(settings.get("quarantine", quarantine))
    report = IngestReport()
    inputs: list[Path] = []
    for p in paths:
        try:
            found = list(iter_inputs([p]))
        except ReadError as exc:
            report.failed.append(Failure(exc.source, exc.reason))
            continue
        if not found:
            report.failed.append(Failure(str(p), "no article files found (.txt, .html, .jsonl, .json, feeds)"))
        inputs.extend(found)
    iterable = progress(inputs) if progress else inputs
    for path in iterable:
        try:
            articles, errors = read_path_report(path)
        except Exception as exc:  # a reader bug on one file must not stop the batch; logged with traceback
            log.exception("%s: internal error while reading", path)
            report.failed.append(Failure(str(path), f"internal error: {type(exc).__name__}: {exc}"))
            continue
        report.failed.extend(Failure(e.source, e.reason) for e in errors)
        for article in articles:
            _ingest_one(pipeline, article, store, str(path), qdir, report)
    _update_canonical(store, report)
    return report


def ingest_articles(articles: Iterable[Article], store, *, pipeline: Pipeline | None = None,
                    quarantine: Path | str | None = None) -> IngestReport:
    """Ingest already-read articles (e.g. an HTTP upload); same guarantees as :func:`ingest`."""
    from kg import settings

    pipeline = pipeline or Pipeline()
    qdir = Path(settings.get("quarantine", quarantine))
    report = IngestReport()
    for article in articles:
        _ingest_one(pipeline, article, store, article.url, qdir, report)
    _update_canonical(store, report)
    return report


def _update_canonical(store, report: IngestReport) -> None:
    """When the batch stored something: prune the actors graph (``kg.actors.prune_orphans``: the links
    no article asserts any more, the actors no graph refers to), so that the canonical meetings are
    computed from the current roles and affiliations; recompute the canonical meetings (graph
    ``id/graph/canonical``); prune again, for the actors only the previous canonical graph referred to.
    Failures are added to ``report.failed`` (the article graphs are stored; only derived data is stale)."""
    if not report.stored:
        return
    from kg.canonical import update_canonical

    pruned = _prune(store, report)
    try:
        update_canonical(store)
    except KGError as exc:
        log.debug("canonical meetings not updated: %s", exc)  # reported as a Failure
        report.failed.append(Failure("canonical meetings", str(exc)))
        return
    if pruned:
        _prune(store, report)


def _prune(store, report: IngestReport) -> bool:
    """``kg.actors.prune_orphans``; False (and a Failure in ``report``) when it failed."""
    from kg.actors import prune_orphans

    try:
        prune_orphans(store)
    except KGError as exc:  # stale descriptions only; every article graph is stored
        log.debug("orphan actors not pruned: %s", exc)  # reported as a Failure
        report.failed.append(Failure("orphan actors", str(exc)))
        return False
    return True


def _ingest_one(pipeline: Pipeline, article: Article, store, source: str, qdir: Path,
                report: IngestReport) -> None:
    try:
        outcome = pipeline.process(article, store, source, qdir)
    except KGError as exc:
        log.debug("%s: %s", source, exc)  # reported as a Failure (kg ingest prints it)
        report.failed.append(Failure(source, str(exc)))
        return
    except Exception as exc:  # a bug on one article must not stop the batch; logged with traceback
        log.exception("%s: internal error", source)
        report.failed.append(Failure(source, f"internal error: {type(exc).__name__}: {exc}"))
        return
    if isinstance(outcome, StoredArticle):
        report.stored.append(outcome)
    else:
        report.quarantined.append(outcome)
