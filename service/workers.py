"""Running one SPARQL query under a deadline and a row cap: in worker processes, or in-process.

pyoxigraph has no query timeout and a running query cannot be interrupted from another
thread (Oxigraph issues #1336, #1926). The only way to really stop one is to run it in
a process and kill that process. So:

* **On-disk store** (``kg serve``): :class:`WorkerPool` keeps up to ``query_workers``
  processes (``python -m service.workers``, started on demand; a socket pair carries
  pickled jobs and results, and the worker dies with the server: ``PR_SET_PDEATHSIG``
  on Linux, end of input elsewhere). Each opens the
  store *read-only* (``pyoxigraph.Store.read_only``: no lock, a static snapshot) and runs
  one query at a time: the text, the dataset, the format and the cap go over a pipe, the
  serialised bytes come back. At the deadline the server kills the process (SIGKILL),
  answers 503, and a fresh process takes its place on the next query. A snapshot is
  re-opened when the server has written since it was opened (``generation``, bumped by
  ``service.limits.LimitedStore`` after every write, which also flushes the memtable so
  that re-opening is fast) or when the store directory's WAL/MANIFEST files changed.
* **In-memory store** (tests, ``--store memory``): its data lives in the server process
  only, so :class:`service.execution.InProcessRunner` runs the query in a helper thread
  (see there for what a timeout can and cannot stop).

Both run :func:`service.execution.run_job` (dataset rules and row cap). This module
imports only pyoxigraph and the standard library (worker processes stay small: no
rdflib, no Flask).
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from service.execution import JobFailure, JobResult, QueryJob, QueryTimeout, run_job

__all__ = ["WorkerPool", "JobFailure", "JobResult", "QueryJob", "QueryTimeout"]

log = logging.getLogger(__name__)


# -- worker processes ------------------------------------------------------------------------------
def _fingerprint(path: str) -> tuple:
    """Names, sizes and mtimes of the store's WAL, MANIFEST and CURRENT files: they change on every write."""
    try:
        entries = [e for e in os.scandir(path)
                   if e.name == "CURRENT" or e.name.startswith("MANIFEST-") or
                   (e.name.endswith(".log") and e.name[:1].isdigit())]
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries))
    except OSError:
        return ()


