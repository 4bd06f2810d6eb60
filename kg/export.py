"""Getting data out of the store as text: graph dumps and query results.

Used by ``kg export``, ``kg query`` and the service's ``/export`` endpoints. The
serialisers are Oxigraph's (``KGStore.serialize`` / ``NativeResult.serialize``),
except the plain-text ``table`` of ``kg query``, which is formatted here.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD, NamespaceManager
from rdflib.query import Result

from kg.errors import StoreError
from kg.rdf.iris import ACTORS_GRAPH
from kg.store import PREFIXES, KGStore

#: Formats for one graph, and for the whole dataset (keys of ``kg.store.RDF_FORMATS``).
GRAPH_FORMATS: tuple[str, ...] = ("turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads")
DATASET_FORMATS: tuple[str, ...] = ("trig", "nquads")
#: ``kg query --format`` choices.
QUERY_FORMATS: tuple[str, ...] = ("table", "json", "csv", "tsv", "xml")


def article_graph_iri(article_id: str) -> URIRef:
    """The named graph IRI of an article: ``https://w3id.org/geokg/id/graph/{article_id}``."""
    from kg.rdf.iris import graph_iri

    return graph_iri(article_id)


def resolve_graph(ref: str) -> URIRef:
    """A graph reference as an IRI: an absolute IRI is kept, anything else is an article id.

    Args:
        ref: ``https://w3id.org/geokg/id/graph/abc...`` or ``abc...`` (an article id).
    """
    ref = ref.strip()
    if ":" in ref:  # has a scheme: http:, https:, urn:, file:
        return URIRef(ref)
    return article_graph_iri(ref)


def export_data(store: KGStore, graph: str | None = None, fmt: str | None = None) -> bytes:
    """Serialise one graph (``graph`` = IRI or article id) or the whole dataset.

    One graph is written self-contained: with the descriptions, from ``id/graph/actors``, of
    the actors it refers to (``kg.actors.describe_query``: their type, label, owl:sameAs, roles
    and affiliations), merged into the graph for the one-graph formats and as a second named
    graph ``id/graph/actors`` for TriG / N-Quads. The actors graph itself, and the whole dataset
    (which holds it), are written as stored.

    Args:
        store: The store to read.
        graph: A graph IRI or article id; None = every graph.
        fmt: One of GRAPH_FORMATS (a graph) or DATASET_FORMATS (the dataset);
            None = ``turtle`` for a graph, ``trig`` for the dataset.

    Returns:
        The serialisation as UTF-8 bytes.

    Raises:
        GraphNotFoundError: the graph is not in the store.
        StoreError: a format that does not fit (e.g. turtle for the whole dataset).
    """
    if graph is None:
        fmt = fmt or "trig"
        if fmt not in DATASET_FORMATS:
            raise StoreError(f"--format {fmt} holds one graph; name one with --graph IRI_OR_ARTICLE_ID, "
                             f"or export the dataset as {' or '.join(DATASET_FORMATS)}")
        return store.serialize(fmt)
    fmt = fmt or "turtle"
    if fmt not in GRAPH_FORMATS:
        raise StoreError(f"unknown format {fmt!r}; use one of {', '.join(GRAPH_FORMATS)}")
    iri = resolve_graph(graph)
    if iri == ACTORS_GRAPH:
        return store.serialize(fmt, iri)
    return _with_actors(store, iri, fmt)


def _with_actors(store: KGStore, iri: URIRef, fmt: str) -> bytes:
    """Named graph ``iri`` plus the descriptions of its actors, in ``fmt`` (see export_data)."""
    import pyoxigraph as ox

    from kg.actors import describe_query
    from kg.oxigraph import RDF_FORMATS, named_node
    from kg.store import GraphNotFoundError

    if not store.has_graph(iri):
        raise GraphNotFoundError(f"no graph <{iri}> in the store {store.location}")
    name = named_node(iri)
    own = list(store.execute(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}").raw)
    actors = list(store.execute(describe_query(iri)).raw)
    target = RDF_FORMATS[fmt]
    prefixes = PREFIXES if fmt in ("turtle", "trig") else None
    if target.supports_datasets:
        quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in own]
        quads += [ox.Quad(t.subject, t.predicate, t.object, named_node(ACTORS_GRAPH)) for t in actors]
        return ox.serialize(quads, format=target, prefixes=prefixes)
    return ox.serialize(own + actors, format=target, prefixes=prefixes)


