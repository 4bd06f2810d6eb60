"""No query or update makes the server fetch a URL or read a file; CORS allows reads, never writes.

A local HTTP server on 127.0.0.1 (a free port) records every request it gets, and a local
Turtle file holds one triple with a unique IRI. First, pyoxigraph alone is shown to *fetch*
for SERVICE and LOAD (so the rules are needed); then every way a query or update could name
them goes through the service: zero hits, and a 403 or an empty result.
"""

from __future__ import annotations

import http.server
import json
import threading

import pyoxigraph as ox
import pytest

from conftest import SEED_GRAPH
from service.safety import check_query, check_update, query_kind

TOKEN = "s3cret-token"
SECRET = "http://example.org/only-in-the-local-file"
REMOTE_ROW = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "http://example.org/remote"}}]}}


class Recorder(http.server.ThreadingHTTPServer):
    """An HTTP server that records (method, path) of every request and answers a SPARQL JSON row / Turtle."""

    def __init__(self) -> None:
        self.hits: list[tuple[str, str]] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        self.server.hits.append((self.command, self.path))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if "sparql" in self.path:
            body, media = json.dumps(REMOTE_ROW).encode(), "application/sparql-results+json"
        else:
            body, media = f"<{SECRET}> <{SECRET}> <{SECRET}> .\n".encode(), "text/turtle"
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def remote():
    """The recording HTTP server, running for one test."""
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def local_file(tmp_path):
    """A Turtle file with one triple whose IRIs appear nowhere else; its file: URI."""
    path = tmp_path / "secret.ttl"
    path.write_text(f"<{SECRET}> <{SECRET}> <{SECRET}> .\n", encoding="utf-8")
    return path.as_uri()


@pytest.fixture
def writer(kgstore):
    """A client of an app with writes enabled (bearer token), and the store."""
    from service.app import create_app

    app = create_app({"STORE": kgstore, "TESTING": True, "UPDATE_ENABLED": True, "UPDATE_TOKEN": TOKEN})
    return app.test_client(), kgstore


def assert_error(response, status: int, title_part: str = "") -> None:
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert list(error) == ["status", "title", "detail"] and error["status"] == status
    assert title_part in error["title"]


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.data
    return response.get_json()["results"]["bindings"]


# -- the danger is real: pyoxigraph alone fetches --------------------------------------------------
def test_pyoxigraph_itself_fetches_for_service_and_load(remote):
    store = ox.Store()
    found = list(store.query(f"SELECT ?s WHERE {{ SERVICE <{remote.base}/sparql> {{ ?s ?p ?o }} }}"))
    assert [str(row["s"].value) for row in found] == ["http://example.org/remote"]
    store.update(f"LOAD <{remote.base}/data.ttl>")
    assert len(store) == 1
    assert [m for m, _ in remote.hits] == ["POST", "GET"]


