"""The `kg` command line on an on-disk store filled by hand with the seed-article fixture."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from conftest import REPO, SEED_ARTICLE_ID, SEED_GRAPH, as_stored, fixture_dataset, fixture_with_actors, load_dataset
from kg.cli import format_ingest_report, main
from kg.pipeline import Failure, IngestReport, StoredArticle
from kg.store import open_store

PUTIN_XI = """SELECT ?label WHERE { ?m a gk:Meeting ; gk:participant ?p . ?p rdfs:label ?label } ORDER BY ?label"""


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store"
    with open_store(path) as store:
        load_dataset(store, fixture_dataset())
    return str(path)


@pytest.fixture
def runner():
    return CliRunner()


def seed_graph() -> Graph:
    graph = Graph(identifier=URIRef(SEED_GRAPH))
    graph += fixture_dataset().graph(URIRef(SEED_GRAPH))
    return as_stored(graph)


# -- query -----------------------------------------------------------------------------------------
def test_query_table(runner, store_path):
    result = runner.invoke(main, ["--store", store_path, "query", PUTIN_XI])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].strip() == "label"
    assert [line.strip() for line in lines[2:4]] == ['"Vladimir Putin"', '"Xi Jinping"']
    assert lines[-1] == "(2 rows)"


def test_query_table_uses_prefixes_and_marks_unbound(runner, store_path):
    query = "SELECT ?c ?q ?none WHERE { ?c a gk:Country ; owl:sameAs ?q OPTIONAL { ?c gk:none ?none } } ORDER BY ?q"
    result = runner.invoke(main, ["--store", store_path, "query", query])
    assert result.exit_code == 0, result.output
    assert "wd:Q148" in result.output and "wd:Q159" in result.output and "wd:Q865" in result.output


def test_query_table_writes_numbers_bare(runner, store_path):
    result = runner.invoke(main, ["--store", store_path, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?p a gk:Position }"])
    assert result.output.splitlines()[2] == "2"


def test_query_from_file_as_json_and_csv(runner, store_path, tmp_path):
    query_file = tmp_path / "q.rq"
    query_file.write_text(PUTIN_XI, encoding="utf-8")
    result = runner.invoke(main, ["--store", store_path, "query", str(query_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.output)["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == ["Vladimir Putin", "Xi Jinping"]
    result = runner.invoke(main, ["--store", store_path, "query", str(query_file), "--format", "csv"])
    assert result.output.splitlines() == ["label", "Vladimir Putin", "Xi Jinping"]


def test_query_ask_and_construct(runner, store_path):
    ask = runner.invoke(main, ["--store", store_path, "query", "ASK { ?p gk:stance gk:Oppose }"])
    assert ask.output == "true\n"
    construct = "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a gk:Country ; rdfs:label ?l }"
    table = runner.invoke(main, ["--store", store_path, "query", construct])
    assert len(Graph().parse(data=table.output, format="turtle")) == 3
    as_csv = runner.invoke(main, ["--store", store_path, "query", construct, "--format", "csv"])
    assert as_csv.exit_code == 2 and "tabular" in as_csv.output


def test_query_errors_exit_2(runner, store_path, tmp_path):
    bad = runner.invoke(main, ["--store", store_path, "query", "SELECT ?x WHERE { ?x"])
    assert bad.exit_code == 2
    assert bad.output.startswith("error: error at 1:")
    missing = runner.invoke(main, ["--store", str(tmp_path / "absent"), "query", "ASK {}"])
    assert missing.exit_code == 2 and "no Oxigraph store at" in missing.output
    no_file = runner.invoke(main, ["--store", store_path, "query", str(tmp_path / "99-missing.rq")])
    assert no_file.exit_code == 2 and no_file.output == f"error: {tmp_path / '99-missing.rq'}: no such query file\n"


# -- export ----------------------------------------------------------------------------------------
def test_export_one_graph_by_article_id_and_iri(runner, store_path, tmp_path):
    by_id = runner.invoke(main, ["--store", store_path, "export", "--graph", SEED_ARTICLE_ID])
    assert by_id.exit_code == 0, by_id.output
    # One article's export is self-contained: its graph plus the descriptions of its actors.
    assert isomorphic(Graph().parse(data=by_id.output, format="turtle"), fixture_with_actors())
    out = tmp_path / "seed.nt"
    by_iri = runner.invoke(main, ["--store", store_path, "export", "--graph", SEED_GRAPH, "--format", "ntriples",
                                  "-o", str(out)])
    assert by_iri.exit_code == 0 and by_iri.output == ""
    assert isomorphic(Graph().parse(out, format="nt"), fixture_with_actors())


def test_export_dataset(runner, store_path):
    for fmt in ("trig", "nquads"):
        result = runner.invoke(main, ["--store", store_path, "export", "--format", fmt])
        assert result.exit_code == 0, result.output
        dataset = Dataset()
        dataset.parse(data=result.output, format=fmt)
        assert isomorphic(dataset.graph(URIRef(SEED_GRAPH)), seed_graph())


def test_export_errors_exit_2(runner, store_path):
    absent = runner.invoke(main, ["--store", store_path, "export", "--graph", "0123456789abcdef"])
    assert absent.exit_code == 2 and "no graph <https://w3id.org/geokg/id/graph/0123456789abcdef>" in absent.output
    turtle_all = runner.invoke(main, ["--store", store_path, "export", "--format", "turtle"])
    assert turtle_all.exit_code == 2 and "holds one graph" in turtle_all.output


def test_export_works_while_another_process_holds_the_store(store_path):
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys\nfrom kg.store import open_store\ns = open_store(sys.argv[1])\n"
                               "print('open', flush=True)\nsys.stdin.read()", store_path],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        result = CliRunner().invoke(main, ["--store", store_path, "export", "--graph", SEED_ARTICLE_ID])
        assert result.exit_code == 0, result.output
        assert isomorphic(Graph().parse(data=result.output, format="turtle"), fixture_with_actors())
        locked = subprocess.run([sys.executable, "-m", "kg.cli", "--store", store_path, "ingest", str(REPO / "seeds")],
                                capture_output=True, text=True)
        assert locked.returncode == 2
        assert "is locked by another process" in locked.stderr
    finally:
        holder.communicate("")


# -- validate --------------------------------------------------------------------------------------
def test_validate_conforming_store_exits_0(runner, store_path):
    result = runner.invoke(main, ["--store", store_path, "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "validated 2 graphs: 2 conform, 0 do not"  # the article's and the actors graph


def test_validate_non_conforming_graph_exits_1(runner, tmp_path):
    graph = fixture_dataset().graph(URIRef(SEED_GRAPH))
    broken = Graph(identifier=URIRef(SEED_GRAPH))
    broken += ((s, p, o) for s, p, o in graph if p != URIRef("https://w3id.org/geokg/ontology#trigger"))
    path = tmp_path / "store"
    with open_store(path) as store:
        store.replace_graph(SEED_GRAPH, broken)
    result = runner.invoke(main, ["--store", str(path), "validate"])
    assert result.exit_code == 1, result.output
    assert f"does not conform: {SEED_GRAPH}" in result.output
    assert "A meeting has a gk:trigger." in result.output
    assert result.output.strip().endswith("validated 1 graph: 0 conform, 1 do not")


# -- ingest (report formatting; the real pipeline runs in tests/test_e2e.py) ------------------------
def test_ingest_report_lines_and_exit_codes():
    report = IngestReport(
        stored=[StoredArticle("seeds/000_e90bf088404a620c.txt", "a", "g",
                              {"entities": 9, "meetings": 1, "statements": 5, "positions": 2, "triples": 300})],
        failed=[Failure("corpus/empty.txt", "empty file")],
        quarantined=[Failure("corpus/x.txt", "does not conform to the SHACL shapes", "/q/x.report.txt")],
    )
    text, code = format_ingest_report(report)
    assert code == 1
    assert text.splitlines() == [
        "failed: corpus/empty.txt: empty file",
        "quarantined: corpus/x.txt: does not conform to the SHACL shapes (report: /q/x.report.txt)",
        "stored 1 article (9 entities, 1 meeting, 5 statements, 2 positions, 300 triples); 1 failed; 1 quarantined",
    ]
    assert format_ingest_report(IngestReport(stored=report.stored))[1] == 0
    two = StoredArticle("b.txt", "b", "g2", {"entities": 1, "meetings": 0, "statements": 1, "positions": 0,
                                               "triples": 1})
    assert format_ingest_report(IngestReport(stored=[*report.stored, two]))[0].splitlines() == [
        "stored 2 articles (10 entities, 1 meeting, 6 statements, 2 positions, 301 triples); 0 failed; 0 quarantined"]
    assert format_ingest_report(IngestReport(stored=[two]))[0].splitlines() == [
        "stored 1 article (1 entity, 0 meetings, 1 statement, 0 positions, 1 triple); 0 failed; 0 quarantined"]


def test_an_evaluate_error_is_printed_once(runner, tmp_path, caplog):
    # A folder without *.gold.json (as ../shared/corpus/eval/, whose gold is held out).
    (tmp_path / "001-article.txt").write_text("Title: x\n\nBody.\n", encoding="utf-8")
    with caplog.at_level("DEBUG", logger="kg"):
        result = runner.invoke(main, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2
    assert "error:" in result.output and "no *.gold.json file" in result.output
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_ingest_command_passes_options_to_the_pipeline(runner, tmp_path, monkeypatch):
    calls = {}

    def fake_ingest(paths, store, *, spacy_model=None, quarantine=None, progress=None, pipeline=None):
        calls.update(paths=paths, location=store.location, spacy_model=spacy_model, quarantine=quarantine)
        assert list(progress(["a", "b"])) == ["a", "b"]
        return IngestReport(failed=[Failure("x.txt", "not UTF-8 text")])

    monkeypatch.setattr("kg.pipeline.ingest", fake_ingest)
    result = runner.invoke(main, ["--store", str(tmp_path / "s"), "ingest", "x.txt", "y/",
                                  "--quarantine", str(tmp_path / "q"), "--spacy-model", "en_core_web_sm"])
    assert result.exit_code == 1
    assert calls == {"paths": ["x.txt", "y/"], "location": str(tmp_path / "s"), "spacy_model": "en_core_web_sm",
                     "quarantine": str(tmp_path / "q")}
    assert "failed: x.txt: not UTF-8 text" in result.output


def test_ingest_without_paths_is_a_usage_error(runner):
    result = runner.invoke(main, ["ingest"])
    assert result.exit_code == 2 and "Missing argument" in result.output


# -- serve, evaluate, gazetteer wiring -------------------------------------------------------------
def test_serve_options_default_to_settings(runner, monkeypatch):
    calls = []
    monkeypatch.setattr("kg.cli.run_server", lambda *args: calls.append(args))
    monkeypatch.setenv("KG_PORT", "8123")
    monkeypatch.setenv("KG_STORE", "memory")
    assert runner.invoke(main, ["serve"]).exit_code == 0
    assert runner.invoke(main, ["serve", "--port", "9000", "--threads", "2", "--store", "/x"]).exit_code == 0
    assert runner.invoke(main, ["serve", "--query-timeout", "5", "--no-access-log", "--cors-origins", ""]).exit_code == 0
    assert calls == [("memory", "127.0.0.1", 8123, 4, {}), ("/x", "127.0.0.1", 9000, 2, {}),
                     ("memory", "127.0.0.1", 8123, 4, {"QUERY_TIMEOUT": 5.0, "CORS_ORIGINS": "", "ACCESS_LOG": False})]


def test_evaluate_is_wired(runner, tmp_path, monkeypatch):
    calls = []

    def fake(gold_dir, store_location, details, *, as_json=False, progress=None):
        calls.append((gold_dir, store_location, details, as_json))
        return "scores\n", 0

    monkeypatch.setattr("kg.evaluate.evaluate_cli", fake)
    result = runner.invoke(main, ["evaluate", str(tmp_path), "--store", "memory", "--details"])
    assert (result.exit_code, result.output) == (0, "scores\n")
    assert calls == [(tmp_path, "memory", True, False)]


def test_every_command_documents_exit_codes(runner):
    for command in (["ingest"], ["serve"], ["query"], ["export"], ["validate"], ["evaluate"], ["gazetteer"]):
        result = runner.invoke(main, command + ["--help"])
        assert result.exit_code == 0, command
        assert "Exit codes" in result.output, command
