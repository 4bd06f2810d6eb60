"""The store: an rdflib ``Dataset`` backed by Oxigraph, one named graph per article.

The layout (one graph per article, the shared ``id/graph/actors``, ``id/graph/canonical``) is
described in :mod:`kg.actors`; :meth:`KGStore.write_articles` writes it.

This module holds :class:`KGStore` (writes, reads, queries, serialisation), its errors
(:class:`GraphNotFoundError`, :class:`UpdateError`) and :data:`PREFIXES`. Opening a store
(``open_store``, the ``"memory"`` location :data:`MEMORY`, lock/concurrency rules and their
error messages) lives in :mod:`kg.store_open`; both names are re-exported here, so
``from kg.store import open_store, MEMORY`` keeps working.

Every query runs on Oxigraph's own SPARQL engine, called directly through
pyoxigraph with the union of all graphs (named graphs plus the default graph)
as the default graph. rdflib's own SPARQL engine is never used: rdflib falls
back to it silently when a store raises ``NotImplementedError`` (e.g. for a
parsed ``Query``), so this module does not go through ``Graph.query`` at all.

Oxigraph canonicalises literals when it stores them: every xsd:integer-derived
datatype (xsd:nonNegativeInteger of the nif offsets, xsd:int...) comes back as
xsd:integer, xsd:dateTimeStamp as xsd:dateTime, and numeric/boolean lexical forms
are normalised ("0.50" -> "0.5", "1"^^xsd:boolean -> "true"). A graph read back
(``get_graph``, exports) is therefore isomorphic to the stored graph only up to
that; the SHACL shapes accept xsd:integer offsets for this reason.
"""

from __future__ import annotations

import logging
from typing import Iterable

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef, Variable
from rdflib.query import Result

from kg.errors import QueryError, StoreError
from kg.oxigraph import RDF_FORMATS, RESULT_FORMATS, NativeResult, from_ox, named_node, to_ox_triple
from kg.store_open import MEMORY, open_store

__all__ = ["KGStore", "GraphNotFoundError", "UpdateError", "NativeResult", "PREFIXES", "RDF_FORMATS", "RESULT_FORMATS",
           "MEMORY", "open_store"]

log = logging.getLogger(__name__)

#: Prefixes written into Turtle/TriG exports and predeclared for every query (a query's own
#: PREFIX declarations override them); the fixed public vocabulary of notes/common.md.
PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "gk": "https://w3id.org/geokg/ontology#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "itsrdf": "http://www.w3.org/2005/11/its/rdf#",
    "schema": "http://schema.org/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}


class GraphNotFoundError(StoreError):
    """The named graph asked for is not in the store (HTTP 404)."""


class UpdateError(QueryError):
    """A well-formed update that cannot be applied, e.g. CREATE GRAPH of an existing graph (HTTP 400)."""



