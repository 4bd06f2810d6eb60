"""Query timeout, row cap, body size, the query workers, the access log and the JSON error shape.

The expensive query is a cross product of a store of ~3,000 triples with itself three
times (~2.7e10 solutions): it cannot finish within a 1 s timeout. On an on-disk store it
runs in a worker process, which must be killed (the process is gone) and replaced (the
next query answers). No assertion is made on how long anything takes.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import time

import pyoxigraph as ox
import pytest
from rdflib import Graph

from conftest import SEED_GRAPH, fixture_dataset, load_dataset

CROSS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CROSS_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PARTICIPANTS = """SELECT ?label WHERE { ?m a gk:Meeting ; gk:participant ?p . ?p rdfs:label ?label } ORDER BY ?label"""
COUNTRIES = "CONSTRUCT { ?c rdfs:label ?l ; owl:sameAs ?q } WHERE { ?c a gk:Country ; rdfs:label ?l ; owl:sameAs ?q }"
FILLER = 3000


def fill(native: ox.Store) -> None:
    """~3,000 extra triples in their own graph (the cross product's raw material)."""
    graph = ox.NamedNode("http://example.org/filler")
    native.extend([ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                           ox.Literal(i), graph) for i in range(FILLER)])


@pytest.fixture
def disk(tmp_path):
    """An app on an on-disk store (seed fixture + filler) whose queries run in worker processes."""
    from kg.store import open_store
    from service.app import create_app

    store = open_store(tmp_path / "store")
    load_dataset(store, fixture_dataset())
    fill(store.native)
    app = create_app({"STORE": store, "TESTING": True, "QUERY_WORKERS": 2, "QUERY_TIMEOUT": 30})
    yield app
    app.extensions["geokg"]["store"].runner.close()
    store.close()


def assert_error(response, status: int, title: str | None = None) -> dict:
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert list(error) == ["status", "title", "detail"] and error["status"] == status
    assert "Traceback" not in response.get_data(as_text=True)
    if title:
        assert error["title"] == title
    return error


def labels(response) -> list[str]:
    return [b["label"]["value"] for b in response.get_json()["results"]["bindings"]]


# -- timeout -----------------------------------------------------------------------------------------
def test_runaway_query_is_killed_with_503_and_the_worker_is_free_again(disk):
    disk.config.update(QUERY_TIMEOUT=1, MAX_ROWS=0)
    client = disk.test_client()
    runner = disk.extensions["geokg"]["store"].runner
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    pids = {w.pid for w in list(runner._idle.queue)}
    error = assert_error(client.get("/sparql", query_string={"query": CROSS_COUNT}), 503, "Query timeout")
    assert "1 s" in error["detail"] and "query_timeout" in error["detail"]
    assert runner.info()["killed"] == 1
    for pid in pids:  # the process that ran it is gone (reaped: no zombie left)
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    again = client.get("/sparql", query_string={"query": PARTICIPANTS})
    assert again.status_code == 200 and labels(again) == ["Vladimir Putin", "Xi Jinping"]
    assert_error(client.post("/sparql", data={"query": CROSS_ROWS}, headers={"Accept": "text/csv"}), 503)
    assert client.get("/healthz").get_json()["queries"]["mode"] == "processes"


def test_timeout_in_process_stops_a_streaming_query(kgstore):
    """In-memory store: the request gets 503 at the deadline and the query thread stops writing rows."""
    from service.app import create_app

    fill(kgstore.native)
    app = create_app({"STORE": kgstore, "TESTING": True, "QUERY_TIMEOUT": 1, "MAX_ROWS": 0})
    runner = app.extensions["geokg"]["store"].runner
    assert runner.info()["mode"] == "in-process"
    assert_error(app.test_client().get("/sparql", query_string={"query": CROSS_ROWS}), 503, "Query timeout")
    for _ in range(200):  # the helper thread gives its slot back once it sees the cancel flag
        if runner._free._value == runner.slots:
            break
        time.sleep(0.05)
    assert runner._free._value == runner.slots
    assert app.test_client().get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


