"""The service's limits: query timeout, result-row cap, request body size, and the query runner.

``init_app(app)`` (called by ``create_app`` right after the store is opened):

* **Body size** — ``MAX_CONTENT_LENGTH`` from the setting ``max_body_bytes`` (unless the
  app config sets it), and ``MAX_FORM_MEMORY_SIZE`` equal to it: werkzeug refuses a larger body,
  announced or streamed, with 413, answered in the JSON error shape.
* **Queries** — the app's store is replaced by a :class:`LimitedStore`: the same store
  (same state; it *is* a :class:`kg.store.KGStore`) whose ``execute`` first parses the
  query with Oxigraph and applies :mod:`service.safety` (SERVICE; 400 for a malformed
  query, as before), and returns a :class:`LimitedResult`. Its ``serialize(fmt)`` — what
  ``/sparql`` calls — runs the query in :mod:`service.workers` under ``query_timeout``
  (503 ``Query timeout`` when it passes; the worker process is killed) and ``max_rows``
  (the result is cut after that many rows/triples and the response carries the header
  ``Geokg-Truncated: <max_rows>``). A query's own FROM / FROM NAMED defines its dataset
  when no protocol dataset IRIs are given (otherwise the union of all graphs is the default
  graph); a FROM IRI that is not a graph of the store is an empty graph. Code that reads ``result.raw`` (service description
  counts) gets the plain in-process result, without the limits.
* **Remote store** (:mod:`kg.remote_store`) — the LimitedStore is a subclass of both
  (:func:`limited_class`), and :class:`RemoteRunner` sends each query to the remote in the
  request's thread with ``query_timeout`` as the HTTP deadline (503 ``Query timeout`` when it
  passes) and stops reading its answer at ``max_rows``; no worker processes.
* **Updates** — ``LimitedStore.update`` refuses LOAD and (unless allowed) SERVICE with
  :func:`service.safety.check_update` before running; after any write it flushes the
  on-disk store and tells the query workers to re-open their read-only snapshot.

Config keys (app config, ``KG_*`` environment, else the settings table): ``QUERY_TIMEOUT``,
``MAX_ROWS``, ``MAX_BODY_BYTES``, ``ALLOW_SERVICE``, ``QUERY_WORKERS``; timeout and cap are
read at each query, so a test may change them on a running app.
"""

from __future__ import annotations

import atexit
import logging
from typing import Any

from flask import Flask, g, has_request_context
from flask.config import Config

from kg import settings
from kg.errors import QueryError, StoreError
from kg.oxigraph import RDF_FORMATS, RESULT_FORMATS, named_node
from kg.remote_store import RemoteStore, RemoteTimeout
from kg.store import MEMORY, PREFIXES, KGStore
from service import safety
from service.errors import APIError
from service.execution import InProcessRunner, JobFailure, JobResult, QueryJob, QueryTimeout
from service.workers import WorkerPool

log = logging.getLogger(__name__)

#: Response header set when the row cap cut a result; its value is the cap.
TRUNCATED_HEADER = "Geokg-Truncated"
EXTENSION = "geokg"


def config_value(config: Config | dict, name: str) -> Any:
    """Setting ``name`` from the app config (key ``NAME``), else the settings table (``KG_NAME``, default).

    A string in the config (e.g. from the environment) is converted by the setting's type.
    """
    setting = settings.SETTINGS_BY_NAME[name]
    value = config.get(name.upper())
    if value is None:
        return settings.get(name)
    if isinstance(value, str) and not isinstance(setting.default_value(), str):
        return setting.type(value)
    return value


