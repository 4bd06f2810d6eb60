"""`kg serve` as a real process: binding, and the HTTP answers a triplestore client relies on.

One `kg serve` runs for the module on an on-disk store filled by hand with the
seed-article fixture (tests/fixtures/store/seed-article.trig), writes enabled behind a
token, one query worker process and a 4000-byte body limit; it is asked for port 0 and
the test reads the port it announces. Requests go over raw HTTP (``w3c_harness.send``:
exactly the headers given), so what waitress adds or drops is seen too.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

import w3c_harness as h
from conftest import REPO, SEED_ARTICLE_ID, SEED_GRAPH, fixture_dataset, load_dataset

TOKEN = "serve-test-token"
MAX_BODY = 4000
ORIGIN = "https://elsewhere.example"
ASK = "/sparql?query=" + quote("ASK { ?c a gk:Country }", safe="")
SELECT = "/sparql?query=" + quote("SELECT ?l WHERE { ?c a gk:Country ; rdfs:label ?l } ORDER BY ?l", safe="")
CONSTRUCT = "/sparql?query=" + quote("CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a gk:Country ; rdfs:label ?l }",
                                     safe="")


def kg_command() -> list[str]:
    """The installed `kg` console script next to this interpreter, else `python -m kg.cli`."""
    script = Path(sys.executable).with_name("kg")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "kg.cli"]


def kg_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_UPDATE_TOKEN": TOKEN, "KG_QUARANTINE": str(tmp / "quarantine")})
    return env


# -- binding ------------------------------------------------------------------------------------------
def test_taken_port_fails_before_announcing_and_creates_no_store(tmp_path):
    """The port is bound before the store is opened: a clear error naming host:port, exit 2, no traceback."""
    store = tmp_path / "new-store"
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = subprocess.run(kg_command() + ["serve", "--host", "127.0.0.1", "--port", str(port),
                                              "--store", str(store)],
                              capture_output=True, text=True, env=kg_env(tmp_path), cwd=REPO, timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"error: cannot serve: 127.0.0.1:{port} is already in use" in done.stderr
    assert "serving" not in done.stderr and "Traceback" not in done.stderr
    assert not store.exists()


def test_unknown_host_is_a_clear_error(tmp_path):
    done = subprocess.run(kg_command() + ["serve", "--host", "no-such-host.invalid", "--port", "0",
                                          "--store", str(tmp_path / "s")],
                          capture_output=True, text=True, env=kg_env(tmp_path), cwd=REPO, timeout=120)
    assert done.returncode == 2 and "no-such-host.invalid:0 cannot be bound" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "s").exists()


def test_port_out_of_range_is_a_usage_error():
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "70000 is not in the range" in result.output


# -- one served store -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(port, log path) of `kg serve --port 0` on the fixture store; stopped with SIGTERM afterwards."""
    from kg.store import open_store

    tmp = tmp_path_factory.mktemp("serve")
    with open_store(tmp / "store") as store:
        load_dataset(store, fixture_dataset())
    log = tmp / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen(kg_command() + ["serve", "--store", str(tmp / "store"), "--port", "0",
                                                  "--threads", "2", "--query-workers", "1", "--update-enabled",
                                                  "--max-body-bytes", str(MAX_BODY)],
                                  env=kg_env(tmp), cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    try:
        port = _announced_port(server, log)
        yield port, log
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert server.returncode == 0, log.read_text()
    assert "geokg: stopped" in log.read_text()


def _announced_port(server: subprocess.Popen, log: Path, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"geokg: serving http://127\.0\.0\.1:(\d+)/sparql", log.read_text())
        if found:
            return int(found.group(1))
        if server.poll() is not None:
            pytest.fail(f"kg serve exited with {server.returncode}:\n{log.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"kg serve announced no port in {timeout} s:\n{log.read_text()}")


def call(port: int, method: str, path: str, headers: dict[str, str] | None = None,
         body: bytes | None = None) -> h.Reply:
    return h.send(port, method, path, [("Host", f"127.0.0.1:{port}"), *(headers or {}).items()], body)


def assert_json_error(reply: h.Reply, status: int, detail_part: str = "") -> dict:
    assert reply.status == status, reply.body
    assert reply.media_type == "application/json" and reply.headers.get("x-request-id")
    body = json.loads(reply.body)
    assert list(body) == ["error"] and list(body["error"]) == ["status", "title", "detail"]
    assert body["error"]["status"] == status and detail_part in body["error"]["detail"], body
    assert b"Traceback" not in reply.body
    return body["error"]


def test_announces_the_port_it_bound_and_is_healthy(served):
    port, log = served
    assert log.read_text().count("geokg: serving") == 1
    reply = call(port, "GET", "/healthz")
    assert reply.status == 200 and reply.media_type == "application/json"
    health = json.loads(reply.body)
    assert health["status"] == "ok" and health["engine"].startswith("oxigraph")
    assert health["queries"]["mode"] == "processes" and health["queries"]["size"] == 1


READ_ROUTES = ["/", "/sparql", ASK, SELECT, CONSTRUCT, "/store", "/store?default", f"/store?graph={SEED_GRAPH}",
               "/export", f"/graph/{SEED_ARTICLE_ID}", "/.well-known/void", "/healthz",
               "/id/entity/Q159", "/nowhere", f"/store?graph={quote('urn:x:absent')}"]


@pytest.mark.parametrize("path", READ_ROUTES)
def test_head_answers_like_get_without_a_body(served, path):
    port, _ = served
    get, head = call(port, "GET", path), call(port, "HEAD", path)
    assert head.status == get.status, path
    assert head.headers.get("content-type") == get.headers.get("content-type"), path
    assert head.body == b"", path
    if path != "/healthz":  # its worker counts change between two requests
        assert head.headers.get("content-length") == str(len(get.body)), path


@pytest.mark.parametrize("path, accept, media_type", [
    (SELECT, "text/*", "text/csv"),
    (SELECT, "application/*;q=0.5, text/tab-separated-values;q=0.4", "application/sparql-results+json"),
    (SELECT, "text/csv;q=0.2, application/sparql-results+xml;q=0.8", "application/sparql-results+xml"),
    (SELECT + "&format=tsv", "application/sparql-results+json", "text/tab-separated-values"),
    (CONSTRUCT, "application/*", "application/n-triples"),
    (CONSTRUCT, "text/turtle;q=0.1, application/ld+json", "application/ld+json"),
    (CONSTRUCT + "&format=rdfxml", "text/turtle", "application/rdf+xml"),
    ("/store?format=nquads", "application/trig", "application/n-quads"),
])
def test_negotiation_through_the_query_worker(served, path, accept, media_type):
    port, _ = served
    reply = call(port, "GET", path, {"Accept": accept})
    assert reply.status == 200 and reply.media_type == media_type, reply.body[:300]
    if media_type == "text/csv":
        assert reply.body.decode().splitlines() == ["l", "China", "Russia", "Taiwan"]


def test_error_shapes(served):
    port, _ = served
    assert_json_error(call(port, "GET", "/nowhere"), 404, "no resource at /nowhere")
    gone = assert_json_error(call(port, "GET", f"/store?graph={quote('urn:x:absent')}"), 404, "urn:x:absent")
    assert gone["title"] == "Graph not found"
    not_allowed = call(port, "DELETE", "/sparql")
    assert_json_error(not_allowed, 405, "DELETE is not allowed on /sparql")
    assert "GET" in not_allowed.headers["allow"] and "POST" in not_allowed.headers["allow"]
    assert_json_error(call(port, "GET", SELECT, {"Accept": "image/png"}), 406, "offered")
    assert_json_error(call(port, "GET", CONSTRUCT + "&format=csv"), 406, "format='csv'")
    big = b"ASK {}" + b" " * MAX_BODY
    assert_json_error(call(port, "POST", "/sparql", {"Content-Type": "application/sparql-query"}, big), 413,
                      f"larger than the limit of {MAX_BODY} bytes")
    huge = b"ASK {}" + b" " * (4 * MAX_BODY + 65536)  # past waitress's cap (service.server.waitress_body_limit)
    refused = call(port, "POST", "/sparql", {"Content-Type": "application/sparql-query"}, huge)
    assert refused.status == 413 and b"larger than the limit" not in refused.body  # waitress's own answer
    assert_json_error(call(port, "POST", "/sparql", {"Content-Type": "text/plain"}, b"ASK {}"), 415, "text/plain")
    assert_json_error(call(port, "PUT", "/store?default", {"Content-Type": "image/png",
                                                           "Authorization": f"Bearer {TOKEN}"}, b"x"), 415)
    malformed = assert_json_error(call(port, "POST", "/sparql", {"Content-Type": "application/sparql-update",
                                                                 "Authorization": f"Bearer {TOKEN}"},
                                       b"INSERT DATA { <urn:s> }"), 400, "error at 1:")
    assert malformed["title"] == "Malformed SPARQL update"


def test_writes_answer_without_body_or_content_type(served):
    port, _ = served
    auth = {"Authorization": f"Bearer {TOKEN}"}
    turtle = {**auth, "Content-Type": "text/turtle"}
    graph = f"/store?graph={quote('urn:x:served', safe='')}"
    replies = [
        (204, call(port, "POST", "/sparql", {**auth, "Content-Type": "application/sparql-update"},
                   b"INSERT DATA { GRAPH <urn:x:u> { <urn:s> <urn:p> 1 } }")),
        (201, call(port, "PUT", graph, turtle, b"<urn:s> <urn:p> 1 .")),
        (204, call(port, "POST", graph, turtle, b"<urn:s> <urn:p> 2 .")),
        (201, call(port, "POST", "/store", turtle, b"<urn:s> <urn:p> 3 .")),
        (204, call(port, "DELETE", graph, auth)),
        (204, call(port, "DELETE", "/store?graph=urn:x:u", auth)),
    ]
    for status, reply in replies:
        assert reply.status == status, reply.body
        assert reply.body == b"" and "content-type" not in reply.headers, reply.headers
    assert replies[3][1].headers["location"].startswith(f"http://127.0.0.1:{port}/store/")
    call(port, "DELETE", "/store?graph=" + quote(replies[3][1].headers["location"], safe=""), auth)


@pytest.mark.parametrize("headers, challenge", [
    ({}, 'Bearer realm="geokg"'),
    ({"Authorization": "Bearer not-the-token"}, 'Bearer realm="geokg", error="invalid_token"'),
])
def test_writes_need_the_token(served, headers, challenge):
    port, _ = served
    for method, path, extra, body in (
            ("POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"CLEAR ALL"),
            ("DELETE", f"/store?graph={quote(SEED_GRAPH, safe='')}", {}, None),
            ("POST", "/articles", {"Content-Type": "text/plain"}, b"Some text.")):
        reply = call(port, method, path, {**headers, **extra}, body)
        assert_json_error(reply, 401)
        assert reply.headers["www-authenticate"] == challenge, path
    assert call(port, "GET", f"/store?graph={quote(SEED_GRAPH, safe='')}").status == 200  # nothing was deleted


def test_cors_preflight_refuses_writes_and_allows_reads(served):
    port, _ = served
    cors = lambda reply: {k: v for k, v in reply.headers.items() if k.startswith("access-control-")}  # noqa: E731
    for path, method in (("/store?default", "PUT"), ("/store?default", "DELETE"), ("/store", "POST"),
                         ("/articles", "POST")):
        preflight = call(port, "OPTIONS", path, {"Origin": ORIGIN, "Access-Control-Request-Method": method,
                                                 "Access-Control-Request-Headers": "authorization, content-type"})
        assert cors(preflight) == {}, (path, method, preflight.headers)
    query = call(port, "OPTIONS", "/sparql", {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "content-type, authorization"})
    assert query.headers["access-control-allow-origin"] == "*"
    assert "POST" in query.headers["access-control-allow-methods"]
    assert "authorization" not in query.headers.get("access-control-allow-headers", "").lower()
    read = call(port, "GET", SELECT, {"Origin": ORIGIN})
    assert read.headers["access-control-allow-origin"] == "*"
