"""A batch with bad inputs: every bad one is reported by name, the good one is stored."""

from conftest import REPO

SEED = REPO / "seeds" / "000_e90bf088404a620c.txt"


def test_empty_folder_and_dangling_link_are_reported_and_the_good_article_stored(tmp_path, pipeline):
    from kg.pipeline import ingest
    from kg.store import open_store

    empty = tmp_path / "empty"
    empty.mkdir()
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "ok.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (mixed / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (mixed / "empty.txt").write_text("", encoding="utf-8")

    store = open_store("memory")
    report = ingest([str(empty), str(mixed)], store, pipeline=pipeline, quarantine=tmp_path / "q")

    reasons = {f.source: f.reason for f in report.failed}
    assert reasons[str(empty)].startswith("no article files found")
    assert "no such file" in reasons[str(mixed / "dangling.txt")]
    assert "empty" in reasons[str(mixed / "empty.txt")]
    assert [s.source for s in report.stored] == [str(mixed / "ok.txt")]
    assert not report.ok
    assert len(store.graph_iris()) >= 1


def test_a_failed_write_is_reported_once_not_also_logged_as_an_error(tmp_path, pipeline, monkeypatch, caplog):
    """`kg ingest` prints every Failure ("failed: ..."); an ERROR log line of the same failure doubled it."""
    from kg.cli import format_ingest_report
    from kg.errors import StoreError
    from kg.pipeline import ingest
    from kg.store import open_store

    message = "article graph failed at the remote SPARQL store http://127.0.0.1:1/query (HTTP 415): refused"

    def refuse(parts):
        raise StoreError(message)

    store = open_store("memory")
    monkeypatch.setattr(store, "write_articles", refuse)
    with caplog.at_level("DEBUG", logger="kg"):
        report = ingest([str(SEED)], store, pipeline=pipeline, quarantine=tmp_path / "q")
    assert [(f.source, f.reason) for f in report.failed] == [(str(SEED), message)]
    assert not report.stored
    assert [r.levelname for r in caplog.records if message in r.getMessage()] == ["DEBUG"]
    text, code = format_ingest_report(report)
    assert code == 1 and text.count(message) == 1
    assert text.splitlines()[-1] == "stored 0 articles; 1 failed; 0 quarantined"
