"""The Oxigraph-backed store: atomic graph replacement, persistence, union queries, the engine."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from conftest import SEED_GRAPH, as_stored, fixture_dataset, load_dataset
from kg.errors import QueryError, StoreError
from kg.store import GraphNotFoundError, open_store

GK = "https://w3id.org/geokg/ontology#"
OTHER_GRAPH = URIRef("https://w3id.org/geokg/id/graph/0000000000000001")
PUTIN = URIRef("https://w3id.org/geokg/id/entity/Q7747")
ACTORS_GRAPH = URIRef("https://w3id.org/geokg/id/graph/actors")


def seed_graph() -> Graph:
    """The fixture's article graph, in the form Oxigraph stores it (see ``as_stored``)."""
    graph = Graph(identifier=URIRef(SEED_GRAPH))
    graph += fixture_dataset().graph(URIRef(SEED_GRAPH))
    return as_stored(graph)


def actors_graph() -> Graph:
    """The fixture's actors graph (``id/graph/actors``), as Oxigraph stores it."""
    graph = Graph(identifier=ACTORS_GRAPH)
    graph += fixture_dataset().graph(ACTORS_GRAPH)
    return as_stored(graph)


def other_graph() -> Graph:
    """A second article graph that mentions Putin again (actor descriptions repeat across graphs)."""
    graph = Graph(identifier=OTHER_GRAPH)
    graph.parse(data=f"""
        @prefix gk: <{GK}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/geokg/id/event/0000000000000001/statement-1> a gk:Statement ;
            gk:speaker <{PUTIN}> ; gk:content "Russia is ready for dialogue with the new US administration" .
        <{PUTIN}> a gk:Person ; rdfs:label "Vladimir Putin" .
    """, format="turtle")
    return graph


@pytest.fixture
def disk_store(tmp_path):
    store = open_store(tmp_path / "store")
    yield store
    store.close()


def test_replace_graph_replaces_not_duplicates(disk_store):
    seed = seed_graph()
    assert disk_store.replace_graph(SEED_GRAPH, seed) == len(seed)
    assert disk_store.replace_graph(SEED_GRAPH, seed) == len(seed)
    assert disk_store.triple_count(SEED_GRAPH) == len(seed)
    assert disk_store.graph_iris() == [URIRef(SEED_GRAPH)]

    smaller = Graph(identifier=URIRef(SEED_GRAPH))
    smaller += ((s, p, o) for s, p, o in seed if p != RDFS.label)
    disk_store.replace_graph(SEED_GRAPH, smaller)
    stored = disk_store.get_graph(SEED_GRAPH)
    assert isomorphic(stored, smaller)
    assert not list(stored.triples((None, RDFS.label, None)))


def test_replace_graph_with_blank_nodes_does_not_accumulate(disk_store):
    graph = Graph()
    node = BNode()
    graph.add((PUTIN, URIRef(GK + "holdsRole"), node))
    graph.add((node, URIRef(GK + "roleTitle"), Literal("President")))
    for _ in range(3):
        disk_store.replace_graph(OTHER_GRAPH, graph)
    assert disk_store.triple_count(OTHER_GRAPH) == 2
    assert isomorphic(disk_store.get_graph(OTHER_GRAPH), graph)


def test_reopen_after_close_keeps_data(tmp_path):
    path = tmp_path / "store"
    store = open_store(path)
    store.replace_graph(SEED_GRAPH, seed_graph())
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        store.graph_iris()

    reopened = open_store(path)
    try:
        assert reopened.graph_iris() == [URIRef(SEED_GRAPH)]
        assert isomorphic(reopened.get_graph(SEED_GRAPH), seed_graph())
    finally:
        reopened.close()


def test_query_default_graph_is_union_of_all_graphs(disk_store):
    disk_store.replace_graph(SEED_GRAPH, seed_graph())
    disk_store.replace_graph(ACTORS_GRAPH, actors_graph())
    disk_store.replace_graph(OTHER_GRAPH, other_graph())
    disk_store.update('INSERT DATA { <urn:x:default> <urn:x:p> "in the default graph" }')
    # The statement is in one graph, the meeting in another: a join without GRAPH needs the union.
    rows = list(disk_store.query("""
        SELECT ?content WHERE {
            ?m a gk:Meeting ; gk:participant ?who .
            ?s a gk:Statement ; gk:speaker ?who ; gk:content ?content .
        }"""))
    assert [str(r.content) for r in rows] == ["Russia is ready for dialogue with the new US administration"]
    assert disk_store.query('ASK { <urn:x:default> <urn:x:p> "in the default graph" }').askAnswer
    # Putin's label is in the actors graph and (written by hand) in the other graph: DISTINCT over
    # the union gives it once, GRAPH ?g once per graph.
    labels = list(disk_store.query(f"SELECT DISTINCT ?l WHERE {{ <{PUTIN}> rdfs:label ?l }}"))
    assert [str(r.l) for r in labels] == ["Vladimir Putin"]
    graphs = list(disk_store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{PUTIN}> rdfs:label ?l }} }} ORDER BY ?g"))
    assert [r.g for r in graphs] == [OTHER_GRAPH, ACTORS_GRAPH]


