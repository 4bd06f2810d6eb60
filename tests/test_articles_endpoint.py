"""``POST /articles``: the ingest pipeline over HTTP, SHACL-gated, all or nothing.

Real articles: the seed (seeds/000_e90bf088404a620c.txt: "Russian President Vladimir
Putin and Chinese President Xi Jinping held a wide-ranging video conference on Tuesday")
and corpus/dev articles. The spaCy pipeline is loaded once for the module and handed to
the apps as ``PIPELINE`` (one test checks the lazy once-per-app loading without it).
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from rdflib import URIRef
from rdflib.compare import isomorphic

from conftest import REPO
from kg.rdf.iris import article_iri, graph_iri
from kg.readers import read_path
from test_service import assert_error

TOKEN = "articles-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SEED = REPO / "seeds" / "000_e90bf088404a620c.txt"
DEV_TAIWAN = "corpus/dev/001-taiwan-most-important-issue-sino-u.txt"
DEV_ABE = "corpus/dev/002-trump-japan-abe-toast-bromance-two.txt"
ID_PUTIN = "https://w3id.org/geokg/id/entity/Q7747"


@pytest.fixture(scope="module")
def pipeline():
    from kg.pipeline import Pipeline

    return Pipeline()


@pytest.fixture
def store():
    from kg.store import open_store

    s = open_store("memory")
    yield s
    s.close()


@pytest.fixture
def client(store, pipeline):
    from service.app import create_app

    app = create_app({"STORE": store, "TESTING": True, "UPDATE_ENABLED": True, "UPDATE_TOKEN": TOKEN,
                      "PIPELINE": pipeline})
    return app.test_client()


def post(client, body: bytes, content_type: str):
    return client.post("/articles", data=body, content_type=content_type, headers=AUTH)


def test_seed_as_text_is_stored_with_its_events(client, store):
    response = post(client, SEED.read_bytes(), "text/plain; charset=utf-8")
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert body["stored"] == 1
    article = body["articles"][0]
    [from_file] = read_path(SEED)  # the id `kg ingest` gives the file (from its headline and body)
    assert article["graph"] == str(graph_iri(from_file.article_id))
    assert article["article"] == str(article_iri(from_file.article_id))
    assert response.headers["Location"].endswith(f"/graph/{from_file.article_id}")
    counts = article["counts"]
    assert counts["events"] == counts["meetings"] + counts["statements"] + counts["positions"] == body["events"]
    assert counts["meetings"] >= 1 and counts["triples"] == store.triple_count(article["graph"])
    assert article["shacl"]["conforms"] is True and "Conforms: True" in article["shacl"]["report"]
    graph = article["graph"]
    remote_meeting = """ASK { ?m a gk:Meeting ; gk:mode gk:Remote ;
        gk:participant [ owl:sameAs wd:Q7747 ], [ owl:sameAs wd:Q15031 ] }"""
    assert client.get("/sparql", query_string={"query": remote_meeting}).get_json()["boolean"] is True
    stored_events = client.get("/sparql", headers={"Accept": "text/csv"}, query_string={"query": (
        f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{graph}> {{ "
        "VALUES ?c { gk:Meeting gk:Statement gk:Position } ?e a ?c } }")})
    assert stored_events.get_data(as_text=True).splitlines()[1] == str(counts["events"])


def test_same_graph_as_kg_ingest(client, store, pipeline, shared_dir, tmp_path):
    """The HTTP path stores what `kg ingest` (kg.pipeline.ingest) stores for the same file."""
    from kg.pipeline import ingest
    from kg.store import open_store

    path = shared_dir / DEV_TAIWAN
    response = post(client, path.read_bytes(), "text/plain")
    assert response.status_code == 201, response.data
    article = response.get_json()["articles"][0]
    with open_store("memory") as reference:
        report = ingest([str(path)], reference, pipeline=pipeline, quarantine=tmp_path)
        [stored] = report.stored
        assert article["graph"] == stored.graph_iri and article["article"] == stored.article_iri
        for kind in ("meetings", "statements", "positions", "entities", "triples"):
            assert article["counts"][kind] == stored.counts[kind], kind
        # Identical but for schema:url: the upload's URN instead of the file's file: URI.
        http_graph, file_graph = store.get_graph(article["graph"]), reference.get_graph(stored.graph_iri)
        url = URIRef("http://schema.org/url")
        assert str(next(http_graph.objects(None, url))).startswith("urn:geokg:upload:")
        assert str(next(file_graph.objects(None, url))) == path.resolve().as_uri()
        http_graph.remove((None, url, None))
        file_graph.remove((None, url, None))
        assert isomorphic(http_graph, file_graph)
        # the actors are described in the shared graph, the same way on both paths
        from kg.rdf.iris import ACTORS_GRAPH

        assert len(store.get_graph(ACTORS_GRAPH)) > 0
        assert isomorphic(store.get_graph(ACTORS_GRAPH), reference.get_graph(ACTORS_GRAPH))


def test_json_jsonl_and_html_bodies(client, store, shared_dir):
    text = (shared_dir / DEV_ABE).read_text(encoding="utf-8").split("\n\n", 1)[1]
    record = {"title": "Trump, Abe toast bromance", "text": text, "url": "https://example.org/abe",
              "published": "2017-11-06", "source": "Reuters"}
    one = post(client, json.dumps(record).encode(), "application/json")
    assert one.status_code == 201, one.data
    assert store.has_graph(one.get_json()["articles"][0]["graph"])
    seed_body = SEED.read_text(encoding="utf-8").split("\n\n", 3)[-1]
    lines = "\n".join(json.dumps({"title": t, "text": b}) for t, b in
                      (("Putin and Xi", seed_body), ("Abe and Trump", text))).encode()
    two = post(client, lines, "application/x-ndjson")
    assert two.status_code == 201 and two.get_json()["stored"] == 2, two.data
    paragraphs = "".join(f"<p>{p}</p>" for p in seed_body.split("\n") if p.strip())
    html = (f"<html><head><title>Putin, Xi talk</title></head><body><article><h1>Putin, Xi talk</h1>"
            f"{paragraphs}</article></body></html>").encode()
    page = post(client, html, "text/html; charset=utf-8")
    assert page.status_code == 201, page.data
    assert page.get_json()["articles"][0]["counts"]["meetings"] >= 1


@pytest.mark.parametrize("body, content_type, status, detail", [
    (b'{"title": "ok", "text": "Putin met Xi in Moscow."}\n{"title": broken\n', "application/x-ndjson", 400,
     "request body:2: invalid JSON"),
    (b"", "text/plain", 400, "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "text/plain", 400, "request body"),
    (b'{"title": "no text"}', "application/json", 400, "no text"),
    (b"GIF89a", "image/gif", 415, "image/gif"),
])
def test_unreadable_bodies_store_nothing(client, store, body, content_type, status, detail):
    assert_error(post(client, body, content_type), status, detail)
    assert store.triple_count() == 0


class TamperingPipeline:
    """The real pipeline, except that every mention of articles whose body names ``victim`` gets a wrong anchor.

    Stands in for an extraction bug: SHACL's span constraint must catch it.
    """

    def __init__(self, pipeline, victim: str) -> None:
        self.pipeline = pipeline
        self.victim = victim

    def extract(self, article):
        extraction = self.pipeline.extract(article)
        if self.victim not in article.body:
            return extraction
        entities = tuple(dataclasses.replace(e, mentions=tuple(dataclasses.replace(m, text=m.text + "!")
                                                               for m in e.mentions))
                         for e in extraction.entities)
        return dataclasses.replace(extraction, entities=entities)


def test_non_conforming_article_is_422_and_nothing_is_stored(store, pipeline, tmp_path):
    from service.app import create_app

    app = create_app({"STORE": store, "TESTING": True, "UPDATE_ENABLED": True, "UPDATE_TOKEN": TOKEN,
                      "PIPELINE": TamperingPipeline(pipeline, "Abe"), "QUARANTINE": str(tmp_path)})
    lines = "\n".join(json.dumps(r) for r in (
        {"title": "Putin and Xi", "text": "Vladimir Putin met Xi Jinping in Moscow on Tuesday."},
        {"title": "Abe", "text": "Japanese Prime Minister Shinzo Abe met Donald Trump in Tokyo."})).encode()
    response = post(app.test_client(), lines, "application/x-ndjson")
    error = assert_error_with_articles(response)
    assert "1 of 2 articles" in error["detail"] and "nothing was stored" in error["detail"]
    [bad] = response.get_json()["articles"]
    assert bad["headline"] == "Abe" and bad["shacl"]["conforms"] is False
    assert "anchorOf" in bad["shacl"]["report"] and bad["shacl"]["focus_nodes"]
    assert store.triple_count() == 0


def assert_error_with_articles(response) -> dict:
    assert response.status_code == 422, response.data
    body = response.get_json()
    assert list(body) == ["error", "articles"]
    assert list(body["error"]) == ["status", "title", "detail"] and body["error"]["status"] == 422
    return body["error"]


def test_write_failing_half_way_stores_nothing(client, store, monkeypatch):
    """The second article's graph fails while the request's graphs are written: the first is not stored."""
    import kg.actors
    from kg.errors import StoreError

    real = kg.actors.to_ox_triple
    seen_graphs = set()

    def failing(triple):
        subject = str(triple[0])
        if "/article/" in subject:
            seen_graphs.add(subject)
        if len(seen_graphs) > 1:
            raise StoreError("Oxigraph rejects the term (simulated)")
        return real(triple)

    monkeypatch.setattr(kg.actors, "to_ox_triple", failing)
    before = store.triple_count()
    lines = "\n".join(json.dumps({"title": f"Meeting {i}", "text": f"Vladimir Putin met Xi Jinping in Moscow ({i})."})
                      for i in (1, 2)).encode()
    assert_error(post(client, lines, "application/x-ndjson"), 500, "simulated")
    assert store.triple_count() == before == 0


def test_pipeline_is_loaded_lazily_once_per_app(store, pipeline, monkeypatch):
    import kg.pipeline
    from service.app import create_app

    made = []
    monkeypatch.setattr(kg.pipeline, "Pipeline", lambda *a, **k: made.append(1) or pipeline)
    app = create_app({"STORE": store, "TESTING": True, "UPDATE_ENABLED": True, "UPDATE_TOKEN": TOKEN})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200 and made == []
    for text in ("Putin and Xi\n\nVladimir Putin met Xi Jinping in Moscow.",
                 "Abe and Trump\n\nShinzo Abe met Donald Trump in Tokyo."):
        assert post(client, text.encode(), "text/plain").status_code == 201
    assert made == [1] and app.extensions["geokg_writes"]["pipeline"] is pipeline


def test_a_batch_describes_a_shared_actor_once(client, store):
    """Two articles of one request both name Vladimir Putin: one description in id/graph/actors."""
    from kg.rdf.iris import ACTORS_GRAPH

    lines = "\n".join(json.dumps(r) for r in (
        {"title": "Putin and Xi", "text": "Vladimir Putin met Xi Jinping in Moscow on Tuesday."},
        {"title": "Putin and Modi", "text": "Vladimir Putin met Narendra Modi in New Delhi on Friday."})).encode()
    response = post(client, lines, "application/x-ndjson")
    assert response.status_code == 201 and response.get_json()["stored"] == 2, response.data
    query = "SELECT ?l WHERE { ?a owl:sameAs wd:Q7747 ; rdfs:label ?l }"
    rows = client.get("/sparql", query_string={"query": query}).get_json()["results"]["bindings"]
    assert [r["l"]["value"] for r in rows] == ["Vladimir Putin"]
    graphs = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?m itsrdf:taIdentRef <{ID_PUTIN}> }} }}"
    assert len(client.get("/sparql", query_string={"query": graphs}).get_json()["results"]["bindings"]) == 2
    assert (URIRef(ID_PUTIN), None, None) in store.get_graph(ACTORS_GRAPH)
