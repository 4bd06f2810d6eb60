"""A running service ingests while it answers queries, over real HTTP (waitress, several threads).

The server holds its on-disk store read-write, so `kg ingest` cannot open it (RocksDB's
lock); a running service ingests through ``POST /articles`` instead. Here three threads
query without pause while corpus/dev articles are POSTed one per request: every query
answers 200, and every article graph a query sees is complete (each POST is one Oxigraph
transaction; the query workers re-open their snapshot after each write), and once the
POSTs are answered every query sees the new graphs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from urllib.error import HTTPError

import pytest

from conftest import REPO, SEED_GRAPH, fixture_dataset, load_dataset

TOKEN = "concurrency-token"
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
ARTICLES = ["001-taiwan-most-important-issue-sino-u.txt", "002-trump-japan-abe-toast-bromance-two.txt",
            "004-kremlin-u-blame-no-putin-trump.txt"]


@pytest.fixture
def served(tmp_path):
    """`create_app` on an on-disk store (the seed fixture), served by waitress with 4 threads on a free port."""
    from waitress.server import create_server

    from kg.store import open_store
    from service.app import create_app

    store = open_store(tmp_path / "store")
    load_dataset(store, fixture_dataset())
    app = create_app({"STORE": store, "UPDATE_ENABLED": True, "UPDATE_TOKEN": TOKEN, "QUERY_WORKERS": 2})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", tmp_path / "store"
    server.close()
    thread.join(10)
    app.extensions["geokg"]["store"].runner.close()
    store.close()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except HTTPError as exc:
        return exc.code, exc.read()


def graph_counts(base: str) -> tuple[int, dict[str, int]]:
    status, body = get(f"{base}/sparql?" + urllib.parse.urlencode({"query": COUNTS}))
    if status != 200:
        return status, {}
    bindings = json.loads(body)["results"]["bindings"]
    return status, {b["g"]["value"]: int(b["n"]["value"]) for b in bindings}


def post_article(base: str, text: bytes) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base}/articles", data=text, method="POST",
                                     headers={"Content-Type": "text/plain; charset=utf-8",
                                              "Authorization": f"Bearer {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.loads(response.read())
    except HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_queries_during_an_ingest_through_the_server(served, shared_dir):
    base, _ = served
    assert get(base + "/healthz")[0] == 200
    ingesting = threading.Event()
    done = threading.Event()
    seen: list[tuple[bool, int, dict[str, int]]] = []  # (during the ingest?, status, counts)

    def query_loop() -> None:
        while not done.is_set():
            during = ingesting.is_set()
            status, counts = graph_counts(base)
            seen.append((during and ingesting.is_set(), status, counts))

    readers = [threading.Thread(target=query_loop) for _ in range(3)]
    for reader in readers:
        reader.start()
    posted = []
    try:
        ingesting.set()
        for name in ARTICLES:
            posted.append(post_article(base, (shared_dir / "corpus" / "dev" / name).read_bytes()))
        ingesting.clear()
        health = get(base + "/healthz")
    finally:
        done.set()
        for reader in readers:
            reader.join(120)
    stored = [body for status, body in posted if status == 201]
    assert stored, posted
    assert all(status in (201, 422) for status, _ in posted), posted
    final_status, final = graph_counts(base)
    assert final_status == 200 and health[0] == 200
    new_graphs = {article["graph"] for body in stored for article in body["articles"]}
    assert new_graphs <= set(final), "a stored article graph is missing after its POST was answered"
    assert final[SEED_GRAPH] > 0
    assert {status for _, status, _ in seen} == {200}
    assert any(during for during, _, _ in seen), "no query ran while the articles were ingested"
    for _, _, counts in seen:  # a graph is seen whole or not at all
        for graph in new_graphs & set(counts):
            assert counts[graph] == final[graph], graph


def test_kg_ingest_cannot_open_the_served_store(served, tmp_path):
    _, store_path = served
    article = tmp_path / "article.txt"
    article.write_text("Title: A test\nPublished: 2024-01-01\nSource: Test\n\nNobody met anybody.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "--store", str(store_path), str(article)],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "locked by another process" in result.stderr
