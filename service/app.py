"""The Flask application factory of the geokg SPARQL service.

``create_app(config)`` takes its configuration from, in order: the defaults below
(store location from ``kg.settings``), the environment (``KG_*`` variables via
``app.config.from_prefixed_env("KG")``: ``KG_STORE=/data/store`` sets ``STORE``),
then ``config`` (tests). It opens the store once and registers one blueprint per
concern: ``/sparql`` (service.sparql), ``/export`` and ``/graph/<id>``
(service.export), ``/`` and ``/id/...`` (service.pages), ``/healthz`` (here).

Rule of this folder: ``service`` may import ``kg`` but never spaCy (it serves
what ``kg ingest`` stored); ``tests/test_boundaries.py`` checks it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, jsonify

from kg import settings
from service import accesslog, articles, cors, description, export, gsp, limits, pages, sparql
from service.db import get_store, init_store
from service.errors import register_error_handlers

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "STORE_READ_ONLY": False,  # open an on-disk store read-only (no lock; see kg.store)
    # ALLOW_SERVICE, MAX_CONTENT_LENGTH, QUERY_TIMEOUT, MAX_ROWS...: from the settings table (service.limits)
    "LOG_LEVEL": "INFO",
}

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz():
    """Liveness and readiness: the store answers a query, run the way queries run (service.limits)."""
    store = get_store()
    queries = limits.health(store)
    return jsonify({"status": "ok", "store": store.location, "engine": store.engine, "queries": queries})


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then ``KG_*`` environment, then ``config``; open the store.

    Args:
        config: Overrides, e.g. ``{"STORE": "memory"}`` or ``{"STORE": a_kgstore}``
            (a KGStore given here is used as is and not closed by the app).

    Returns:
        The Flask app; its store is ``app.extensions["geokg"]["store"]``.

    Raises:
        kg.errors.StoreError: the store cannot be opened (e.g. locked by ``kg ingest``).
    """
    app = Flask(__name__)
    app.json.sort_keys = False  # keep {"error": {"status", "title", "detail"}} in that order
    app.config.update(DEFAULTS)
    app.config["STORE"] = settings.get("store")
    app.config.from_prefixed_env("KG")
    if config:
        app.config.update(config)
    _configure_logging(app)
    init_store(app)
    limits.init_app(app)  # query timeout, row cap, body size, SERVICE/LOAD refusal
    accesslog.init_app(app)  # request ids and the access log
    cors.init_app(app)  # cross-origin reads, never writes
    register_error_handlers(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(gsp.bp)  # /store: Graph Store Protocol
    app.register_blueprint(articles.bp)  # POST /articles
    app.register_blueprint(description.bp)  # /.well-known/void
    app.register_blueprint(export.bp)
    app.register_blueprint(health)
    app.register_blueprint(pages.bp)  # / (query page) and /id/... (resource pages)
    log.info("geokg service ready; store %s", get_store_location(app))
    return app


def get_store_location(app: Flask) -> str:
    """The location of the app's store (for messages)."""
    return app.extensions["geokg"]["store"].location


def _configure_logging(app: Flask) -> None:
    # Only here and in kg.cli are handlers added; keep any handler already set up (pytest, waitress).
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=str(app.config["LOG_LEVEL"]).upper(),
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