def write_output(data: bytes, output: str | Path | None) -> None:
    """Write ``data`` to the file ``output``, or to standard output when None or ``-``."""
    import sys

    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        Path(output).write_bytes(data)


def read_query_arg(query_or_file: str) -> str:
    """The SPARQL text of ``kg query``'s argument: a file's content, stdin for ``-``, else the argument.

    An argument of one line ending in ``.rq``, ``.sparql`` or ``.ru`` names a file, which must
    exist (a query text never ends so).

    Raises:
        StoreError: the file exists but cannot be read as UTF-8, or a ``.rq`` file does not exist.
    """
    import sys

    if query_or_file == "-":
        return sys.stdin.read()
    path = Path(query_or_file)
    one_line = len(query_or_file) < 4096 and "\n" not in query_or_file
    if one_line and path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(f"{path}: cannot read the query file: {exc}") from None
    if one_line and path.suffix.lower() in QUERY_FILE_SUFFIXES:
        raise StoreError(f"{path}: no such query file")
    return query_or_file


QUERY_FILE_SUFFIXES = (".rq", ".sparql", ".ru")
"""Endings of an argument of ``kg query`` that names a query file."""


def query_output(store: KGStore, sparql: str, fmt: str = "table") -> bytes:
    """Run ``sparql`` and render its result for ``kg query``.

    Args:
        store: The store to query (union of all graphs as default graph).
        sparql: The query.
        fmt: ``table`` (plain text columns; CONSTRUCT/DESCRIBE as Turtle), or ``json``,
            ``xml``, ``csv``, ``tsv`` (SPARQL result formats by Oxigraph; for
            CONSTRUCT/DESCRIBE ``json`` gives JSON-LD, ``xml`` RDF/XML, csv/tsv are refused).

    Returns:
        UTF-8 bytes ending with a newline.

    Raises:
        QueryError: malformed query.
        StoreError: a format that does not fit the result (csv for a CONSTRUCT).
    """
    if fmt not in QUERY_FORMATS:
        raise StoreError(f"unknown format {fmt!r}; use one of {', '.join(QUERY_FORMATS)}")
    if fmt != "table":
        result = store.execute(sparql)
        key = fmt
        if result.kind == "CONSTRUCT":
            key = {"json": "jsonld", "xml": "rdfxml"}.get(fmt, fmt)
            if key in ("csv", "tsv"):
                raise StoreError(f"{fmt} holds tabular results; a CONSTRUCT/DESCRIBE result is a graph "
                                 "(use table, json or xml)")
        data, _ = result.serialize(key)
        return data if data.endswith(b"\n") else data + b"\n"
    result = store.query(sparql)
    return render_table(result).encode("utf-8")


def render_table(result: Result) -> str:
    """Plain-text rendering: ASK as true/false, SELECT as aligned columns, graphs as Turtle.

    Terms are written in Turtle syntax with the PREFIXES of ``kg.store`` (``gk:Meeting``,
    ``wd:Q7747``, ``"2025-01-21"^^xsd:date``, integers/decimals/booleans bare: ``250``);
    unbound cells are empty.
    """
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="turtle")
    nm = _prefixed_graph().namespace_manager
    header = [str(v) for v in result.vars]
    rows = [[_cell(row.get(v), nm) for v in result.vars] for row in (dict(b) for b in result.bindings)]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _prefixed_graph():
    from rdflib import Graph

    graph = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


_BARE = {str(XSD.integer), str(XSD.decimal), str(XSD.boolean)}


def _cell(term, nm: NamespaceManager) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in _BARE:
        return str(term)  # Turtle's bare form: 250, 0.9, true
    text = term.n3(nm)
    return text.replace("\n", "\\n")
