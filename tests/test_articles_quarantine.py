"""``POST /articles`` quarantines a non-conforming article exactly as ``kg ingest`` does.

The article is real text run through the real pipeline; ``TamperingPipeline``
(tests/test_articles_endpoint.py) gives its mentions a wrong anchor, the extraction bug
that SHACL's span constraint catches. The same article is then ingested with
``kg.pipeline.ingest_articles`` into another quarantine directory: the service must
leave the same files with the same content, and report the path in its 422 answer.
"""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.rdf.iris import article_iri
from test_articles_endpoint import AUTH, TOKEN, TamperingPipeline, assert_error_with_articles

GK = "https://w3id.org/geokg/ontology#"
GOOD = {"title": "Putin and Xi", "text": "Vladimir Putin met Xi Jinping in Moscow on Tuesday."}
BAD = {"title": "Abe", "text": "Japanese Prime Minister Shinzo Abe met Donald Trump in Tokyo."}


@pytest.fixture
def store():
    from kg.store import open_store

    s = open_store("memory")
    yield s
    s.close()


class IngestingTamperer(TamperingPipeline):
    """The tampering pipeline with ``kg.pipeline.Pipeline.process`` (which calls ``self.extract``), for ``kg ingest``."""

    from kg.pipeline import Pipeline

    process = Pipeline.process


def _client(store, pipeline, quarantine):
    from service.app import create_app

    return create_app({"STORE": store, "TESTING": True, "UPDATE_ENABLED": True, "UPDATE_TOKEN": TOKEN,
                       "PIPELINE": TamperingPipeline(pipeline, "Abe"), "QUARANTINE": str(quarantine)}).test_client()


def test_non_conforming_article_is_quarantined_like_kg_ingest(store, pipeline, tmp_path):
    from kg.pipeline import ingest_articles
    from kg.readers import read_bytes_report
    from kg.store import open_store

    served, ingested = tmp_path / "served", tmp_path / "ingested"
    body = "\n".join(json.dumps(r) for r in (GOOD, BAD)).encode()
    response = _client(store, pipeline, served).post("/articles", data=body, content_type="application/x-ndjson",
                                                     headers=AUTH)
    error = assert_error_with_articles(response)
    assert str(served) in error["detail"] and "nothing was stored" in error["detail"]
    [bad] = response.get_json()["articles"]
    assert bad["headline"] == "Abe" and bad["shacl"]["conforms"] is False
    assert store.triple_count() == 0  # quarantined, not stored

    report_path = served / f"{bad['article'].rsplit('/', 1)[-1]}.report.txt"
    assert bad["quarantine"] == str(report_path) and report_path.is_file()
    report = report_path.read_text(encoding="utf-8")
    assert bad["shacl"]["report"] in report and "anchorOf" in report
    kept = Graph().parse(report_path.with_name(report_path.name.replace(".report.txt", ".ttl")), format="turtle")
    assert (URIRef(bad["article"]), RDF.type, URIRef(GK + "Article")) in kept
    stem = report_path.name.removesuffix(".report.txt")
    assert {p.name for p in served.iterdir()} == {f"{stem}.ttl", f"{stem}.report.txt"}

    # The ingest pipeline on the same article (read from the same body by the same reader) leaves
    # the same files, byte for byte.
    articles, errors = read_bytes_report(body, "request body", "application/x-ndjson")
    assert not errors and str(article_iri(articles[1].article_id)) == bad["article"]
    with open_store("memory") as reference:
        outcome = ingest_articles(articles[1:], reference, pipeline=IngestingTamperer(pipeline, "Abe"),
                                  quarantine=ingested)
        assert reference.triple_count() == 0
    assert [q.report_path for q in outcome.quarantined] == [str(ingested / report_path.name)]
    assert {p.name for p in ingested.iterdir()} == {p.name for p in served.iterdir()}
    for path in served.iterdir():
        assert path.read_bytes() == (ingested / path.name).read_bytes(), path.name


def test_conforming_articles_leave_the_quarantine_empty(store, pipeline, tmp_path):
    response = _client(store, pipeline, tmp_path / "q").post("/articles", data=json.dumps(GOOD).encode(),
                                                             content_type="application/json", headers=AUTH)
    assert response.status_code == 201, response.data
    assert "quarantine" not in response.get_json()["articles"][0]
    assert not (tmp_path / "q").exists()
