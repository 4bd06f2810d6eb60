"""Errors of the HTTP service, all answered in one JSON shape.

Every error response body is::

    {"error": {"status": 400, "title": "Malformed SPARQL query", "detail": "error at 1:8: ..."}}

with ``Content-Type: application/json``, never a SPARQL result format and never a
stack trace. Status codes (the pattern of Datasette's ``datasette/utils/asgi.py``):

======  ==========================================================================
400     malformed SPARQL (:class:`kg.errors.QueryError`), missing/duplicated parameter
403     SPARQL Update or SERVICE sent to the read-only query endpoint; LOAD (:mod:`service.safety`)
404     unknown route, graph not in the store (:class:`kg.store.GraphNotFoundError`)
405     method other than GET/POST
406     no result format the ``Accept`` header allows
413     request body too large (``MAX_CONTENT_LENGTH``, setting ``max_body_bytes``)
415     POST body that is neither form-encoded nor ``application/sparql-query`` UTF-8
500     store failure (:class:`kg.errors.StoreError`) or a bug (logged with traceback)
503     query timeout, or no query worker free before it (:mod:`service.limits`)
======  ==========================================================================

Every response, errors included, carries ``X-Request-Id``; the server's log lines about
the request (access log, traceback) name that id (:mod:`service.accesslog`).
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
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
    response = error_response(status, exc.name, exc.description or exc.name)
    if status == 405 and exc.get_response().headers.get("Allow"):
        response.headers["Allow"] = exc.get_response().headers["Allow"]
    return response


def register_error_handlers(app: Flask) -> None:
    """Answer APIError, QueryError, GraphNotFoundError, StoreError and HTTP errors in the JSON shape."""
    app.register_error_handler(APIError, _api_error)
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(GraphNotFoundError, _graph_not_found)
    app.register_error_handler(StoreError, _store_error)
    app.register_error_handler(HTTPException, _http_error)
