"""The offline gazetteer: the shipped file, its lookups, and the build's validation.

Expected QIDs were checked by hand against the dev gold annotations
(shared/corpus/dev/*.gold.json) and shared/wikidata, not copied from the code's output.
"""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from kg.errors import GazetteerError
from kg.gazetteer import Gazetteer, default_gazetteer
from kg.gazetteer.build import build
from kg.gazetteer.sources import SOURCE_FILES

DATA = Path(__file__).resolve().parents[1] / "kg" / "data"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def qids(gaz: Gazetteer, text: str) -> set[str | None]:
    return {entry.qid for entry, _ in gaz.lookup(text)}


# -- the shipped file -------------------------------------------------------------------------

def test_shipped_file_loads_through_importlib_resources():
    resource = files("kg") / "data" / "gazetteer.jsonl.gz"
    assert resource.is_file()
    gaz = Gazetteer.load()
    assert gaz.source == "kg/data/gazetteer.jsonl.gz"
    assert len(gaz) > 1000 and gaz.build_date is not None
    assert (DATA / "gazetteer.jsonl.gz").stat().st_size < 2_000_000


def test_licences_file_lists_each_source():
    text = (DATA / "LICENSES.md").read_text(encoding="utf-8")
    for name in SOURCE_FILES:
        assert name in text, name
    for licence in ("CC0", "MIT", "CC BY-SA 4.0"):
        assert licence in text
    assert "supraverden" in text and "share-alike" in text.lower()


def test_every_sovereign_state_and_only_those(gaz):
    sovereign = {e.qid for e in gaz.entries if e.type == "Country" and e.sovereign}
    assert len(sovereign) == 197  # 193 UN members + Holy See, Palestine, Taiwan, Kosovo
    assert {"Q865", "Q219060", "Q1246", "Q237"} <= sovereign
    assert gaz.by_qid("Q23635").type == "Country" and not gaz.by_qid("Q23635").sovereign  # Bermuda


def test_rigour_realm_items_are_replaced():
    # rigour gives nl -> Q29999 and dk -> Q756617 (the realms); news means Q55 and Q35
    gaz = default_gazetteer()
    assert gaz.by_qid("Q55").label == "Netherlands"
    assert gaz.by_qid("Q35").label == "Denmark"
    assert gaz.by_qid("Q29999") is None and gaz.by_qid("Q756617") is None
    assert all(o.of_qid not in ("Q29999", "Q756617") for e in gaz.entries for o in e.offices)


@pytest.mark.parametrize("text,qid", [
    ("U.S.", "Q30"), ("US", "Q30"), ("USA", "Q30"), ("United States", "Q30"), ("America", "Q30"),
    ("the United States of America", "Q30"), ("UK", "Q145"), ("U.K.", "Q145"), ("Britain", "Q145"),
    ("Great Britain", "Q145"), ("South Korea", "Q884"), ("Republic of Korea", "Q884"), ("ROK", "Q884"),
    ("North Korea", "Q423"), ("DPRK", "Q423"), ("Russia", "Q159"), ("Russian Federation", "Q159"),
    ("China", "Q148"), ("PRC", "Q148"), ("Turkey", "Q43"), ("Türkiye", "Q43"), ("The Gambia", "Q1005"),
    ("Gambia", "Q1005"), ("Netherlands", "Q55"), ("Taiwan", "Q865"), ("Palestine", "Q219060"),
])
def test_country_names(gaz, text, qid):
    assert qids(gaz, text) == {qid}


def test_korea_alone_is_only_a_weak_alias(gaz):
    assert [(e.qid, how) for e, how in gaz.lookup("Korea")] == [("Q884", "weak")]


def test_acronyms_need_capitals(gaz):
    assert qids(gaz, "us") == set()
    assert qids(gaz, "Who") == set() and qids(gaz, "WHO") == {"Q7817"}
    assert qids(gaz, "Nato") == {"Q7184"}  # the Guardian's spelling, listed as its own alias


@pytest.mark.parametrize("text,qid", [
    ("Russian", "Q159"), ("Chinese", "Q148"), ("American", "Q30"), ("Americans", "Q30"), ("British", "Q145"),
    ("German", "Q183"), ("Israeli", "Q801"), ("South Korean", "Q884"), ("North Korean", "Q423"),
    ("Ukrainian", "Q212"), ("Turkish", "Q43"), ("Turks", "Q43"), ("Iranian", "Q794"), ("Japanese", "Q17"),
    ("Philippine", "Q928"), ("Filipino", "Q928"), ("Pakistani", "Q843"), ("Pakistanis", "Q843"),
    ("Afghan", "Q889"), ("Syrian", "Q858"), ("Iraqi", "Q796"), ("Dutch", "Q55"), ("Gambian", "Q1005"),
    ("Gambians", "Q1005"), ("Sudanese", "Q1049"), ("Canadian", "Q16"), ("Vietnamese", "Q881"),
    ("Polish", "Q36"), ("Venezuelan", "Q717"),
])
def test_demonyms(gaz, text, qid):
    assert [e.qid for e in gaz.lookup_demonym(text)] == [qid]
    assert (gaz.by_qid(qid), "demonym") in gaz.lookup(text)


