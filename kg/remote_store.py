"""The remote store: a :class:`kg.store.KGStore` over a SPARQL 1.1 server (Oxigraph server, Fuseki...).

``open_store`` returns a :class:`RemoteStore` when the setting ``remote_query``
(``KG_REMOTE_QUERY``) is set; ``remote_update`` defaults to it. Every caller of a
KGStore (``kg ingest/query/export/link/validate``, the service) works unchanged: the
store's primitives become HTTP requests of the SPARQL 1.1 Protocol
(https://www.w3.org/TR/sparql11-protocol/):

* writes (``_write``: ``replace_graph``, ``update``, the Graph Store Protocol routes,
  ``POST /articles``) are one SPARQL 1.1 Update each, POSTed as ``application/sparql-update``;
* reads (``execute``, ``graph_iris``, ``get_graph``, ``serialize``...) are SPARQL queries
  POSTed form-encoded, with ``default-graph-uri`` / ``named-graph-uri`` forwarded as protocol
  parameters. The query *text* goes to the remote and the remote's engine runs it; results come
  back as SPARQL JSON/TSV or N-Triples and are read by pyoxigraph's parsers. rdflib's SPARQL
  engine is never used (``dataset`` is an rdflib ``Dataset`` over rdflib's
  ``SPARQLUpdateStore``, which also sends query text to the remote).

**The union default graph (required).** The embedded store queries the union of all graphs as
its default graph; the remote server must be configured the same way, or the example queries
and the canonical meetings find nothing: Oxigraph ``oxigraph serve --union-default-graph``;
Fuseki ``tdb2:unionDefaultGraph true`` on the TDB2 dataset; GraphDB and Virtuoso: query the
union by default (GraphDB's default graph is the union of all graphs; Virtuoso needs the
graphs in its default graph group). :func:`open_remote_store` checks it with two small
queries: it reads one named-graph triple without blank nodes and asks whether the default
graph holds it; StoreError if not (an empty store cannot be checked).

**The store's own default graph** (Graph Store Protocol ``?default``) cannot be named in a
query when the default graph is the union, so it is read as the triples of the default graph
that are in no named graph: a triple stored both there and in a named graph is missed.

**Atomicity.** Each write is one update request; SPARQL 1.1 Update §2.2 says a request SHOULD
be applied atomically, and Oxigraph server and Fuseki (TDB2) do: a failing request writes nothing.

**Errors and timeouts** are those of :mod:`kg.sparql_http` (400 -> QueryError; unreachable,
other 4xx, 5xx -> StoreError naming the endpoint; Oxigraph server answers 500 to e.g. CREATE
GRAPH of an existing graph, which the embedded store reports as a 400 UpdateError). Each answer
to a query must come within ``remote_timeout`` seconds; the service runs its queries under
``query_timeout`` instead (``service.limits``). The remote may go on computing an abandoned
query, so also give the server a timeout (Oxigraph ``--timeout-s``). An update only has to
connect within ``remote_timeout``: geokg then waits for its answer however long it takes, since
a server may commit an update the client gave up on (a RemoteTimeout on an update says it may
have been applied; re-running the ingest converges, every write being a replacement).
"""

from __future__ import annotations

import logging
import time
from typing import IO, Iterator

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

from kg.errors import StoreError
from kg.oxigraph import RDF_FORMATS, NativeResult, from_ox, named_node
from kg.sparql_http import RemoteTimeout, SparqlEndpoint, check_timeout
from kg.store import PREFIXES, GraphNotFoundError, KGStore

__all__ = ["RemoteStore", "RemoteTimeout", "RemoteTriples", "open_remote_store"]

log = logging.getLogger(__name__)

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
TSV_RESULTS = "text/tab-separated-values"
NTRIPLES = "application/n-triples"
#: What a query may answer, whatever its form: results (SELECT/ASK) or a graph (CONSTRUCT/DESCRIBE).
ANY_RESULT = f"{JSON_RESULTS}, {XML_RESULTS};q=0.9, {NTRIPLES};q=0.9, text/turtle;q=0.5"

#: The named-graph triples, as quads (?g ?s ?p ?o).
_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
#: The store's own default graph when the query default graph is the union (see the module docstring).
_DEFAULT_ONLY = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"


class RemoteTriples(list):
    """A CONSTRUCT/DESCRIBE result read from the remote: pyoxigraph Triples, with ``QueryTriples.serialize``."""

    def serialize(self, output: IO[bytes] | None = None, format: ox.RdfFormat | None = None) -> bytes | None:
        return ox.serialize(self, output, format=format)


