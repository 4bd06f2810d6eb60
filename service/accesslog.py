"""One access-log line per request, a request id on every response, and errors that name their request.

* Each request gets an id: the client's ``X-Request-Id`` header when it is 1-64 letters,
  digits, ``-``, ``_`` or ``.``, else 16 random hex digits. The response carries it in
  ``X-Request-Id``; so do the log lines about the request.
* With the setting ``access_log`` on (default), the logger ``service.access`` writes at
  INFO, after each response::

      GET /sparql 200 12.3ms 1834B id=5f0c9e1a2b3c4d5e ip=127.0.0.1 ua="curl/8.5"

  (method, path without the query string, status, duration in milliseconds, body size,
  request id, client address and user agent; the query text itself is not logged).
* An exception that escapes a view is logged by Flask with its traceback on the server
  only (``app.log_exception``); a line on ``service.access`` names the request id, method
  and path next to it. The client gets the JSON 500 body of :mod:`service.errors`, never
  a stack trace.
"""

from __future__ import annotations

import logging
import re
import secrets
import time

from flask import Flask, g, got_request_exception, request

from service.limits import config_value

log = logging.getLogger("service.access")

REQUEST_ID_HEADER = "X-Request-Id"
_CLIENT_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id() -> str:
    """The id of the current request (made on first use)."""
    rid = g.get("request_id")
    if rid is None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        rid = given if _CLIENT_ID.fullmatch(given) else secrets.token_hex(8)
        g.request_id = rid
    return rid


def init_app(app: Flask) -> None:
    """Register the request-id, access-log and exception-log hooks on ``app``."""
    enabled = bool(config_value(app.config, "access_log"))

    @app.before_request
    def _start():
        g.started = time.perf_counter()
        request_id()

    @app.after_request
    def _finish(response):
        rid = request_id()
        response.headers[REQUEST_ID_HEADER] = rid
        if enabled:
            ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
            size = response.calculate_content_length()
            log.info('%s %s %d %.1fms %sB id=%s ip=%s ua="%s"', request.method, request.path, response.status_code,
                     ms, "-" if size is None else size, rid, request.remote_addr or "-",
                     (request.user_agent.string or "-").replace('"', "'")[:200])
        return response

    def _exception(sender, exception, **extra):
        log.error("request id=%s %s %s failed: %s", request_id(), request.method, request.path,
                  type(exception).__name__)

    got_request_exception.connect(_exception, app, weak=False)
