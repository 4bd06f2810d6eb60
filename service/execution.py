"""Running one SPARQL query under a row cap and a cancel flag, and the in-process runner.

:func:`run_job` is what a query worker (:mod:`service.workers`) and the in-process
runner both run: the dataset rules of ``kg.store.KGStore.execute`` (union of all graphs
by default; the protocol's ``default-graph-uri`` / ``named-graph-uri``), then the row cap:
a SELECT result is written by Oxigraph as TSV (one solution per line: TSV escapes
newlines) into a writer that stops the query after ``max_rows`` lines, then re-written
by Oxigraph's own parser and writer into the wanted format
(``parse_query_results(...).serialize(...)``); CONSTRUCT/DESCRIBE likewise via
N-Triples (one triple per line). The cap therefore also ends the evaluation early.

:class:`InProcessRunner` (in-memory stores, or ``query_workers = 0``) runs the job in a
helper thread: at the deadline the request gets its 503 at once and the query is told to
stop, which it does at the next chunk of output it writes (every ~8 KiB): that ends any
query whose cost is in producing rows. A query that computes for long before its first
row (a big ORDER BY, GROUP BY or COUNT) runs on in its thread until it finishes — the
limit of this mode. At most ``slots`` such threads run; when all are taken, queries wait,
and get 503 at their deadline.

Imports only pyoxigraph and the standard library (worker processes stay small).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

log = logging.getLogger(__name__)

#: Pivot formats: one solution / triple per line.
_TSV = ox.QueryResultsFormat.TSV
_NT = ox.RdfFormat.N_TRIPLES


@dataclass(frozen=True)
class QueryJob:
    """One query to run (picklable: it goes to a worker process).

    Attributes:
        query: The SPARQL query text (already checked by ``service.safety``).
        kind: ``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"``.
        media_type: Media type of the wanted result format (pyoxigraph's ``from_media_type``).
        default_graphs: Protocol ``default-graph-uri`` IRIs, or None (see ``KGStore.execute``).
        named_graphs: Protocol ``named-graph-uri`` IRIs, or None.
        own_dataset: The query has FROM / FROM NAMED: without protocol IRIs, those define its
            dataset (SPARQL 1.1 Query §13.2), not the union of all graphs.
        base_iri: Base IRI for relative IRIs, or None.
        prefixes: Predeclared prefixes (``kg.store.PREFIXES``).
        max_rows: Row (or triple) cap; 0 = none.
        generation: The server's write counter when the job was made.
    """

    query: str
    kind: str
    media_type: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    own_dataset: bool = False
    base_iri: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    max_rows: int = 0
    generation: int = 0


@dataclass(frozen=True)
class JobResult:
    """The serialised result: ``data`` in ``media_type``; ``truncated`` when the cap cut it."""

    data: bytes
    media_type: str
    truncated: bool


class JobFailure(Exception):
    """A query that failed in the engine: ``kind`` is ``"query"`` (malformed) or ``"store"``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class QueryTimeout(Exception):
    """The deadline passed; ``busy`` when no worker became free before it."""

    def __init__(self, seconds: float, busy: bool = False) -> None:
        super().__init__(f"{'no query worker free within' if busy else 'query ran longer than'} {seconds:g} s")
        self.seconds = seconds
        self.busy = busy


class _Stop(Exception):
    """Raised inside Oxigraph's writer to end the evaluation (cap reached or cancelled)."""


class _LineWriter:
    """A binary output for Oxigraph's writers that keeps at most ``limit`` lines, then stops the query."""

    def __init__(self, limit: int, cancel: threading.Event | None) -> None:
        self.limit = limit
        self.cancel = cancel
        self.chunks: list[bytes] = []
        self.lines = 0
        self.truncated = False

    def write(self, data: Any) -> int:
        if self.cancel is not None and self.cancel.is_set():
            raise _Stop("cancelled")
        data = bytes(data)
        count = data.count(b"\n")
        if self.limit and self.lines + count > self.limit:
            cut = -1
            for _ in range(self.limit - self.lines):
                cut = data.index(b"\n", cut + 1)
            self.chunks.append(data[:cut + 1])
            self.lines = self.limit
            self.truncated = True
            raise _Stop("row cap")
        self.chunks.append(data)
        self.lines += count
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.chunks)