def open_remote_store(query_url: str, update_url: str | None = None, *, read_only: bool = False,
                      timeout: float | None = None, user: str | None = None, password: str | None = None,
                      check_union: bool = True) -> "RemoteStore":
    """Open the remote SPARQL 1.1 store at ``query_url`` / ``update_url``.

    Args:
        query_url: The query endpoint (Oxigraph server: ``http://host:7878/query``).
        update_url: The update endpoint (Oxigraph: ``.../update``); None = ``query_url``.
        read_only: Refuse writes in geokg (the remote is not asked).
        timeout: Seconds to wait for each answer to a query, and to connect for an update; None =
            setting ``remote_timeout`` (0 = no limit).
        user, password: HTTP basic authentication; None = settings ``remote_user`` / ``remote_password``.
        check_union: Check that the remote's default graph is the union of its graphs (module docstring).

    Returns:
        The RemoteStore (nothing to release, but ``close()`` makes it refuse further use).

    Raises:
        ConfigError: a negative timeout (the message names ``KG_REMOTE_TIMEOUT``).
        StoreError: a URL that is not http(s), the remote cannot be reached or answers an error,
            or its default graph is not the union of its named graphs.
    """
    from kg import settings

    seconds = check_timeout(settings.get("remote_timeout", timeout))
    user = settings.get("remote_user", user)
    password = settings.get("remote_password", password)
    store = RemoteStore(query_url, update_url or query_url, read_only=read_only, timeout=seconds or None,
                        auth=(user, password or "") if user else None)
    if check_union:
        store.check_union_default_graph()
    log.debug("opened remote store %s (%s)", query_url, "read-only" if read_only else "read-write")
    return store