def test_not_demonyms_of_a_state(gaz):
    for text in ("Kurdish", "Kurds", "Arab", "Turk", "Congolese"):
        assert gaz.lookup_demonym(text) == (), text


def test_rigour_weak_names_and_bad_names_are_not_aliases(gaz):
    # rigour names_weak holds sanctions-list misspellings; names_strong holds "Tunis" for Tunisia
    assert gaz.lookup("Brish") == () and gaz.lookup("Chnese") == ()
    assert qids(gaz, "Tunis") == {"Q3572"}  # the capital only, not Tunisia
    assert qids(gaz, "Island") == set()  # rigour's name for Iceland is an English word


@pytest.mark.parametrize("text,qid,country", [
    ("Beijing", "Q956", "Q148"), ("Moscow", "Q649", "Q159"), ("Washington", "Q61", "Q30"),
    ("Kyiv", "Q1899", "Q212"), ("Kiev", "Q1899", "Q212"), ("Seoul", "Q8684", "Q884"),
    ("Pyongyang", "Q18808", "Q423"), ("Tokyo", "Q1490", "Q17"), ("Ankara", "Q3640", "Q43"),
    ("Tehran", "Q3616", "Q794"), ("London", "Q84", "Q145"), ("Manila", "Q1461", "Q928"),
    ("Jerusalem", "Q1218", "Q801"), ("Taipei", "Q1867", "Q865"), ("Abu Dhabi", "Q1519", "Q878"),
])
def test_capitals(gaz, text, qid, country):
    (entry,) = gaz.lookup_names(text)
    assert (entry.qid, entry.type, entry.capital_of) == (qid, "Place", country)


@pytest.mark.parametrize("text,qid", [
    ("United Nations", "Q1065"), ("U.N.", "Q1065"), ("U.N. Security Council", "Q37470"),
    ("Human Rights Council", "Q205650"), ("World Health Organization", "Q7817"), ("UNESCO", "Q7809"),
    ("European Union", "Q458"), ("NATO", "Q7184"), ("African Union", "Q7159"), ("ASEAN", "Q7768"),
    ("Economic Community of West African States", "Q193272"), ("BRICS", "Q243630"), ("G7", "Q1764511"),
    ("G20", "Q19771"), ("OPEC", "Q7795"), ("Reuters", "Q130879"), ("AFP", "Q40464"),
    ("Associated Press", "Q40469"), ("Xinhua", "Q204839"), ("The Guardian", "Q11148"),
    ("New York Times", "Q9684"), ("Republican Party", "Q29468"), ("Labour", "Q9630"),
    ("White House", "Q35525"), ("Pentagon", "Q11209"), ("Isis", "Q2429253"), ("PKK", "Q152220"),
])
def test_organisations_bodies_groups(gaz, text, qid):
    assert qids(gaz, text) == {qid}


def test_known_names_without_qid(gaz):
    (kremlin,) = gaz.lookup_names("Kremlin")
    assert (kremlin.qid, kremlin.type, kremlin.part_of) == (None, "GovernmentBody", "Q159")
    assert qids(gaz, "APEC") == {None}  # the dev gold gives APEC no QID
    assert qids(gaz, "State Department") == {None}
    assert gaz.lookup("Security Council") == ()  # UN's or Russia's: not an alias of either
    assert gaz.lookup("SDF") == ((gaz.lookup_names("Syrian Democratic Forces")[0], "alias"),)


def test_people_and_short_names(gaz):
    assert [e.qid for e in gaz.lookup_person_short("Putin")] == ["Q7747"]
    assert [e.qid for e in gaz.lookup_person_short("Trump")] == ["Q22686"]
    assert [e.qid for e in gaz.lookup_person_short("Erdogan")] == ["Q39259"]
    assert "Q56226" in {e.qid for e in gaz.lookup_person_short("Kim")}
    assert qids(gaz, "Lee Jae-myung") == {"Q12612463"}
    assert qids(gaz, "Kim Jong Un") == {"Q56226"}
    assert qids(gaz, "Nicolas Maduro") == {"Q58132"}


