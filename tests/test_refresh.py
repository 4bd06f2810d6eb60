"""``kg gazetteer refresh`` against a real local SPARQL server, no internet.

An Oxigraph server process (``oxigraph serve``) holds the Wikidata-shaped fixture
``tests/fixtures/wikidata/*.ttl`` (each header says where each QID and date comes from;
``synthetic.ttl`` holds only SYNTHETIC QIDs Q99000000NN for people no source gives). The
"old" gazetteer is the shipped one as the stale sources had it: the 2022-12 foreign-ministers
file still lists Antony Blinken without an end and knows no Marco Rubio. The expected changes
below were worked out by hand from the fixture and the gazetteer rules in kg/gazetteer/refresh.py.
Retries are tested through a small local HTTP proxy that answers 429/503 before passing requests
on to the Oxigraph server; waiting goes through a recording ``sleep``, so no test waits. The
same proxy records the User-Agent the endpoint receives. ``KG_GAZETTEER`` is checked end to end:
refresh, then ``kg ingest`` with the setting naming the refreshed file.
"""

from __future__ import annotations

import gzip
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main as cli
from kg.errors import GazetteerError
from kg.gazetteer import Gazetteer, default_gazetteer
from kg.gazetteer.refresh import read_header, refresh, write_gazetteer
from kg.gazetteer.wdqs import SparqlClient, is_wikimedia, retry_after, user_agent
from kg.linking import link_entities
from kg.model import Article, Entity, Mention

# Yuri Ushakov in tests/fixtures/wikidata/synthetic.ttl: a SYNTHETIC QID (no source gives his).
USHAKOV_QID = "Q9900000001"
FIXTURES = sorted((Path(__file__).resolve().parent / "fixtures" / "wikidata").glob("*.ttl"))
AS_OF = date(2026, 12, 1)
OLD_BUILD = date(2024, 12, 1)


