"""Writes: off by default, behind a bearer token, and all or nothing (SPARQL Update and the Graph Store).

The store holds the hand-written seed-article graph (tests/fixtures/store/seed-article.trig).
"A write that fails half-way leaves the store as it was": checked for an update whose
second operation fails (Oxigraph refuses ``CREATE GRAPH`` of an existing graph), a PUT
body that breaks after valid triples, a multipart POST with one bad part, and updates
refused before they run (dataset conflict, LOAD) — each time by comparing the whole
store (N-Quads) before and after.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from conftest import SEED_GRAPH, as_stored, fixture_dataset
from test_service import assert_error

TOKEN = "t0ken-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = "application/sparql-update"
NEW = "urn:x:new"


@pytest.fixture(autouse=True)
def _no_write_env(monkeypatch):
    for name in ("KG_UPDATE_ENABLED", "KG_UPDATE_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def writer(kgstore):
    """A test client of an app with writes enabled and TOKEN as the token."""
    from service.app import create_app

    return create_app({"STORE": kgstore, "TESTING": True, "UPDATE_ENABLED": True, "UPDATE_TOKEN": TOKEN}).test_client()


def snapshot(store) -> list[str]:
    return sorted(store.serialize("nquads").decode("utf-8").splitlines())


# -- off by default, token required ------------------------------------------------------------------
def test_writes_are_off_by_default(client, kgstore):
    before = snapshot(kgstore)
    for response in (
        client.post("/sparql", data=b"CLEAR ALL", content_type=UPDATE, headers=AUTH),
        client.post("/sparql", data={"update": "CLEAR ALL"}, headers=AUTH),
        client.put(f"/store?graph={NEW}", data=b"<urn:s> <urn:p> 1 .", content_type="text/turtle", headers=AUTH),
        client.post("/store", data=b"<urn:s> <urn:p> 1 .", content_type="text/turtle", headers=AUTH),
        client.delete(f"/store?graph={SEED_GRAPH}", headers=AUTH),
        client.post("/articles", data=b"Some text.", content_type="text/plain", headers=AUTH),
    ):
        assert_error(response, 403, "read-only")
    assert snapshot(kgstore) == before
    assert client.get(f"/store?graph={SEED_GRAPH}").status_code == 200  # reading needs no token
    description = Graph().parse(data=client.get("/sparql").data, format="turtle")
    languages = {str(o).rsplit("#", 1)[-1] for o in description.objects(
        None, URIRef("http://www.w3.org/ns/sparql-service-description#supportedLanguage"))}
    assert languages == {"SPARQL11Query"}


CHALLENGE = 'Bearer realm="geokg"'
INVALID = 'Bearer realm="geokg", error="invalid_token"'  # RFC 6750 §3.1: only when a token was sent


@pytest.mark.parametrize("headers, challenge", [
    ({}, CHALLENGE), ({"Authorization": "Bearer wrong"}, INVALID), ({"Authorization": f"Basic {TOKEN}"}, CHALLENGE),
    ({"Authorization": "Bearer"}, CHALLENGE), ({"Authorization": f"bearer {TOKEN}x"}, INVALID)])
def test_missing_or_wrong_token_is_401(writer, kgstore, headers, challenge):
    before = snapshot(kgstore)
    for response in (writer.post("/sparql", data=b"CLEAR ALL", content_type=UPDATE, headers=headers),
                     writer.delete(f"/store?graph={SEED_GRAPH}", headers=headers),
                     writer.put(f"/store?graph={NEW}", data=b"<urn:s> <urn:p> 1 .", content_type="text/turtle",
                                headers=headers),
                     writer.post("/articles", data=b"Text.", content_type="text/plain", headers=headers)):
        assert_error(response, 401)
        assert response.headers["WWW-Authenticate"] == challenge
    assert snapshot(kgstore) == before


def test_enabled_without_a_token_refuses_everyone(kgstore):
    from service.app import create_app

    client = create_app({"STORE": kgstore, "TESTING": True, "UPDATE_ENABLED": True}).test_client()
    assert_error(client.post("/sparql", data=b"CLEAR ALL", content_type=UPDATE, headers={"Authorization": "Bearer "}),
                 403, "no update_token")


def test_settings_from_the_environment(kgstore, monkeypatch):
    """KG_UPDATE_ENABLED is read by the settings table's boolean ("no" is off); a numeric token stays text."""
    from service.app import create_app

    monkeypatch.setenv("KG_UPDATE_TOKEN", "123")
    monkeypatch.setenv("KG_UPDATE_ENABLED", "no")
    client = create_app({"STORE": kgstore, "TESTING": True}).test_client()
    assert_error(client.post("/sparql", data=b"CLEAR SILENT GRAPH <urn:x:none>", content_type=UPDATE,
                             headers={"Authorization": "Bearer 123"}), 403)
    monkeypatch.setenv("KG_UPDATE_ENABLED", "true")
    client = create_app({"STORE": kgstore, "TESTING": True}).test_client()
    assert client.post("/sparql", data=b"CLEAR SILENT GRAPH <urn:x:none>", content_type=UPDATE,
                       headers={"Authorization": "Bearer 123"}).status_code == 204


