"""The example queries (docs/examples/*.rq, shipped as service/static/examples/*.rq for the query page)
run on the seed article ingested by the real pipeline, sent to ``/sparql`` as the query page sends
them (form-encoded POST, SPARQL JSON results).

Expected rows are read off the seed (seeds/000_e90bf088404a620c.txt, published January 22, 2025, a
Wednesday):

- "Russian President Vladimir Putin and Chinese President Xi Jinping held a wide-ranging video
  conference on Tuesday": a remote meeting of Putin and Xi on 2025-01-21 that took place.
- "No specific proposals for a call between Putin and Trump have been made": no call with Trump happened.
- "Ushakov said that Russia is “ready for dialogue with the new US administration” on the issue.
  He clarified that Putin is seeking a long-term peace, not a short-term ceasefire.": two statements
  by Ushakov, in that order, the first partly quoted.
- "Ushakov emphasized that Russia “confirmed its unwavering position of support for the one China
  principle,”" and "Taiwan’s government has consistently rejected China’s claims.": Russia supports
  and Taiwan opposes a target that is China.
- "Putin has recently described China as an “ally.”": a statement by Putin (wd:Q7747).
"""

from __future__ import annotations

from string import Template

import pytest

from conftest import REPO

DOCS = REPO / "docs" / "examples"
SHIPPED = REPO / "service" / "static" / "examples"
GK = "https://w3id.org/geokg/ontology#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """An in-memory store holding the seed article ingested by the real pipeline."""
    from kg.pipeline import ingest
    from kg.store import open_store

    store = open_store("memory")
    report = ingest([str(REPO / "seeds")], store, quarantine=tmp_path_factory.mktemp("quarantine"))
    assert len(report.stored) == 1 and not report.failed and not report.quarantined, report
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(store):
    """A test client of the app on ``store``."""
    from service.app import create_app

    return create_app({"STORE": store, "TESTING": True}).test_client()


def run(client, name: str) -> list[dict[str, str]]:
    """Rows of example ``name`` (file stem) as {variable: value}, posted like the query page does."""
    query = (DOCS / f"{name}.rq").read_text(encoding="utf-8")
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    return [{k: v["value"] for k, v in b.items()} for b in body["results"]["bindings"]]


def test_the_docs_examples_are_the_shipped_ones():
    docs = {p.name: p.read_bytes() for p in DOCS.glob("*.rq")}
    shipped = {p.name: p.read_bytes() for p in SHIPPED.glob("*.rq")}
    assert len(docs) == 4 and docs == shipped, "docs/examples and service/static/examples differ: copy them"


def test_every_example_has_a_title_and_description():
    from service.pages import examples

    found = examples()
    assert [e.name for e in found] == sorted(p.stem for p in SHIPPED.glob("*.rq"))
    titles = [e.title for e in found]
    assert titles == ["Meetings of a person", "Statements by a speaker", "Positions on a target",
                      "Events linked to a Wikidata entity"]
    assert all(len(e.description) > 40 and e.query.lstrip().startswith("#") for e in found)


def test_meetings_of_a_person(client):
    rows = run(client, "01-meetings-of-a-person")
    xi = [r for r in rows if r["withName"] == "Xi Jinping"]
    assert len(xi) == 1, rows
    assert xi[0]["date"] == "2025-01-21" and xi[0]["mode"] == GK + "Remote" and xi[0]["status"] == GK + "Occurred"
    assert "held a wide-ranging video conference on Tuesday" in xi[0]["sentence"]
    assert xi[0]["with"] == "https://w3id.org/geokg/id/entity/Q15031"
    assert all(r["status"] != GK + "Occurred" for r in rows if r["withName"] == "Donald Trump"), rows


def test_statements_by_a_speaker(client):
    rows = run(client, "02-statements-by-a-speaker")
    assert len(rows) >= 3, rows
    contents = [r["content"] for r in rows]
    dialogue = next(i for i, c in enumerate(contents) if "ready for dialogue with the new US administration" in c)
    peace = next(i for i, c in enumerate(contents) if "long-term peace, not a short-term ceasefire" in c)
    assert dialogue < peace, contents  # the order of the article
    assert rows[dialogue]["directQuote"] == "true"
    assert "Ushakov said that Russia is" in rows[dialogue]["sentence"]


NOT_MADE_GRAPH = "https://w3id.org/geokg/id/graph/ffffffffffffffff"
NOT_MADE = Template("""
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
INSERT DATA { GRAPH <$graph> {
  <${id}event/ffffffffffffffff/statement-000000000001> a gk:Statement ; gk:status gk:Denied ;
      gk:speaker <$speaker> ; gk:content "the talks had failed" ; gk:evidence <${id}evidence/ffffffffffffffff/0-44> ;
      prov:wasDerivedFrom <${id}article/ffffffffffffffff> .
  <${id}event/ffffffffffffffff/statement-000000000002> a gk:Statement ; gk:status gk:Planned ;
      gk:speaker <$speaker> ; gk:content "a summit would follow" ; gk:evidence <${id}evidence/ffffffffffffffff/0-44> ;
      prov:wasDerivedFrom <${id}article/ffffffffffffffff> .
  <${id}evidence/ffffffffffffffff/0-44> nif:anchorOf "The Kremlin denied that Ushakov had said so." ;
      nif:beginIndex 0 .
} }""")


@pytest.fixture
def not_made_statements(store):
    """Two statements by Yuri Ushakov the text denies or expects (status Denied and Planned), in
    their own article graph for the test's duration: "the Kremlin denied that Ushakov had said…"."""
    from kg.model import Entity
    from kg.rdf.iris import actor_iri

    ushakov = actor_iri(Entity(key="person:yuri ushakov", label="Yuri Ushakov", type="Person"))
    store.update(NOT_MADE.substitute(graph=NOT_MADE_GRAPH, speaker=ushakov, id="https://w3id.org/geokg/id/"))
    yield
    store.remove_graph(NOT_MADE_GRAPH)


