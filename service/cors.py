"""Cross-origin reads (CORS, https://fetch.spec.whatwg.org/#http-cors-protocol) with flask-cors.

The setting ``cors_origins`` (``'*'`` by default, a comma-separated list of origins, or
empty for no CORS at all) names the web origins whose pages may *read* this service:

* ``/sparql``: GET and POST (queries by form or ``application/sparql-query``), HEAD;
* ``/store`` (Graph Store GET/HEAD), ``/export...``, ``/graph/...``, ``/id/...`` (resource
  pages), ``/.well-known/void``, ``/healthz``: GET and HEAD only.

Writes are never allowed cross-site: no write (``/articles``, ``/store`` PUT/POST/DELETE,
an update on ``/sparql``) and no preflight asking for a write method gets any CORS header
(so the browser refuses the write and its answer is not readable), the ``Authorization``
header is never allowed in a preflight, and credentials (cookies) are never allowed. Every
write needs ``Authorization: Bearer <token>`` (:mod:`service.auth`), which a browser sends
cross-origin only after a preflight that allows it, so a page of another origin cannot
write even to ``/sparql``.
"""

from __future__ import annotations

from flask import Flask, request
from flask_cors import CORS

from service.limits import TRUNCATED_HEADER, config_value

#: Request headers a cross-origin page may send (never Authorization).
ALLOW_HEADERS = ["Accept", "Content-Type"]
#: Response headers a cross-origin page may read.
EXPOSE_HEADERS = ["X-Request-Id", TRUNCATED_HEADER, "Content-Length"]
READ_ONLY = ["GET", "HEAD", "OPTIONS"]
WRITE_METHODS = frozenset({"PUT", "POST", "DELETE", "PATCH"})
QUERY = ["GET", "HEAD", "POST", "OPTIONS"]
#: Path pattern -> allowed methods.
RESOURCES = {
    r"/sparql": QUERY,
    r"/store": READ_ONLY,
    r"/store/.*": READ_ONLY,
    r"/export.*": READ_ONLY,
    r"/graph/.*": READ_ONLY,
    r"/id/.*": READ_ONLY,
    r"/\.well-known/void": READ_ONLY,
    r"/healthz": READ_ONLY,
}


def allowed_origins(value: str) -> str | list[str] | None:
    """``'*'``, the list of origins of a comma-separated ``value``, or None for an empty one."""
    value = (value or "").strip()
    if not value:
        return None
    if value == "*":
        return "*"
    return [o.strip().rstrip("/") for o in value.split(",") if o.strip()]


def _is_update() -> bool:
    """Whether the current POST to /sparql carries an update (form field, parameter or body)."""
    if request.mimetype == "application/sparql-update" or "update" in request.args:
        return True
    try:
        return request.mimetype == "application/x-www-form-urlencoded" and "update" in request.form
    except Exception:  # e.g. the body was too large (413): no update ran
        return False


def _is_write() -> bool:
    """Whether the current request is a write, or the CORS preflight of one (its answer gets no CORS header).

    A write: an update POSTed to /sparql, and PUT/POST/DELETE/PATCH anywhere else (``/store``
    writes; other routes answer them 405). A preflight (OPTIONS) counts by the method it asks
    for, except on /sparql, where POST also carries queries (and Authorization is never allowed).
    """
    if request.method == "OPTIONS":
        asked = (request.headers.get("Access-Control-Request-Method") or "").upper()
        return request.path != "/sparql" and asked in WRITE_METHODS
    if request.path == "/sparql":
        return request.method == "POST" and _is_update()
    return request.method in WRITE_METHODS


def init_app(app: Flask) -> None:
    """Answer CORS for the read routes of ``app`` as the module docstring says (nothing when the setting is empty)."""
    origins = allowed_origins(str(config_value(app.config, "cors_origins") or ""))
    if origins is None:
        return
    options = {"origins": origins, "allow_headers": ALLOW_HEADERS, "expose_headers": EXPOSE_HEADERS,
               "supports_credentials": False, "max_age": 600, "send_wildcard": origins == "*",
               "vary_header": True}

    @app.after_request  # registered before flask-cors's hook, so it runs after it (Flask runs them in reverse)
    def _no_cors_on_writes(response):
        if _is_write():
            for header in [h for h in response.headers.keys() if h.lower().startswith("access-control-")]:
                del response.headers[header]
        return response

    CORS(app, resources={pattern: {**options, "methods": methods} for pattern, methods in RESOURCES.items()})