# -- SPARQL Update -----------------------------------------------------------------------------------
def test_update_forms_prefixes_and_base(writer, kgstore):
    direct = f'INSERT DATA {{ GRAPH <{NEW}> {{ <urn:x:s> rdfs:label "direct" }} }}'
    assert writer.post("/sparql", data=direct.encode(), content_type=UPDATE, headers=AUTH).status_code == 204
    form = 'INSERT DATA { GRAPH <urn:x:new> { <rel> rdfs:label "form" } }'
    assert writer.post("/sparql", data={"update": form}, headers=AUTH).status_code == 204
    labels = {(str(s), str(o)) for s, _, o in kgstore.get_graph(NEW)}
    assert labels == {("urn:x:s", "direct"), ("http://localhost/rel", "form")}  # base = the endpoint URL
    found = writer.get("/sparql", query_string={"query": 'ASK { ?s rdfs:label "form" }'}).get_json()
    assert found["boolean"] is True  # the query endpoint's union default graph sees the write


def test_update_using_graph_uri_restricts_the_where_clause(writer, kgstore):
    """using-graph-uri = the seed graph: only its mentions are copied; the actors graph has none."""
    from kg.rdf.iris import ACTORS_GRAPH

    copy = ("INSERT { GRAPH <urn:x:copy> { ?m rdfs:label ?l } } "
            "WHERE { ?m a gk:Mention ; <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> ?l }")
    response = writer.post(f"/sparql?using-graph-uri={SEED_GRAPH}", data=copy.encode(), content_type=UPDATE,
                           headers=AUTH)
    assert response.status_code == 204
    assert {str(o) for o in kgstore.get_graph("urn:x:copy").objects(None, RDFS.label)} == {"Vladimir Putin",
                                                                                          "Xi Jinping"}
    for using in (str(ACTORS_GRAPH), "urn:x:absent"):
        empty = writer.post("/sparql", data={"update": copy.replace("copy", "none"), "using-graph-uri": using},
                            headers=AUTH)
        assert empty.status_code == 204 and not kgstore.has_graph("urn:x:none")


@pytest.mark.parametrize("update, params, status, detail", [
    (f"INSERT DATA {{ GRAPH <{NEW}> {{ <urn:s> <urn:p> 1 }} }} ; CREATE GRAPH <{SEED_GRAPH}>", "", 400, "already exists"),
    (f"WITH <{SEED_GRAPH}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", f"?using-named-graph-uri={NEW}", 400, "WITH"),
    ("LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:x:new>", "", 403, "LOAD"),
    ("INSERT { GRAPH <urn:x:new> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "",
     403, "SERVICE"),
    ("CLEAR XYZ", "", 400, "error at"),
    ("DROP ALL", f"?default-graph-uri={SEED_GRAPH}", 400, "using-graph-uri"),
])
def test_failed_or_refused_update_leaves_the_store_as_it_was(writer, kgstore, update, params, status, detail):
    before = snapshot(kgstore)
    assert_error(writer.post("/sparql" + params, data=update.encode(), content_type=UPDATE, headers=AUTH),
                 status, detail)
    assert snapshot(kgstore) == before


