"""The SPARQL 1.1 Protocol endpoint ``/sparql``: queries, updates, the service description.

Queries (https://www.w3.org/TR/sparql11-protocol/#query-operation):

* ``GET /sparql?query=...``
* ``POST /sparql`` with ``application/x-www-form-urlencoded`` body ``query=...``
* ``POST /sparql`` with an ``application/sparql-query`` UTF-8 body

plus the protocol's ``default-graph-uri`` / ``named-graph-uri`` parameters (they
replace the query's FROM/FROM NAMED; without any of them the default graph is the
union of all graphs). Dataset IRIs only ever name graphs of the store: Oxigraph takes
them as graph names (an IRI not in the store is an empty graph) and never fetches
anything. Every query runs on Oxigraph's engine (``KGStore.execute`` passes the text
and the dataset to ``pyoxigraph.Store.query``; there is no code path to rdflib's
engine) and results are written by Oxigraph: SELECT/ASK as SPARQL JSON (default),
XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, JSON-LD or
RDF/XML, chosen by ``Accept`` (q-values) or ``format=`` (:mod:`service.protocol`).
Relative IRIs in a query resolve against the endpoint URL (the protocol's
"service-defined BASE URI"). ``HEAD`` answers as ``GET`` without a body.

Updates (``update=`` form field or an ``application/sparql-update`` body) go to
:mod:`service.update` (writes must be enabled and authorised). ``GET /sparql`` with
neither ``query`` nor ``update`` returns the Service Description
(:mod:`service.description`), except to a browser (``text/html`` is the best match of its
``Accept`` and there is no ``format=``), which is sent to the query page ``/`` (303 See
Other). Federated ``SERVICE`` calls are refused with 403 unless the ``allow_service``
setting is on (SERVICE would let any client make the server send
HTTP requests): the app's store checks every query with Oxigraph's parser first
(:mod:`service.limits`, :mod:`service.safety`).
"""

from __future__ import annotations

import logging

from flask import Blueprint, Request, Response, redirect, request, url_for

from kg.store import PREFIXES, NativeResult
from service import description, safety, update
from service.auth import init_writes
from service.db import get_store
from service.errors import APIError
from service.protocol import (FORM, FORMAT_PARAM, GRAPH_MEDIA, MEDIA_TYPE, RESULT_MEDIA, SPARQL_QUERY,
                              SPARQL_UPDATE, graph_iris, one_value, prefers_html, utf8_body)
from service.protocol import negotiate as negotiate_format

__all__ = ["bp", "read_query", "negotiate", "uses_service", "FORM", "FORMAT_PARAM", "GRAPH_MEDIA",
           "RESULT_MEDIA", "SPARQL_QUERY", "SPARQL_UPDATE"]

log = logging.getLogger(__name__)

#: Parameters that make a GET a query (without any of them it asks for the service description).
QUERY_PARAMS = ("query", "default-graph-uri", "named-graph-uri")

bp = Blueprint("sparql", __name__)
bp.record_once(lambda state: init_writes(state.app))


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Answer one SPARQL query or update, or describe the service (see the module docstring)."""
    if update.is_update_request(request):
        return update.handle_update(request)
    if request.method in ("GET", "HEAD") and not any(p in request.args for p in QUERY_PARAMS):
        if prefers_html(request):
            return redirect(url_for("pages.index"), code=303)
        return description.service_description(request)
    query, default_graphs, named_graphs = read_query(request)
    # The app's store parses the query and refuses SERVICE (403) before running it (service.limits, .safety).
    result = get_store().execute(query, default_graphs=default_graphs, named_graphs=named_graphs,
                                 base_iri=request.base_url)
    fmt = negotiate(result, request)
    data, _ = result.serialize(fmt)
    response = Response(data, status=200, content_type=MEDIA_TYPE[fmt])
    response.headers["Vary"] = "Accept"
    return response


def read_query(req: Request) -> tuple[str, list[str] | None, list[str] | None]:
    """Extract the query and the protocol dataset from a request.

    Returns:
        (query text, default-graph-uri list, named-graph-uri list): both None when neither
        parameter is given (the union default graph and all named graphs), else both lists.

    Raises:
        APIError: 400 missing/duplicated query, non-UTF-8 body or a dataset parameter that is
            not an IRI ("Invalid default-graph-uri"), 415 a POST body of another media type or charset.
    """
    params = req.args
    if req.method in ("GET", "HEAD"):
        queries = params.getlist("query")
    else:
        media = req.mimetype
        if media == FORM:
            params = req.values
            queries = params.getlist("query")
        elif media == SPARQL_QUERY:
            queries = params.getlist("query") + [utf8_body(req, "query")]
        else:
            raise APIError(415, "Unsupported media type",
                           f"POST the query form-encoded ({FORM}) or as {SPARQL_QUERY}, or an update as "
                           f"{SPARQL_UPDATE}; got {media or 'no Content-Type'}")
    query = one_value(queries, "query", "query")
    default_graphs = graph_iris(params.getlist("default-graph-uri"), "default-graph-uri")
    named_graphs = graph_iris(params.getlist("named-graph-uri"), "named-graph-uri")
    if not default_graphs and not named_graphs:
        return query, None, None
    # Protocol §2.1.4: the parameters give the whole dataset, like FROM / FROM NAMED (Query §13.2):
    # default-graph-uri alone means no named graphs, named-graph-uri alone an empty default graph.
    return query, default_graphs, named_graphs


def negotiate(result: NativeResult, req: Request) -> str:
    """The format key for ``result``: from ``format=``, else the ``Accept`` header, else the default.

    Raises:
        APIError: 406 when neither the parameter nor the Accept header allows a format for this kind.
    """
    return negotiate_format(req, graph=result.kind == "CONSTRUCT", what=f"{result.kind} result")


def uses_service(query: str) -> bool:
    """True when the (well-formed) ``query`` uses the SERVICE keyword, as Oxigraph's parser sees it."""
    return safety.uses_keyword_query(query, "SERVICE", prefixes=PREFIXES)
