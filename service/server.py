"""``kg serve``'s server: bind the address first, then open the store, then serve with waitress.

waitress's ``create_server`` binds the listening socket(s) when it is created; the Flask
app (which opens, or creates, the store) is made only after that and handed to the bound
server through :class:`_DeferredApp`. So an address that cannot be bound fails before any
store directory exists and before "serving" is announced, and the announcement names the
address actually bound (port 0 = any free port).

Stopping: SIGTERM raises SystemExit in the serving loop and Ctrl-C raises
KeyboardInterrupt; waitress catches both, stops its threads and returns, and the store
is closed (flushed) before :func:`run_server` returns.
"""

from __future__ import annotations

import errno
import logging
import signal
import sys
from typing import Callable

from waitress import wasyncore
from waitress.server import create_server

from kg import settings

log = logging.getLogger(__name__)


class _DeferredApp:
    """A WSGI callable whose app is set after the server socket is bound."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_server(store_location: str, host: str, port: int, threads: int, options: dict | None = None,
               announce: Callable[[str], None] = _stderr) -> None:
    """Bind ``host:port``, create the app on ``store_location``, and serve until SIGTERM/SIGINT.

    Args:
        store_location: The store (path or ``memory``).
        host: Address or host name to bind.
        port: TCP port (0 = any free port).
        threads: waitress worker threads.
        options: More app config (``{"QUERY_TIMEOUT": 5.0, ...}``; ``kg.cli.SERVE_OPTIONS``).
        announce: Called with each status line ("geokg: serving http://HOST:PORT/sparql ...",
            "geokg: stopped"); standard error by default.

    Raises:
        OSError: ``host:port`` cannot be bound (``errno.EADDRINUSE`` when taken; ``EADDRNOTAVAIL``
            for an unknown host or an address not on this machine).
        kg.errors.StoreError: the store cannot be opened (e.g. locked by ``kg ingest``).
    """
    from service.app import create_app

    deferred = _DeferredApp()
    try:
        server = create_server(deferred, host=host, port=port, threads=threads,  # binds now
                               max_request_body_size=waitress_body_limit(options or {}))
    except ValueError as exc:  # waitress's answer to a host name getaddrinfo cannot resolve
        cause = exc.__context__ if isinstance(exc.__context__, OSError) else exc
        raise OSError(errno.EADDRNOTAVAIL, f"unknown host or invalid address ({cause})") from None
    try:
        app = create_app({"STORE": store_location, **(options or {})})
    except BaseException:
        server.task_dispatcher.shutdown()
        wasyncore.close_all(getattr(server, "map", None) or server._map)
        raise
    deferred.app = app
    if app.config.get("ACCESS_LOG", settings.get("access_log")):
        logging.getLogger("service.access").setLevel(logging.INFO)  # shown even without -v
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # unwind so the store is flushed and closed
    listening = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
    for bound_host, bound_port in listening:
        shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
        announce(f"geokg: serving http://{shown}:{bound_port}/sparql (store {_location(app, store_location)})")
    try:
        server.run()  # returns after SIGTERM (SystemExit) or Ctrl-C: waitress stops its threads
        announce("geokg: stopped")
    finally:
        app.extensions["geokg"]["store"].close()


def _location(app, configured: str) -> str:
    """The opened store's location for the announcement: a directory, ``memory``, or the remote
    store's query endpoint when one is configured (``--store`` is then ignored)."""
    from service.db import EXTENSION

    store = app.extensions.get(EXTENSION, {}).get("store")
    return str(getattr(store, "location", configured))


WAITRESS_BODY_FACTOR = 4
"""waitress buffers a request body before the app sees it; it stops reading past this many times
``max_body_bytes``. Bodies between the limit and that get the app's JSON 413 (which names the
setting); larger ones waitress refuses itself (plain-text 413), so no client can make the server
spool gigabytes."""


def waitress_body_limit(options: dict) -> int:
    """waitress's ``max_request_body_size`` in bytes: :data:`WAITRESS_BODY_FACTOR` × the
    ``max_body_bytes`` setting (app config ``MAX_BODY_BYTES`` first) plus 64 KiB for form
    encoding; waitress's own default (1 GiB) when the setting is 0 (no limit)."""
    from service.limits import config_value

    limit = int(config_value(options, "max_body_bytes"))
    return WAITRESS_BODY_FACTOR * limit + 65536 if limit > 0 else 1073741824