# -- queries ---------------------------------------------------------------------------------------
def service_queries(base: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{base}/sparql> {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{base}/> SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
        # '<' is "less than" here, not an IRI: a scanner that skips <...> misses this SERVICE
        f"SELECT * WHERE {{ ?a ?b ?c FILTER(?c<1)SERVICE#>\n<{base}/sparql> {{ ?s ?p ?o }} }}",
    ]


def test_the_less_than_trick_really_is_a_service_call(remote):
    """The last query above is a real SERVICE call for Oxigraph (so it must be refused)."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"), ox.Literal(0)))
    list(store.query(service_queries(remote.base)[-1]))
    assert remote.hits == [("POST", "/sparql")]


def test_service_is_refused_without_a_request(client, remote):
    for query in service_queries(remote.base):
        assert_error(client.get("/sparql", query_string={"query": query}), 403, "SERVICE")
        assert_error(client.post("/sparql", data={"query": query}), 403, "SERVICE")
        assert_error(client.post("/sparql", data=query.encode(), content_type="application/sparql-query"), 403)
    assert remote.hits == []


def test_allow_service_lets_the_server_call_out(kgstore, remote):
    from service.app import create_app

    client = create_app({"STORE": kgstore, "TESTING": True, "ALLOW_SERVICE": True}).test_client()
    found = rows(client.get("/sparql", query_string={"query": service_queries(remote.base)[0]}))
    assert [b["s"]["value"] for b in found] == ["http://example.org/remote"]
    assert remote.hits == [("POST", "/sparql")]


def test_from_and_dataset_parameters_name_store_graphs_only(client, remote, local_file):
    queries = [
        f"SELECT * FROM <{local_file}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM <{remote.base}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{local_file}> FROM NAMED <{remote.base}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        assert rows(client.get("/sparql", query_string={"query": query})) == []
    for iri in (local_file, f"{remote.base}/data.ttl"):
        default = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": iri})
        assert rows(default) == []
        named = client.get("/sparql", query_string={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
                                                    "named-graph-uri": iri})
        assert rows(named) == []
    everything = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "tsv"})
    assert SECRET not in everything.get_data(as_text=True)
    assert remote.hits == []


def test_from_of_a_stored_graph_is_that_graph(client, kgstore):
    """FROM <g> makes g the default graph; FROM NAMED alone leaves the default graph empty (Query §13.2)."""
    query = f"SELECT (COUNT(*) AS ?n) FROM <{SEED_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert int(rows(client.get("/sparql", query_string={"query": query}))[0]["n"]["value"]) == \
        kgstore.triple_count(SEED_GRAPH)
    named_only = f"SELECT * FROM NAMED <{SEED_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert rows(client.get("/sparql", query_string={"query": named_only})) == []


# -- updates ---------------------------------------------------------------------------------------
def test_load_and_service_updates_are_refused_and_change_nothing(writer, remote, local_file):
    client, store = writer
    before = store.triple_count()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    updates = [
        f"LOAD <{remote.base}/data.ttl>",
        f"load silent <{local_file}> into graph <http://example.org/g>",
        f"INSERT {{ GRAPH <http://example.org/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{remote.base}/sparql> {{ ?s ?p ?o }} }}",
        f"INSERT {{ GRAPH <http://example.org/g> {{ ?a ?b ?c }} }} WHERE {{ ?a ?b ?c FILTER(?c<1)SERVICE#>\n"
        f"<{remote.base}/sparql> {{ ?s ?p ?o }} }}",
        f"INSERT DATA {{ <http://example.org/x> <http://example.org/y> 1 }} ; LOAD <{remote.base}/data.ttl>",
    ]
    for update in updates:
        response = client.post("/sparql", data=update.encode(), content_type="application/sparql-update",
                               headers=headers)
        assert response.status_code == 403, (update, response.data)
        assert_error(client.post("/sparql", data={"update": update}, headers=headers), 403)
    assert remote.hits == []
    assert store.triple_count() == before
    assert not store.has_graph("http://example.org/g")


def test_using_names_store_graphs_only(writer, remote, local_file):
    client, store = writer
    update = (f"INSERT {{ GRAPH <http://example.org/copy> {{ ?s ?p ?o }} }} USING <{local_file}> "
              f"USING <{remote.base}/data.ttl> WHERE {{ ?s ?p ?o }}")
    response = client.post("/sparql", data=update.encode(), content_type="application/sparql-update",
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.data
    assert remote.hits == []
    assert store.triple_count("http://example.org/copy") == 0


# -- the checks themselves -------------------------------------------------------------------------
@pytest.mark.parametrize("query, uses", [
    ('SELECT * WHERE { ?s ?p "SERVICE" }', False),
    ("SELECT * WHERE { ?s <http://x/SERVICE> ?o } # SERVICE in a comment", False),
    ("PREFIX service: <http://x/> SELECT ?SERVICE WHERE { ?SERVICE service:SERVICE ?o }", False),
    ('SELECT * WHERE { ?s ?p """a\nSERVICE b""" ; ?q "x"@service }', False),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o < 3) } # service", False),
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { ?a ?b ?c FILTER(?a<1)SERVICE#>\n<http://x/> { ?s ?p ?o } }", True),
])
def test_check_query_follows_oxigraphs_parser(query, uses):
    from service.errors import APIError

    if uses:
        with pytest.raises(APIError, match="SERVICE"):
            check_query(query, allow_service=False)
        assert check_query(query, allow_service=True) == "SELECT"
    else:
        assert check_query(query, allow_service=False) == "SELECT"


def test_check_query_reports_malformed_queries_with_the_parser_message():
    from kg.errors import QueryError

    with pytest.raises(QueryError, match="error at 1:"):
        check_query("SELECT ?x WHERE { ?x", allow_service=False)
    with pytest.raises(QueryError):
        check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o }", allow_service=False)


@pytest.mark.parametrize("update, refused", [
    ('INSERT DATA { <http://a/> <http://b/> "downloaded payload; load it" }', False),
    ("PREFIX load: <http://x/> INSERT DATA { load:a load:b load:c }", False),
    ("CLEAR ALL # LOAD later", False),
    ("LOAD <http://x/>", True),
    ("CLEAR ALL ; load <http://x/> into graph <http://g/>", True),
    ("DELETE { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
])
def test_check_update(update, refused):
    from service.errors import APIError

    if refused:
        with pytest.raises(APIError):
            check_update(update, allow_service=False)
    else:
        check_update(update, allow_service=False)


def test_query_kind_after_the_prologue():
    assert query_kind("PREFIX a: <x:> # comment\n BASE <http://b/> describe <x:y>") == "CONSTRUCT"
    assert query_kind("ASK{}") == "ASK"
    assert query_kind("prefix ex:<http://x/> construct where { ?s ?p ?o }") == "CONSTRUCT"
    assert query_kind("  # a comment\nSELECT * {}") == "SELECT"


# -- CORS: reads from anywhere, writes never -------------------------------------------------------
ORIGIN = "https://analyst.example"


def test_cors_allows_query_reads_from_any_origin(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Geokg-Truncated" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options("/sparql", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in preflight.headers


def test_cors_never_allows_writes(writer):
    client, _ = writer
    with_token = client.options("/sparql", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "Authorization"})
    assert "authorization" not in with_token.headers.get("Access-Control-Allow-Headers", "").lower()
    for path, method in (("/store", "PUT"), ("/store", "DELETE"), ("/articles", "POST")):
        preflight = client.options(path, headers={"Origin": ORIGIN, "Access-Control-Request-Method": method})
        assert method not in preflight.headers.get("Access-Control-Allow-Methods", ""), path
    assert "Access-Control-Allow-Origin" not in client.post("/articles", data=b"x", content_type="text/plain",
                                                            headers={"Origin": ORIGIN}).headers
    update = client.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update",
                         headers={"Origin": ORIGIN})
    assert update.status_code == 401 and "Access-Control-Allow-Origin" not in update.headers


def test_write_preflights_and_answers_carry_no_cors_header(writer):
    """No Access-Control-* header at all on a preflight asking for a write method, nor on a write's answer
    (with the token, as a non-browser client would send it); reads of the same graph keep theirs."""
    client, _ = writer
    graph = "/store?graph=urn:x:cors"
    for path in (graph, "/store?default", "/store", "/store/direct/g"):
        for method in ("PUT", "POST", "DELETE"):
            preflight = client.options(path, headers={"Origin": ORIGIN, "Access-Control-Request-Method": method,
                                                      "Access-Control-Request-Headers": "Content-Type"})
            assert not [h for h in preflight.headers.keys() if h.lower().startswith("access-control-")], (path, method)
    auth = {"Origin": ORIGIN, "Authorization": f"Bearer {TOKEN}"}
    writes = (client.put(graph, data=b"<urn:s> <urn:p> 1 .", content_type="text/turtle", headers=auth),
              client.post(graph, data=b"<urn:s> <urn:p> 2 .", content_type="text/turtle", headers=auth),
              client.post("/sparql", data={"update": "CLEAR SILENT GRAPH <urn:x:none>"}, headers=auth))
    for response in writes:
        assert response.status_code in (201, 204), response.data
        assert not [h for h in response.headers.keys() if h.lower().startswith("access-control-")], response.headers
    read = client.get(graph, headers={"Origin": ORIGIN})
    assert read.status_code == 200 and read.headers["Access-Control-Allow-Origin"] == "*"
    read_preflight = client.options(graph, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert read_preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert client.delete(graph, headers=auth).headers.get("Access-Control-Allow-Origin") is None


def test_cors_origins_setting(kgstore):
    from service.app import create_app

    only = create_app({"STORE": kgstore, "TESTING": True, "CORS_ORIGINS": "https://a.example, https://b.example"})
    client = only.test_client()
    allowed = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://b.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://b.example"
    other = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in other.headers
    off = create_app({"STORE": kgstore, "TESTING": True, "CORS_ORIGINS": ""}).test_client()
    assert "Access-Control-Allow-Origin" not in off.get("/healthz", headers={"Origin": ORIGIN}).headers
