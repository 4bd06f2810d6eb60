"""``POST /articles``: ingest articles sent over HTTP, as ``kg ingest`` does for files.

The body is read by ``kg.readers.read_bytes_report`` by its ``Content-Type``:
``text/plain`` (corpus, seed or plain text layout), ``text/html`` (a web page),
``application/json`` (one article object or an array), JSON Lines
(``application/x-ndjson``, ``application/jsonl``...), or a feed; untyped bodies are sniffed.
Each article then goes through the ingest pipeline's stages — ``Pipeline.extract``
(parse, entities, linking, events), ``kg.rdf.mapping.to_graphs``, SHACL validation by
``kg.validate.validate_graph`` of the article graph with its actors' descriptions — exactly
as ``kg.pipeline.Pipeline.process`` runs them.

All or nothing: the graphs of all articles of the request are validated first and
stored together in one Oxigraph transaction (``KGStore.write_articles``): an article's
named graph replaces the one it had, its actors are merged into ``id/graph/actors``
(:mod:`kg.actors`). Answers:

* **201** ``{"stored": n, "events": total, "articles": [{"article", "graph", "source",
  "headline", "counts": {"events", "meetings", "statements", "positions", "entities",
  "triples"}, "shacl": {"conforms", "results", "focus_nodes", "report"}}]}`` and
  ``Location`` = ``/graph/<article id>`` of the first article;
* **422** when an article's graph does not conform (or cannot be mapped): the JSON error
  plus ``"articles"`` with each failing article's SHACL report and ``"quarantine"``, the path of
  the report kept, with the graph, in the ``quarantine`` directory (setting; as ``kg ingest``
  does, by ``kg.pipeline``'s quarantine function); nothing is stored;
* **400** an unreadable body (every problem named, e.g. ``request body:2: invalid JSON``),
  **415** an unsupported media type; nothing is stored;
* 401/403 unless writes are enabled and authorised (:mod:`service.auth`).

The spaCy pipeline is loaded lazily, once per app, on the first request (``kg.pipeline``
imports spaCy only then; ``service`` never imports it), or taken from the app config
``PIPELINE`` (a loaded ``kg.pipeline.Pipeline``). Extraction runs one request at a time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request

from kg.errors import GazetteerError, KGError, ModelError
from kg.canonical import update_canonical
from kg.actors import prune_orphans
from kg.rdf.iris import article_iri, graph_iri
from kg.readers import read_bytes_report
from kg.readers.dispatch import MEDIA_TYPES
from service.auth import EXTENSION, init_writes, require_write, write_lock
from service.db import get_store
from service.errors import APIError, error_response
from service.limits import config_value

log = logging.getLogger(__name__)

bp = Blueprint("articles", __name__)
bp.record_once(lambda state: init_writes(state.app))

BODY_NAME = "request body"


@dataclass
class Outcome:
    """One article after extraction, mapping and validation (not stored yet)."""

    article: object
    graph: object | None  # kg.rdf.mapping.ArticleGraphs
    counts: dict[str, int]
    report: object | None
    error: str | None = None

    def as_json(self) -> dict:
        a = self.article
        out = {"article": str(article_iri(a.article_id)), "graph": str(graph_iri(a.article_id)),
               "source": a.url, "headline": a.headline}
        if self.error is None:
            out["counts"] = self.counts
        if self.report is not None:
            out["shacl"] = {"conforms": self.report.conforms, "results": self.report.results_count,
                            "focus_nodes": list(self.report.focus_nodes), "report": self.report.text}
        if self.error is not None:
            out["error"] = self.error
        return out


def get_pipeline():
    """The app's ingest pipeline: config ``PIPELINE``, else a ``kg.pipeline.Pipeline`` loaded once.

    Raises:
        APIError: 503 when the spaCy pipeline or the gazetteer cannot be loaded.
    """
    state = current_app.extensions[EXTENSION]
    if state["pipeline"] is None:
        pipeline = current_app.config.get("PIPELINE")
        if pipeline is None:
            from kg.pipeline import Pipeline  # spaCy is imported by kg.nlp only when this loads

            try:
                pipeline = Pipeline()
            except (ModelError, GazetteerError) as exc:
                raise APIError(503, "Pipeline unavailable", f"the ingest pipeline cannot be loaded: {exc}") from None
            log.info("ingest pipeline loaded")
        state["pipeline"] = pipeline
    return state["pipeline"]


def process(pipeline, article) -> Outcome:
    """Extract, map and validate one article, as ``Pipeline.process`` does, without storing it."""
    from kg.rdf.mapping import to_graphs
    from kg.validate import validate_graph

    try:
        extraction = pipeline.extract(article)
        graph = to_graphs(extraction)
    except KGError as exc:
        log.error("%s: %s", article.url, exc)
        return Outcome(article, None, {}, None, error=str(exc))
    report = validate_graph(graph.union())
    counts = {"events": len(extraction.meetings) + len(extraction.statements) + len(extraction.positions),
              "meetings": len(extraction.meetings), "statements": len(extraction.statements),
              "positions": len(extraction.positions), "entities": len(extraction.entities),
              "triples": len(graph.article)}
    return Outcome(article, graph, counts, report)


@bp.post("/articles")
def post_articles() -> Response:
    """Ingest the articles of the body (see the module docstring)."""
    require_write(request, "POST /articles")
    media = request.headers.get("Content-Type")
    main = (media or "").split(";")[0].strip().lower()
    if main and main not in MEDIA_TYPES and main != "application/octet-stream":
        raise APIError(415, "Unsupported media type",
                       f"articles are read from text/plain, text/html, application/json, JSON Lines "
                       f"(application/x-ndjson) or a feed; got {main}")
    articles, errors = read_bytes_report(request.get_data(), BODY_NAME, media)
    if errors:
        raise APIError(400, "Unreadable articles", "; ".join(str(e) for e in errors) + "; nothing was stored")
    if not articles:
        raise APIError(400, "No articles", "the body holds no article; nothing was stored")
    state = current_app.extensions[EXTENSION]
    with state["pipeline_lock"]:
        pipeline = get_pipeline()
        outcomes = [process(pipeline, a) for a in articles]
    bad = [o for o in outcomes if o.error is not None or not o.report.conforms]
    if bad:
        # As `kg ingest` does (kg.pipeline): a non-conforming graph and its SHACL report are kept in
        # the `quarantine` directory; an article that could not be mapped has no graph to keep.
        from kg.pipeline import quarantine_article

        directory = Path(config_value(current_app.config, "quarantine"))
        entries = []
        for o in bad:
            entry = o.as_json()
            if o.error is None:
                try:
                    entry["quarantine"] = quarantine_article(directory, o.article, o.graph.union(), o.report.text)
                except OSError as exc:
                    log.error("%s not quarantined in %s: %s", o.article.url, directory, exc)
                    entry["quarantine"] = None
            entries.append(entry)
        detail = (f"{len(bad)} of {len(outcomes)} articles do not conform to the SHACL shapes or cannot be "
                  f"mapped ({', '.join(o.article.url for o in bad)}); nothing was stored")
        if any(e.get("quarantine") for e in entries):
            detail += f"; the non-conforming graphs and their SHACL reports are kept in {directory}"
        response = error_response(422, "Article does not conform", detail)
        body = response.get_json()
        body["articles"] = entries
        return _json(body, 422)
    with write_lock():
        get_store().write_articles([o.graph for o in outcomes])
        prune_orphans(get_store())  # retract unasserted roles/affiliations before the canonical sides use them
        update_canonical(get_store())  # the cross-article meetings graph, as after `kg ingest`
        prune_orphans(get_store())
    log.info("stored %d articles from %s", len(outcomes), request.remote_addr)
    body = {"stored": len(outcomes), "events": sum(o.counts["events"] for o in outcomes),
            "articles": [o.as_json() for o in outcomes]}
    response = _json(body, 201)
    response.headers["Location"] = f"{request.url_root}graph/{outcomes[0].article.article_id}"
    return response


def _json(body: dict, status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response
