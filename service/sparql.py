"""The SPARQL 1.1 Protocol query endpoint ``/sparql`` (read-only).

Requests (https://www.w3.org/TR/sparql11-protocol/#query-operation):

* ``GET /sparql?query=...``
* ``POST /sparql`` with ``application/x-www-form-urlencoded`` body ``query=...``
* ``POST /sparql`` with an ``application/sparql-query`` UTF-8 body

plus the protocol's ``default-graph-uri`` / ``named-graph-uri`` parameters (they
replace the query's FROM/FROM NAMED; without any of them the default graph is the
union of all graphs). Results are written by Oxigraph (``KGStore.execute``):
SELECT/ASK as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT/DESCRIBE as
Turtle (default), N-Triples, JSON-LD or RDF/XML, chosen by the ``Accept`` header
(q-values via werkzeug's ``best_match``) or a ``format`` parameter (``json``,
``xml``, ``csv``, ``tsv``, ``turtle``, ``ntriples``, ``jsonld``, ``rdfxml``).
Relative IRIs in a query resolve against the endpoint URL (the protocol's
"service-defined BASE URI").

SPARQL Update and federated ``SERVICE`` calls are refused with 403 (the store is
written by ``kg ingest``; SERVICE would let any client make the server send HTTP
requests). Set ``ALLOW_SERVICE = True`` in the app config to permit SERVICE.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Request, Response, current_app, request

from kg.store import NativeResult
from service.db import get_store
from service.errors import APIError

log = logging.getLogger(__name__)

bp = Blueprint("sparql", __name__)

#: Offered media types, default first, for SELECT/ASK results -> RESULT_FORMATS key.
RESULT_MEDIA: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
)
#: Offered media types, default first, for CONSTRUCT/DESCRIBE results -> RDF_FORMATS key.
GRAPH_MEDIA: tuple[tuple[str, str], ...] = (
    ("text/turtle", "turtle"),
    ("application/x-turtle", "turtle"),
    ("application/n-triples", "ntriples"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/xml", "rdfxml"),
    ("text/xml", "rdfxml"),
)
#: ``format=`` parameter values per result kind.
FORMAT_PARAM: dict[str, dict[str, str]] = {
    "table": {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"},
    "graph": {"turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples",
              "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld", "rdfxml": "rdfxml", "xml": "rdfxml"},
}

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

# Tokens to skip when looking for the SERVICE keyword: strings, IRIs, comments.
_SERVICE_SCAN = re.compile(
    r'''(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*'
        |<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n\r]*)
       |(?<![\w:?$-])(?P<service>SERVICE)(?![\w:-])''',
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Answer one SPARQL query (see the module docstring); errors in the service's JSON shape."""
    query, default_graphs, named_graphs = read_query(request)
    if not current_app.config.get("ALLOW_SERVICE") and uses_service(query):
        raise APIError(403, "SERVICE not allowed",
                       "federated queries (SERVICE) are disabled on this endpoint; query the stored graphs only")
    result = get_store().execute(query, default_graphs=default_graphs, named_graphs=named_graphs,
                                 base_iri=request.base_url)
    fmt = negotiate(result, request)
    data, media_type = result.serialize(fmt)
    response = Response(data, status=200, content_type=media_type)
    response.headers["Vary"] = "Accept"
    return response


def read_query(req: Request) -> tuple[str, list[str] | None, list[str] | None]:
    """Extract the query and the protocol dataset from a request.

    Returns:
        (query text, default-graph-uri list or None, named-graph-uri list or None).

    Raises:
        APIError: 400 missing/duplicated query or non-UTF-8 body, 403 an update,
            415 a POST body of another media type or charset.
    """
    params = req.args
    if req.method == "GET":
        queries = params.getlist("query")
        if "update" in params:
            raise _update_refused()
    else:
        media = req.mimetype
        if media == FORM:
            if "update" in req.form:
                raise _update_refused()
            queries = params.getlist("query") + req.form.getlist("query")
            params = req.values
        elif media == SPARQL_QUERY:
            charset = req.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise APIError(415, "Unsupported charset",
                               f"an application/sparql-query body must be UTF-8, not {charset!r}")
            try:
                body = req.get_data(cache=False).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise APIError(400, "Body is not UTF-8", f"the query body is not valid UTF-8: {exc}") from None
            queries = params.getlist("query") + [body]
        elif media == SPARQL_UPDATE:
            raise _update_refused()
        else:
            raise APIError(415, "Unsupported media type",
                           f"POST the query form-encoded ({FORM}) or as {SPARQL_QUERY}; "
                           f"got {media or 'no Content-Type'}")
    queries = [q for q in queries if q.strip()]
    if not queries:
        raise APIError(400, "Missing query", "give the SPARQL query in the 'query' parameter or the request body")
    if len(queries) > 1:
        raise APIError(400, "More than one query", f"got {len(queries)} queries; send exactly one")
    default_graphs = params.getlist("default-graph-uri") or None
    named_graphs = params.getlist("named-graph-uri") or None
    return queries[0], default_graphs, named_graphs


def negotiate(result: NativeResult, req: Request) -> str:
    """The format key for ``result``: from ``format=``, else the ``Accept`` header, else the default.

    Raises:
        APIError: 406 when neither the parameter nor the Accept header allows a format for this kind.
    """
    graph = result.kind == "CONSTRUCT"
    offers = GRAPH_MEDIA if graph else RESULT_MEDIA
    by_param = FORMAT_PARAM["graph" if graph else "table"]
    param = req.args.get("format") or (req.form.get("format") if req.mimetype == FORM else None)
    if param:
        if param.lower() in by_param:
            return by_param[param.lower()]
        raise APIError(406, "Not acceptable",
                       f"format={param!r} does not fit a {result.kind} result; use one of {', '.join(by_param)}")
    accept = req.accept_mimetypes
    if not accept:
        return offers[0][1]
    best = accept.best_match([media for media, _ in offers])
    if best is None:
        raise APIError(406, "Not acceptable",
                       f"no {result.kind} result format matches Accept: {req.headers.get('Accept')}; "
                       f"offered: {', '.join(media for media, _ in offers)}")
    return dict(offers)[best]


def uses_service(query: str) -> bool:
    """True when ``query`` contains the SERVICE keyword outside strings, IRIs and comments."""
    return any(m.group("service") for m in _SERVICE_SCAN.finditer(query))


def _update_refused() -> APIError:
    return APIError(403, "Update not allowed",
                    "this endpoint is read-only and does not accept SPARQL Update; "
                    "the store is written by `kg ingest`")