def test_offices_on(gaz):
    def titles(qid, day):
        return [o.title for o in gaz.offices_on(qid, day)]

    assert titles("Q22686", date(2017, 6, 1)) == ["President of the United States"]
    assert titles("Q22686", date(2022, 6, 1)) == []
    assert titles("Q22686", date(2025, 6, 1)) == ["President of the United States"]
    assert titles("Q6279", date(2022, 6, 1)) == ["President of the United States"]
    assert titles("Q12612463", date(2025, 6, 3)) == []
    assert titles("Q12612463", date(2025, 6, 4)) == ["President of South Korea"]
    assert titles("Q16090635", date(2025, 6, 4)) == []  # Yoon removed 2025-04-04
    assert titles("Q7747", date(2010, 1, 1)) == ["Prime Minister of Russia"]
    holders = {e.qid for e, _ in gaz.holders_on("Q30", date(2022, 6, 1))}
    assert holders == {"Q6279", "Q10853588", "Q7821917"}  # Biden, Harris, Blinken


def test_source_rows_keep_their_year_precision(gaz):
    macron = gaz.by_qid("Q3052772")  # from the world-leaders file only: years
    assert {o.precision for o in macron.offices} == {"year"}
    assert macron.offices_on(date(2020, 5, 5))


def test_source_noise_is_dropped(gaz):
    labels = {e.label for e in gaz.entries}
    assert "amin berrabahgay" not in labels  # vandalised label of the 2024 snapshot
    assert "Q27146606" not in labels  # a bare-QID label
    assert not any(e.type == "Person" and e.label == e.qid for e in gaz.entries)


# -- the build ----------------------------------------------------------------------------------

@pytest.fixture
def wikidata_dir(shared_dir) -> Path:
    path = shared_dir / "wikidata"
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path


def _entries(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh][1:]


def test_build_reproduces_the_shipped_file(wikidata_dir, tmp_path):
    out = tmp_path / "gaz.jsonl.gz"
    stats = build(wikidata_dir, DATA / "gazetteer-patch.yaml", out, date(2026, 12, 1))
    assert stats.entries == len(_entries(out)) and stats.by_type["Country"] == 225
    assert stats.dropped["person row: bad label"] >= 2
    assert _entries(out) == _entries(DATA / "gazetteer.jsonl.gz"), "rebuild kg/data/gazetteer.jsonl.gz"


def _patched(tmp_path: Path, **extra) -> Path:
    patch = yaml.safe_load((DATA / "gazetteer-patch.yaml").read_text(encoding="utf-8"))
    for section, rows in extra.items():
        patch[section] = patch.get(section, []) + rows
    path = tmp_path / "patch.yaml"
    path.write_text(yaml.safe_dump(patch, allow_unicode=True), encoding="utf-8")
    return path


BAD_ROWS = {
    "label is a bare QID": [{"qid": "Q99999901", "label": "Q99999901",
                             "offices": [["Mayor", "fr", "2020-01-01", None]]}],
    "after the build date": [{"qid": "Q99999902", "label": "Future Person",
                              "offices": [["Mayor", "fr", "2027-01-01", None]]}],
    "duplicate row": [{"qid": "Q99999903", "label": "Twice", "offices": []},
                      {"qid": "Q99999903", "label": "Twice", "offices": []}],
    "has no start": [{"qid": "Q99999904", "label": "No Start", "offices": [["Mayor", "fr", None, None]]}],
}


def test_build_rejects_injected_bad_rows(wikidata_dir, tmp_path):
    out = tmp_path / "gaz.jsonl.gz"
    rows = [row for group in BAD_ROWS.values() for row in group]
    with pytest.raises(GazetteerError) as caught:
        build(wikidata_dir, _patched(tmp_path, people=rows), out, date(2026, 12, 1))
    for message in BAD_ROWS:
        assert message in str(caught.value), message
    assert "Q99999901" in str(caught.value) and "Future Person" in str(caught.value)
    assert not out.exists()


def test_build_reports_a_missing_source(tmp_path):
    with pytest.raises(GazetteerError, match="source file missing"):
        build(tmp_path, DATA / "gazetteer-patch.yaml", tmp_path / "out.gz", date(2026, 12, 1))


def test_load_rejects_a_file_that_is_not_a_gazetteer(tmp_path):
    bad = tmp_path / "bad.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(GazetteerError, match="not a geokg gazetteer"):
        Gazetteer.load(bad)
    shutil.copy(DATA / "gazetteer.jsonl.gz", tmp_path / "copy.gz")
    assert len(Gazetteer.load(tmp_path / "copy.gz")) == len(default_gazetteer())