class LimitedStore(KGStore):
    """The app's KGStore, whose queries run under the limits (see the module docstring).

    It shares the wrapped store's state (``__dict__``), so both views see the same open
    store and closing either closes it; only ``execute`` and the writes differ.

    Args:
        inner: The opened KGStore.
        config: The app config (read at each query: QUERY_TIMEOUT, MAX_ROWS, ALLOW_SERVICE).
        runner: Where queries run (:class:`service.workers.WorkerPool` or ``InProcessRunner``).
    """

    __slots__ = ("config", "runner")

    def __init__(self, inner: KGStore, config: Config | dict, runner: WorkerPool | InProcessRunner) -> None:
        self.__dict__ = inner.__dict__  # one state, two views (not super().__init__: nothing to open)
        self.config = config
        self.runner = runner

    # -- queries ---------------------------------------------------------------------------------
    def execute(self, sparql: str, *, default_graphs: list[str] | None = None,
                named_graphs: list[str] | None = None, base_iri: str | None = None) -> "LimitedResult":
        """Check ``sparql`` (parse, SERVICE) and return a result that runs under the limits when serialised.

        Raises:
            QueryError: malformed query or graph IRI (400).
            APIError: 403 SERVICE not allowed.
        """
        kind = safety.check_query(sparql, allow_service=bool(config_value(self.config, "allow_service")),
                                  prefixes=PREFIXES, base_iri=base_iri)
        for iri in (default_graphs or []) + (named_graphs or []):
            named_node(iri)  # QueryError for a malformed IRI, before any work
        return LimitedResult(self, kind, sparql, default_graphs, named_graphs, base_iri)

    # -- writes ----------------------------------------------------------------------------------
    def update(self, sparql: str, **kwargs: Any) -> None:
        """``KGStore.update`` after refusing LOAD and (unless allowed) SERVICE (403)."""
        safety.check_update(sparql, allow_service=bool(config_value(self.config, "allow_service")),
                            prefixes=PREFIXES, base_iri=kwargs.get("base_iri"))
        try:
            super().update(sparql, **kwargs)
        finally:
            self._changed()

    def replace_graph(self, *args: Any, **kwargs: Any) -> int:
        try:
            return super().replace_graph(*args, **kwargs)
        finally:
            self._changed()

    def remove_graph(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().remove_graph(*args, **kwargs)
        finally:
            self._changed()

    def _changed(self) -> None:
        if self.location != MEMORY and not self.read_only and self._ox is not None:
            try:
                self._ox.flush()  # keeps the WAL short: workers re-open their snapshot fast
            except OSError as exc:
                log.warning("flushing %s failed: %s", self.location, exc)
        self.runner.changed()


def limited_class(store_class: type[KGStore]) -> type[LimitedStore]:
    """LimitedStore for a KGStore, or a subclass of both for a KGStore subclass (e.g. RemoteStore),
    so that the subclass's primitives (``_write``, ``graph_iris``...) stay in use."""
    if issubclass(LimitedStore, store_class):
        return LimitedStore
    return type(f"Limited{store_class.__name__}", (LimitedStore, store_class), {"__slots__": ()})


class LimitedResult:
    """A query result whose ``serialize`` runs the query under the timeout and row cap.

    Attributes:
        kind: ``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"`` (also for DESCRIBE), known from parsing.
    """

    def __init__(self, store: LimitedStore, kind: str, query: str, default_graphs: list[str] | None,
                 named_graphs: list[str] | None, base_iri: str | None) -> None:
        self.kind = kind
        self._store = store
        self._query = query
        self._dataset = {"default_graphs": default_graphs, "named_graphs": named_graphs, "base_iri": base_iri}
        self._raw = None

    @property
    def raw(self) -> object:
        """The pyoxigraph result, evaluated in this process without the limits (for internal counts)."""
        if self._raw is None:
            self._raw = super(LimitedStore, self._store).execute(self._query, **self._dataset).raw
        return self._raw

    def serialize(self, fmt: str) -> tuple[bytes, str]:
        """Run the query under the limits and serialise it with Oxigraph's writers.

        Args:
            fmt: A key of RESULT_FORMATS (SELECT/ASK) or RDF_FORMATS (CONSTRUCT).

        Returns:
            The bytes and their media type.

        Raises:
            APIError: 503 the query timed out (it was stopped) or no query worker became free.
            QueryError: the engine refused the query.
            StoreError: ``fmt`` does not fit the result, or evaluation failed.
        """
        table = RDF_FORMATS if self.kind == "CONSTRUCT" else RESULT_FORMATS
        if fmt not in table:
            raise StoreError(f"format {fmt!r} does not fit a {self.kind} result; use one of {', '.join(table)}")
        config = self._store.config
        timeout = float(config_value(config, "query_timeout") or 0)
        max_rows = int(config_value(config, "max_rows") or 0)
        default_graphs, named_graphs = self._dataset["default_graphs"], self._dataset["named_graphs"]
        own_dataset = default_graphs is None and named_graphs is None and safety.uses_keyword_query(
            self._query, "FROM", prefixes=PREFIXES, base_iri=self._dataset["base_iri"])
        job = QueryJob(self._query, self.kind, table[fmt].media_type,
                       None if default_graphs is None else tuple(default_graphs),
                       None if named_graphs is None else tuple(named_graphs),
                       own_dataset, self._dataset["base_iri"], dict(PREFIXES), max_rows)
        try:
            result = self._store.runner.run(job, timeout)
        except QueryTimeout as exc:
            if exc.busy:
                raise APIError(503, "Server busy", f"no query worker became free within {timeout:g} s "
                                                   "(setting query_timeout); retry later") from None
            log.warning("query stopped after %g s: %.200s", timeout, " ".join(self._query.split()))
            raise APIError(503, "Query timeout",
                           f"the query ran longer than {timeout:g} s (setting query_timeout) and was stopped; "
                           "make it more selective (more specific patterns, a LIMIT) or ask the operator "
                           "to raise the limit") from None
        except JobFailure as exc:
            if exc.kind == "query":
                raise QueryError(str(exc)) from None
            raise StoreError(f"{exc} ({self._store.location})") from None
        if result.truncated:
            log.info("result cut at max_rows=%d", max_rows)
            if has_request_context():
                g.geokg_truncated = max_rows
        return result.data, result.media_type


class RemoteRunner:
    """Runs jobs on a remote store (:class:`kg.remote_store.RemoteStore`) in the request's thread.

    The HTTP answer must come within the job's timeout (``query_timeout``), else QueryTimeout
    (503, as for the embedded store); the connection is then closed, but the remote server may
    go on computing (give it its own timeout, e.g. ``oxigraph serve --timeout-s``). The row cap
    stops reading the answer after ``max_rows`` rows (``RemoteStore.run_limited``).

    Args:
        store: The remote store.
    """

    mode = "remote"

    def __init__(self, store: RemoteStore) -> None:
        self.store = store

    def run(self, job: QueryJob, timeout: float | None) -> JobResult:
        """Run ``job`` on the remote store.

        Raises:
            QueryTimeout: no full answer within ``timeout`` seconds (None or 0 = no limit).
            JobFailure: the remote refused the query (``"query"``) or failed (``"store"``).
        """
        try:
            data, media_type, truncated = self.store.run_limited(
                job.query, job.kind, job.media_type, default_graphs=_listed(job.default_graphs),
                named_graphs=_listed(job.named_graphs), base_iri=job.base_iri, max_rows=job.max_rows,
                timeout=timeout or None)
        except RemoteTimeout:
            raise QueryTimeout(timeout or 0) from None
        except QueryError as exc:
            raise JobFailure("query", str(exc)) from None
        except StoreError as exc:
            raise JobFailure("store", str(exc)) from None
        return JobResult(data, media_type, truncated)

    def changed(self) -> None:
        """Nothing to do: every query reads the remote's current state."""

    def info(self) -> dict:
        return {"mode": self.mode, "endpoint": self.store.query_url}

    def close(self) -> None:
        pass


def _listed(iris: tuple[str, ...] | None) -> list[str] | None:
    return None if iris is None else list(iris)


def make_runner(store: KGStore, config: Config | dict) -> WorkerPool | InProcessRunner | RemoteRunner:
    """A RemoteRunner for a remote store; worker processes for an on-disk store
    (``query_workers`` > 0); else helper threads in this process."""
    if isinstance(store, RemoteStore):
        return RemoteRunner(store)
    workers = int(config_value(config, "query_workers"))
    if store.location == MEMORY or workers <= 0:
        return InProcessRunner(store.native, slots=workers if workers > 0 else int(settings.get("threads")))
    return WorkerPool(store.location, workers)


def init_app(app: Flask) -> LimitedStore:
    """Apply the limits to ``app`` (see the module docstring); returns the app's LimitedStore."""
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        app.config["MAX_CONTENT_LENGTH"] = int(config_value(app.config, "max_body_bytes"))
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]  # a form field may be that big too
    app.config.setdefault("ALLOW_SERVICE", bool(config_value(app.config, "allow_service")))
    inner = app.extensions[EXTENSION]["store"]
    store = limited_class(type(inner))(inner, app.config, make_runner(inner, app.config))
    app.extensions[EXTENSION]["store"] = store
    atexit.register(store.runner.close)

    @app.after_request
    def _truncated_header(response):
        cap = g.pop("geokg_truncated", None)
        if cap is not None:
            response.headers[TRUNCATED_HEADER] = str(cap)
        return response

    return store


def health(store: KGStore) -> dict:
    """Run ``ASK {}`` the way queries run (in a worker for an on-disk store); describe the runner.

    Raises:
        APIError: 503 when the probe does not answer within ``query_timeout`` (or 10 s).
    """
    if not isinstance(store, LimitedStore):
        store.execute("ASK {}")
        return {"mode": "unlimited"}
    result = store.execute("ASK {}")
    data, _ = result.serialize("json")
    if b"true" not in data:
        raise APIError(503, "Store not answering", "the store did not answer ASK {} with true")
    return store.runner.info()
