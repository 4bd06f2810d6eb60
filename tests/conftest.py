"""Shared test helpers: where the read-only shared data lives, and the app/store fixtures.

``SHARED`` is ``../shared`` next to the repository; tests that need it use the
``shared_dir`` fixture (or ``SHARED`` at collection time) and skip when it is absent.

``kgstore`` is an in-memory Oxigraph store holding the hand-written article graph
``tests/fixtures/store/seed-article.trig`` (two paragraphs of the seed article);
``app`` and ``client`` are built from ``create_app`` on it (flaskr's pattern).
"""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
STORE_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "store" / "seed-article.trig"
SEED_ARTICLE_ID = "e90bf088404a620c"
SEED_GRAPH = f"https://w3id.org/geokg/id/graph/{SEED_ARTICLE_ID}"


@pytest.fixture
def shared_dir() -> Path:
    """The shared data folder; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED} is absent")
    return SHARED


def fixture_dataset(path: Path = STORE_FIXTURE):
    """The TriG fixture parsed into an in-memory rdflib Dataset."""
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(path, format="trig")
    return dataset


def fixture_with_actors():
    """The fixture's article graph together with its actors graph, as Oxigraph gives them back:
    what ``kg export --graph`` and ``GET /graph/{id}`` return for the seed article."""
    from rdflib import Graph, URIRef

    from kg.rdf.iris import ACTORS_GRAPH

    dataset = fixture_dataset()
    graph = Graph(identifier=URIRef(SEED_GRAPH))
    graph += dataset.graph(URIRef(SEED_GRAPH))
    graph += dataset.graph(ACTORS_GRAPH)
    return as_stored(graph)


def as_stored(graph):
    """``graph`` as Oxigraph gives it back: integer-derived datatypes become xsd:integer.

    Oxigraph 0.5 stores every xsd:integer-derived datatype (xsd:nonNegativeInteger of
    the nif offsets, xsd:int...) as xsd:integer (tests/test_store.py shows it), so the
    fixture's offsets come back as xsd:integer; everything else in the fixture is
    already in canonical form.
    """
    from rdflib import Graph, Literal
    from rdflib.namespace import XSD

    out = Graph(identifier=graph.identifier)
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.nonNegativeInteger:
            o = Literal(str(o), datatype=XSD.integer)
        out.add((s, p, o))
    return out


def load_dataset(store, dataset) -> None:
    """Put every named graph of an rdflib ``dataset`` into ``store`` (``replace_graph``)."""
    from rdflib import Graph

    for graph in dataset.graphs():
        if str(graph.identifier) == "urn:x-rdflib:default" or len(graph) == 0:
            continue
        copy = Graph(identifier=graph.identifier)
        copy += graph
        store.replace_graph(graph.identifier, copy)


@pytest.fixture
def no_rdflib_engine(monkeypatch):
    """Disable rdflib's own SPARQL engine (parse/prepare/evaluate): any query that would fall back to
    it fails the test with "rdflib's SPARQL engine was called"."""
    import rdflib.plugins.sparql.evaluate as rdflib_evaluate
    import rdflib.plugins.sparql.processor as rdflib_processor

    def refuse(*args, **kwargs):
        raise AssertionError("rdflib's SPARQL engine was called")

    monkeypatch.setattr(rdflib_processor.SPARQLProcessor, "query", refuse)
    monkeypatch.setattr(rdflib_processor, "prepareQuery", refuse)
    monkeypatch.setattr(rdflib_processor, "evalQuery", refuse)
    monkeypatch.setattr(rdflib_evaluate, "evalQuery", refuse)


@pytest.fixture
def kgstore():
    """An in-memory KGStore holding the seed-article fixture graph."""
    from kg.store import open_store

    store = open_store("memory")
    load_dataset(store, fixture_dataset())
    yield store
    store.close()


@pytest.fixture
def app(kgstore):
    """The Flask app on ``kgstore``."""
    from service.app import create_app

    return create_app({"STORE": kgstore, "TESTING": True})


@pytest.fixture
def client(app):
    """A test client of ``app``."""
    return app.test_client()


def pytest_terminal_summary(terminalreporter):
    """Print the W3C manifest pass counts (tests/w3c_harness.py) when those tests ran."""
    import sys

    harness = sys.modules.get("w3c_harness")
    if harness is not None and harness.RESULTS:
        terminalreporter.write_sep("-", "W3C SPARQL 1.1 test manifests")
        for line in harness.summary_lines():
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def pipeline():
    """The real extraction pipeline (spaCy model + gazetteer), loaded once per test session."""
    from kg.pipeline import Pipeline

    return Pipeline()


def extract_file(pipeline, path: Path):
    """Read the article at ``path`` and run the real extraction on it; skip if the file is absent
    (the corpus lives in ../shared, which only CI and developer machines have)."""
    from kg.readers import read_path

    if not path.exists():
        pytest.skip(f"{path} is absent (the corpus lives in ../shared)")
    return pipeline.extract(read_path(path)[0])
