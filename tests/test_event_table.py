"""The event table (kg/event_table.py, ``kg export --format csv|jsonl``) on the seed article.

The seed (seeds/000_e90bf088404a620c.txt, published Wednesday January 22, 2025) says "Russian
President Vladimir Putin and Chinese President Xi Jinping held a wide-ranging video conference on
Tuesday": a remote meeting of Putin (Q7747) and Xi (Q15031) on 2025-01-21 that took place.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from conftest import REPO, SEED_GRAPH, fixture_dataset, load_dataset
from kg.event_table import COLUMNS, event_rows, export_events

SEED = REPO / "seeds"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """An in-memory store holding the seed article as the real pipeline ingests it."""
    from kg.pipeline import ingest
    from kg.store import open_store

    s = open_store("memory")
    report = ingest([str(SEED)], s, quarantine=tmp_path_factory.mktemp("quarantine"))
    assert len(report.stored) == 1 and report.ok, report
    yield s
    s.close()


def _events(store) -> int:
    rows = store.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { VALUES ?t { gk:Meeting gk:Statement gk:Position } "
                       "?e a ?t }")
    return int(next(iter(rows))[0])


def _putin_xi(rows):
    found = [r for r in rows if r["type"] == "Meeting" and set(r["actor_qids"]) == {"Q7747", "Q15031"}]
    assert len(found) == 1, [r["sentence"] for r in rows if r["type"] == "Meeting"]
    return found[0]


def test_putin_xi_call_row(store):
    rows = event_rows(store)
    assert len(rows) == _events(store)  # one row per event, canonical meetings are not rows
    row = _putin_xi(rows)
    assert row["date"] == "2025-01-21" and row["date_precision"] == "day"
    assert row["mode"] == "remote" and row["status"] == "occurred"
    assert row["actor_labels"] == ["Xi Jinping", "Vladimir Putin"]  # sorted by IRI: entity/Q15031 < entity/Q7747
    assert row["cameo"].startswith("04") and 0 <= row["confidence"] <= 1
    assert "held a wide-ranging video conference on Tuesday" in row["sentence"]
    body = str(next(iter(store.query(f"SELECT ?b WHERE {{ <{row['article']}> schema:articleBody ?b }}")))[0])
    assert body[row["begin"]:row["end"]] == row["sentence"]
    assert row["url"].endswith("000_e90bf088404a620c.txt") and row["published"] == "2025-01-22"
    assert row["canonical"].startswith("https://w3id.org/geokg/id/event/canonical/meeting-")


def test_csv_parses_with_the_csv_module(store):
    data = export_events(store, "csv").decode("utf-8")
    reader = csv.DictReader(io.StringIO(data, newline=""))
    assert tuple(reader.fieldnames) == COLUMNS
    rows = list(reader)
    assert len(rows) == _events(store)
    row = next(r for r in rows if r["type"] == "Meeting" and set(r["actor_qids"].split("|")) == {"Q7747", "Q15031"})
    assert row["actor_qids"] == "Q15031|Q7747" and row["date"] == "2025-01-21" and row["mode"] == "remote"
    statements = [r for r in rows if r["type"] == "Statement"]
    assert any(r["actor_labels"] == "Yuri Ushakov" and r["content"] for r in statements), statements
    assert all(r["direct_quote"] in ("true", "false") for r in statements)
    assert {r["stance"] for r in rows if r["type"] == "Position"} <= {"support", "oppose"}


def test_jsonl_lines_parse(store):
    lines = export_events(store, "jsonl").decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == _events(store) and all(tuple(r) == COLUMNS for r in records)
    row = _putin_xi(records)
    assert row["actor_iris"] == ["https://w3id.org/geokg/id/entity/Q15031", "https://w3id.org/geokg/id/entity/Q7747"]
    plover = [str(r[0]) for r in store.query(f"SELECT ?t WHERE {{ <{row['event']}> gk:ploverType ?t }}")]
    assert row["target_iri"] is None and row["plover_type"] == (plover[0] if plover else None)
    assert isinstance(row["begin"], int) and isinstance(row["confidence"], float)


def test_plover_codes_are_read_when_present():
    """gk:ploverType / gk:ploverMode (added by the PLOVER mapping) fill their columns."""
    from kg.store import open_store

    gk = "https://w3id.org/geokg/ontology#"
    with open_store("memory") as s:
        load_dataset(s, fixture_dataset())
        graph = s.get_graph(SEED_GRAPH)
        [meeting] = graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(gk + "Meeting"))
        graph.add((meeting, URIRef(gk + "ploverType"), Literal("CONSULT")))
        graph.add((meeting, URIRef(gk + "ploverMode"), Literal("telephone")))
        s.replace_graph(SEED_GRAPH, graph)
        [row] = [r for r in event_rows(s) if r["type"] == "Meeting"]
        assert (row["plover_type"], row["plover_mode"]) == ("CONSULT", "telephone")
        assert set(row["actor_qids"]) == {"Q7747", "Q15031"} and row["canonical"] == ""  # no ingest, no canonical


def test_kg_export_csv_and_jsonl(tmp_path):
    from kg.cli import main
    from kg.store import open_store

    path = str(tmp_path / "store")
    with open_store(path) as s:
        load_dataset(s, fixture_dataset())
    runner = CliRunner()
    result = runner.invoke(main, ["--store", path, "export", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output, newline="")))
    assert rows and {r["type"] for r in rows} == {"Meeting", "Statement", "Position"}
    out = tmp_path / "events.jsonl"
    result = runner.invoke(main, ["--store", path, "export", "--format", "jsonl", "--graph", SEED_GRAPH,
                                  "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(rows)
    absent = runner.invoke(main, ["--store", path, "export", "--format", "csv", "--graph", "0123456789abcdef"])
    assert absent.exit_code == 2 and "no graph" in absent.output
