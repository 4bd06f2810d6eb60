"""Errors of the HTTP service, all answered in one JSON shape.

Every error response body is::

    {"error": {"status": 400, "title": "Malformed SPARQL query", "detail": "error at 1:8: ..."}}

with ``Content-Type: application/json``, never a SPARQL result format and never a
stack trace. The title names the input that was wrong: "Malformed SPARQL query" (a
:class:`kg.errors.QueryError` that reaches this module), "Malformed SPARQL update"
(:mod:`service.update`), "Malformed RDF" (a Graph Store body), "Invalid default-graph-uri"
and the like for a parameter that is not an IRI (:func:`service.protocol.graph_iris`).
Status codes (the pattern of Datasette's ``datasette/utils/asgi.py``):

======  ==========================================================================
400     malformed SPARQL query or update, malformed RDF, a parameter that is missing,
        repeated or not an IRI, an update that cannot be applied ("Update failed")
401     a write without the bearer token, or with another (``WWW-Authenticate``; :mod:`service.auth`)
403     writes disabled; SERVICE (unless ``allow_service``) and LOAD (:mod:`service.safety`)
404     unknown route, graph not in the store (:class:`kg.store.GraphNotFoundError`)
405     a method the route does not answer (the ``Allow`` header lists those it does)
406     no result format the ``Accept`` header or the ``format=`` parameter allows
413     request body too large (``MAX_CONTENT_LENGTH``, setting ``max_body_bytes``)
415     a body of a media type or charset the route does not read
422     ``POST /articles``: an article does not conform to the SHACL shapes
500     store failure (:class:`kg.errors.StoreError`) or a bug (logged with traceback)
503     query timeout, or no query worker free before it (:mod:`service.limits`)
======  ==========================================================================

Every response, errors included, carries ``X-Request-Id``; the server's log lines about
the request (access log, traceback) name that id (:mod:`service.accesslog`).
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from kg.errors import QueryError, StoreError
from kg.store import GraphNotFoundError

log = logging.getLogger(__name__)


class APIError(Exception):
    """An error the service answers with ``status``; ``title`` is short, ``detail`` says the fix.

    Args:
        status: HTTP status code.
        title: Short summary ("Missing query").
        detail: What was wrong and how to fix it.
    """

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.title = title
        self.detail = detail


def error_response(status: int, title: str, detail: str) -> Response:
    """The one JSON error body, with ``status``."""
    response = jsonify({"error": {"status": status, "title": title, "detail": detail}})
    response.status_code = status
    return response


def _api_error(exc: APIError) -> Response:
    return error_response(exc.status, exc.title, exc.detail)


def _query_error(exc: QueryError) -> Response:
    return error_response(400, "Malformed SPARQL query", str(exc))


def _graph_not_found(exc: GraphNotFoundError) -> Response:
    return error_response(404, "Graph not found", str(exc))


def _store_error(exc: StoreError) -> Response:
    log.error("store error: %s", exc)
    return error_response(500, "Store error", str(exc))


def _http_error(exc: HTTPException) -> Response:
    # Also reached for unhandled exceptions: Flask logs them with their traceback
    # (Flask.log_exception) and hands over an InternalServerError with a generic text.
    status = exc.code or 500
    allow = exc.get_response().headers.get("Allow") if status == 405 else None
    detail = exc.description or exc.name
    if detail == type(exc).description:  # werkzeug's generic text: say what this request got wrong
        detail = _detail(status, allow) or detail
    response = error_response(status, exc.name, detail)
    if allow:
        response.headers["Allow"] = allow
    return response


def _detail(status: int, allow: str | None) -> str | None:
    """A detail naming the request's path, method or size for werkzeug's generic 404/405/413/500."""
    if status == 404:
        return (f"no resource at {request.path}; the service answers /sparql, /store, /articles, /export, "
                "/graph/<article id>, /id/..., /.well-known/void, /healthz and / (the query page)")
    if status == 405:
        return f"{request.method} is not allowed on {request.path}; allowed: {allow or 'none'}"
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        size = f" ({request.content_length} bytes)" if request.content_length is not None else ""
        return (f"the request body{size} is larger than the limit of {limit} bytes (setting max_body_bytes: "
                "KG_MAX_BODY_BYTES or kg serve --max-body-bytes)")
    if status == 500:
        rid = g.get("request_id")
        return "internal error; the server log has the details" + (f" under request id {rid}" if rid else "")
    return None


def register_error_handlers(app: Flask) -> None:
    """Answer APIError, QueryError, GraphNotFoundError, StoreError and HTTP errors in the JSON shape."""
    app.register_error_handler(APIError, _api_error)
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(GraphNotFoundError, _graph_not_found)
    app.register_error_handler(StoreError, _store_error)
    app.register_error_handler(HTTPException, _http_error)
