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
