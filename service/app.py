"""The Flask application factory of the geokg SPARQL service.

``create_app(config)`` takes its configuration from, in order: the defaults below
(store location from ``kg.settings``), the environment (``KG_*`` variables via
``app.config.from_prefixed_env("KG")``: ``KG_STORE=/data/store`` sets ``STORE``),
then ``config`` (tests). It opens the store once and registers one blueprint per
concern: ``/sparql`` (service.sparql), ``/export`` and ``/graph/<id>``
(service.export), ``/healthz`` and ``/`` (here).

Rule of this folder: ``service`` may import ``kg`` but never spaCy (it serves
what ``kg ingest`` stored); ``tests/test_boundaries.py`` checks it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, jsonify

from kg import settings
from service import export, sparql
from service.db import get_store, init_store
from service.errors import register_error_handlers

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "STORE_READ_ONLY": False,  # open an on-disk store read-only (no lock; see kg.store)
    "ALLOW_SERVICE": False,  # allow federated SERVICE calls in queries
    "MAX_CONTENT_LENGTH": 1024 * 1024,  # bytes of a POSTed query
    "LOG_LEVEL": "INFO",
}

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz():
    """Liveness and readiness: the store answers a query."""
    store = get_store()
    store.execute("ASK {}")
    return jsonify({"status": "ok", "store": store.location, "engine": store.engine})


@health.get("/")
def index():
    """Where things are."""
    return jsonify({
        "service": "geokg SPARQL endpoint",
        "endpoints": {
            "/sparql": "SPARQL 1.1 query (GET ?query=, POST form or application/sparql-query)",
            "/export": "whole dataset as TriG (?format=nquads)",
            "/export/graph?iri=IRI": "one named graph as Turtle",
            "/graph/<article_id>": "one article's graph as Turtle",
            "/healthz": "health check",
        },
    })


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
    register_error_handlers(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(health)
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