@pytest.fixture(autouse=True)
def _no_gazetteer_settings(monkeypatch):
    """The tests choose the gazetteer and the contact themselves, whatever the caller's environment."""
    for name in ("KG_GAZETTEER", "KG_WIKIDATA_CONTACT", "KG_WIKIDATA_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def wikidata_endpoint(tmp_path_factory) -> str:
    """URL of the query endpoint of an Oxigraph server loaded with the fixture."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).is_file():
        pytest.skip("the oxigraph CLI is not installed (pip install oxigraph)")
    location = tmp_path_factory.mktemp("oxigraph") / "db"
    subprocess.run([exe, "load", "--location", str(location), "--file", *map(str, FIXTURES)],
                   check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(300):  # wait for the server to answer (at most ~30 s)
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {proc.stderr.read().decode(errors='replace')}")
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).read()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def old_gazetteer(tmp_path_factory) -> Path:
    """The shipped gazetteer as the stale sources had it (see the module docstring)."""
    entries = []
    for e in default_gazetteer().entries:
        if e.qid == "Q324546":  # Marco Rubio: not in the 2022-12 sources
            continue
        if e.qid == "Q7821917":  # Blinken: the foreign-ministers file gives no end
            e = replace(e, offices=tuple(replace(o, end=None) for o in e.offices))
        entries.append(e)
    path = tmp_path_factory.mktemp("old") / "gazetteer.jsonl.gz"
    write_gazetteer(entries, path, OLD_BUILD, {"sources": read_header(None)["sources"]})
    return path


@pytest.fixture(scope="module")
def refreshed(wikidata_endpoint, old_gazetteer, tmp_path_factory):
    out = tmp_path_factory.mktemp("new") / "gazetteer.jsonl.gz"
    stats = refresh(wikidata_endpoint, old_gazetteer, out, min_interval=0, as_of=AS_OF)
    return stats, Gazetteer.load(old_gazetteer), Gazetteer.load(out)


def test_refresh_adds_and_ends_offices(refreshed):
    stats, old, new = refreshed
    changes = {(c.kind, c.qid, c.detail) for c in stats.changes}
    assert changes == {
        ("new person", "Q324546", "United States Secretary of State (Q30) 2025-01-21 - now"),
        ("new alias", "Q324546", "Marco Antonio Rubio"),
        ("ended office", "Q7821917", "United States Secretary of State (Q30) 2021-01-26 - 2025-01-20"),
        ("new alias", "Q7821917", "Tony Blinken"),
        ("new alias", "Q7821917", "Antony John Blinken"),
        ("ended office", "Q564328", "Federal Minister for Foreign Affairs (Q183) 2021-12-08 - 2025-05-06"),
        ("new alias", "Q564328", "Annalena Charlotte Alma Baerbock"),
        ("new office", "Q359480", "Minister for Foreign Affairs (Q17) 2012-12-26 - 2017-08-03"),
        ("exact dates", "Q76658", "president of Germany (Q183) 2017-03-19 - now"),
        # holders of the defence-minister / spokesperson offices the office search finds (synthetic.ttl)
        ("new person", "Q9900000003", "Federal Minister of Defence (Q183) 2023-01-19 - now"),
        ("new person", "Q9900000007", "Spokesperson of the Federal Government (Q183) 2022-01-01 - 2025-05-06"),
        ("new alias", "Q9900000007", "Hans Peter Beispiel"),
    }
    # the deprecated statement is never returned; the two invented Baerbock rows are dropped
    assert stats.dropped == {"statement: no start": 1, "statement: starts after the refresh date": 1}
    assert new.build_date == AS_OF and len(new) == len(old) + 3
    assert new.by_qid("Q9900000005") is None  # a health minister: not an office the search looks for
    rubio = new.by_qid("Q324546")
    assert (rubio.type, rubio.short_names, rubio.source) == ("Person", ("Rubio",), "wikidata")
    assert [o.title for o in new.offices_on("Q324546", date(2025, 3, 1))] == ["United States Secretary of State"]
    assert new.offices_on("Q7821917", date(2025, 3, 1)) == () and old.offices_on("Q7821917", date(2025, 3, 1))
    assert new.offices_on("Q564328", date(2025, 6, 1)) == ()
    steinmeier = new.by_qid("Q76658").offices[0]
    assert (steinmeier.start, steinmeier.precision) == (date(2017, 3, 19), "day")
    assert new.offices_on("Q76658", date(2017, 2, 1)) == () and old.offices_on("Q76658", date(2017, 2, 1))
    kishida = new.by_qid("Q359480")
    assert [o.title for o in kishida.offices] == ["Minister for Foreign Affairs", "Prime Minister of Japan"]
    assert new.by_qid("Q7747") == old.by_qid("Q7747")  # Putin: not in the fixture, unchanged
    assert "Blinken" not in new.by_qid("Q7821917").aliases  # one word: a family name, not an alias


def test_refresh_writes_a_change_summary_and_queries_in_batches(refreshed):
    stats, old, _ = refreshed
    summary = json.loads(stats.summary.read_text(encoding="utf-8"))
    assert summary["counts"] == {"new person": 3, "new alias": 5, "ended office": 2, "new office": 1,
                                 "exact dates": 1}
    assert len(summary["changes"]) == 12 and summary["date"] == "2026-12-01"
    people = sum(1 for e in old.entries if e.type == "Person")
    # offices per batch of 50 people, one office search (13 states), one holders query, offices of
    # the three new people (Rubio, Mustermann, Beispiel), labels per batch of 50 of all of them
    assert stats.queried == people + 3
    assert stats.requests == -(-people // 50) + 1 + 1 + 1 + -(-(people + 3) // 50) and stats.retries == 0
    with gzip.open(stats.out, "rt", encoding="utf-8") as fh:
        header = json.loads(fh.readline())
    assert header["refreshed"]["endpoint"].endswith("/query") and header["build_date"] == "2026-12-01"


def _person(label: str, *mentions: str) -> Entity:
    key = f"person:{label.lower()}"
    return Entity(key, label, "Person", tuple(Mention(t, 0, len(t), key) for t in mentions or (label,)))


def _link(gaz: Gazetteer, ent: Entity, day: date) -> str | None:
    body = " ".join(m.text for m in ent.mentions) + " said."
    (out,) = link_entities((ent,), Article("a", "u", "h", body, day), gaz)
    return out.qid


@pytest.mark.parametrize("ent,day,before,after", [
    (_person("Marco Rubio", "Secretary of State Marco Rubio"), date(2025, 3, 1), None, "Q324546"),  # new person
    (_person("Tony Blinken"), date(2024, 6, 1), None, "Q7821917"),  # new alias
    (_person("Kishida", "Foreign Minister Kishida"), date(2015, 6, 1), None, "Q359480"),  # new office on that day
    (_person("Blinken", "Secretary Blinken"), date(2025, 3, 1), "Q7821917", None),  # his term has ended
    # holders the defence-minister / spokesperson office search found (synthetic.ttl, fictional people)
    (_person("Erika Mustermann", "Defence Minister Erika Mustermann"), date(2025, 3, 1), None, "Q9900000003"),
    # a family name alone, with a role that fits the office she holds that day
    (_person("Mustermann", "German Defence Minister Mustermann"), date(2025, 3, 1), None, "Q9900000003"),
    (_person("Hans Beispiel", "government spokesman Hans Beispiel"), date(2024, 6, 1), None, "Q9900000007"),
    (_person("Hans Peter Beispiel"), date(2024, 6, 1), None, "Q9900000007"),  # his alias
], ids=["new-person", "new-alias", "new-office", "ended-term", "defence-minister", "defence-role-family-name",
        "spokesperson", "spokesperson-alias"])
def test_linking_after_refresh(refreshed, ent, day, before, after):
    _, old, new = refreshed
    assert _link(old, ent, day) == before
    assert _link(new, ent, day) == after


def test_qid_option_refreshes_only_those_items(wikidata_endpoint, tmp_path):
    stats = refresh(wikidata_endpoint, None, tmp_path / "g.jsonl.gz", qids=[USHAKOV_QID], min_interval=0, as_of=AS_OF)
    assert {(c.kind, c.detail) for c in stats.changes} == {
        ("new person", "Aide to the President of Russia (Q159) 2012-05-01 - now"),
        ("new alias", "Yury Ushakov"), ("new alias", "Yuri Viktorovich Ushakov")}
    assert stats.requests == 2  # offices, labels: no holder search for a --qid refresh
    ushakov = Gazetteer.load(tmp_path / "g.jsonl.gz").by_qid(USHAKOV_QID)
    assert ushakov.offices[0].precision == "month" and ushakov.short_names == ("Ushakov",)
    with pytest.raises(GazetteerError, match="not Wikidata item ids: Putin"):
        refresh(wikidata_endpoint, None, tmp_path / "x.gz", qids=["Putin"], min_interval=0)


def test_cli_refresh(wikidata_endpoint, tmp_path):
    out = tmp_path / "g.jsonl.gz"
    result = CliRunner().invoke(cli, ["gazetteer", "refresh", "--endpoint", wikidata_endpoint, "--qid", "Q324546",
                                      "--out", str(out), "--min-interval", "0", "--as-of", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "1 new alias; 2 requests (0 retries)" in result.output  # the shipped file has his office, not the alias
    assert "Marco Antonio Rubio" in result.output
    assert (tmp_path / "g.changes.json").is_file()


# -- the refreshed gazetteer is the one ingest and `kg link` use -----------------------------------

ARTICLE = """Title: Kremlin aide on the talks
Published: 2026-03-02
Source: test

Kremlin aide Yuri Ushakov told reporters on Monday that Moscow was ready for talks with Washington.
"""
USHAKOV_LINK = ("SELECT DISTINCT ?who ?wd WHERE { ?who <http://www.w3.org/2000/01/rdf-schema#label> \"Yuri Ushakov\" "
                "OPTIONAL { ?who <http://www.w3.org/2002/07/owl#sameAs> ?wd } }")


def _ingest_and_find_ushakov(tmp_path: Path, name: str, env: dict[str, str]) -> list[str]:
    article = tmp_path / f"{name}.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    store = str(tmp_path / f"{name}-store")
    result = CliRunner().invoke(cli, ["--store", store, "ingest", str(article)], env=env)
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["--store", store, "query", USHAKOV_LINK, "--format", "csv"], env=env)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_ingest_uses_the_refreshed_gazetteer_named_by_kg_gazetteer(wikidata_endpoint, tmp_path):
    out = tmp_path / "refreshed.jsonl.gz"
    result = CliRunner().invoke(cli, ["gazetteer", "refresh", "--endpoint", wikidata_endpoint, "--qid", USHAKOV_QID,
                                      "-o", str(out), "--min-interval", "0", "--as-of", "2026-12-01"])
    assert result.exit_code == 0, result.output
    # the command says exactly how to use the file it wrote
    assert f"export KG_GAZETTEER={out.resolve()}\n" in result.output
    assert f"kg link --gazetteer {out.resolve()}\n" in result.output
    # the shipped gazetteer does not know Ushakov; the refreshed one (fixture data only) does
    assert _ingest_and_find_ushakov(tmp_path, "shipped", {}) == [
        "who,wd", "https://w3id.org/geokg/id/entity/person/yuri-ushakov,"]
    assert _ingest_and_find_ushakov(tmp_path, "refreshed", {"KG_GAZETTEER": str(out)}) == [
        "who,wd", "https://w3id.org/geokg/id/entity/Q9900000001,http://www.wikidata.org/entity/Q9900000001"]
    # `kg link` without --gazetteer reads the same setting: the local IRI gains the owl:sameAs
    store = str(tmp_path / "shipped-store")
    result = CliRunner().invoke(cli, ["--store", store, "link"], env={"KG_GAZETTEER": str(out)})
    assert result.exit_code == 0, result.output
    assert f"gazetteer: {out.resolve()} (build date 2026-12-01)" in result.output
    result = CliRunner().invoke(cli, ["--store", store, "query", USHAKOV_LINK, "--format", "csv"])
    assert result.output.splitlines() == [
        "who,wd", "https://w3id.org/geokg/id/entity/person/yuri-ushakov,http://www.wikidata.org/entity/Q9900000001"]


def test_a_bad_kg_gazetteer_is_a_clear_error(tmp_path):
    from kg.gazetteer import default_gazetteer as configured

    missing = tmp_path / "nope.jsonl.gz"
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", "memory", "ingest", str(article)], env={"KG_GAZETTEER": str(missing)})
    assert result.exit_code == 2
    assert f"KG_GAZETTEER={missing}: cannot read the gazetteer file {missing}" in result.output
    junk = tmp_path / "junk.gz"
    junk.write_bytes(b"not gzip")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_GAZETTEER", str(junk))
        with pytest.raises(GazetteerError, match=f"KG_GAZETTEER={junk}: {junk}: not a geokg gazetteer file"):
            configured()


# -- the User-Agent (https://meta.wikimedia.org/wiki/User-Agent_policy) ----------------------------

def _pyproject() -> dict:
    import tomllib

    return tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_endpoint_receives_the_user_agent_with_the_contact(proxy_factory, tmp_path, monkeypatch):
    import SPARQLWrapper

    proxy = proxy_factory()
    monkeypatch.setenv("KG_WIKIDATA_CONTACT", "ops@example.org")
    refresh(proxy.url, None, tmp_path / "g.jsonl.gz", qids=[USHAKOV_QID], min_interval=0, as_of=AS_OF)
    project = _pyproject()["project"]
    expected = (f"geokg/{project['version']} ({project['urls']['Homepage']}; ops@example.org) "
                f"SPARQLWrapper/{SPARQLWrapper.__version__}")
    assert [headers["User-Agent"] for _, headers in proxy.seen] == [expected, expected]
    # without a contact a local endpoint still gets the project URL
    monkeypatch.delenv("KG_WIKIDATA_CONTACT")
    assert user_agent(proxy.url) == f"geokg/{project['version']} ({project['urls']['Homepage']}) " \
                                    f"SPARQLWrapper/{SPARQLWrapper.__version__}"


def test_wikidata_without_a_contact_is_refused_before_any_request(tmp_path):
    for endpoint in ("https://query.wikidata.org/sparql", "https://query-main.wikidata.org/sparql"):
        assert is_wikimedia(endpoint)
        with pytest.raises(GazetteerError, match="set KG_WIKIDATA_CONTACT"):
            refresh(endpoint, None, tmp_path / "g.jsonl.gz", min_interval=0)
    assert not is_wikimedia("http://127.0.0.1:7878/query") and not is_wikimedia("https://notwikidata.org/sparql")
    result = CliRunner().invoke(cli, ["gazetteer", "refresh", "-o", str(tmp_path / "g.jsonl.gz")])  # the default
    assert result.exit_code == 1 and "User-Agent policy" in result.output and "--contact" in result.output
    assert not (tmp_path / "g.jsonl.gz").exists()
    with pytest.raises(GazetteerError, match="without parentheses or semicolons"):
        user_agent("https://query.wikidata.org/sparql", "me (at) example.org")
    assert user_agent("https://query.wikidata.org/sparql", "https://example.org/ops").endswith(
        "; https://example.org/ops) SPARQLWrapper/" + __import__("SPARQLWrapper").__version__)


# -- rate limits ------------------------------------------------------------------------------

class _Proxy:
    """A local HTTP server that fails the first requests as told, then forwards to ``upstream``."""

    def __init__(self, upstream: str, failures: list[tuple[int, dict[str, str]]]) -> None:
        self.failures, self.seen = list(failures), []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                proxy.seen.append((self.path, dict(self.headers)))
                if proxy.failures:
                    code, headers = proxy.failures.pop(0)
                    self.send_response(code)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                base = upstream.rsplit("/", 1)[0]
                req = urllib.request.Request(base + self.path, headers={"Accept": self.headers.get("Accept", "*/*")})
                with urllib.request.urlopen(req, timeout=10) as resp:
                    body, ctype = resp.read(), resp.headers.get("Content-Type", "")
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/query"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy_factory(wikidata_endpoint):
    made = []

    def make(*failures):
        made.append(_Proxy(wikidata_endpoint, list(failures)))
        return made[-1]

    yield make
    for p in made:
        p.close()


QUERY = "SELECT ?label WHERE { <http://www.wikidata.org/entity/Q324546> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"


def test_429_is_retried_after_retry_after(proxy_factory, tmp_path):
    proxy = proxy_factory((429, {"Retry-After": "7"}))
    waits: list[float] = []
    stats = refresh(proxy.url, None, tmp_path / "g.jsonl.gz", qids=[USHAKOV_QID], min_interval=0, as_of=AS_OF,
                    sleep=waits.append)
    assert waits == [7.0]  # the endpoint's Retry-After, honoured once
    assert stats.retries == 1 and stats.requests == 3 and len(proxy.seen) == 3
    assert proxy.seen[0][0] == proxy.seen[1][0]  # the same query again
    assert {c.kind for c in stats.changes} == {"new person", "new alias"}  # then the real answer
    agent = proxy.seen[0][1]["User-Agent"]
    assert agent == user_agent(proxy.url) and agent.startswith("geokg/") and " SPARQLWrapper/2." in agent


def test_5xx_backs_off_exponentially(proxy_factory):
    proxy = proxy_factory((503, {}), (502, {}), (500, {}))
    waits: list[float] = []
    client = SparqlClient(proxy.url, "geokg-test/0 (tests)", min_interval=0, sleep=waits.append)
    rows = client.select(QUERY)
    assert [r["label"]["value"] for r in rows] == ["Marco Rubio"]
    assert waits == [1.0, 2.0, 4.0] and client.retries == 3 and len(proxy.seen) == 4


def test_gives_up_after_max_retries(proxy_factory):
    proxy = proxy_factory(*[(429, {"Retry-After": "1"})] * 10)
    client = SparqlClient(proxy.url, "geokg-test/0 (tests)", max_retries=2, min_interval=0, sleep=lambda s: None)
    with pytest.raises(GazetteerError, match="HTTP 429, still failing after 2 retries"):
        client.select(QUERY)
    assert len(proxy.seen) == 3


def test_client_errors_are_not_retried(wikidata_endpoint):
    client = SparqlClient(wikidata_endpoint, "geokg-test/0 (tests)", min_interval=0, sleep=lambda s: None)
    with pytest.raises(GazetteerError, match="query refused"):
        client.select("SELECT nonsense")  # HTTP 400 from Oxigraph
    assert client.requests == 1


def test_requests_are_spaced_by_min_interval(wikidata_endpoint):
    now = [100.0]
    waits: list[float] = []
    client = SparqlClient(wikidata_endpoint, "geokg-test/0 (tests)", min_interval=5.0, clock=lambda: now[0],
                          sleep=waits.append)
    client.select(QUERY)
    now[0] += 2.0  # two seconds pass before the next request
    client.select(QUERY)
    assert waits == [3.0]


def test_retry_after_values():
    from datetime import datetime, timezone

    now = datetime(2026, 12, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after("120") == 120.0
    assert retry_after("Tue, 01 Dec 2026 12:00:30 GMT", now) == 30.0
    assert retry_after("Tue, 01 Dec 2026 11:00:00 GMT", now) == 0.0
    assert retry_after(None) is None and retry_after("soon") is None


def _gazetteer_with(path: Path, extra: list[dict]) -> None:
    """Write the shipped gazetteer plus ``extra`` entries to ``path`` (header count updated)."""
    import gzip
    import json

    shipped = Path(__file__).resolve().parents[1] / "kg" / "data" / "gazetteer.jsonl.gz"
    with gzip.open(shipped, "rt", encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    header = json.loads(lines[0])
    header["entries"] += len(extra)
    body = [json.dumps(header)] + lines[1:] + [json.dumps(e) for e in extra]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(body) + "\n")


def test_a_long_lived_pipeline_follows_a_replaced_kg_gazetteer_file(tmp_path, monkeypatch):
    # The service keeps one Pipeline; docs/gazetteer.md says the KG_GAZETTEER file is read again when
    # its mtime/size changes, so the second extraction must link with the new file's contents.
    from kg.pipeline import Pipeline
    from kg.readers import read_path

    path = tmp_path / "gazetteer.jsonl.gz"
    _gazetteer_with(path, [])
    monkeypatch.setenv("KG_GAZETTEER", str(path))
    article_file = tmp_path / "a.txt"
    article_file.write_text(ARTICLE, encoding="utf-8")
    [article] = read_path(article_file)
    pipeline = Pipeline()

    def ushakov_qid():
        return [e.qid for e in pipeline.extract(article).entities if e.label == "Yuri Ushakov"]

    assert ushakov_qid() == [None]  # the shipped data does not know him
    _gazetteer_with(path, [{"qid": USHAKOV_QID, "label": "Yuri Ushakov", "type": "Person",
                            "short_names": ["Ushakov"], "source": "test"}])
    assert ushakov_qid() == [USHAKOV_QID]


def test_project_url_is_the_homepage_entry_not_the_first_one():
    from kg.gazetteer.wdqs import FALLBACK_PROJECT_URL, project_url

    urls = ["Source, https://github.com/example/geokg", "Homepage, https://w3id.org/geokg/home",
            "Issues, https://github.com/example/geokg/issues"]
    assert project_url(urls) == "https://w3id.org/geokg/home"
    assert project_url(["Source, https://github.com/example/geokg", "home-page, https://example.org/h"]) == \
        "https://example.org/h"
    assert project_url(["Source, https://github.com/example/geokg"]) == FALLBACK_PROJECT_URL
    assert project_url() == _pyproject()["project"]["urls"]["Homepage"]  # the installed metadata