def test_statements_by_a_speaker_are_the_ones_made(client, not_made_statements):
    contents = [r["content"] for r in run(client, "02-statements-by-a-speaker")]
    assert any("long-term peace" in c for c in contents), contents
    assert "the talks had failed" not in contents and "a summit would follow" not in contents, contents


def test_top_speakers_benchmark_counts_statements_made(client, store, not_made_statements):
    query = (REPO / "benchmarks" / "queries" / "06-top-speakers.rq").read_text(encoding="utf-8")
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    counts = {b["label"]["value"]: int(b["n"]["value"]) for b in response.get_json()["results"]["bindings"]}
    made = store.query("""PREFIX gk: <https://w3id.org/geokg/ontology#>
        SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
          ?s a gk:Statement ; gk:status gk:Occurred ; gk:speaker <https://w3id.org/geokg/id/entity/person/yuri-ushakov> }""")
    (n,) = [int(row[0]) for row in made]
    assert n >= 2 and counts["Yuri Ushakov"] == n, counts


def test_positions_on_a_target(client):
    rows = run(client, "03-positions-on-a-target")
    taiwan = [r for r in rows if r["holderName"] == "Taiwan"]
    russia = [r for r in rows if r["holderName"] == "Russia"]
    assert any(r["stance"] == GK + "Oppose" and "claims" in r.get("targetText", "") for r in taiwan), rows
    assert any(r["stance"] == GK + "Support" and "one China" in r.get("targetText", "") for r in russia), rows
    assert "rejected China’s claims" in taiwan[0]["sentence"]


def test_events_linked_to_a_wikidata_entity(client):
    rows = run(client, "04-events-of-a-wikidata-entity")
    roles = {GK + r for r in ("participant", "speaker", "onBehalfOf", "holder", "target")} | {SEM + "hasPlace"}
    assert rows and all(r["role"] in roles for r in rows), rows
    meetings = [r for r in rows if r["type"] == GK + "Meeting" and r.get("date") == "2025-01-21"]
    assert len(meetings) == 1 and meetings[0]["role"] == GK + "participant", rows
    assert "video conference" in meetings[0]["sentence"]
    ally = [r for r in rows if r["type"] == GK + "Statement" and "described China as an “ally.”" in r["sentence"]]
    assert ally and ally[0]["role"] == GK + "speaker", rows


def readme_queries() -> list[str]:
    """The ```sparql blocks of README.md, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [block.split("```", 1)[0] for block in text.split("```sparql\n")[1:]]


def test_readme_queries_give_the_rows_the_readme_names(client):
    """README.md's inline queries, posted like the query page: the rows its prose names are there."""
    queries = readme_queries()
    assert len(queries) == 2, "README.md's inline example queries changed: update this test"
    rows = []
    for query in queries:
        response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.get_data(as_text=True)
        rows.append([{k: v["value"] for k, v in b.items()} for b in response.get_json()["results"]["bindings"]])
    meetings, positions = rows
    assert {(r["withName"], r.get("date"), r["mode"], r["status"]) for r in meetings} >= {
        ("Xi Jinping", "2025-01-21", GK + "Remote", GK + "Occurred"),
        ("Donald Trump", None, GK + "Remote", GK + "Denied")}
    assert {(r["holderName"], r["stance"], r["kind"], r["targetText"]) for r in positions} >= {
        ("Russia", GK + "Support", "reaffirm", "the one China principle"),
        ("Taiwan", GK + "Oppose", "reject", "China\u2019s claims")}