def test_update_request_errors(writer):
    assert_error(writer.get("/sparql", query_string={"update": "CLEAR ALL"}, headers=AUTH), 400, "POST")
    assert_error(writer.post("/sparql", data={"update": ["CLEAR NAMED", "CLEAR DEFAULT"]}, headers=AUTH), 400,
                 "exactly one")
    assert_error(writer.post("/sparql", data={"update": "CLEAR ALL", "query": "ASK {}"}, headers=AUTH), 400)
    assert_error(writer.post("/sparql", data="CLEAR ALL".encode("utf-16"), headers=AUTH,
                             content_type="application/sparql-update; charset=UTF-16"), 415, "UTF-8")


# -- Graph Store Protocol ------------------------------------------------------------------------------
TURTLE = "text/turtle; charset=utf-8"


def test_gsp_put_get_post_delete(writer, kgstore):
    url = f"/store?graph={NEW}"
    assert writer.put(url, data=b'<urn:s> <urn:p> "one" .', content_type=TURTLE, headers=AUTH).status_code == 201
    assert writer.put(url, data=b'<urn:s> <urn:p> "two" .', content_type=TURTLE, headers=AUTH).status_code == 204
    assert writer.post(url, data=b'<urn:s> <urn:p> "three" .', content_type="application/n-triples",
                       headers=AUTH).status_code == 204
    got = writer.get(url, headers={"Accept": "application/n-triples"})
    assert got.mimetype == "application/n-triples"
    assert {str(o) for o in Graph().parse(data=got.data, format="nt").objects()} == {"two", "three"}
    assert writer.delete(url, headers=AUTH).status_code == 204
    assert_error(writer.get(url), 404, "no graph")
    assert_error(writer.delete(url, headers=AUTH), 404)
    assert isomorphic(kgstore.get_graph(SEED_GRAPH), as_stored(fixture_dataset().graph(URIRef(SEED_GRAPH))))


def test_gsp_relative_iris_resolve_against_the_graph(writer, kgstore):
    assert writer.put("/store?graph=http://example.org/g/", data=b"<a> <b> <c> .", content_type=TURTLE,
                      headers=AUTH).status_code == 201
    assert [tuple(map(str, t)) for t in kgstore.get_graph("http://example.org/g/")] == [
        ("http://example.org/g/a", "http://example.org/g/b", "http://example.org/g/c")]


def test_gsp_default_graph_is_the_store_default_graph(writer, kgstore):
    assert writer.get("/store?default").status_code == 200
    assert Graph().parse(data=writer.get("/store?default").data, format="turtle").__len__() == 0
    assert writer.put("/store?default", data=b"<urn:s> <urn:p> 1 .", content_type=TURTLE, headers=AUTH).status_code == 204
    default = Graph().parse(data=writer.get("/store?default").data, format="turtle")
    assert set(default) == {(URIRef("urn:s"), URIRef("urn:p"), Literal(1))}
    assert kgstore.has_graph(SEED_GRAPH)  # the article graph is untouched