def run_job(store: ox.Store, job: QueryJob, cancel: threading.Event | None = None) -> JobResult:
    """Run ``job`` on ``store`` and serialise its result under the row cap.

    The dataset: the protocol's default-graph-uri / named-graph-uri when given (they replace
    FROM / FROM NAMED, SPARQL 1.1 Protocol §2.1.4), else the query's own FROM / FROM NAMED,
    else the union of all graphs as the default graph and every named graph.

    Raises:
        JobFailure: malformed query or graph IRI ("query"), evaluation or store failure ("store").
        _Stop: ``cancel`` was set while the result was written.
    """
    kwargs: dict[str, Any] = {}
    try:
        if job.default_graphs is None and job.named_graphs is None:
            if not job.own_dataset:
                kwargs["use_default_graph_as_union"] = True
        else:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
            if job.named_graphs is not None:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
        raw = store.query(job.query, base_iri=job.base_iri, prefixes=job.prefixes or None, **kwargs)
    except (SyntaxError, ValueError) as exc:
        raise JobFailure("query", str(exc)) from None
    except (OSError, RuntimeError) as exc:
        raise JobFailure("store", f"query failed: {exc}") from None
    try:
        if isinstance(raw, ox.QueryBoolean):
            fmt = ox.QueryResultsFormat.from_media_type(job.media_type)
            return JobResult(raw.serialize(format=fmt), fmt.media_type, False)
        graph = isinstance(raw, ox.QueryTriples)
        limit = job.max_rows + (0 if graph else 1) if job.max_rows else 0  # TSV has a header line
        writer = _LineWriter(limit, cancel)
        try:
            raw.serialize(writer, format=_NT if graph else _TSV)
        except _Stop:
            if not writer.truncated:
                raise
        data = writer.value()
        if graph:
            fmt = ox.RdfFormat.from_media_type(job.media_type)
            if fmt != _NT:
                data = ox.serialize(ox.parse(data, format=_NT), format=fmt)
        else:
            fmt = ox.QueryResultsFormat.from_media_type(job.media_type)
            if fmt != _TSV:
                data = ox.parse_query_results(data, format=_TSV).serialize(format=fmt)
        return JobResult(data, fmt.media_type, writer.truncated)
    except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
        raise JobFailure("store", f"query evaluation failed: {exc}") from None
    finally:
        # pyoxigraph results are pyo3 "unsendable": they must be dropped on the thread that made
        # them. An exception leaving here (cancel, JobFailure) keeps this frame alive through its
        # traceback, often in a reference cycle that another thread's garbage collector frees;
        # dropping the result here, before the frame ends, keeps it on this thread.
        del raw


# -- in-process ------------------------------------------------------------------------------------
class InProcessRunner:
    """Runs jobs in helper threads of this process (see the module docstring for what a timeout can do).

    Args:
        store: The pyoxigraph store.
        slots: Most queries running at once (threads still running after their deadline count).
    """

    mode = "in-process"

    def __init__(self, store: ox.Store, slots: int) -> None:
        self.store = store
        self.slots = max(1, slots)
        self._free = threading.BoundedSemaphore(self.slots)

    def run(self, job: QueryJob, timeout: float | None) -> JobResult:
        """Run ``job``; raise QueryTimeout after ``timeout`` seconds (None or 0 = wait for ever)."""
        deadline = None if not timeout else time.monotonic() + timeout
        if not self._free.acquire(timeout=timeout or None):
            raise QueryTimeout(timeout or 0, busy=True)
        cancel = threading.Event()
        box: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                box["result"] = run_job(self.store, job, cancel)
            except BaseException as exc:  # handed to the waiting request thread
                box["error"] = exc
            finally:
                self._free.release()
                done.set()

        threading.Thread(target=work, name="geokg-query", daemon=True).start()
        if not done.wait(None if deadline is None else max(0.0, deadline - time.monotonic())):
            cancel.set()
            raise QueryTimeout(timeout or 0)
        if "error" in box:
            raise box["error"]
        return box["result"]

    def changed(self) -> None:
        """Nothing to do: the helper threads read the live store."""

    def info(self) -> dict:
        return {"mode": self.mode, "slots": self.slots}

    def close(self) -> None:
        pass
