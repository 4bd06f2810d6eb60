"""The remote store (kg.remote_store) against a real Oxigraph server process (`oxigraph serve`).

The server is started with `--union-default-graph` (what geokg requires of a remote store) and
`--timeout-s` (so a query abandoned by a client timeout stops on the server too). What the
server holds is checked over plain HTTP (urllib), never through geokg. The expected facts are
read off the seed article (seeds/000_e90bf088404a620c.txt): Putin and Xi "held a wide-ranging
video conference on Tuesday" (2025-01-21).
"""

from __future__ import annotations

import contextlib

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from conftest import REPO
from kg.cli import main as cli
from kg.errors import QueryError, StoreError
from kg.remote_store import RemoteStore, RemoteTimeout, open_remote_store
from kg.store import open_store

pytestmark = pytest.mark.e2e

GK = "https://w3id.org/geokg/ontology#"
PUTIN = "https://w3id.org/geokg/id/entity/Q7747"
XI = "https://w3id.org/geokg/id/entity/Q15031"
PUTIN_XI = f"""SELECT ?m ?date ?mode WHERE {{
  ?m a gk:Meeting ; gk:participant <{PUTIN}>, <{XI}> ; sem:hasTimeStamp ?date ; gk:mode ?mode }}"""
#: A query whose evaluation takes far longer than any timeout used here (a three-way cross product).
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """One `oxigraph serve` process on a free port; ``query`` / ``update`` are its endpoints."""

    def __init__(self, exe: str, location: Path | None, union: bool = True) -> None:
        port = _free_port()
        args = [exe, "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", "5"]
        args += ["--location", str(location)] if location else []
        args += ["--union-default-graph"] if union else []
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.query = f"http://127.0.0.1:{port}/query"
        self.update = f"http://127.0.0.1:{port}/update"
        for _ in range(300):  # wait for the server to answer (at most ~30 s)
            if self.proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {self.proc.stderr.read().decode(errors='replace')}")
            try:
                urllib.request.urlopen(self.query + "?query=ASK%7B%7D", timeout=1).read()
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        pytest.fail("oxigraph serve did not answer within 30 s")

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT on the server directly; bindings as {variable: value}."""
        body = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.query, data=body, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            result = json.load(response)
        return [{k: v["value"] for k, v in row.items()} for row in result["results"]["bindings"]]

    def send_update(self, update: str) -> None:
        request = urllib.request.Request(self.update, data=update.encode(),
                                         headers={"Content-Type": "application/sparql-update"})
        urllib.request.urlopen(request, timeout=30).read()

    def quads(self) -> set[tuple[str, ...]]:
        return {(r["g"], r["s"], r["p"], r["o"]) for r in self.select("SELECT * { GRAPH ?g { ?s ?p ?o } }")}

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def oxigraph_exe() -> str:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).is_file():
        pytest.skip("the oxigraph CLI is not installed (pip install oxigraph, in the `test` extra)")
    return exe


@pytest.fixture(scope="module")
def server(oxigraph_exe, tmp_path_factory):
    srv = OxigraphServer(oxigraph_exe, tmp_path_factory.mktemp("oxigraph") / "db")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def ingested(server, tmp_path_factory):
    """`kg ingest seeds/` (a real process) with KG_REMOTE_QUERY / KG_REMOTE_UPDATE set; its output."""
    env = dict(os.environ, KG_REMOTE_QUERY=server.query, KG_REMOTE_UPDATE=server.update,
               KG_QUARANTINE=str(tmp_path_factory.mktemp("quarantine")),
               KG_STORE=str(tmp_path_factory.mktemp("unused") / "store"))
    kg = Path(sys.executable).with_name("kg")
    command = [str(kg)] if kg.is_file() else [sys.executable, "-m", "kg.cli"]
    done = subprocess.run(command + ["ingest", "seeds/"], capture_output=True, text=True, env=env, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def remote_env_query() -> str:
    """The query endpoint the remote_env fixture configured."""
    import os

    return os.environ["KG_REMOTE_QUERY"]


@pytest.fixture
def remote_env(server, monkeypatch):
    monkeypatch.setenv("KG_REMOTE_QUERY", server.query)
    monkeypatch.setenv("KG_REMOTE_UPDATE", server.update)
    return server


def article_graph(server) -> str:
    rows = server.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?a a <{GK}Article> }} }}")
    assert len(rows) == 1, rows
    return rows[0]["g"]


def test_ingest_stores_the_article_graph_in_the_remote(ingested, server):
    assert "stored 1 article" in ingested.stdout and "0 failed; 0 quarantined" in ingested.stdout
    graph = article_graph(server)
    assert graph.startswith("https://w3id.org/geokg/id/graph/")
    rows = server.select(f"""SELECT ?date ?mode WHERE {{ GRAPH <{graph}> {{
        ?m a <{GK}Meeting> ; <{GK}participant> <{PUTIN}>, <{XI}> ;
           <http://semanticweb.cs.vu.nl/2009/11/sem/hasTimeStamp> ?date ; <{GK}mode> ?mode }} }}""")
    assert rows == [{"date": "2025-01-21", "mode": f"{GK}Remote"}]


def test_kg_query_and_export_read_the_remote(ingested, remote_env):
    runner = CliRunner()
    result = runner.invoke(cli, ["query", PUTIN_XI, "--format", "json"])
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.output)["results"]["bindings"]
    assert [(b["date"]["value"], b["mode"]["value"]) for b in bindings] == [("2025-01-21", f"{GK}Remote")]

    exported = runner.invoke(cli, ["export", "--format", "nquads"])
    assert exported.exit_code == 0, exported.output
    dataset = Dataset()
    dataset.parse(data=exported.output, format="nquads")
    graph = article_graph(remote_env)
    meetings = list(dataset.graph(URIRef(graph)).subjects(URIRef(GK + "participant"), URIRef(XI)))
    assert len(meetings) == 1
    assert (meetings[0], URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasTimeStamp"),
            Literal("2025-01-21", datatype=XSD.date)) in dataset.graph(URIRef(graph))
    assert len(dataset) == len(remote_env.quads())  # every quad of the server, none twice

    one = runner.invoke(cli, ["export", "--graph", graph])
    assert one.exit_code == 0, one.output
    turtle = Graph().parse(data=one.output, format="turtle")
    assert (meetings[0], URIRef(GK + "participant"), URIRef(PUTIN)) in turtle
    assert set(dataset.graph(URIRef(graph))) <= set(turtle)  # (plus the actors' descriptions; no blank nodes)


def test_kg_validate_reads_the_remote(ingested, remote_env):
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert "0 do not" in result.output


def test_post_articles_writes_to_the_remote(ingested, remote_env, tmp_path):
    from service.app import create_app

    graph = article_graph(remote_env)
    remote_env.send_update(f"DROP GRAPH <{graph}>")
    app = create_app({"STORE": "memory", "UPDATE_ENABLED": True, "UPDATE_TOKEN": "secret", "TESTING": True,
                      "QUARANTINE": str(tmp_path)})
    body = (REPO / "seeds" / "000_e90bf088404a620c.txt").read_bytes()
    response = app.test_client().post("/articles", data=body, content_type="text/plain",
                                      headers={"Authorization": "Bearer secret"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["articles"][0]["graph"] == graph
    rows = remote_env.select(f"SELECT ?m WHERE {{ GRAPH <{graph}> {{ ?m <{GK}participant> <{PUTIN}>, <{XI}> }} }}")
    assert len(rows) == 1


def test_queries_are_run_by_the_remote_not_by_rdflib(ingested, remote_env, no_rdflib_engine):
    with open_store(read_only=True) as store:
        assert isinstance(store, RemoteStore)
        assert store.engine == f"remote SPARQL 1.1 ({remote_env.query})"
        rows = list(store.query(PUTIN_XI))
        assert [(r.date, r.mode) for r in rows] == [(Literal("2025-01-21", datatype=XSD.date), URIRef(GK + "Remote"))]
        # TRIPLE()/isTRIPLE() are Oxigraph extensions rdflib's parser rejects: the text went to the server.
        extension = "SELECT (isTRIPLE(TRIPLE(wd:Q159, rdfs:label, 'Russia')) AS ?t) WHERE {}"
        assert [r.t.toPython() for r in store.query(extension)] == [True]
        # the rdflib Dataset view (`kg validate`) goes to the server too
        assert URIRef(article_graph(remote_env)) in {g.identifier for g in store.dataset.graphs()}
        with pytest.raises(StoreError, match="no local Oxigraph store"):
            store.native
        with pytest.raises(StoreError, match="read-only"):
            store.update("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")


def test_service_answers_sparqlwrapper_over_http(ingested, remote_env):
    from SPARQLWrapper import JSON, SPARQLWrapper
    from waitress.server import create_server

    from service.app import create_app

    app = create_app({"STORE": "memory"})  # the remote settings win over the location
    assert isinstance(app.extensions["geokg"]["store"], RemoteStore)
    from service.server import _location

    assert _location(app, "memory") == remote_env_query()  # what `kg serve` announces
    http_server = create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=http_server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{http_server.effective_port}"
    try:
        client = SPARQLWrapper(base + "/sparql")
        client.setQuery("PREFIX gk: <https://w3id.org/geokg/ontology#> "
                        "PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> " + PUTIN_XI)
        client.setReturnFormat(JSON)
        bindings = client.query().convert()["results"]["bindings"]
        assert [b["date"]["value"] for b in bindings] == ["2025-01-21"]
        with urllib.request.urlopen(base + "/healthz", timeout=30) as response:
            health = json.load(response)
        assert health["engine"] == f"remote SPARQL 1.1 ({remote_env.query})" and health["queries"]["mode"] == "remote"

        app.config["MAX_ROWS"] = 5
        url = base + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o }", "format": "csv"})
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.headers["Geokg-Truncated"] == "5"
            assert len(response.read().decode().splitlines()) == 1 + 5

        app.config["QUERY_TIMEOUT"] = 0.5
        start = time.monotonic()
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(base + "/sparql?" + urllib.parse.urlencode({"query": SLOW}), timeout=30)
        assert time.monotonic() - start < 5
        assert caught.value.code == 503
        assert json.load(caught.value)["error"]["title"] == "Query timeout"
    finally:
        http_server.close()


def test_default_graph_through_the_graph_store_protocol(ingested, remote_env):
    from service.app import create_app

    app = create_app({"STORE": "memory", "UPDATE_ENABLED": True, "UPDATE_TOKEN": "secret", "TESTING": True})
    client = app.test_client()
    auth = {"Authorization": "Bearer secret"}
    before = remote_env.quads()
    put = client.put("/store?default", data=b"<urn:x:s> <urn:x:p> 'in the default graph' .",
                     content_type="text/turtle", headers=auth)
    assert put.status_code in (201, 204), put.data
    got = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert got.status_code == 200
    assert got.data.decode().strip() == '<urn:x:s> <urn:x:p> "in the default graph" .'
    assert remote_env.select("SELECT ?o { <urn:x:s> <urn:x:p> ?o }") == [{"o": "in the default graph"}]
    assert client.delete("/store?default", headers=auth).status_code == 204
    assert remote_env.select("SELECT ?o { <urn:x:s> <urn:x:p> ?o }") == []
    assert remote_env.quads() == before  # the named graphs were not touched


def test_malformed_update_and_query_raise_the_embedded_error_class(server):
    embedded = open_store("memory")
    remote = open_remote_store(server.query, server.update)
    for store in (embedded, remote):
        with pytest.raises(QueryError, match=r"^error at 1:\d+") as caught:
            store.update("INSERT DATA { ?s ?p ?o }")
        assert type(caught.value) is QueryError, store.engine
        with pytest.raises(QueryError, match=r"^error at 1:\d+"):
            store.query("SELEC * WHERE { ?s ?p ?o }")
    embedded.close()


def test_a_failing_write_leaves_the_remote_unchanged(ingested, remote_env):
    store = open_remote_store(remote_env.query, remote_env.update)
    graph = article_graph(remote_env)
    before = remote_env.quads()
    other = sorted({q[0] for q in before} - {graph})[0]
    new = "https://w3id.org/geokg/id/graph/not-written"
    insert = f"INSERT DATA {{ GRAPH <{new}> {{ <urn:x:s> <urn:x:p> 1 }} }} ;\nDROP GRAPH <{graph}> ;\n"
    with pytest.raises(QueryError):  # the last operation holds an invalid IRI: the remote refuses all
        store.update(insert + "INSERT DATA { GRAPH <urn:x:g> { <http://bad iri/> <urn:x:p> 2 } }")
    with pytest.raises(StoreError, match="already exists"):  # the last operation fails when applied
        store.update(insert + f"CREATE GRAPH <{other}>")
    with pytest.raises(StoreError, match="rejects the term"):  # refused before anything is sent
        store.replace_graph(graph, [(URIRef("http://bad iri/"), URIRef("urn:x:p"), Literal(3))])
    assert remote_env.quads() == before


def test_unreachable_remote_gives_a_store_error_naming_the_url(monkeypatch):
    url = f"http://127.0.0.1:{_free_port()}/query"  # nothing listens there
    monkeypatch.setenv("KG_REMOTE_QUERY", url)
    with pytest.raises(StoreError, match="cannot reach the remote SPARQL store at " + url):
        open_store()
    result = CliRunner().invoke(cli, ["query", "ASK {}"])
    assert result.exit_code == 2 and url in result.output
    monkeypatch.setenv("KG_REMOTE_QUERY", "ftp://example.org/sparql")
    with pytest.raises(StoreError, match="remote_query must be an http"):
        open_store()


def test_remote_timeout(ingested, remote_env):
    store = open_remote_store(remote_env.query, remote_env.update, timeout=0.5)
    start = time.monotonic()
    with pytest.raises(RemoteTimeout, match=r"did not answer within 0.5 s"):
        store.query(SLOW)
    assert time.monotonic() - start < 5


def test_a_remote_without_union_default_graph_is_refused(oxigraph_exe):
    plain = OxigraphServer(oxigraph_exe, None, union=False)
    try:
        open_remote_store(plain.query, plain.update)  # empty: nothing to check yet
        plain.send_update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }")
        with pytest.raises(StoreError, match="--union-default-graph"):
            open_remote_store(plain.query, plain.update)
    finally:
        plain.stop()


@contextlib.contextmanager
def stub_server(handler):
    """Serve ``handler`` (an http.server request handler class) on 127.0.0.1; yield its base URL."""
    from http.server import ThreadingHTTPServer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def refusing_handler(status: int, body: bytes, seen: list | None = None):
    """A request handler class answering every POST with ``status`` and the text ``body``,
    recording each request's Authorization header in ``seen``."""
    from http.server import BaseHTTPRequestHandler

    class Refuse(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            if seen is not None:
                seen.append(self.headers.get("Authorization"))
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Refuse


def test_basic_auth_is_sent_and_a_refusal_is_named():
    seen: list[str | None] = []

    with stub_server(refusing_handler(401, b"wrong password", seen)) as base:
        with pytest.raises(StoreError, match=r"refused the request \(HTTP 401\); set remote_user"):
            open_remote_store(f"{base}/query", user="geokg", password="s3cret")
    assert seen == ["Basic Z2Vva2c6czNjcmV0"]  # base64 of "geokg:s3cret"


def test_an_update_refused_by_the_query_endpoint_asks_for_remote_update():
    """Oxigraph's /query answers an application/sparql-update POST with 415 (as this stub does)."""
    from kg.sparql_http import SparqlEndpoint

    update = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    with stub_server(refusing_handler(415, b"No supported content Content-Type given: application/sparql-update")) \
            as base:
        same = SparqlEndpoint(f"{base}/query", f"{base}/query", {})
        with pytest.raises(StoreError, match=r"HTTP 415\): No supported content.*set KG_REMOTE_UPDATE "
                                             rf"\(remote_update\) to the server's update endpoint, e.g. {base}/update"):
            same.update(update, "insert")
        # A separate update URL that refuses is the server's problem: no advice to set it.
        apart = SparqlEndpoint(f"{base}/query", f"{base}/update", {})
        with pytest.raises(StoreError, match="HTTP 415") as refused:
            apart.update(update, "insert")
        assert "KG_REMOTE_UPDATE" not in str(refused.value)


class _SlowServer:
    """A SPARQL endpoint stand-in (http.server) that answers after ``delay`` seconds: an update with 204,
    a query with empty SPARQL JSON results; the union-default-graph probe (``LIMIT 1``) at once."""

    def __init__(self, delay: float) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.updates: list[float] = []

        class Slow(BaseHTTPRequestHandler):
            def do_POST(inner):  # noqa: N802,N805 (http.server's name)
                body = inner.rfile.read(int(inner.headers.get("Content-Length", 0)))
                is_update = inner.headers.get("Content-Type", "").startswith("application/sparql-update")
                if b"LIMIT+1" not in body:
                    time.sleep(delay)
                if is_update:
                    self.updates.append(time.monotonic())
                    inner.send_response(204)
                    inner.end_headers()
                    return
                data = b'{"head":{"vars":["g","s","p","o"]},"results":{"bindings":[]}}'
                inner.send_response(200)
                inner.send_header("Content-Type", "application/sparql-results+json")
                inner.send_header("Content-Length", str(len(data)))
                inner.end_headers()
                inner.wfile.write(data)

            def log_message(inner, *args):  # noqa: N805
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def slow_server():
    srv = _SlowServer(1.5)
    yield srv
    srv.stop()


def test_an_update_has_no_read_timeout_but_a_query_has(slow_server):
    store = open_remote_store(slow_server.url, timeout=0.3)
    start = time.monotonic()
    store.update("INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }")  # answered after 1.5 s: no RemoteTimeout
    assert time.monotonic() - start >= 1.4 and len(slow_server.updates) == 1
    with pytest.raises(RemoteTimeout, match=r"did not answer within 0.3 s"):
        store.query("SELECT * WHERE { ?s ?p ?o }")


def test_a_timeout_of_an_update_says_it_may_have_been_applied(slow_server, monkeypatch):
    import kg.sparql_http

    store = open_remote_store(slow_server.url, timeout=0.3)

    def no_connection(request, timeout=None):
        raise socket.timeout("timed out")  # what urllib raises when connecting takes too long

    monkeypatch.setattr(kg.sparql_http._NO_READ_TIMEOUT, "open", no_connection)
    with pytest.raises(RemoteTimeout, match=r"did not answer within 0.3 s.*the update may have been applied; "
                                            r"re-run the ingest to converge"):
        store.update("INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }")


def test_a_negative_remote_timeout_is_a_config_error_naming_the_setting(slow_server, monkeypatch):
    from kg.errors import ConfigError

    with pytest.raises(ConfigError, match=r"remote_timeout \(KG_REMOTE_TIMEOUT\) must be a number of seconds >= 0"):
        open_remote_store(slow_server.url, timeout=-1)
    monkeypatch.setenv("KG_REMOTE_QUERY", slow_server.url)
    monkeypatch.setenv("KG_REMOTE_TIMEOUT", "-5")
    result = CliRunner().invoke(cli, ["query", "ASK {}"])
    assert result.exit_code == 2 and "KG_REMOTE_TIMEOUT" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_kg_validate_of_a_remote_store_honours_remote_timeout(slow_server, monkeypatch):
    monkeypatch.setenv("KG_REMOTE_QUERY", slow_server.url)
    monkeypatch.setenv("KG_REMOTE_TIMEOUT", "0.3")
    start = time.monotonic()
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2, result.output
    assert "did not answer within 0.3 s" in result.output
    assert time.monotonic() - start < 1.4  # it did not wait for the 1.5 s answer
