"""The one store of the app: opened in ``create_app``, reached by ``get_store()``.

The pattern of Flask's tutorial (``examples/tutorial/flaskr/db.py``), except that
the store is opened once per process and not per request: an on-disk Oxigraph
store may only be opened read-write by one process at a time (see ``kg.store``).
"""

from __future__ import annotations

import atexit

from flask import Flask, current_app

from kg.store import KGStore, open_store

EXTENSION = "geokg"


def init_store(app: Flask) -> KGStore:
    """Open the store named by ``app.config["STORE"]`` (or take a KGStore given there).

    ``app.config["STORE_READ_ONLY"]`` opens an on-disk store read-only (no lock taken).
    A store the app opened is closed at interpreter exit; a KGStore passed in is the caller's.

    Raises:
        kg.errors.StoreError: the store cannot be opened (e.g. locked by ``kg ingest``).
    """
    configured = app.config["STORE"]
    if isinstance(configured, KGStore):
        store = configured
    else:
        store = open_store(str(configured), read_only=bool(app.config.get("STORE_READ_ONLY")))
        atexit.register(store.close)
    app.extensions[EXTENSION] = {"store": store}
    return store


def get_store() -> KGStore:
    """The store of the current app."""
    return current_app.extensions[EXTENSION]["store"]