class KGStore:
    """One rdflib Dataset over an Oxigraph store; named graphs are replaced atomically.

    Args:
        dataset: The rdflib ``Dataset`` whose store is an oxrdflib ``OxigraphStore``.
        location: ``"memory"`` or the directory path (for messages).
        read_only: Whether writes are refused.

    Attributes:
        dataset: The rdflib Dataset (for rdflib-level reading; its ``default_union`` is True).
        location: Where the store lives.
        read_only: Whether it was opened read-only.
    """

    def __init__(self, dataset: Dataset, location: str, *, read_only: bool = False) -> None:
        if not dataset.store.context_aware or not dataset.store.graph_aware:
            raise StoreError("the rdflib store must be context- and graph-aware to hold one graph per article")
        self.dataset = dataset
        self.location = location
        self.read_only = read_only
        # the pyoxigraph Store (oxrdflib's handle); None for kg.remote_store's SPARQLUpdateStore
        self._ox: ox.Store | None = getattr(dataset.store, "_inner", None)

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def engine(self) -> str:
        """Name and version of the SPARQL engine that answers queries."""
        return f"oxigraph {ox.__version__}"

    def close(self) -> None:
        """Flush (on-disk, read-write) and release the store and its lock; idempotent."""
        if self._ox is None:
            return
        if self.location != MEMORY and not self.read_only:
            try:
                self._ox.flush()
            except OSError as exc:
                log.warning("flushing %s failed: %s", self.location, exc)
        self.dataset.close()
        self._ox = None

    def __enter__(self) -> "KGStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph Store itself (for kg.graphstore); raises StoreError when closed."""
        return self._store()

    def _store(self) -> ox.Store:
        if self._ox is None:
            raise StoreError(f"the store {self.location} is closed")
        return self._ox

    # -- writing ---------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str | URIRef, graph: Iterable) -> int:
        """Replace the named graph ``graph_iri`` by the triples of ``graph``, atomically.

        All triples are converted first; then one SPARQL update ``DROP SILENT GRAPH <g> ;
        INSERT DATA { GRAPH <g> { ... } }`` runs, which Oxigraph applies in a single
        transaction (pyoxigraph ``Store.update``: "either the full operation succeeds, or
        nothing is written"). Any failure leaves the old graph untouched.

        Args:
            graph_iri: IRI of the named graph.
            graph: An rdflib Graph (or any iterable of rdflib (s, p, o) triples).

        Returns:
            Number of triples written.

        Raises:
            StoreError: read-only store, a term Oxigraph rejects (e.g. an invalid IRI), or a write failure.
        """
        name = named_node(graph_iri)
        triples = [to_ox_triple(t) for t in graph]  # may raise: nothing has been written yet
        update = f"DROP SILENT GRAPH {name} ;\n"
        if triples:
            body = " .\n".join(str(t) for t in triples)
            update += f"INSERT DATA {{ GRAPH {name} {{\n{body} .\n}} }}"
        self._write(update, f"replacing graph {name}")
        log.debug("replaced graph %s with %d triples", name, len(triples))
        return len(triples)

    def write_articles(self, articles: Iterable) -> int:
        """Store articles in the layout of :mod:`kg.actors`, all in one transaction.

        Each article graph is replaced (``DROP SILENT GRAPH`` + ``INSERT DATA``) and its actor
        triples are merged into the shared graph ``id/graph/actors`` (single-valued facts --
        rdf:type, rdfs:label, gk:roleTitle -- replaced, the rest added): one SPARQL update built
        by :func:`kg.actors.write_update` and run by :meth:`update` (so through ``_write``, and
        through the service's wrapper of ``update``). Any failure leaves every graph as it was.

        Args:
            articles: ``kg.rdf.mapping.ArticleGraphs`` (``to_graphs`` output), in write order
                (the last one wins a single-valued fact).

        Returns:
            Number of triples written (article + actor triples).

        Raises:
            StoreError: read-only store, a term Oxigraph rejects (nothing written), or a write failure.
        """
        from kg.actors import write_update

        articles = list(articles)
        update, count = write_update(articles)
        if update:
            self.update(update)
            log.debug("wrote %d articles, %d triples", len(articles), count)
        return count

    def remove_graph(self, graph_iri: str | URIRef) -> None:
        """Remove the named graph ``graph_iri`` (no error if absent)."""
        self._write(f"DROP SILENT GRAPH {named_node(graph_iri)}", f"removing graph <{graph_iri}>")

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update in one transaction; the prefixes of PREFIXES are predeclared.

        Args:
            sparql: The update text.
            base_iri: Base IRI for relative IRIs in the update; None = relative IRIs are errors.

        Raises:
            QueryError: malformed update (the message is Oxigraph's parser message).
            StoreError: read-only store or a failing operation (nothing is written then).
        """
        self._write(sparql, "update", base_iri=base_iri)

    def _write(self, update: str, what: str, base_iri: str | None = None) -> None:
        store = self._store()
        if self.read_only:
            raise StoreError(f"the store {self.location} is open read-only; {what} is not possible")
        try:
            store.update(update, base_iri=base_iri, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from None
        except RuntimeError as exc:  # Oxigraph's evaluation errors ("The graph <g> already exists")
            raise UpdateError(f"{what} failed: {exc}") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"{what} failed in {self.location}: {exc}") from None

    # -- reading ---------------------------------------------------------------------------------
    def graph_iris(self) -> list[URIRef]:
        """IRIs of all named graphs, sorted."""
        return sorted(URIRef(g.value) for g in self._store().named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, graph_iri: str | URIRef) -> bool:
        """Whether the named graph ``graph_iri`` exists."""
        return self._store().contains_named_graph(named_node(graph_iri))

    def get_graph(self, graph_iri: str | URIRef) -> Graph:
        """A copy of named graph ``graph_iri`` as an in-memory rdflib Graph (empty if absent).

        ``xsd:string`` literals come back as plain literals, as rdflib's parsers produce them.
        """
        graph = Graph(identifier=URIRef(str(graph_iri)))
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        for q in self._store().quads_for_pattern(None, None, None, named_node(graph_iri)):
            graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        return graph

    def triple_count(self, graph_iri: str | URIRef | None = None) -> int:
        """Number of quads in the whole store, or of triples in named graph ``graph_iri``."""
        store = self._store()
        if graph_iri is None:
            return len(store)
        rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {named_node(graph_iri)} {{ ?s ?p ?o }} }}")
        return int(next(iter(rows))[0].value)

    def execute(self, sparql: str, *, default_graphs: list[str] | None = None,
                named_graphs: list[str] | None = None, base_iri: str | None = None) -> NativeResult:
        """Run a SPARQL query on Oxigraph and keep the result in Oxigraph form.

        The prefixes of PREFIXES (gk:, sem:, wd:, rdfs:...) are predeclared.

        Args:
            sparql: The query text.
            default_graphs: Graph IRIs whose merge is the default graph (SPARQL protocol
                ``default-graph-uri``). None = the union of all graphs, unless ``named_graphs`` is given.
            named_graphs: Graph IRIs available to ``GRAPH`` (protocol ``named-graph-uri``).
                None = all named graphs. If either list is given, the protocol dataset
                replaces the query's FROM/FROM NAMED, as FROM/FROM NAMED would (SPARQL 1.1
                Query §13.2): the default graph is exactly the merge of ``default_graphs``
                and the named graphs exactly ``named_graphs`` (each empty if None).
            base_iri: Base IRI for relative IRIs in the query (the service passes its
                endpoint URL, as the SPARQL protocol allows); None = relative IRIs are errors.

        Returns:
            NativeResult with kind SELECT, ASK or CONSTRUCT.

        Raises:
            QueryError: malformed query or graph IRI (Oxigraph's parser message).
            StoreError: the store cannot be read.
        """
        store = self._store()
        kwargs: dict = {}
        if default_graphs is None and named_graphs is None:
            kwargs["use_default_graph_as_union"] = True
        else:
            kwargs["default_graph"] = [named_node(g) for g in default_graphs or []]
            kwargs["named_graphs"] = [named_node(g) for g in named_graphs or []]
        try:
            raw = store.query(sparql, base_iri=base_iri, prefixes=PREFIXES, **kwargs)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"query failed on {self.location}: {exc}") from None
        if isinstance(raw, ox.QueryBoolean):
            return NativeResult("ASK", raw)
        if isinstance(raw, ox.QuerySolutions):
            return NativeResult("SELECT", raw)
        return NativeResult("CONSTRUCT", raw)

    def query_serialized(self, sparql: str, result_format: str = "json", graph_format: str = "turtle",
                         **dataset: list[str] | None) -> tuple[bytes, str]:
        """Run a query and serialise its result with Oxigraph's own writers.

        Args:
            sparql: The query text.
            result_format: For SELECT/ASK: json, xml, csv or tsv.
            graph_format: For CONSTRUCT/DESCRIBE: turtle, ntriples, jsonld, rdfxml, trig or nquads.
            **dataset: ``default_graphs`` / ``named_graphs`` as for :meth:`execute`.

        Returns:
            (bytes, media type).

        Raises:
            QueryError: malformed query.
            StoreError: unknown format or store failure.
        """
        result = self.execute(sparql, **dataset)
        return result.serialize(graph_format if result.kind == "CONSTRUCT" else result_format)

    def query(self, sparql: str) -> Result:
        """Run a SPARQL query on Oxigraph over the union of all graphs; return an rdflib Result.

        Raises:
            QueryError: malformed query (Oxigraph's parser message, e.g. "error at 1:10: expected ...").
            StoreError: the store cannot be read, or a result holds an RDF-star triple term.
        """
        native = self.execute(sparql)
        result = Result(native.kind)
        try:
            if native.kind == "ASK":
                result.askAnswer = bool(native.raw)
            elif native.kind == "SELECT":
                result.vars = [Variable(v.value) for v in native.raw.variables]
                result.bindings = [
                    {var: from_ox(term) for var, term in zip(result.vars, row) if term is not None}
                    for row in native.raw
                ]
            else:
                graph = Graph()
                for prefix, ns in PREFIXES.items():
                    graph.bind(prefix, ns)
                for t in native.raw:
                    graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
                result.graph = graph
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"query evaluation failed on {self.location}: {exc}") from None
        return result

    def serialize(self, format: str = "trig", graph_iri: str | URIRef | None = None) -> bytes:
        """Serialise one named graph or the whole dataset with Oxigraph's writers.

        Args:
            format: A key of RDF_FORMATS. Without ``graph_iri`` only ``trig`` and ``nquads``
                (dataset formats) are allowed.
            graph_iri: The named graph to write; None = every graph (default graph included).

        Returns:
            The serialisation (UTF-8 bytes), with PREFIXES declared where the format has prefixes.

        Raises:
            GraphNotFoundError: ``graph_iri`` is not in the store.
            StoreError: unknown format, or a one-graph format asked for the whole dataset.
        """
        store = self._store()
        if format not in RDF_FORMATS:
            raise StoreError(f"unknown RDF format {format!r}; use one of {', '.join(RDF_FORMATS)}")
        fmt = RDF_FORMATS[format]
        prefixes = PREFIXES if format in ("turtle", "trig") else None
        if graph_iri is None:
            if not fmt.supports_datasets:
                raise StoreError(f"{format} holds one graph; name a graph, or use trig or nquads for the dataset")
            return store.dump(format=fmt, prefixes=prefixes)
        name = named_node(graph_iri)
        if not store.contains_named_graph(name):
            raise GraphNotFoundError(f"no graph <{graph_iri}> in the store {self.location}")
        if fmt.supports_datasets:
            return ox.serialize(store.quads_for_pattern(None, None, None, name), format=fmt, prefixes=prefixes)
        return store.dump(format=fmt, from_graph=name, prefixes=prefixes)