def test_queries_run_on_oxigraph_engine(kgstore, no_rdflib_engine):
    select = kgstore.query("SELECT ?l WHERE { ?p a gk:Person ; owl:sameAs wd:Q15031 ; rdfs:label ?l }")
    assert [str(r.l) for r in select] == ["Xi Jinping"]
    assert kgstore.query("ASK { ?m a gk:Meeting ; gk:mode gk:Remote }").askAnswer is True
    construct = kgstore.query("CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a gk:Country ; rdfs:label ?l }")
    assert sorted(str(o) for o in construct.graph.objects()) == ["China", "Russia", "Taiwan"]
    data, media_type = kgstore.query_serialized("SELECT (COUNT(*) AS ?n) WHERE { ?s a gk:Position }", "csv")
    assert (data, media_type) == (b"n\r\n2\r\n", "text/csv; charset=utf-8")

    # Which engine answered: RDF-star TRIPLE()/isTRIPLE() are Oxigraph extensions that
    # rdflib's parser rejects, and the error text is Oxigraph's ("error at line:column").
    oxigraph_only = "SELECT (isTRIPLE(TRIPLE(wd:Q159, rdfs:label, 'Russia')) AS ?t) WHERE {}"
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    with pytest.raises(ParseException):
        parseQuery(oxigraph_only)
    assert [r.t.toPython() for r in kgstore.query(oxigraph_only)] == [True]
    assert kgstore.engine.startswith("oxigraph ")
    with pytest.raises(QueryError, match=r"^error at 1:\d+"):
        kgstore.query("SELECT ?x WHERE { ?x ")


