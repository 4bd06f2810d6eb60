"""Opening a store: ``open_store`` and its locations, locks and error messages.

``open_store`` gives a :class:`kg.store.KGStore` over

* ``"memory"`` (:data:`MEMORY`): an in-memory Oxigraph store (same engine, nothing on disk);
* a directory path: a persistent Oxigraph (RocksDB) store, via oxrdflib's
  ``Dataset(store="Oxigraph")`` and ``.open(path)``;

or a :class:`kg.remote_store.RemoteStore` when the setting ``remote_query`` is set.
Both names are re-exported by :mod:`kg.store`; import them from there.

Concurrency (pyoxigraph 0.5, RocksDB): one process at a time may open an on-disk
store read-write; a second read-write open fails with ``IO error: While lock
file: <path>/LOCK: Resource temporarily unavailable``, reported here as a
:class:`~kg.errors.StoreError` naming the cause (``kg serve`` holds the store
while it runs, so ``kg ingest`` must wait until it stops). ``read_only=True``
opens a static snapshot (``pyoxigraph.Store.read_only``) that does not take the
lock; pyoxigraph calls reading while another process *writes* undefined
behaviour, which is why ``kg serve`` (never writes) may run alongside read-only
``kg query``/``kg export``/``kg validate``, but not alongside ``kg ingest``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Dataset

from kg.errors import StoreError

if TYPE_CHECKING:
    from kg.store import KGStore

__all__ = ["MEMORY", "open_store"]

log = logging.getLogger(__name__)

#: The ``location`` of an in-memory store.
MEMORY = "memory"


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> "KGStore":
    """Open the store at ``location``, or the remote store when one is configured.

    When the setting ``remote_query`` (``KG_REMOTE_QUERY``) is set, ``location`` is ignored and
    a :class:`kg.remote_store.RemoteStore` over that SPARQL 1.1 endpoint is returned
    (``remote_update`` defaults to ``remote_query``; see :mod:`kg.remote_store`).

    Args:
        location: ``"memory"``, a directory path, or None for the ``store`` setting
            (``KG_STORE``). The directory is created if it does not exist (read-write only).
        read_only: Open a static read-only snapshot of an on-disk store (no lock taken;
            see the module docstring). Ignored for ``"memory"``.

    Returns:
        The opened KGStore; close it with ``close()`` or use it as a context manager.

    Raises:
        StoreError: the store is locked by another process, the path is not a store
            directory, (read-only) no store exists there, or the remote store cannot be opened.
    """
    from kg import settings
    from kg.store import KGStore  # here, not at the top: kg.store imports this module

    remote_query, remote_update = settings.get("remote_query"), settings.get("remote_update")
    if remote_query or remote_update:
        if not remote_query:
            raise StoreError("KG_REMOTE_UPDATE is set but KG_REMOTE_QUERY is not; set the query endpoint "
                             "of the remote store too (or unset both for the embedded store)")
        from kg.remote_store import open_remote_store

        return open_remote_store(remote_query, remote_update or remote_query, read_only=read_only)
    location = str(settings.get("store", None if location is None else str(location)))
    if location == MEMORY:
        return KGStore(Dataset(store="Oxigraph", default_union=True), MEMORY, read_only=False)
    path = Path(location).expanduser()
    try:
        if read_only:
            if not (path / "CURRENT").is_file():
                raise StoreError(f"no Oxigraph store at {path}; create one with `kg ingest --store {path} ...`")
            from oxrdflib.store import OxigraphStore

            dataset = Dataset(store=OxigraphStore(store=ox.Store.read_only(str(path))), default_union=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            dataset = Dataset(store="Oxigraph", default_union=True)
            dataset.open(str(path))
    except OSError as exc:
        raise StoreError(_open_error(path, exc)) from None
    log.debug("opened store %s (%s)", path, "read-only" if read_only else "read-write")
    return KGStore(dataset, str(path), read_only=read_only)


def _open_error(path: Path, exc: OSError) -> str:
    text = str(exc)
    if "current process" in text:
        return f"the store {path} is already open in this process; close it (KGStore.close()) before reopening"
    if "LOCK" in text or "lock" in text:
        return (f"the store {path} is locked by another process (is `kg serve` or another `kg ingest` "
                f"running?); stop it first, or open the store read-only for queries and exports")
    return f"cannot open the Oxigraph store at {path}: {text}"