class RemoteStore(KGStore):
    """A KGStore whose data lives in a remote SPARQL 1.1 server (see the module docstring).

    Args:
        query_url: The SPARQL query endpoint URL.
        update_url: The SPARQL update endpoint URL.
        read_only: Whether geokg refuses writes.
        timeout: Seconds to wait for each answer to a query, and to connect for an update; None = no limit.
        auth: (user, password) for HTTP basic authentication, or None.

    Attributes:
        endpoint: The :class:`kg.sparql_http.SparqlEndpoint` (query_url, update_url, timeout).

    Raises:
        StoreError: a URL that is not an absolute http(s) URL.
    """

    def __init__(self, query_url: str, update_url: str, *, read_only: bool = False,
                 timeout: float | None = 30.0, auth: tuple[str, str] | None = None) -> None:
        self.endpoint = SparqlEndpoint(query_url, update_url, PREFIXES, timeout=timeout, auth=auth)
        sparql = SPARQLUpdateStore(query_endpoint=query_url, update_endpoint=update_url, method="POST_FORM",
                                   returnFormat="json", auth=auth)
        super().__init__(Dataset(store=sparql, default_union=True), query_url, read_only=read_only)
        self.query_url = query_url
        self._open = True

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def engine(self) -> str:
        """``remote SPARQL 1.1 (<query endpoint URL>)``."""
        return f"remote SPARQL 1.1 ({self.query_url})"

    def close(self) -> None:
        """Refuse further use (no connection is held between requests); idempotent."""
        self._open = False

    @property
    def native(self) -> ox.Store:
        """Not available: a remote store has no local pyoxigraph Store; always raises StoreError."""
        raise StoreError(f"the remote store {self.query_url} has no local Oxigraph store; "
                         "read it through SPARQL (execute, serialize)")

    def _store(self) -> ox.Store:
        return self.native

    def _endpoint(self) -> SparqlEndpoint:
        if not self._open:
            raise StoreError(f"the remote store {self.query_url} is closed")
        return self.endpoint

    def check_union_default_graph(self) -> None:
        """Raise StoreError when a named-graph triple is not in the default graph (module docstring)."""
        rows = list(self.execute("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                                 "FILTER(!isBlank(?s) && !isBlank(?o)) } LIMIT 1").raw)
        if rows and not bool(self.execute(f"ASK {{ {rows[0][1]} {rows[0][2]} {rows[0][3]} }}").raw):
            g, s, p, o = rows[0]
            raise StoreError(
                f"the remote store {self.query_url} does not query the union of its named graphs as its "
                f"default graph ({s} {p} {o} is in graph {g} but not in the default graph); geokg needs "
                "that: start Oxigraph with `oxigraph serve --union-default-graph`, or set "
                "tdb2:unionDefaultGraph true on the Fuseki dataset")

    # -- writing ---------------------------------------------------------------------------------
    def _write(self, update: str, what: str, base_iri: str | None = None) -> None:
        if self.read_only:
            raise StoreError(f"the store {self.location} is open read-only; {what} is not possible")
        self._endpoint().update(update, what, base_iri=base_iri)

    # -- reading ---------------------------------------------------------------------------------
    def execute(self, sparql: str, *, default_graphs: list[str] | None = None,
                named_graphs: list[str] | None = None, base_iri: str | None = None) -> NativeResult:
        """Send ``sparql`` to the remote and read its answer (see ``KGStore.execute`` for the arguments).

        Returns:
            NativeResult: ``raw`` is a pyoxigraph ``QuerySolutions`` / ``QueryBoolean`` parsed from the
            remote's results, or :class:`RemoteTriples` for CONSTRUCT/DESCRIBE.

        Raises:
            QueryError: the remote answered 400 (malformed query; its message).
            StoreError: the remote cannot be reached, fails, or answers something unreadable.
        """
        endpoint = self._endpoint()
        response = endpoint.query(sparql, ANY_RESULT, default_graphs=default_graphs, named_graphs=named_graphs,
                                  base_iri=base_iri)
        media = response.headers.get_content_type()
        data = endpoint.read(response, "query")
        with endpoint.reading("query"):
            results_format = ox.QueryResultsFormat.from_media_type(media)
            if results_format is not None:
                raw = ox.parse_query_results(data, format=results_format)
                return NativeResult("ASK" if isinstance(raw, ox.QueryBoolean) else "SELECT", raw)
            graph_format = ox.RdfFormat.from_media_type(media)
            if graph_format is not None:
                return NativeResult("CONSTRUCT", RemoteTriples(q.triple for q in ox.parse(data, format=graph_format)))
        raise StoreError(f"the remote store {self.query_url} answered {media!r}, not SPARQL results or RDF")

    def _triples(self, construct: str) -> RemoteTriples:
        result = self.execute(construct)
        if result.kind != "CONSTRUCT":
            raise StoreError(f"the remote store {self.query_url} answered a {result.kind} result to a CONSTRUCT")
        return result.raw

    def _graph_triples(self, name: ox.NamedNode) -> RemoteTriples:
        return self._triples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")

    def graph_iris(self) -> list[URIRef]:
        """IRIs of all named graphs, sorted."""
        rows = self.execute("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }").raw
        return sorted(URIRef(r[0].value) for r in rows if isinstance(r[0], ox.NamedNode))

    def has_graph(self, graph_iri: str | URIRef) -> bool:
        """Whether the named graph ``graph_iri`` exists."""
        return bool(self.execute(f"ASK {{ GRAPH {named_node(graph_iri)} {{ }} }}").raw)

    def get_graph(self, graph_iri: str | URIRef) -> Graph:
        """A copy of named graph ``graph_iri`` as an in-memory rdflib Graph (empty if absent)."""
        graph = Graph(identifier=URIRef(str(graph_iri)))
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        for t in self._graph_triples(named_node(graph_iri)):
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return graph

    def triple_count(self, graph_iri: str | URIRef | None = None) -> int:
        """Number of quads in the whole store (default graph as in the module docstring), or of triples in ``graph_iri``."""
        if graph_iri is None:
            where = "{ GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?h { ?s ?p ?o } } }"
        else:
            where = f"GRAPH {named_node(graph_iri)} {{ ?s ?p ?o }}"
        rows = list(self.execute(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").raw)
        return int(rows[0][0].value)

    def serialize(self, format: str = "trig", graph_iri: str | URIRef | None = None) -> bytes:
        """Serialise one named graph or the whole dataset (see ``KGStore.serialize``), read by SPARQL queries.

        The dataset's named-graph quads are streamed from one TSV answer into Oxigraph's writer.

        Raises:
            GraphNotFoundError: ``graph_iri`` is not in the store.
            StoreError: unknown format, a one-graph format for the dataset, or a remote failure.
        """
        if format not in RDF_FORMATS:
            raise StoreError(f"unknown RDF format {format!r}; use one of {', '.join(RDF_FORMATS)}")
        fmt = RDF_FORMATS[format]
        prefixes = PREFIXES if format in ("turtle", "trig") else None
        if graph_iri is not None:
            name = named_node(graph_iri)
            if not self.has_graph(name.value):
                raise GraphNotFoundError(f"no graph <{graph_iri}> in the store {self.location}")
            triples = self._graph_triples(name)
            if fmt.supports_datasets:
                triples = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
            return ox.serialize(triples, format=fmt, prefixes=prefixes)
        if not fmt.supports_datasets:
            raise StoreError(f"{format} holds one graph; name a graph, or use trig or nquads for the dataset")
        default = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in self._triples(_DEFAULT_ONLY)]
        endpoint = self._endpoint()
        response = endpoint.query(_QUADS, TSV_RESULTS)

        def quads() -> Iterator[ox.Quad]:
            yield from default
            for g, s, p, o in ox.parse_query_results(response, format=ox.QueryResultsFormat.TSV):
                yield ox.Quad(s, p, o, g)

        with endpoint.reading("export"), response:
            return ox.serialize(quads(), format=fmt, prefixes=prefixes)

    def serialize_default_graph(self, format: str) -> bytes:
        """The store's own default graph (GSP ``?default``; see the module docstring) in a one-graph ``format``.

        Raises:
            StoreError: unknown or dataset format, or a remote failure.
        """
        if format not in RDF_FORMATS or RDF_FORMATS[format].supports_datasets:
            raise StoreError(f"format {format!r} is not a graph format")
        return ox.serialize(self._triples(_DEFAULT_ONLY), format=RDF_FORMATS[format],
                            prefixes=PREFIXES if format == "turtle" else None)

    # -- the service's limited queries (service.limits) ------------------------------------------
    def run_limited(self, sparql: str, kind: str, media_type: str, *, default_graphs: list[str] | None,
                    named_graphs: list[str] | None, base_iri: str | None, max_rows: int,
                    timeout: float | None) -> tuple[bytes, str, bool]:
        """Run a query on the remote within ``timeout`` seconds, keeping at most ``max_rows`` rows/triples.

        The remote answers TSV (SELECT) or N-Triples (CONSTRUCT/DESCRIBE), one row per line; reading
        stops after ``max_rows`` lines (the connection is closed, which ends the transfer) and
        pyoxigraph re-writes the kept lines in ``media_type``, as ``service.execution.run_job`` does.

        Args:
            sparql: The query text (already parsed by ``service.safety``).
            kind: ``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"``.
            media_type: Media type of the wanted result format (a RESULT_FORMATS or RDF_FORMATS one).
            default_graphs, named_graphs: The protocol dataset (see ``KGStore.execute``).
            base_iri: Base IRI for relative IRIs, or None.
            max_rows: Row (or triple) cap; 0 = none.
            timeout: Seconds for the whole answer; None or 0 = no limit.

        Returns:
            (bytes in ``media_type``, that media type, whether the cap cut the result).

        Raises:
            RemoteTimeout: the deadline passed.
            QueryError: the remote answered 400.
            StoreError: any other remote failure, or a ``media_type`` that does not fit ``kind``.
        """
        deadline = time.monotonic() + timeout if timeout else None
        graph = kind == "CONSTRUCT"
        pivot = NTRIPLES if graph else JSON_RESULTS if kind == "ASK" else TSV_RESULTS
        wanted = (ox.RdfFormat if graph else ox.QueryResultsFormat).from_media_type(media_type)
        if wanted is None:
            raise StoreError(f"media type {media_type!r} does not fit a {kind} result")
        endpoint = self._endpoint()
        response = endpoint.query(sparql, pivot, default_graphs=default_graphs, named_graphs=named_graphs,
                                  base_iri=base_iri, timeout=timeout or None)
        if response.headers.get_content_type() != pivot:
            response.close()
            raise StoreError(f"the remote store {self.query_url} answered "
                             f"{response.headers.get_content_type()} to a request for {pivot}")
        limit = 0 if kind == "ASK" or not max_rows else max_rows + (0 if graph else 1)  # TSV has a header line
        lines, truncated = endpoint.read_lines(response, limit, deadline, timeout)
        data = b"".join(lines)
        with endpoint.reading("query"):
            if graph:
                if wanted != ox.RdfFormat.N_TRIPLES:
                    data = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=wanted)
            else:
                source = ox.QueryResultsFormat.JSON if kind == "ASK" else ox.QueryResultsFormat.TSV
                data = ox.parse_query_results(data, format=source).serialize(format=wanted)
        return data, wanted.media_type, truncated