@pytest.mark.parametrize("body, content_type, status, detail", [
    (b'<urn:s> <urn:p> "ok" .\n<urn:s> <urn:p> "broken', TURTLE, 400, "Turtle"),
    (b"<urn:s> <urn:p> 1 .", "text/plain", 415, "text/turtle"),
    (b"<urn:s> <urn:p> 1 .", "text/turtle; charset=latin-1", 415, "UTF-8"),
    (b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:s"}', "application/ld+json", 400, "context"),
])
def test_gsp_bad_body_leaves_the_graph_as_it_was(writer, kgstore, body, content_type, status, detail):
    before = snapshot(kgstore)
    assert_error(writer.put(f"/store?graph={SEED_GRAPH}", data=body, content_type=content_type, headers=AUTH),
                 status, detail)
    assert snapshot(kgstore) == before


def test_gsp_multipart_with_a_bad_part_writes_nothing(writer, kgstore):
    before = snapshot(kgstore)
    boundary = "b0undary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"a.ttl\"; filename=\"a.ttl\"\r\n"
            f"Content-Type: text/turtle\r\n\r\n<urn:s> <urn:p> \"good\" .\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"b.ttl\"; filename=\"b.ttl\"\r\n"
            f"Content-Type: text/turtle\r\n\r\n<urn:s> <urn:p> \"bad .\r\n--{boundary}--\r\n").encode()
    response = writer.post(f"/store?graph={SEED_GRAPH}", data=body, headers=AUTH,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert_error(response, 400, "part 'b.ttl'")
    assert snapshot(kgstore) == before


def test_gsp_request_errors(writer):
    assert_error(writer.get(f"/store?default&graph={NEW}"), 400, "either")
    assert_error(writer.get(f"/store?graph={NEW}&graph={SEED_GRAPH}"), 400, "exactly one")
    assert_error(writer.get("/store?graph=not%20an%20iri"), 400, "not a valid IRI")
    assert_error(writer.put("/store", data=b"", content_type=TURTLE, headers=AUTH), 400, "?default")
    assert_error(writer.get(f"/store?graph={SEED_GRAPH}", headers={"Accept": "image/png"}), 406)


def test_gsp_whole_dataset(writer):
    response = writer.get("/store", headers={"Accept": "application/n-quads"})
    assert response.mimetype == "application/n-quads" and SEED_GRAPH.encode() in response.data


def test_delete_where_with_using_named_graph_uri(writer, kgstore):
    """DELETE WHERE (which has no USING clause) is rewritten to DELETE ... USING NAMED ... WHERE."""
    from kg.rdf.iris import ACTORS_GRAPH

    delete = 'DELETE WHERE { GRAPH ?g { ?c rdfs:label "Taiwan" } }  # the "}" in this comment is no brace'
    other = writer.post("/sparql?using-named-graph-uri=urn:x:other", data=delete.encode(), content_type=UPDATE,
                        headers=AUTH)
    assert other.status_code == 204 and (None, RDFS.label, Literal("Taiwan")) in kgstore.get_graph(ACTORS_GRAPH)
    seed = writer.post(f"/sparql?using-named-graph-uri={ACTORS_GRAPH}", data=delete.encode(), content_type=UPDATE,
                       headers=AUTH)
    assert seed.status_code == 204 and (None, RDFS.label, Literal("Taiwan")) not in kgstore.get_graph(ACTORS_GRAPH)
    assert (None, RDFS.label, Literal("Russia")) in kgstore.get_graph(ACTORS_GRAPH)


@pytest.mark.parametrize("update, expected", [
    ('INSERT { ?s ?p "WHERE {" } WHERE { ?s ?p ?o }',
     'INSERT { ?s ?p "WHERE {" } USING <urn:a> WHERE { ?s ?p ?o }'),
    ("DELETE WHERE { ?s <urn:where> ?o } ; INSERT DATA { <urn:s> <urn:p> 1 }",
     "DELETE { ?s <urn:where> ?o } USING <urn:a> WHERE { ?s <urn:where> ?o } ; INSERT DATA { <urn:s> <urn:p> 1 }"),
    ("PREFIX where: <urn:x:> DELETE { ?where where:p ?o } WHERE { ?where where:p ?o }",
     "PREFIX where: <urn:x:> DELETE { ?where where:p ?o } USING <urn:a> WHERE { ?where where:p ?o }"),
    ("CLEAR ALL", "CLEAR ALL"),
])
def test_using_clauses_are_written_before_each_where(update, expected):
    from kg.sparql_scan import with_using_dataset

    assert with_using_dataset(update, ["urn:a"], None) == expected


# -- answers name their input; empty answers carry no Content-Type -------------------------------------
@pytest.mark.parametrize("method, url, body, content_type, status, title, detail", [
    ("POST", "/sparql", b"INSERT DATA { <urn:s> <urn:p> }", UPDATE, 400, "Malformed SPARQL update", "error at 1:"),
    ("POST", "/sparql", {"update": "CLEAR XYZ"}, None, 400, "Malformed SPARQL update", "error at 1:"),
    ("POST", "/sparql?using-graph-uri=not%20an%20iri", b"DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", UPDATE, 400,
     "Invalid using-graph-uri", "using-graph-uri: not a valid IRI: 'not an iri'"),
    ("POST", "/sparql?using-named-graph-uri=x", b"CLEAR ALL", UPDATE, 400, "Invalid using-named-graph-uri", "'x'"),
    ("POST", "/sparql", f"CREATE GRAPH <{SEED_GRAPH}>".encode(), UPDATE, 400, "Update failed", "already exists"),
    ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B", None, None, 400, "Malformed SPARQL query", "error at 1:"),
    ("GET", "/sparql?query=ASK%20%7B%7D&default-graph-uri=no%20iri", None, None, 400, "Invalid default-graph-uri",
     "default-graph-uri: not a valid IRI: 'no iri'"),
    ("POST", "/sparql", {"query": "ASK {}", "named-graph-uri": "x"}, None, 400, "Invalid named-graph-uri", "'x'"),
    ("PUT", f"/store?graph={NEW}", b"<urn:s> <urn:p> .", TURTLE, 400, "Malformed RDF", "Turtle"),
    ("PUT", "/store?graph=no%20iri", b"<urn:s> <urn:p> 1 .", TURTLE, 400, "Invalid graph IRI", "'no iri'"),
    ("GET", "/export/graph?iri=x", None, None, 400, "Invalid iri", "iri: not a valid IRI: 'x'"),
])
def test_error_titles_name_the_input(writer, kgstore, method, url, body, content_type, status, title, detail):
    """An update's errors say "update", a parameter's name its parameter (issue 5 review, item 2)."""
    before = snapshot(kgstore)
    response = writer.open(url, method=method, data=body, content_type=content_type, headers=AUTH)
    error = assert_error(response, status, detail)
    assert error["title"] == title
    assert snapshot(kgstore) == before


def _write_answers(client) -> list[tuple[str, int, object]]:
    """(what, expected status, response) for every write that answers without a body."""
    graph = f"/store?graph={NEW}"
    ttl = b'<urn:s> <urn:p> "v" .'
    return [
        ("update (direct)", 204, client.post("/sparql", data=b"CLEAR SILENT GRAPH <urn:x:none>", content_type=UPDATE,
                                             headers=AUTH)),
        ("update (form)", 204, client.post("/sparql", data={"update": "CLEAR SILENT GRAPH <urn:x:none>"}, headers=AUTH)),
        ("GSP PUT new", 201, client.put(graph, data=ttl, content_type=TURTLE, headers=AUTH)),
        ("GSP PUT existing", 204, client.put(graph, data=ttl, content_type=TURTLE, headers=AUTH)),
        ("GSP POST existing", 204, client.post(graph, data=ttl, content_type=TURTLE, headers=AUTH)),
        ("GSP POST new", 201, client.post("/store?graph=urn:x:other", data=ttl, content_type=TURTLE, headers=AUTH)),
        ("GSP PUT default", 204, client.put("/store?default", data=ttl, content_type=TURTLE, headers=AUTH)),
        ("GSP POST to the store", 201, client.post("/store", data=ttl, content_type=TURTLE, headers=AUTH)),
        ("GSP DELETE", 204, client.delete(graph, headers=AUTH)),
        ("GSP DELETE default", 204, client.delete("/store?default", headers=AUTH)),
    ]


def test_empty_write_answers_have_no_content_type(writer):
    """204 and the GSP's 201 carry no body and no (misleading text/html) Content-Type (issue 5 review, item 3)."""
    for what, status, response in _write_answers(writer):
        assert response.status_code == status, (what, response.data)
        assert response.data == b"", what
        assert "Content-Type" not in response.headers, (what, response.headers.get("Content-Type"))
    created = writer.post("/store", data=b"<urn:s> <urn:p> 1 .", content_type=TURTLE, headers=AUTH)
    assert created.headers["Location"].startswith("http://localhost/store/")
