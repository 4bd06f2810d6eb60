"""Writes of the HTTP service on a KGStore, each one Oxigraph transaction.

The SPARQL 1.1 Graph Store HTTP Protocol operations (https://www.w3.org/TR/sparql11-http-rdf-update/)
on one graph — the store's default graph (``graph=None``) or a named graph — plus the
SPARQL 1.1 Update of the protocol with its ``using-graph-uri`` / ``using-named-graph-uri``
dataset. (``POST /articles`` stores its article graphs and their actors with
``KGStore.write_articles``, the layout of :mod:`kg.actors`.)

Atomicity: every write here is *one* call of pyoxigraph's ``Store.update`` ("either the
full operation succeeds, or nothing is written"): bodies are parsed and terms converted
first, then one update text (``DROP SILENT GRAPH <g> ; CREATE SILENT GRAPH <g> ; INSERT DATA
{ GRAPH <g> { ... } }``...) is run. A failure anywhere leaves the store as it was.

The default graph: GSP ``?default`` and updates address the store's own default graph
(where ``INSERT DATA { <s> <p> <o> }`` writes), not the union of all graphs that the
query endpoint uses as its default graph.

Blank nodes: bodies are parsed with fresh blank node ids, and Oxigraph gives the blank
nodes of each ``INSERT DATA`` fresh ids too (SPARQL 1.1 Update §3.1.1), so a POSTed graph
never shares blank nodes with the stored one (GSP §5.5, "merge").
"""

from __future__ import annotations

import logging
from typing import Iterable

import pyoxigraph as ox

from kg.errors import KGError, StoreError
from kg.oxigraph import RDF_FORMATS, named_node
from kg.remote_store import RemoteStore
from kg.sparql_scan import with_using_dataset
from kg.store import PREFIXES, GraphNotFoundError, KGStore

log = logging.getLogger(__name__)

#: Media types of RDF graph bodies accepted for PUT/POST -> pyoxigraph format.
GRAPH_INPUT_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/n3": ox.RdfFormat.N3,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


