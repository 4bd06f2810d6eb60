"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store`` (https://www.w3.org/TR/sparql11-http-rdf-update/).

Graph identification (GSP §4):

* indirect — ``/store?default`` (the store's default graph) or ``/store?graph=<IRI>``
  (percent-decoded once, as any query-string value);
* direct — ``/store/<path>``: the graph whose IRI is the request URL itself
  (e.g. ``http://host/store/person/1.ttl``).

Methods (GSP §5): ``GET``/``HEAD`` the graph in the negotiated RDF format
(:mod:`service.protocol`; 404 if a named graph is absent); ``PUT`` replaces it (201 when
it is new, else 204); ``POST`` merges into it (201 new / 204), with a single RDF body or a
``multipart/form-data`` body of RDF parts; ``DELETE`` removes it (204; 404 if absent).
201 and 204 answers have no body and no ``Content-Type``.
``POST /store`` (no graph named) creates a new graph ``<root>/store/<uuid>`` and answers
201 with its IRI in ``Location`` (GSP §5.5). ``GET /store`` (no graph named) gives the
whole dataset as TriG or N-Quads (as Oxigraph server does; ``Accept`` or ``format=trig|nquads``).

Bodies: Turtle, N-Triples, N3, RDF/XML, JSON-LD (``kg.graphstore.GRAPH_INPUT_FORMATS``),
UTF-8; relative IRIs resolve against the graph IRI. Each write is one Oxigraph
transaction (``kg.graphstore``): a body that fails to parse, or a write that fails,
leaves the graph as it was. Writes need :func:`service.auth.require_write`.
"""

from __future__ import annotations

import logging
import uuid

from flask import Blueprint, Request, Response, request

from kg import graphstore
from kg.errors import QueryError
from kg.graphstore import RDFSyntaxError
from kg.oxigraph import named_node
from kg.store import GraphNotFoundError
from service.auth import init_writes, require_write, write_lock
from service.db import get_store
from service.errors import APIError
from service.protocol import MEDIA_TYPE, accept_ranges, format_param, negotiate, no_body

log = logging.getLogger(__name__)

bp = Blueprint("gsp", __name__)
bp.record_once(lambda state: init_writes(state.app))

METHODS = ["GET", "PUT", "POST", "DELETE"]  # HEAD is answered by Flask from GET
#: Dataset formats for GET /store -> (kg.oxigraph.RDF_FORMATS key, media type).
DATASET_MEDIA = (("application/trig", "trig"), ("application/n-quads", "nquads"))


@bp.route("/store", methods=METHODS)
def graph_store() -> Response:
    """Indirect identification (``?default`` / ``?graph=``), or the graph store itself."""
    names = request.args.getlist("graph")
    if "default" in request.args and names:
        raise APIError(400, "Ambiguous graph", "give either ?default or ?graph=IRI, not both")
    if len(names) > 1:
        raise APIError(400, "More than one graph", f"got {len(names)} 'graph' parameters; name exactly one graph")
    if "default" in request.args:
        return _operate(None)
    if names:
        if not names[0].strip():
            raise APIError(400, "Missing graph IRI", "the 'graph' parameter is empty")
        return _operate(names[0])
    if request.method == "POST":
        return _create()
    if request.method in ("GET", "HEAD"):
        return _dataset()
    raise APIError(400, "No graph named", f"{request.method} /store needs ?default or ?graph=IRI")


@bp.route("/store/<path:_path>", methods=METHODS)
def direct_graph(_path: str) -> Response:
    """Direct identification: the graph IRI is the request URL (without its query string)."""
    return _operate(request.base_url)


def _operate(graph: str | None) -> Response:
    store = get_store()
    if graph is not None:
        try:
            named_node(graph)
        except QueryError as exc:
            raise APIError(400, "Invalid graph IRI", str(exc)) from None
    what = "the default graph" if graph is None else f"graph <{graph}>"
    if request.method in ("GET", "HEAD"):
        if not graphstore.graph_exists(store, graph):
            raise GraphNotFoundError(f"no graph <{graph}> in the store {store.location}")
        fmt = negotiate(request, graph=True, what="graph")
        data = graphstore.serialize_graph(store, graph, fmt)
        response = Response(data, content_type=MEDIA_TYPE[fmt])
        response.headers["Vary"] = "Accept"
        return response
    require_write(request, f"{request.method} on {what}")
    if request.method == "DELETE":
        with write_lock():
            graphstore.delete_graph(store, graph)  # GraphNotFoundError -> 404
        return no_body(204)
    triples = read_graph_body(request, graph or request.base_url)
    with write_lock():
        if request.method == "PUT":
            created = graphstore.put_graph(store, graph, triples)
        else:
            created = graphstore.post_graph(store, graph, triples)
    log.info("%s %s: %d triples", request.method, what, len(triples))
    return no_body(201 if created else 204)


def _create() -> Response:
    """POST to the graph store: a new graph with a fresh IRI under ``/store/`` (GSP §5.5)."""
    require_write(request, "creating a graph")
    iri = f"{request.url_root}store/{uuid.uuid4().hex}"
    triples = read_graph_body(request, iri)
    with write_lock():
        graphstore.put_graph(get_store(), iri, triples)
    return no_body(201, Location=iri)


def _dataset() -> Response:
    """The whole dataset as TriG or N-Quads: ``format=trig|nquads``, else ``Accept``, else TriG."""
    offers = [media for media, _ in DATASET_MEDIA]
    param = format_param(request)
    if param:
        by_name = {fmt: media for media, fmt in DATASET_MEDIA}
        best = by_name.get(param.lower())
        if best is None:
            raise APIError(406, "Not acceptable", f"format={param!r} does not fit the whole dataset; "
                                                  f"use one of {', '.join(by_name)}")
    else:
        accept = accept_ranges(request)
        best = accept.best_match(offers) if accept else offers[0]
        if best is None:
            raise APIError(406, "Not acceptable", f"no dataset format matches Accept: "
                                                  f"{request.headers.get('Accept')}; offered: {', '.join(offers)}")
    fmt = dict(DATASET_MEDIA)[best]
    response = Response(get_store().serialize(fmt), content_type=best)
    response.headers["Vary"] = "Accept"
    return response


def read_graph_body(req: Request, base_iri: str) -> list:
    """The triples of a PUT/POST body: one RDF document, or every part of a multipart/form-data body.

    Args:
        req: The request.
        base_iri: Base IRI for relative IRIs (the target graph's IRI).

    Returns:
        pyoxigraph triples (fresh blank nodes per document).

    Raises:
        APIError: 415 unsupported media type or charset, 400 a body that does not parse.
    """
    try:
        if req.mimetype == "multipart/form-data":
            parts = list(req.files.items(multi=True))
            if not parts:
                raise APIError(400, "Empty multipart body", "the multipart/form-data body has no file parts")
            triples = []
            for name, part in parts:
                media = part.mimetype or _media_from_name(part.filename or name)
                _check_media(media, part.mimetype_params.get("charset"), f"part {name!r}")
                triples += graphstore.parse_graph(part.read(), media, base_iri, f"part {name!r}")
            return triples
        _check_media(req.mimetype, req.mimetype_params.get("charset"), "the request body")
        return graphstore.parse_graph(req.get_data(), req.mimetype, base_iri)
    except RDFSyntaxError as exc:
        raise APIError(400, "Malformed RDF", str(exc)) from None


def _check_media(media: str, charset: str | None, what: str) -> None:
    if media not in graphstore.GRAPH_INPUT_FORMATS:
        raise APIError(415, "Unsupported media type",
                       f"{what} is {media or 'untyped'}; send one of {', '.join(graphstore.GRAPH_INPUT_FORMATS)}")
    if charset and charset.lower() not in ("utf-8", "utf8"):
        raise APIError(415, "Unsupported charset", f"{what} must be UTF-8, not {charset!r}")


def _media_from_name(name: str) -> str:
    """Media type of a multipart part without a Content-Type, from its file name's extension."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for media, fmt in graphstore.GRAPH_INPUT_FORMATS.items():
        if fmt.file_extension == suffix:
            return media
    return ""