@pytest.mark.parametrize("max_rows, expect", [(0, "timeout"), (5, "cut")])
def test_in_process_results_are_released_on_the_thread_that_made_them(kgstore, max_rows, expect):
    """pyoxigraph results are pyo3 ``unsendable``: a QuerySolutions dropped on another thread
    (e.g. by the garbage collector of the request thread, through a cancelled job's traceback)
    reports "unsendable, but is being dropped on another thread" as an unraisable exception."""
    import gc
    import sys

    from service.execution import InProcessRunner, QueryJob, QueryTimeout

    fill(kgstore.native)
    runner = InProcessRunner(kgstore.native, slots=1)
    job = QueryJob(CROSS_ROWS, "SELECT", "application/sparql-results+json", max_rows=max_rows)
    seen: list[str] = []
    hook, sys.unraisablehook = sys.unraisablehook, lambda u: seen.append(f"{u.exc_type.__name__}: {u.exc_value}")
    try:
        gc.collect()
        seen.clear()
        if expect == "timeout":
            with pytest.raises(QueryTimeout):
                runner.run(job, 0.5)
        else:
            result = runner.run(job, 30)
            assert result.truncated and len(json.loads(result.data)["results"]["bindings"]) == 5
        for _ in range(200):  # the helper thread gives its slot back once it sees the cancel flag
            if runner._free._value == runner.slots:
                break
            time.sleep(0.05)
        assert runner._free._value == runner.slots
        time.sleep(0.1)  # the helper thread has ended
        gc.collect()  # here, in the request thread
    finally:
        sys.unraisablehook = hook
    assert not [s for s in seen if "unsendable" in s], seen


def test_a_timeout_of_zero_means_no_limit(client, app):
    app.config["QUERY_TIMEOUT"] = 0
    assert labels(client.get("/sparql", query_string={"query": PARTICIPANTS})) == ["Vladimir Putin", "Xi Jinping"]


# -- row cap ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap_cuts_select_results_and_says_so(app, client, fmt):
    app.config["MAX_ROWS"] = 1
    response = client.get("/sparql", query_string={"query": PARTICIPANTS, "format": fmt})
    assert response.status_code == 200 and response.headers["Geokg-Truncated"] == "1"
    text = response.get_data(as_text=True)
    if fmt == "json":
        assert labels(response) == ["Vladimir Putin"]
    elif fmt == "xml":
        assert text.count("<result>") == 1 and "Vladimir Putin" in text and "Xi Jinping" not in text
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(text))) == [["label"], ["Vladimir Putin"]]
    else:
        assert text.splitlines() == ["?label", '"Vladimir Putin"']


def test_results_at_or_under_the_cap_are_whole(app, client):
    app.config["MAX_ROWS"] = 2
    response = client.get("/sparql", query_string={"query": PARTICIPANTS})
    assert labels(response) == ["Vladimir Putin", "Xi Jinping"] and "Geokg-Truncated" not in response.headers
    app.config["MAX_ROWS"] = 0
    assert "Geokg-Truncated" not in client.get("/sparql", query_string={"query": PARTICIPANTS}).headers


def test_row_cap_counts_triples_of_graph_results(app, client, kgstore):
    whole = Graph().parse(data=client.get("/sparql", query_string={"query": COUNTRIES}).get_data(), format="turtle")
    assert len(whole) == 6
    app.config["MAX_ROWS"] = 4
    response = client.get("/sparql", query_string={"query": COUNTRIES}, headers={"Accept": "application/n-triples"})
    assert response.headers["Geokg-Truncated"] == "4"
    cut = Graph().parse(data=response.get_data(), format="nt")
    assert len(cut) == 4 and all(t in whole for t in cut)


def test_row_cap_stops_a_huge_result_early(disk):
    disk.config.update(MAX_ROWS=10, QUERY_TIMEOUT=10)
    response = disk.test_client().get("/sparql", query_string={"query": CROSS_ROWS, "format": "tsv"})
    assert response.status_code == 200 and response.headers["Geokg-Truncated"] == "10"
    assert len(response.get_data(as_text=True).splitlines()) == 11


# -- the worker processes give the same answers as the store -----------------------------------------
@pytest.mark.parametrize("params", [
    {},
    {"default-graph-uri": SEED_GRAPH},
    {"named-graph-uri": SEED_GRAPH},
    {"default-graph-uri": "http://example.org/filler", "named-graph-uri": SEED_GRAPH},
])
def test_workers_answer_like_the_store(disk, params):
    store = disk.extensions["geokg"]["store"]
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g ORDER BY ?g"
    response = disk.test_client().get("/sparql", query_string={"query": query, "format": "tsv", **params})
    dataset = {"default_graphs": [params["default-graph-uri"]] if "default-graph-uri" in params else None,
               "named_graphs": [params["named-graph-uri"]] if "named-graph-uri" in params else None}
    from kg.store import KGStore

    expected, _ = KGStore.execute(store, query, **dataset).serialize("tsv")
    assert response.get_data() == expected


def test_workers_see_every_write_of_the_server(disk):
    store = disk.extensions["geokg"]["store"]
    client = disk.test_client()
    ask = "ASK { GRAPH <http://example.org/new> { ?s ?p 42 } }"
    assert client.get("/sparql", query_string={"query": ask}).get_json()["boolean"] is False
    store.update("INSERT DATA { GRAPH <http://example.org/new> { <http://example.org/x> <http://example.org/y> 42 } }")
    assert client.get("/sparql", query_string={"query": ask}).get_json()["boolean"] is True
    store.remove_graph("http://example.org/new")
    assert client.get("/sparql", query_string={"query": ask}).get_json()["boolean"] is False


