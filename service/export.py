"""Dump endpoints: the whole dataset, or one article graph.

* ``GET /export`` — every graph as TriG (``?format=nquads`` for N-Quads).
* ``GET /export/graph?iri=<graph IRI>`` — one named graph as Turtle
  (``?format=ntriples|jsonld|rdfxml|trig|nquads``); 404 if absent, 400 if ``iri`` is not an IRI.
* ``GET /graph/<article_id>`` — the article's graph ``id/graph/{article_id}`` with the descriptions
  of its actors (``kg.export.export_data``, as ``kg export --graph``), same formats.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from kg.export import DATASET_FORMATS, GRAPH_FORMATS, article_graph_iri, export_data
from service.db import get_store
from service.errors import APIError
from service.protocol import graph_iris

bp = Blueprint("export", __name__)


def _format(allowed: tuple[str, ...], default: str) -> str:
    fmt = request.args.get("format", default).lower()
    if fmt not in allowed:
        raise APIError(400, "Unknown format", f"format={fmt!r}; use one of {', '.join(allowed)}")
    return fmt


def _graph_response(iri: str, filename: str, with_actors: bool = False) -> Response:
    from kg.store import RDF_FORMATS

    fmt = _format(GRAPH_FORMATS, "turtle")
    store = get_store()
    data = export_data(store, iri, fmt) if with_actors else store.serialize(fmt, iri)  # GraphNotFoundError -> 404
    response = Response(data, content_type=_text(RDF_FORMATS[fmt].media_type))
    response.headers["Content-Disposition"] = f'inline; filename="{filename}.{RDF_FORMATS[fmt].file_extension}"'
    return response


def _text(media_type: str) -> str:
    return media_type + "; charset=utf-8" if "charset" not in media_type else media_type


@bp.get("/export")
def export_dataset() -> Response:
    """The whole dataset (every named graph and the default graph)."""
    from kg.store import RDF_FORMATS

    fmt = _format(DATASET_FORMATS, "trig")
    data = get_store().serialize(fmt)
    response = Response(data, content_type=_text(RDF_FORMATS[fmt].media_type))
    response.headers["Content-Disposition"] = f'attachment; filename="geokg.{RDF_FORMATS[fmt].file_extension}"'
    return response


@bp.get("/export/graph")
def export_graph() -> Response:
    """One named graph, by its IRI in ``?iri=``."""
    iri = request.args.get("iri", "").strip()
    if not iri:
        raise APIError(400, "Missing graph IRI", "give the named graph's IRI in the 'iri' parameter")
    graph_iris([iri], "iri")  # 400 "Invalid iri" for a value that is not an absolute IRI
    return _graph_response(iri, "graph")


@bp.get("/graph/<article_id>")
def article_graph(article_id: str) -> Response:
    """The named graph of article ``article_id`` with its actors' descriptions, as ``kg export --graph``."""
    return _graph_response(str(article_graph_iri(article_id)), article_id, with_actors=True)
