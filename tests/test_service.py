"""The Flask SPARQL service on an in-memory store holding the hand-written seed-article graph.

The W3C SPARQL 1.1 Protocol manifest (all 34 tests, queries and updates) is replayed over
real HTTP by tests/test_w3c_protocol.py (harness: tests/w3c_harness.py), not here.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from conftest import SEED_ARTICLE_ID, SEED_GRAPH, as_stored, fixture_dataset, fixture_with_actors
from kg.rdf.iris import ACTORS_GRAPH

NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SRX = "{http://www.w3.org/2005/sparql-results#}"

PARTICIPANTS = """
SELECT ?label ?qid WHERE {
  ?m a gk:Meeting ; gk:participant ?p .
  ?p rdfs:label ?label ; owl:sameAs ?qid .
} ORDER BY ?label"""
CONSTRUCT_COUNTRIES = "CONSTRUCT { ?c rdfs:label ?l ; owl:sameAs ?q } WHERE { ?c a gk:Country ; rdfs:label ?l ; owl:sameAs ?q }"
EXPECTED_ROWS = [("Vladimir Putin", "http://www.wikidata.org/entity/Q7747"),
                 ("Xi Jinping", "http://www.wikidata.org/entity/Q15031")]


def seed_graph() -> Graph:
    graph = Graph(identifier=URIRef(SEED_GRAPH))
    graph += fixture_dataset().graph(URIRef(SEED_GRAPH))
    return graph


def assert_error(response, status: int, detail_part: str = "") -> dict:
    """The one JSON error shape, with no stack trace."""
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["error"]
    assert list(body["error"]) == ["status", "title", "detail"]
    assert body["error"]["status"] == status
    assert detail_part in body["error"]["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body["error"]


def test_fixture_offsets_match_the_body():
    """The hand-written fixture is right: every anchor is body[begin:end] (0-based, end exclusive)."""
    graph = seed_graph()
    body = str(next(graph.objects(None, URIRef("http://schema.org/articleBody"))))
    spans = list(graph.subjects(URIRef(NIF + "anchorOf"), None))
    assert len(spans) == 5
    for span in spans:
        begin = int(graph.value(span, URIRef(NIF + "beginIndex")))
        end = int(graph.value(span, URIRef(NIF + "endIndex")))
        assert body[begin:end] == str(graph.value(span, URIRef(NIF + "anchorOf")))
        assert str(span).endswith(f"/{begin}-{end}")


# -- SELECT / ASK result formats -----------------------------------------------------------------
@pytest.mark.parametrize("accept, media_type", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
    # a wildcard picks a registered type that it matches: never text/xml's XML labelled application/...
    ("text/*", "text/csv"),
    ("text/*;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ("application/*", "application/sparql-results+json"),
    ("text/xml", "application/sparql-results+xml"),
])
def test_select_result_formats(client, accept, media_type):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": PARTICIPANTS}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Vary"] == "Accept"
    assert parse_rows(response) == EXPECTED_ROWS


def parse_rows(response) -> list[tuple[str, ...]]:
    """(label, qid) rows of a SELECT result in any of the four formats."""
    text = response.get_data(as_text=True)
    if response.mimetype == "application/sparql-results+json":
        data = json.loads(text)
        assert data["head"]["vars"] == ["label", "qid"]
        return [(b["label"]["value"], b["qid"]["value"]) for b in data["results"]["bindings"]]
    if response.mimetype == "application/sparql-results+xml":
        root = ET.fromstring(text)
        return [tuple(b[0].text for b in result) for result in root.iter(SRX + "result")]
    if response.mimetype == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["label", "qid"]
        return [tuple(r) for r in rows[1:]]
    rows = [line.split("\t") for line in text.splitlines()]
    assert rows[0] == ["?label", "?qid"]
    return [(label.strip('"'), qid.strip("<>")) for label, qid in rows[1:]]


@pytest.mark.parametrize("accept, media_type, expected", [
    ("application/sparql-results+json", "application/sparql-results+json", '"boolean":true'),
    ("application/sparql-results+xml", "application/sparql-results+xml", "<boolean>true</boolean>"),
    ("text/csv", "text/csv", "true"),
])
def test_ask_result_formats(client, accept, media_type, expected):
    ask = 'ASK { ?m a gk:Meeting ; gk:mode gk:Remote ; sem:hasTimeStamp "2025-01-21"^^xsd:date }'
    response = client.get("/sparql", query_string={"query": ask}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    assert expected in response.get_data(as_text=True)


def test_format_parameter_overrides_accept(client):
    response = client.get("/sparql", query_string={"query": PARTICIPANTS, "format": "csv"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.mimetype == "text/csv"
    assert parse_rows(response) == EXPECTED_ROWS
    assert_error(client.get("/sparql", query_string={"query": PARTICIPANTS, "format": "turtle"}), 406, "json")


# -- CONSTRUCT / DESCRIBE result formats ---------------------------------------------------------
@pytest.mark.parametrize("accept, media_type, rdflib_format", [
    (None, "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/rdf+xml;q=0.2, text/turtle;q=0.9", "text/turtle", "turtle"),
    ("application/*", "application/n-triples", "nt"),  # not application/x-turtle's Turtle labelled text/turtle
    ("text/*", "text/turtle", "turtle"),
    ("application/x-turtle", "text/turtle", "turtle"),
])
def test_construct_result_formats(client, kgstore, accept, media_type, rdflib_format):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": CONSTRUCT_COUNTRIES}, headers=headers)
    assert response.status_code == 200 and response.mimetype == media_type
    got = Graph().parse(data=response.get_data(), format=rdflib_format)
    assert len(got) == 6
    assert isomorphic(got, kgstore.query(CONSTRUCT_COUNTRIES).graph)
    assert (URIRef("https://w3id.org/geokg/id/entity/Q865"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("Taiwan")) in got


def test_describe_is_a_graph(client):
    response = client.get("/sparql", query_string={"query": "DESCRIBE <https://w3id.org/geokg/id/entity/Q159>"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    got = Graph().parse(data=response.get_data(), format="turtle")
    assert (URIRef("https://w3id.org/geokg/id/entity/Q159"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("Russia")) in got


def test_graph_result_refuses_table_media_types(client):
    assert_error(client.get("/sparql", query_string={"query": CONSTRUCT_COUNTRIES}, headers={"Accept": "text/csv"}),
                 406, "text/turtle")


# -- request forms -------------------------------------------------------------------------------
def test_post_form_and_post_direct(client):
    form = client.post("/sparql", data={"query": PARTICIPANTS}, headers={"Accept": "text/csv"})
    assert form.status_code == 200 and parse_rows(form) == EXPECTED_ROWS
    direct = client.post("/sparql", data=PARTICIPANTS.encode("utf-8"),
                         content_type="application/sparql-query; charset=utf-8")
    assert direct.status_code == 200 and parse_rows(direct) == EXPECTED_ROWS


def test_protocol_dataset_parameters(client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only_seed = client.get("/sparql", query_string={"query": query, "default-graph-uri": SEED_GRAPH},
                           headers={"Accept": "text/csv"})
    assert only_seed.get_data(as_text=True).splitlines()[1] == str(len(seed_graph()))
    absent = client.get("/sparql", query_string={"query": query, "default-graph-uri": "urn:x:absent"},
                        headers={"Accept": "text/csv"})
    assert absent.get_data(as_text=True).splitlines()[1] == "0"


# -- errors in the one JSON shape ----------------------------------------------------------------
def test_malformed_query_is_400_with_the_parser_message(client):
    error = assert_error(client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x"}), 400, "error at 1:")
    assert error["title"] == "Malformed SPARQL query"
    assert_error(client.post("/sparql", data={"query": "ASK {"}), 400, "error at 1:")


def test_missing_or_repeated_query_is_400(client):
    # (GET /sparql with no parameter at all is the service description: tests/test_w3c_protocol.py)
    assert_error(client.get("/sparql", query_string={"default-graph-uri": SEED_GRAPH}), 400, "'query' parameter")
    assert_error(client.get("/sparql", query_string={"query": "  "}), 400, "'query' parameter")
    assert_error(client.post("/sparql", data={"format": "json"}), 400, "'query' parameter")
    assert_error(client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D"), 400, "exactly one")


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_asking_for_the_service_description_is_sent_to_the_query_page(client):
    # A browser's Accept ranks application/xml (RDF/XML) at q=0.9, below text/html: it wants a page.
    for method in (client.get, client.head):
        response = method("/sparql", headers={"Accept": BROWSER_ACCEPT})
        assert response.status_code == 303
        assert response.headers["Location"] == "/"
    assert "text/html" in client.get("/sparql", headers={"Accept": BROWSER_ACCEPT},
                                     follow_redirects=True).content_type
    # Explicit RDF, a lower-ranked text/html, format= and no Accept at all still get the description.
    for headers, query, media in (({"Accept": "application/rdf+xml"}, {}, "application/rdf+xml"),
                                  ({"Accept": "text/html;q=0.5, text/turtle"}, {}, "text/turtle"),
                                  ({"Accept": BROWSER_ACCEPT}, {"format": "turtle"}, "text/turtle"),
                                  ({}, {}, "text/turtle")):
        response = client.get("/sparql", headers=headers, query_string=query)
        assert response.status_code == 200 and response.mimetype == media, (headers, query)
        graph = Graph().parse(data=response.get_data(as_text=True), format=media.split("/")[1].replace("rdf+", ""))
        assert (None, URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"),
                URIRef("http://localhost/sparql")) in graph
    # A query from a browser is still answered (the redirect is only for the description).
    assert client.get("/sparql", query_string={"query": "ASK {}"},
                      headers={"Accept": BROWSER_ACCEPT}).status_code == 200


def test_wrong_method_media_type_and_charset(client):
    error = assert_error(client.put("/sparql", data={"query": "ASK {}"}), 405)
    assert error["title"] == "Method Not Allowed"
    assert_error(client.post("/sparql", data=b"ASK {}", content_type="text/plain"), 415, "text/plain")
    assert_error(client.post("/sparql", data="ASK {}".encode("utf-16"),
                             content_type="application/sparql-query; charset=UTF-16"), 415, "UTF-8")
    assert_error(client.post("/sparql", data=b"ASK { \xff }", content_type="application/sparql-query"), 400,
                 "not valid UTF-8")


def test_updates_and_service_are_refused(client, kgstore):
    before = kgstore.triple_count()
    assert_error(client.post("/sparql", data={"update": "CLEAR ALL"}), 403, "read-only")
    assert_error(client.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update"), 403)
    assert_error(client.get("/sparql", query_string={"update": "CLEAR ALL"}), 403)
    assert kgstore.triple_count() == before
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    assert_error(client.get("/sparql", query_string={"query": service}), 403, "SERVICE")


@pytest.mark.parametrize("query, uses", [
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("select * where { service silent <http://x/> { ?s ?p ?o } }", True),
    ('SELECT * WHERE { ?s ?p "SERVICE" }', False),
    ("SELECT * WHERE { ?s <http://x/SERVICE> ?o } # SERVICE in a comment", False),
    ("PREFIX ex: <http://x/> SELECT ?SERVICE WHERE { ?SERVICE ex:SERVICE ?o }", False),
    ('SELECT * WHERE { ?s ?p """a\nSERVICE b""" }', False),
])
def test_service_keyword_detection(query, uses):
    from service.sparql import uses_service

    assert uses_service(query) is uses


def test_unknown_route_is_404_json(client):
    assert_error(client.get("/nowhere"), 404, "no resource at /nowhere")


def test_generic_http_errors_name_the_request(kgstore):
    """404/405/413 say which path, method or size was wrong, and the limit's setting (not werkzeug's stock text)."""
    from service.app import create_app

    client = create_app({"STORE": kgstore, "TESTING": True, "MAX_CONTENT_LENGTH": 100}).test_client()
    error = assert_error(client.delete("/sparql"), 405, "DELETE is not allowed on /sparql")
    assert {"GET", "POST"} <= {m.strip() for m in error["detail"].rsplit(":", 1)[1].split(",")}
    assert client.delete("/sparql").headers["Allow"]
    error = assert_error(client.post("/sparql", data=b"ASK {}" + b" " * 200, content_type="application/sparql-query"),
                         413, "(206 bytes) is larger than the limit of 100 bytes")
    assert "max_body_bytes" in error["detail"]


def test_whole_dataset_by_format_parameter_or_accept(client):
    nquads = client.get("/store", query_string={"format": "nquads"}, headers={"Accept": "application/trig"})
    assert nquads.mimetype == "application/n-quads" and nquads.headers["Vary"] == "Accept"
    assert len(Dataset().parse(data=nquads.get_data(as_text=True), format="nquads").graph(URIRef(SEED_GRAPH))) > 0
    assert client.get("/store", headers={"Accept": "application/n-quads;q=0.1, application/trig"}).mimetype == \
        "application/trig"
    assert_error(client.get("/store", query_string={"format": "csv"}), 406, "trig, nquads")


def test_internal_error_is_500_without_stack_trace(kgstore):
    from service.app import create_app

    app = create_app({"STORE": kgstore})  # not TESTING: exceptions are handled, as in production

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    error = assert_error(response, 500)
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert error["title"] == "Internal Server Error"


# -- export --------------------------------------------------------------------------------------
def test_export_trig_parses_back_isomorphic(client):
    response = client.get("/export")
    assert response.status_code == 200 and response.mimetype == "application/trig"
    parsed = Dataset()
    parsed.parse(data=response.get_data(), format="trig")
    assert sorted(str(g.identifier) for g in parsed.graphs() if len(g)) == [str(ACTORS_GRAPH), SEED_GRAPH]
    assert isomorphic(parsed.graph(URIRef(SEED_GRAPH)), as_stored(seed_graph()))
    assert isomorphic(parsed.graph(ACTORS_GRAPH), as_stored(fixture_dataset().graph(ACTORS_GRAPH)))


def test_export_nquads(client):
    response = client.get("/export?format=nquads")
    assert response.status_code == 200 and response.mimetype == "application/n-quads"
    parsed = Dataset()
    parsed.parse(data=response.get_data(), format="nquads")
    assert isomorphic(parsed.graph(URIRef(SEED_GRAPH)), as_stored(seed_graph()))
    assert_error(client.get("/export?format=turtle"), 400, "trig, nquads")


def test_article_graph_by_id_and_by_iri(client):
    """/graph/{id} is the article with its actors' descriptions (as kg export --graph); /export/graph?iri=
    is the named graph itself."""
    for url, expected in ((f"/graph/{SEED_ARTICLE_ID}", fixture_with_actors()),
                          (f"/export/graph?iri={SEED_GRAPH}", as_stored(seed_graph()))):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "text/turtle", url
        got = Graph().parse(data=response.get_data(), format="turtle")
        assert isomorphic(got, expected), url
    nt = client.get(f"/graph/{SEED_ARTICLE_ID}?format=ntriples")
    assert nt.mimetype == "application/n-triples"
    assert isomorphic(Graph().parse(data=nt.get_data(), format="nt"), fixture_with_actors())


def test_offsets_come_back_as_integers(client):
    """Oxigraph keeps offsets as xsd:integer (see kg.store); the value is what matters."""
    got = Graph().parse(data=client.get(f"/graph/{SEED_ARTICLE_ID}").get_data(), format="turtle")
    begins = {o for o in got.objects(None, URIRef(NIF + "beginIndex"))}
    assert Literal("284", datatype=XSD.integer) in begins


def test_absent_graph_is_404(client):
    assert_error(client.get("/graph/0123456789abcdef"), 404, "no graph")
    assert_error(client.get("/export/graph?iri=https://w3id.org/geokg/id/graph/none"), 404, "no graph")
    assert_error(client.get("/export/graph"), 400, "'iri'")


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert response.get_json()["engine"].startswith("oxigraph")


# -- configuration -------------------------------------------------------------------------------
def test_config_order_defaults_env_then_overrides(tmp_path, monkeypatch):
    from service.app import create_app

    monkeypatch.setenv("KG_STORE", str(tmp_path / "env-store"))
    app = create_app()
    try:
        assert app.extensions["geokg"]["store"].location == str(tmp_path / "env-store")
    finally:
        app.extensions["geokg"]["store"].close()
    assert create_app({"STORE": "memory"}).extensions["geokg"]["store"].location == "memory"
    monkeypatch.setenv("KG_ALLOW_SERVICE", "true")
    assert create_app({"STORE": "memory"}).config["ALLOW_SERVICE"] is True


def test_app_refuses_a_locked_store(tmp_path):
    from kg.errors import StoreError
    from kg.store import open_store
    from service.app import create_app

    holder = open_store(tmp_path / "store")
    try:
        with pytest.raises(StoreError, match="already open"):
            create_app({"STORE": str(tmp_path / "store")})
        app = create_app({"STORE": str(tmp_path / "store"), "STORE_READ_ONLY": True})
        assert app.test_client().get("/healthz").status_code == 200
    finally:
        holder.close()


def test_service_readme_lists_every_route_and_method(app):
    """service/README.md's route table names every route of the app with each of its methods."""
    import re

    from conftest import REPO

    def normal(route: str) -> str:
        return re.sub(r"<[^>]*>", "<>", route)

    documented: dict[str, set[str]] = {}
    routes: set[str] = set()
    for line in (REPO / "service" / "README.md").read_text(encoding="utf-8").splitlines():
        cells = line.split("|")
        if not line.startswith("| ") or len(cells) < 4 or not re.fullmatch(r"[A-Z, ]+", cells[1].strip()):
            continue
        if cells[2].strip() != "same":
            routes = {normal(r) for r in re.findall(r"`(/[^`\s?]*)", cells[2])}
        for route in routes:
            documented.setdefault(route, set()).update(m.strip() for m in cells[1].split(","))
    for rule in app.url_map.iter_rules():
        methods = rule.methods - {"HEAD", "OPTIONS"}
        assert methods <= documented.get(normal(rule.rule), set()), (rule.rule, methods, documented)