def test_a_worker_killed_from_outside_is_replaced(disk):
    client = disk.test_client()
    runner = disk.extensions["geokg"]["store"].runner
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    for worker in list(runner._idle.queue):
        worker.process.kill()
        worker.process.wait()
    assert labels(client.get("/sparql", query_string={"query": PARTICIPANTS})) == ["Vladimir Putin", "Xi Jinping"]


def test_malformed_queries_are_400_before_any_worker_runs(disk):
    error = assert_error(disk.test_client().get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x"}), 400)
    assert "error at 1:" in error["detail"]
    assert disk.extensions["geokg"]["store"].runner.info()["workers"] == 0


# -- body size -------------------------------------------------------------------------------------
def test_large_bodies_are_413_in_the_json_shape(kgstore):
    from service.app import create_app

    client = create_app({"STORE": kgstore, "TESTING": True, "MAX_BODY_BYTES": 2000, "UPDATE_ENABLED": True,
                         "UPDATE_TOKEN": "t"}).test_client()
    big = "ASK { ?s ?p ?o } #" + "x" * 3000
    assert_error(client.post("/sparql", data=big.encode(), content_type="application/sparql-query"), 413)
    assert_error(client.post("/sparql", data={"query": big}), 413)
    auth = {"Authorization": "Bearer t"}
    assert_error(client.post("/articles", data=b"x" * 3000, content_type="text/plain", headers=auth), 413)
    assert_error(client.put("/store?graph=http://example.org/g", data=b"#" * 3000, content_type="text/turtle",
                            headers=auth), 413)
    assert not kgstore.has_graph("http://example.org/g")
    small = client.post("/sparql", data=b"ASK { ?s ?p ?o }", content_type="application/sparql-query")
    assert small.status_code == 200


def test_body_limit_comes_from_the_setting(kgstore, monkeypatch):
    from service.app import create_app

    monkeypatch.setenv("KG_MAX_BODY_BYTES", "1234")
    assert create_app({"STORE": kgstore}).config["MAX_CONTENT_LENGTH"] == 1234


# -- errors and the access log -----------------------------------------------------------------------
def test_every_error_names_its_request_in_the_log_and_never_leaks_a_trace(kgstore, caplog):
    from service.app import create_app

    app = create_app({"STORE": kgstore})  # not TESTING: exceptions are handled as in production

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    client = app.test_client()
    caplog.set_level(logging.INFO, logger="service.access")
    response = client.get("/boom", headers={"X-Request-Id": "req-42"})
    assert_error(response, 500)
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert response.headers["X-Request-Id"] == "req-42"
    lines = [r.getMessage() for r in caplog.records if r.name == "service.access"]
    assert any("id=req-42" in line and "GET /boom" in line and "RuntimeError" in line for line in lines)
    assert any(line.startswith("GET /boom 500 ") and "id=req-42" in line for line in lines)
    for path, status in (("/nowhere", 404), ("/sparql?query=ASK%20%7B", 400)):
        assert_error(client.get(path), status)
    assert_error(client.put("/sparql"), 405)


def test_access_log_line_and_request_ids(client, caplog):
    caplog.set_level(logging.INFO, logger="service.access")
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"X-Request-Id": "bad id!"})
    rid = response.headers["X-Request-Id"]
    assert len(rid) == 16 and rid != "bad id!"
    line = [r.getMessage() for r in caplog.records if r.name == "service.access"][-1]
    assert line.startswith("GET /sparql 200 ") and f"id={rid}" in line and "ASK" not in line


def test_healthz_runs_a_query_the_way_queries_run(client, disk):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["queries"]["mode"] == "in-process"
    on_disk = disk.test_client().get("/healthz").get_json()
    assert on_disk["queries"]["mode"] == "processes" and on_disk["queries"]["size"] == 2


def test_workers_outlive_the_request_thread_that_started_them(disk):
    """Workers die with the server (PR_SET_PDEATHSIG), not with the short-lived thread of one request."""
    import threading

    client = disk.test_client()
    runner = disk.extensions["geokg"]["store"].runner
    thread = threading.Thread(target=lambda: client.get("/sparql", query_string={"query": "ASK {}"}))
    thread.start()
    thread.join()
    (worker,) = list(runner._idle.queue)
    time.sleep(0.2)  # a signal sent at the thread's end would have arrived by now
    assert worker.process.poll() is None
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert runner.info()["killed"] == 0 and list(runner._idle.queue) == [worker]