class RDFSyntaxError(KGError):
    """A request body is not RDF of its declared format (HTTP 400).

    Args:
        source: What was parsed ("the request body", a multipart part's name).
        reason: The parser's message.
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


def parse_graph(data: bytes, media_type: str, base_iri: str | None, source: str = "the request body") -> list[ox.Triple]:
    """Parse an RDF graph body.

    Args:
        data: The body bytes (UTF-8 for the text formats).
        media_type: A key of GRAPH_INPUT_FORMATS (no parameters).
        base_iri: Base IRI for relative IRIs (the graph's IRI, as GSP §5.4 implies), or None.
        source: Name for messages.

    Returns:
        The triples, with fresh blank node ids.

    Raises:
        RDFSyntaxError: unknown media type, a syntax error, or named graphs in the body.
    """
    fmt = GRAPH_INPUT_FORMATS.get(media_type)
    if fmt is None:
        raise RDFSyntaxError(source, f"unsupported RDF media type {media_type!r}; "
                                     f"use one of {', '.join(GRAPH_INPUT_FORMATS)}")
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=base_iri, without_named_graphs=True,
                              rename_blank_nodes=True))
    except (SyntaxError, ValueError, OSError) as exc:
        raise RDFSyntaxError(source, f"not valid {fmt.name}: {exc}") from None
    return [q.triple for q in quads]


def _target(graph: str | None) -> str:
    return "DEFAULT" if graph is None else f"GRAPH {named_node(graph)}"


def _insert(graph: str | None, triples: Iterable[ox.Triple]) -> str:
    body = " .\n".join(str(t) for t in triples)
    if not body:
        return ""
    if graph is None:
        return f"INSERT DATA {{\n{body} .\n}}"
    return f"INSERT DATA {{ GRAPH {named_node(graph)} {{\n{body} .\n}} }}"


def _run(store: KGStore, operations: list[str], what: str) -> None:
    update = " ;\n".join(op for op in operations if op)
    if update:
        store.update(update)
        log.debug("%s: one update of %d characters", what, len(update))


def graph_exists(store: KGStore, graph: str | None) -> bool:
    """Whether ``graph`` (None = the default graph, which always exists) is in the store."""
    return graph is None or store.has_graph(graph)


def serialize_graph(store: KGStore, graph: str | None, fmt: str) -> bytes:
    """One graph of the store written by Oxigraph in ``fmt`` (a key of RDF_FORMATS, one-graph formats).

    Raises:
        GraphNotFoundError: the named graph is not in the store.
        StoreError: unknown format.
    """
    if graph is not None:
        return store.serialize(fmt, graph)
    if isinstance(store, RemoteStore):  # no local Oxigraph store to dump: read it by SPARQL
        return store.serialize_default_graph(fmt)
    if fmt not in RDF_FORMATS or RDF_FORMATS[fmt].supports_datasets:
        raise StoreError(f"format {fmt!r} is not a graph format")
    prefixes = PREFIXES if fmt == "turtle" else None
    return store.native.dump(format=RDF_FORMATS[fmt], from_graph=ox.DefaultGraph(), prefixes=prefixes)


def put_graph(store: KGStore, graph: str | None, triples: list[ox.Triple]) -> bool:
    """Replace ``graph`` by ``triples`` (GSP PUT), atomically.

    Returns:
        True when the graph did not exist before (HTTP 201), else False.
    """
    created = not graph_exists(store, graph)
    if graph is None:
        ops = ["DROP SILENT DEFAULT", _insert(None, triples)]
    else:
        ops = [f"DROP SILENT {_target(graph)}", f"CREATE SILENT {_target(graph)}", _insert(graph, triples)]
    _run(store, ops, f"PUT {graph or 'default graph'}")
    return created


def post_graph(store: KGStore, graph: str | None, triples: list[ox.Triple]) -> bool:
    """Merge ``triples`` into ``graph`` (GSP POST), atomically; the graph is created if absent.

    Returns:
        True when the graph did not exist before (HTTP 201), else False.
    """
    created = not graph_exists(store, graph)
    ops = [] if graph is None else [f"CREATE SILENT {_target(graph)}"]
    _run(store, ops + [_insert(graph, triples)], f"POST {graph or 'default graph'}")
    return created


def delete_graph(store: KGStore, graph: str | None) -> None:
    """Remove ``graph`` (GSP DELETE); the default graph is emptied.

    Raises:
        GraphNotFoundError: the named graph is not in the store (HTTP 404).
    """
    if not graph_exists(store, graph):
        raise GraphNotFoundError(f"no graph <{graph}> in the store {store.location}")
    _run(store, [f"DROP SILENT {_target(graph)}"], f"DELETE {graph or 'default graph'}")


def apply_update(store: KGStore, update: str, *, using_graphs: list[str] | None = None,
                 using_named_graphs: list[str] | None = None, base_iri: str | None = None) -> None:
    """Run a SPARQL 1.1 Update (all its operations in one transaction) with the protocol dataset.

    Args:
        store: The store.
        update: The update text; the prefixes of ``kg.store.PREFIXES`` are predeclared.
        using_graphs: Protocol ``using-graph-uri`` values (see :mod:`kg.sparql_scan`).
        using_named_graphs: Protocol ``using-named-graph-uri`` values.
        base_iri: Base IRI for relative IRIs (the service passes its endpoint URL).

    Raises:
        QueryError: malformed update, a parameter that is not an IRI, or USING/WITH in the
            update together with the parameters (HTTP 400).
        StoreError: an operation fails (e.g. ``CREATE GRAPH`` of an existing graph); nothing is written.
    """
    text = with_using_dataset(update, using_graphs, using_named_graphs)
    store.update(text, base_iri=base_iri)
