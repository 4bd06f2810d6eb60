"""HTTP plumbing shared by the SPARQL endpoints: media types, content negotiation, bodies.

Content negotiation (RFC 9110 §12.5.1): the ``Accept`` header with q-values, matched by
werkzeug's ``MIMEAccept.best_match`` (highest quality wins, then the more specific
range, then the order of our offers: the first offer is the default and answers
``*/*`` or a missing header). The response is labelled with the registered media type of
the format chosen (``Accept: application/json`` gets ``application/sparql-results+json``). A ``format=`` parameter (query string or form field)
overrides the header, for browsers and links::

    /sparql?query=...&format=csv          /store?graph=...&format=ntriples

Media types sent (https://www.w3.org/TR/sparql11-protocol/#query-success and the
format specs): SELECT/ASK ``application/sparql-results+json`` (default), ``+xml``,
``text/csv``, ``text/tab-separated-values``; graphs (CONSTRUCT/DESCRIBE, GSP GET, the
service and VoID descriptions) ``text/turtle`` (default), ``application/n-triples``,
``application/ld+json``, ``application/rdf+xml``. Text types carry ``; charset=utf-8``.

A response without a body (``204 No Content``; ``201 Created`` of a Graph Store write) has
no ``Content-Type`` either (:func:`no_body`; RFC 9110 §8.3: a sender generating content
sends its type; there is none here).
"""

from __future__ import annotations

from flask import Request, Response
from werkzeug.datastructures import MIMEAccept

from kg.errors import QueryError
from kg.oxigraph import named_node
from service.errors import APIError

#: Offered media types, default first, for SELECT/ASK results -> kg.oxigraph.RESULT_FORMATS key.
#: The generic aliases come after every registered type, so that a wildcard (``text/*``,
#: ``application/*``) picks a registered type, which is the one the response is labelled with.
RESULT_MEDIA: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
)
#: Offered media types, default first, for RDF graphs -> kg.oxigraph.RDF_FORMATS key (aliases last, as above).
GRAPH_MEDIA: tuple[tuple[str, str], ...] = (
    ("text/turtle", "turtle"),
    ("application/n-triples", "ntriples"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/x-turtle", "turtle"),
    ("application/xml", "rdfxml"),
    ("text/xml", "rdfxml"),
)
#: ``format=`` parameter values per result kind.
FORMAT_PARAM: dict[str, dict[str, str]] = {
    "table": {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"},
    "graph": {"turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples",
              "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld", "rdfxml": "rdfxml", "xml": "rdfxml"},
}
#: Media type written for each format key.
MEDIA_TYPE: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


def format_param(req: Request) -> str | None:
    """The ``format=`` parameter of the query string or of a form body, if any."""
    return req.args.get("format") or (req.form.get("format") if req.mimetype == FORM else None)


def negotiate(req: Request, graph: bool, what: str = "result") -> str:
    """The format key for a table (SELECT/ASK) or graph response: ``format=``, else ``Accept``, else default.

    Args:
        req: The request.
        graph: True for an RDF graph, False for SPARQL results.
        what: Names the response in messages ("SELECT result", "graph").

    Returns:
        A key of ``kg.oxigraph.RESULT_FORMATS`` (table) or ``RDF_FORMATS`` (graph).

    Raises:
        APIError: 406 when neither the parameter nor the Accept header allows a format.
    """
    offers = GRAPH_MEDIA if graph else RESULT_MEDIA
    by_param = FORMAT_PARAM["graph" if graph else "table"]
    param = format_param(req)
    if param:
        if param.lower() in by_param:
            return by_param[param.lower()]
        raise APIError(406, "Not acceptable",
                       f"format={param!r} does not fit a {what}; use one of {', '.join(by_param)}")
    accept = accept_ranges(req)
    if not accept:
        return offers[0][1]
    best = accept.best_match([media for media, _ in offers])
    if best is None:
        raise APIError(406, "Not acceptable",
                       f"no {what} format matches Accept: {req.headers.get('Accept')}; "
                       f"offered: {', '.join(media for media, _ in offers)}")
    return dict(offers)[best]


def accept_ranges(req: Request) -> MIMEAccept:
    """The request's ``Accept`` media ranges with their q-values, other parameters dropped.

    ``Accept: text/turtle; charset=utf-8`` (as the GSP tests send) must match our
    ``text/turtle``, which we always write in UTF-8; werkzeug would match parameters too.
    """
    return MIMEAccept([(value.split(";", 1)[0].strip(), quality) for value, quality in req.accept_mimetypes])


def prefers_html(req: Request) -> bool:
    """True when ``req`` is a browser's: no ``format=``, and ``text/html`` is its best match in ``Accept``.

    ``text/html`` is offered last, after :data:`GRAPH_MEDIA`, so ``*/*`` or a missing header never
    picks it; a browser's ``text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8``
    does (q=1 beats ``application/xml`` at q=0.9), and ``Accept: text/turtle`` does not.
    """
    if format_param(req):
        return False
    accept = accept_ranges(req)
    return bool(accept) and accept.best_match([media for media, _ in GRAPH_MEDIA] + ["text/html"]) == "text/html"


def utf8_body(req: Request, what: str) -> str:
    """The request body decoded as UTF-8 (the only charset SPARQL bodies may have).

    Raises:
        APIError: 415 another ``charset`` parameter, 400 bytes that are not UTF-8.
    """
    charset = req.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise APIError(415, "Unsupported charset", f"a {req.mimetype} body must be UTF-8, not {charset!r}")
    try:
        return req.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise APIError(400, "Body is not UTF-8", f"the {what} body is not valid UTF-8: {exc}") from None


def one_value(values: list[str], name: str, what: str) -> str:
    """The single non-blank value of parameter ``name``.

    Raises:
        APIError: 400 when there is none or more than one.
    """
    values = [v for v in values if v.strip()]
    if not values:
        raise APIError(400, f"Missing {what}", f"give the SPARQL {what} in the '{name}' parameter or the request body")
    if len(values) > 1:
        raise APIError(400, f"More than one {what}", f"got {len(values)} {what} strings; send exactly one")
    return values[0]


def no_body(status: int = 204, **headers: str) -> Response:
    """An empty response with ``status`` (204, or 201 for a created graph) and no ``Content-Type``.

    ``headers`` (e.g. ``Location="http://..."``) are set on it as given.
    """
    response = Response(status=status)
    del response.headers["Content-Type"]  # werkzeug adds text/html by default; there is no content
    for name, value in headers.items():
        response.headers[name] = value
    return response


def graph_iris(values: list[str], name: str) -> list[str]:
    """The values of dataset parameter ``name`` (``default-graph-uri``, ``using-graph-uri``...), checked.

    Raises:
        APIError: 400 "Invalid <name>" naming the value when one is not an absolute IRI.
    """
    for value in values:
        try:
            named_node(value)
        except QueryError as exc:
            raise APIError(400, f"Invalid {name}", f"{name}: {exc}; give an absolute IRI") from None
    return values