def _open_read_only(path: str, attempts: int = 6) -> ox.Store:
    """``Store.read_only(path)``, retried: the server may be flushing or compacting at that moment
    (RocksDB then reports a missing .sst file as "Corruption")."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError) as exc:
            if attempt == attempts - 1:
                raise OSError(str(exc)) from None
            time.sleep(0.02 * 2 ** attempt)
    raise AssertionError("unreachable")


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _worker_main(conn: Connection, path: str) -> None:  # runs in the worker process
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _die_with_parent()
    store, generation, fingerprint = None, None, None
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            for attempt in range(2):
                current = _fingerprint(path)
                if store is None or job.generation != generation or current != fingerprint or attempt:
                    store = None
                    store = _open_read_only(path)
                    generation, fingerprint = job.generation, current
                try:
                    reply: tuple = ("ok", run_job(store, job))
                    break
                except JobFailure as exc:
                    if exc.kind != "store" or attempt:  # a store error may be a file compacted away: reopen once
                        raise
        except JobFailure as exc:
            reply = ("error", exc.kind, str(exc))
        except OSError as exc:
            store = None
            reply = ("error", "store", f"cannot open the store read-only: {exc}")
        except Exception as exc:  # never die on one query: report it
            store = None
            reply = ("error", "store", f"query worker error: {type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


#: Folder holding the ``service`` package, put on the workers' PYTHONPATH.
_SOURCE_ROOT = str(Path(__file__).resolve().parents[1])


class _Worker:
    """One worker process and the parent's end of its socket pair."""

    def __init__(self, path: str) -> None:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([_SOURCE_ROOT] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        try:
            self.process = subprocess.Popen([sys.executable, "-m", "service.workers", path, str(theirs.fileno())],
                                            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.pid = self.process.pid

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.wait(5)
        finally:
            self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.process.wait(2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(2)
        self.conn.close()


class WorkerPool:
    """Up to ``size`` worker processes over the on-disk store at ``path`` (see the module docstring).

    Args:
        path: The store directory.
        size: Most worker processes (>= 1).
    """

    mode = "processes"

    def __init__(self, path: str, size: int) -> None:
        self.path = path
        self.size = max(1, size)
        self.generation = 0
        self.killed = 0
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._count = 0
        self._lock = threading.Lock()
        self._closed = False
        # Workers are started from one long-lived thread: Linux sends PR_SET_PDEATHSIG when the
        # *thread* that started a process ends, and request threads may be short-lived.
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="geokg-spawner")

    def changed(self) -> None:
        """The server wrote to the store: workers re-open their snapshot before the next query."""
        with self._lock:
            self.generation += 1

    def run(self, job: QueryJob, timeout: float | None) -> JobResult:
        """Run ``job`` in a worker; kill the worker and raise QueryTimeout after ``timeout`` seconds.

        Raises:
            QueryTimeout: the deadline passed (the worker was killed), or no worker became free.
            JobFailure: the query failed in the engine, or the worker died.
        """
        deadline = None if not timeout else time.monotonic() + timeout
        job = replace(job, generation=self.generation)
        for attempt in range(2):
            worker = self._acquire(deadline, timeout)
            if worker.process.poll() is not None and not attempt:  # died while idle (killed from outside)
                self._discard(worker)
                continue
            try:
                worker.conn.send(job)
                if not worker.conn.poll(None if deadline is None else max(0.0, deadline - time.monotonic())):
                    self._discard(worker)
                    worker = None
                    raise QueryTimeout(timeout or 0)
                reply = worker.conn.recv()
            except (EOFError, OSError) as exc:
                if worker is not None:
                    self._discard(worker)
                    worker = None
                raise JobFailure("store", f"the query worker process ended unexpectedly ({exc})") from None
            finally:
                if worker is not None:
                    self._release(worker)
            if reply[0] == "ok":
                return reply[1]
            raise JobFailure(reply[1], reply[2])
        raise AssertionError("unreachable")

    def _acquire(self, deadline: float | None, timeout: float | None) -> _Worker:
        while True:
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                pass
            with self._lock:
                if self._closed:
                    raise JobFailure("store", "the query workers are shut down")
                start = self._count < self.size
                if start:
                    self._count += 1  # the slot is ours; start the process outside the lock
            if start:
                try:
                    return self._spawner.submit(_Worker, self.path).result()
                except BaseException:
                    with self._lock:
                        self._count -= 1
                    raise
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise QueryTimeout(timeout or 0, busy=True)
            try:
                return self._idle.get(timeout=None if remaining is None else min(remaining, 0.5))
            except queue.Empty:
                continue  # a killed worker frees a slot without coming back to the queue

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            worker.stop()
        else:
            self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._count -= 1
            self.killed += 1
        if worker.process.poll() is None:
            log.warning("killing query worker pid %s", worker.pid)
        worker.kill()
        if not self._closed:
            try:
                self._spawner.submit(self._refill)  # the next query need not wait for a new process
            except RuntimeError:  # closed meanwhile
                pass

    def _refill(self) -> None:
        with self._lock:
            if self._closed or self._count >= self.size:
                return
            self._count += 1
        try:
            self._idle.put(_Worker(self.path))
        except BaseException:
            with self._lock:
                self._count -= 1
            raise

    def info(self) -> dict:
        """``mode``, ``size`` (most workers), ``workers`` (started and alive), ``idle``, ``killed`` (so far)."""
        return {"mode": self.mode, "size": self.size, "workers": self._count, "idle": self._idle.qsize(),
                "killed": self.killed}

    def close(self) -> None:
        """Stop every idle worker; busy ones are killed when the spawner thread ends (PDEATHSIG). Idempotent."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                break
        self._spawner.shutdown(wait=False)


if __name__ == "__main__":  # python -m service.workers STORE_PATH FD (started by WorkerPool)
    from service import workers  # this file runs as __main__: pickle the classes under their real module

    workers._worker_main(Connection(int(sys.argv[2])), sys.argv[1])