def test_malformed_query_and_update_raise_query_error(kgstore):
    with pytest.raises(QueryError, match="error at 1:1"):
        kgstore.query("SELEC * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="error at"):
        kgstore.update("INSERT DATA { ?s ?p ?o }")
    with pytest.raises(QueryError, match="not a valid IRI"):
        kgstore.replace_graph("not an iri", Graph())


class _ExplodingGraph:
    """Yields half of a graph's triples, then raises (a producer failing mid-way)."""

    def __init__(self, graph: Graph) -> None:
        self.triples = list(graph)

    def __iter__(self):
        yield from self.triples[: len(self.triples) // 2]
        raise RuntimeError("the producer failed half-way")


def test_failing_replace_keeps_the_old_graph(disk_store):
    seed = seed_graph()
    disk_store.replace_graph(SEED_GRAPH, seed)

    with pytest.raises(RuntimeError, match="half-way"):
        disk_store.replace_graph(SEED_GRAPH, _ExplodingGraph(other_graph()))
    assert isomorphic(disk_store.get_graph(SEED_GRAPH), seed)

    bad = other_graph()
    bad.add((URIRef("not an IRI at all"), RDFS.label, Literal("x")))  # Oxigraph rejects it
    with pytest.raises(StoreError, match="rejects the term"):
        disk_store.replace_graph(SEED_GRAPH, bad)
    assert isomorphic(disk_store.get_graph(SEED_GRAPH), seed)

    # replace_graph relies on one update being one transaction: a failing second operation
    # rolls back the first (DROP of an absent graph without SILENT is an error).
    with pytest.raises(StoreError, match="does not exist"):
        disk_store.update(f"DROP GRAPH <{SEED_GRAPH}> ; DROP GRAPH <urn:x:absent>")
    assert isomorphic(disk_store.get_graph(SEED_GRAPH), seed)


def test_oxigraph_canonicalises_literals(kgstore):
    """Documented behaviour of the engine, which exports and validation must live with."""
    from rdflib.namespace import XSD

    graph = Graph()
    subject = URIRef("urn:x:s")
    graph.add((subject, URIRef("urn:x:offset"), Literal("5", datatype=XSD.nonNegativeInteger)))
    graph.add((subject, URIRef("urn:x:confidence"), Literal("0.50", datatype=XSD.decimal)))
    graph.add((subject, URIRef("urn:x:quote"), Literal("1", datatype=XSD.boolean)))
    graph.add((subject, URIRef("urn:x:date"), Literal("2025-01-21", datatype=XSD.date)))
    kgstore.replace_graph(OTHER_GRAPH, graph)
    stored = {p: o for _, p, o in kgstore.get_graph(OTHER_GRAPH)}
    assert stored[URIRef("urn:x:offset")] == Literal("5", datatype=XSD.integer)
    assert str(stored[URIRef("urn:x:confidence")]) == "0.5"
    assert str(stored[URIRef("urn:x:quote")]) == "true"
    assert stored[URIRef("urn:x:date")] == Literal("2025-01-21", datatype=XSD.date)


def test_remove_graph(kgstore):
    kgstore.replace_graph(OTHER_GRAPH, other_graph())
    kgstore.remove_graph(OTHER_GRAPH)
    kgstore.remove_graph(OTHER_GRAPH)  # absent: no error
    assert kgstore.graph_iris() == [ACTORS_GRAPH, URIRef(SEED_GRAPH)]
    assert not kgstore.has_graph(OTHER_GRAPH)
    assert len(kgstore.get_graph(OTHER_GRAPH)) == 0


def test_serialize_graph_and_dataset(kgstore):
    kgstore.replace_graph(OTHER_GRAPH, other_graph())
    turtle = Graph().parse(data=kgstore.serialize("turtle", SEED_GRAPH), format="turtle")
    assert isomorphic(turtle, seed_graph())
    assert b"@prefix gk: <https://w3id.org/geokg/ontology#>" in kgstore.serialize("turtle", SEED_GRAPH)

    from rdflib import Dataset

    for fmt in ("trig", "nquads"):
        parsed = Dataset()
        parsed.parse(data=kgstore.serialize(fmt), format=fmt)
        assert isomorphic(parsed.graph(URIRef(SEED_GRAPH)), seed_graph()), fmt
        assert isomorphic(parsed.graph(OTHER_GRAPH), other_graph()), fmt

    with pytest.raises(StoreError, match="holds one graph"):
        kgstore.serialize("turtle")
    with pytest.raises(GraphNotFoundError, match="no graph"):
        kgstore.serialize("turtle", "https://w3id.org/geokg/id/graph/absent")
    with pytest.raises(StoreError, match="unknown RDF format"):
        kgstore.serialize("yaml", SEED_GRAPH)


def test_triple_count(kgstore):
    assert kgstore.triple_count() == len(seed_graph()) + len(actors_graph())
    kgstore.replace_graph(OTHER_GRAPH, other_graph())
    assert kgstore.triple_count() == len(seed_graph()) + len(actors_graph()) + len(other_graph())
    assert kgstore.triple_count(OTHER_GRAPH) == len(other_graph())


def test_dataset_attribute_reads_the_same_store(kgstore):
    dataset = kgstore.dataset
    assert URIRef(SEED_GRAPH) in {g.identifier for g in dataset.graphs()}
    assert len(list(dataset.graph(ACTORS_GRAPH).triples((None, RDFS.label, None)))) == 6


def test_second_writer_is_refused_and_read_only_works_alongside(tmp_path):
    path = tmp_path / "store"
    store = open_store(path)
    try:
        store.replace_graph(SEED_GRAPH, seed_graph())
        with pytest.raises(StoreError, match="already open in this process"):
            open_store(path)
        script = (
            "import sys\n"
            "from kg.store import open_store\n"
            "from kg.errors import StoreError\n"
            "try:\n"
            "    open_store(sys.argv[1])\n"
            "except StoreError as exc:\n"
            "    print('refused:', exc)\n"
            "ro = open_store(sys.argv[1], read_only=True)\n"
            "print('graphs:', [str(g) for g in ro.graph_iris()])\n"
            "try:\n"
            "    ro.update('CLEAR ALL')\n"
            "except StoreError as exc:\n"
            "    print('write:', exc)\n"
        )
        out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                             check=True).stdout
        assert "refused: the store" in out and "is locked by another process" in out
        assert f"graphs: ['{SEED_GRAPH}']" in out
        assert "write: the store" in out and "read-only" in out
    finally:
        store.close()


def test_read_only_needs_an_existing_store(tmp_path):
    with pytest.raises(StoreError, match="no Oxigraph store at"):
        open_store(tmp_path / "absent", read_only=True)
    assert not (tmp_path / "absent").exists()


def test_path_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("not a store")
    with pytest.raises(StoreError, match="cannot open the Oxigraph store"):
        open_store(tmp_path / "file")


def test_default_location_is_the_store_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "from-env"))
    store = open_store()
    try:
        assert store.location == str(tmp_path / "from-env")
    finally:
        store.close()
    monkeypatch.setenv("KG_STORE", "memory")
    assert open_store().location == "memory"


def test_remote_update_without_remote_query_is_refused(monkeypatch):
    # (the remote store itself: tests/test_remote_store.py, against a real Oxigraph server)
    monkeypatch.setenv("KG_REMOTE_UPDATE", "http://localhost:7878/update")
    with pytest.raises(StoreError, match="KG_REMOTE_UPDATE is set but KG_REMOTE_QUERY is not"):
        open_store("memory")


def test_fixture_graph_loads_into_a_fresh_store():
    store = open_store("memory")
    load_dataset(store, fixture_dataset())
    assert store.graph_iris() == [ACTORS_GRAPH, URIRef(SEED_GRAPH)]
