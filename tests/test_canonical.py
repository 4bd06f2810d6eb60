"""Canonical meetings (kg/canonical.py) on the clusters issue 3 names: the Lee-Xi summit and the
Abu Dhabi / Geneva Ukraine talks.

The reports are built from the corpus, not from the extractor, so the merge is tested on its own:

- dev articles 036, 038, 043, 047, 049: every gold meeting of the article (participants, date,
  place, status and evidence sentence as the annotators gave them);
- eval articles (their gold is kept back): the reports below, each sentence copied from the article,
  participants / date / place read off the text by hand:

  * Lee-Xi summit in Beijing on Monday 2026-01-05: 041 (published 2026-01-06, "their state banquet
    in Beijing on Monday", so it occurred), 040 (2026-01-02, "scheduled ... on Monday"), 037
    (2025-12-30, "early next week": undated), 039 (2025-12-30, "Jan. 4 to 6": no single day);
  * not that summit: 042, the trade ministers Yeo Han-koo and Li Chenggang in Beijing on Tuesday
    2025-12-30;
  * Abu Dhabi, second round: 048 (published 2026-02-04, first day held); dev 049 (2026-02-05,
    concluded "on Thursday"). The first round, "held on Friday and Saturday" before dev 047
    (2026-01-26), is another meeting, and 051's "two previous rounds in Abu Dhabi" fits both;
  * Geneva, third round (articles without a date): 051 (met Tuesday), 052 (second day ended
    Wednesday), 055 (planned: "overseeing Russia-Ukraine peace talks in the afternoon").

A last test runs the real pipeline on three articles, in two orders and re-ingested.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF

from conftest import SHARED
from kg.canonical import CANONICAL_GRAPH, Report, compatible, conflicts, update_canonical
from kg.model import ACTOR_TYPES, Entity, EventDate, Evidence, Extraction, Meeting
from kg.rdf.iris import article_iri, event_iri_of
from kg.rdf.iris import ACTORS_GRAPH
from kg.rdf.mapping import to_graphs
from kg.rdf.vocab import GK, ID, SEM

DEV = SHARED / "corpus" / "dev"
EVAL = SHARED / "corpus" / "eval"

pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason=f"the corpus {DEV} is absent (it lives in ../shared)")

LEE = ("Lee Jae Myung", "Person", "Q12612463")
XI = ("Xi Jinping", "Person", "Q15031")
YEO = ("Yeo Han-koo", "Person", None)
LI_CG = ("Li Chenggang", "Person", None)
UKRAINE = ("Ukraine", "Country", "Q212")
RUSSIA = ("Russia", "Country", "Q159")
USA = ("United States", "Country", "Q30")
BEIJING = ("Beijing", "Place", None)
ABU_DHABI = ("Abu Dhabi", "Place", "Q1519")
GENEVA = ("Geneva", "Place", None)

#: (report name, eval file stem, sentence, participants, date, place, status)
EVAL_REPORTS = [
    ("041-beijing", "041-lee-takes-xiaomi-phone-selfies-xi",
     "Korean President Lee Jae Myung was spotted taking a selfie with Chinese President Xi Jinping",
     (LEE, XI), "2026-01-05", BEIJING, "occurred"),
    ("040-beijing", "040-lee-xi-meet-beijing-restore-ties",
     "Lee and Chinese President Xi Jinping are scheduled to take part in a slate of official engagements on Monday",
     (LEE, XI), "2026-01-05", None, "planned"),
    ("037-beijing", "037-lee-make-state-visit-china-next",
     "President Lee Jae Myung will make a state visit to China early next week for summit talks with Chinese "
     "President Xi Jinping", (LEE, XI), None, None, "planned"),
    ("039-beijing", "039-president-lee-make-four-day-state",
     "Lee will visit Beijing from Jan. 4 to 6 for a summit and a state dinner with Chinese President Xi Jinping",
     (LEE, XI), None, BEIJING, "planned"),
    ("042-trade", "042-korea-china-accelerate-negotiations-2nd-phase",
     "The talks between Trade Minister Yeo Han-koo and his Chinese counterpart, Li Chenggang, were held in Beijing",
     (YEO, LI_CG), "2025-12-30", BEIJING, "occurred"),
    ("048-abu-dhabi", "048-ukraine-russia-hold-productive-first-day",
     "Ukrainian and Russian negotiators have held a “productive” first round of US-led peace talks in Abu Dhabi",
     (UKRAINE, RUSSIA, USA), "2026-02-04", ABU_DHABI, "occurred"),
    ("051-geneva", "051-witkoff-trumps-diplomacy-yields-meaningful-progress",
     "Ukrainian and Russian negotiators met Tuesday in Geneva to resume peace talks", (UKRAINE, RUSSIA), None,
     GENEVA, "occurred"),
    ("051-abu-dhabi", "051-witkoff-trumps-diplomacy-yields-meaningful-progress",
     "Two previous rounds of negotiations in Abu Dhabi failed to produce a breakthrough.", (UKRAINE, RUSSIA), None,
     ABU_DHABI, "occurred"),
    ("052-geneva", "052-ukraine-russia-peace-talks-end-abruptly",
     "The second day of peace talks between Ukrainian and Russian officials in Geneva ended abruptly",
     (UKRAINE, RUSSIA), None, GENEVA, "occurred"),
    ("055-geneva", "055-geneva-gears-up-iran-ukraine-talks",
     "US president Donald Trump’s envoys Steve Witkoff and his son-in-law Jared Kushner will have a packed agenda",
     (RUSSIA, UKRAINE), None, GENEVA, "planned"),
]

#: Gold meetings of the dev articles used below: (report name, file stem, participant ids, gold place).
GOLD_NAMES = {
    ("036", ("lee", "xi"), "Beijing"): "036-beijing", ("038", ("lee", "xi"), "Beijing"): "038-beijing",
    ("043", ("lee", "xi"), "Beijing"): "043-beijing", ("036", ("lee", "xi"), "Gyeongju"): "036-gyeongju",
    ("038", ("lee", "south_korea", "xi"), "Gyeongju"): "038-gyeongju",
    ("036", ("lee", "li_qiang"), None): "036-li-qiang", ("038", ("lee", "li_qiang"), None): "038-li-qiang",
    ("047", ("russia", "ukraine", "usa"), "Abu Dhabi"): "047-abu-dhabi",
    ("047", ("russia", "ukraine", "usa"), "United Arab Emirates"): "047-uae-planned",
    ("049", ("dmitriev", "russia", "ukraine", "usa", "witkoff"), "Abu Dhabi"): "049-abu-dhabi",
}
DEV_STEMS = ("036-lee-departs-beijing-summit-talks-xi", "038-lee-china-xi-discuss-peace-denuclearization",
             "043-cheong-wa-dae-urges-n-korea", "047-talks-us-ukraine-were-constructive-but",
             "049-ukraine-russia-end-second-round-peace")


def _read(path):
    from kg.readers import read_path

    if not path.exists():
        pytest.skip(f"{path} is absent (the corpus lives in ../shared)")
    return read_path(path)[0]


def _entity(actor: tuple[str, str, str | None]) -> Entity:
    label, type_, qid = actor
    return Entity(key=f"{type_.lower()}:{label.lower()}", label=label, type=type_, qid=qid)


def _evidence(body: str, text: str) -> Evidence:
    """``text`` where it occurs in ``body`` (0-based offsets, end exclusive)."""
    start = body.index(text)
    return Evidence(text, start, start + len(text))


def gold_extraction(stem: str) -> tuple[Extraction, dict[str, str]]:
    """The dev article ``stem`` with its gold meetings as the extraction; names of the reports used."""
    article = _read(DEV / f"{stem}.txt")
    gold = json.loads((DEV / f"{stem}.gold.json").read_text(encoding="utf-8"))
    entities = {e["id"]: Entity(key=e["id"], label=e["name"], type=e["type"], qid=e["wikidata"])
                for e in gold["entities"] if e["type"] in ACTOR_TYPES}
    meetings, names = [], {}
    for i, m in enumerate(gold["meetings"]):
        place = None
        if m["place"]:
            place = next((k for k, e in entities.items() if e.label == m["place"] and e.type in ("Place", "Country")),
                         None)
            if place is None:
                place = f"place:{m['place']}"
                entities[place] = Entity(key=place, label=m["place"], type="Place")
        start = article.body.index(m["evidence"])
        meeting = Meeting(
            participants=tuple(p for p in m["participants"] if p in entities),
            evidence=Evidence(m["evidence"], start, start + len(m["evidence"])), trigger=f"gold meeting {i}",
            status=m["status"], mode=None if m["mode"] == "unknown" else m["mode"],
            date=EventDate(date.fromisoformat(m["date"])) if m["date"] else None, place=place,
            cameo="036" if m["status"] == "planned" else "040", confidence=0.8)
        meetings.append(meeting)
        name = GOLD_NAMES.get((stem[:3], tuple(sorted(meeting.participants)), m["place"]))
        if name:
            names[name] = str(event_iri_of(article.article_id, meeting))
    return Extraction(article, tuple(entities.values()), meetings=tuple(meetings)), names


def eval_extractions() -> tuple[list[Extraction], dict[str, str]]:
    """The hand-read eval reports of EVAL_REPORTS, one extraction per article."""
    by_stem: dict[str, tuple[object, dict, list]] = {}
    names = {}
    for name, stem, text, participants, when, place, status in EVAL_REPORTS:
        article, entities, meetings = by_stem.setdefault(stem, (_read(EVAL / f"{stem}.txt"), {}, []))
        for actor in participants + ((place,) if place else ()):
            entities[_entity(actor).key] = _entity(actor)
        meeting = Meeting(participants=tuple(_entity(a).key for a in participants),
                          evidence=_evidence(article.body, text), trigger="talks", status=status, mode="in_person",
                          date=EventDate(date.fromisoformat(when)) if when else None,
                          place=_entity(place).key if place else None,
                          cameo="036" if status == "planned" else "040", confidence=0.7)
        meetings.append(meeting)
        names[name] = str(event_iri_of(article.article_id, meeting))
    return [Extraction(a, tuple(e.values()), meetings=tuple(m)) for a, e, m in by_stem.values()], names


@pytest.fixture(scope="module")
def corpus():
    """(mapped articles (``ArticleGraphs``), report name -> report IRI) of the dev gold and the hand-read
    eval reports."""
    graphs, names = [], {}
    for stem in DEV_STEMS:
        x, found = gold_extraction(stem)
        graphs.append(to_graphs(x))
        names.update(found)
    extractions, found = eval_extractions()
    graphs.extend(to_graphs(x) for x in extractions)
    names.update(found)
    assert len(names) == len(GOLD_NAMES) + len(EVAL_REPORTS)
    return graphs, names


def _store_with(graphs, *, update_each: bool = False):
    from kg.store import open_store

    store = open_store("memory")
    for g in graphs:
        store.write_articles([g])
        if update_each:
            assert update_canonical(store).stored
    if not update_each:
        assert update_canonical(store).stored
    return store


@pytest.fixture(scope="module")
def store(corpus):
    s = _store_with(corpus[0])
    yield s
    s.close()


@pytest.fixture(scope="module")
def canonical(store) -> Graph:
    return store.get_graph(CANONICAL_GRAPH)


def canonical_of(g: Graph, report: str) -> URIRef:
    [node] = list(g.subjects(GK.reportedIn, URIRef(report)))
    return node


def test_lee_xi_beijing_summit_is_one_meeting_of_seven_articles(corpus, canonical):
    _, names = corpus
    reports = ["036-beijing", "038-beijing", "043-beijing", "041-beijing", "040-beijing", "037-beijing",
               "039-beijing"]
    node = canonical_of(canonical, names["036-beijing"])
    assert {canonical_of(canonical, names[r]) for r in reports} == {node}
    assert set(canonical.objects(node, GK.reportedIn)) == {URIRef(names[r]) for r in reports}
    assert len(set(canonical.objects(node, PROV.wasDerivedFrom))) == 7
    assert str(canonical.value(node, SEM.hasTimeStamp)) == "2026-01-05"
    assert canonical.value(node, GK.status) == GK.Occurred  # 041 reports the banquet after the summit
    assert canonical.value(node, SEM.hasPlace) == ID["entity/place/beijing"]
    assert set(canonical.objects(node, GK.participant)) == {ID["entity/Q12612463"], ID["entity/Q15031"]}
    reasons = [str(r) for r in canonical.objects(node, GK.mergeReason)]
    assert len(reasons) == 6
    assert any("same participants Q12612463, Q15031; dates 2026-01-05/2026-01-05; place place/beijing" in r
               for r in reasons), reasons
    assert any("undated report of 2025-12-30, 6 days from 2026-01-05" in r for r in reasons), reasons


def test_gyeongju_summit_and_other_meetings_stay_apart(corpus, canonical):
    _, names = corpus
    beijing = canonical_of(canonical, names["036-beijing"])
    gyeongju = canonical_of(canonical, names["036-gyeongju"])
    assert gyeongju != beijing
    # 038 names South Korea too: two of its three participants, the same place, articles 2 days apart
    assert canonical_of(canonical, names["038-gyeongju"]) == gyeongju
    assert canonical_of(canonical, names["036-li-qiang"]) == canonical_of(canonical, names["038-li-qiang"])
    trade = canonical_of(canonical, names["042-trade"])  # same place and day as no other report
    assert [str(r) for r in canonical.objects(trade, GK.mergeReason)] == ["single report"]


def test_abu_dhabi_second_round_merges_and_first_round_does_not(corpus, canonical):
    _, names = corpus
    second = canonical_of(canonical, names["048-abu-dhabi"])
    assert canonical_of(canonical, names["049-abu-dhabi"]) == second
    assert str(canonical.value(second, SEM.hasTimeStamp)) == "2026-02-04"
    assert set(canonical.objects(second, GK.participant)) >= {ID["entity/Q212"], ID["entity/Q159"], ID["entity/Q30"]}
    first = canonical_of(canonical, names["047-abu-dhabi"])
    assert first != second and len(set(canonical.objects(first, GK.reportedIn))) == 1
    assert canonical_of(canonical, names["047-uae-planned"]) not in {first, second}
    # "Two previous rounds of negotiations in Abu Dhabi": fits both rounds, so it merges with neither
    both = canonical_of(canonical, names["051-abu-dhabi"])
    assert both not in {first, second}
    assert "fits 2 meetings, merged with none" in str(canonical.value(both, GK.mergeReason))


def test_geneva_talks_merge_without_dates_by_place(corpus, canonical):
    _, names = corpus
    node = canonical_of(canonical, names["051-geneva"])
    assert canonical_of(canonical, names["052-geneva"]) == node == canonical_of(canonical, names["055-geneva"])
    assert canonical.value(node, SEM.hasTimeStamp) is None
    assert canonical.value(node, GK.status) == GK.Occurred
    assert canonical.value(node, SEM.hasPlace) == ID["entity/place/geneva"]
    assert all("publication date unknown; place place/geneva" in str(r)
               for r in canonical.objects(node, GK.mergeReason))


def test_every_report_has_one_canonical_meeting_and_the_graph_conforms(store, canonical):
    from kg.validate import validate_dataset, validate_graph

    reports = {r[0] for r in store.query("SELECT ?m WHERE { ?m a gk:Meeting }")}
    assert reports and {r for r in canonical.objects(None, GK.reportedIn)} == reports
    assert all(len(list(canonical.subjects(GK.reportedIn, r))) == 1 for r in reports)
    assert not list(canonical.subjects(RDF.type, GK.Meeting))  # only gk:CanonicalMeeting is asserted
    # only canonical nodes: a copied actor label would be repeated by Oxigraph's union default graph
    assert set(canonical.subjects()) == set(canonical.subjects(RDF.type, GK.CanonicalMeeting))
    actors = {o for p in (GK.participant, SEM.hasPlace) for o in canonical.objects(None, p)}
    described = {r[0] for r in store.query("SELECT DISTINCT ?a WHERE { ?a rdfs:label ?l }")}
    assert actors <= described
    xi = f"<{ID['entity/Q15031']}>"
    rows = int(next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {xi} rdfs:label ?l }}")))[0])
    in_graphs = [r[0] for r in store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ {xi} rdfs:label ?l }} }}")]
    meets = f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?m a gk:Meeting ; gk:participant {xi} }} }}"
    # Xi meets in seven articles (036, 038, 043, 037, 039, 040, 041) and is described once (kg/actors.py)
    assert int(next(iter(store.query(meets)))[0]) == 7
    assert rows == 1 and in_graphs == [ACTORS_GRAPH]
    assert validate_graph(canonical).conforms
    assert all(report.conforms for _, report in validate_dataset(store.dataset))


def test_per_article_scores_do_not_see_canonical_meetings(corpus, store):
    from kg.evaluate.predicted import read_predicted

    with_canonical = read_predicted(store)
    alone = _store_with([])
    for g in corpus[0]:
        alone.write_articles([g])
    assert read_predicted(alone) == with_canonical
    alone.close()


def test_same_graph_in_any_order_and_after_re_ingest(corpus, canonical):
    graphs, _ = corpus
    forward = _store_with(graphs, update_each=True)
    backward = _store_with(list(reversed(graphs)), update_each=True)
    assert isomorphic(forward.get_graph(CANONICAL_GRAPH), canonical)
    assert isomorphic(backward.get_graph(CANONICAL_GRAPH), canonical)
    forward.write_articles([graphs[1]])  # re-ingest an article
    update_canonical(forward)
    assert isomorphic(forward.get_graph(CANONICAL_GRAPH), canonical)
    forward.close()
    backward.close()


def test_rules_on_dev_004_cancelled_and_occurred_do_not_merge():
    # dev 004: Trump and Putin met on Saturday 2017-11-11 at APEC; the formal meeting planned for
    # the summit did not happen ("no meeting ... was cancelled"). Same participants, adjacent days.
    art = str(article_iri("004"))
    met = Report("urn:met", art, date(2017, 11, 12), frozenset({"Q22686", "Q7747"}), date(2017, 11, 11), "day")
    called_off = Report("urn:off", art, date(2017, 11, 12), frozenset({"Q22686", "Q7747"}), date(2017, 11, 12),
                        "day", status="cancelled")
    assert conflicts(met, called_off) and compatible(met, called_off) is None
    assert compatible(met, met) == "same participants Q22686, Q7747; dates 2017-11-11/2017-11-11"


def test_pipeline_ingest_keeps_the_canonical_graph_in_any_order(shared_dir, tmp_path):
    """Real extraction: dev 036 and 043 both report Lee's summit with Xi on Monday 2026-01-05."""
    from kg.pipeline import Pipeline, ingest
    from kg.store import open_store

    files = [str(DEV / "036-lee-departs-beijing-summit-talks-xi.txt"), str(DEV / "043-cheong-wa-dae-urges-n-korea.txt"),
             str(EVAL / "041-lee-takes-xiaomi-phone-selfies-xi.txt")]
    pipeline = Pipeline()
    with open_store("memory") as one, open_store("memory") as other:
        ingest(files, one, pipeline=pipeline, quarantine=tmp_path)
        for f in reversed(files):  # one article per batch, in the other order
            ingest([f], other, pipeline=pipeline, quarantine=tmp_path)
        first = one.get_graph(CANONICAL_GRAPH)
        assert len(first) and isomorphic(first, other.get_graph(CANONICAL_GRAPH))
        ingest(files[1:2], one, pipeline=pipeline, quarantine=tmp_path)  # re-ingest 043
        assert isomorphic(one.get_graph(CANONICAL_GRAPH), first)
        summit = one.query(f"""
            SELECT DISTINCT ?c ?url WHERE {{
              ?m a gk:Meeting ; gk:participant <{ID["entity/Q12612463"]}>, <{ID["entity/Q15031"]}> ;
                 sem:hasTimeStamp "2026-01-05"^^xsd:date ; prov:wasDerivedFrom/schema:url ?url .
              ?c gk:reportedIn ?m }}""")
        rows = [(str(r[0]), str(r[1]).rsplit("/", 1)[-1][:3]) for r in summit]
        assert {u for _, u in rows} >= {"036", "043"} and len({c for c, _ in rows}) == 1, rows


# -- rule 2b: the same sides (persons in one report, their states in another) ---------------------

_P = str(ID["entity/person/"])
WITKOFF, UMEROV, DMITRIEV, KOSTYUKOV = (_P + n for n in ("steve-witkoff", "rustem-umerov", "kirill-dmitriev",
                                                         "igor-kostyukov"))
ENVOYS = {WITKOFF: "Q30", UMEROV: "Q212", DMITRIEV: "Q159"}  # the side each represents at the talks


def _envoys(iri: str, when: date | None, place: str | None, published: date = date(2026, 2, 5), **kw) -> Report:
    """A report naming the three delegations' heads, each with the state of their role at the event."""
    return Report(iri, f"urn:article:{iri}", published, frozenset(ENVOYS), when, "day" if when else None,
                  place=place, side_of=frozenset(ENVOYS.items()), **kw)


def _states(iri: str, when: date | None, place: str | None, published: date = date(2026, 2, 4), **kw) -> Report:
    return Report(iri, f"urn:article:{iri}", published, frozenset({"Q212", "Q159", "Q30"}), when,
                  "day" if when else None, place=place, **kw)


def test_same_sides_merge_with_the_same_day_or_the_same_place():
    # Abu Dhabi, second round: "Ukrainian and Russian negotiators ... in Abu Dhabi" (states) on the
    # first day, 2026-02-04; the envoys who "concluded" it on Thursday 2026-02-05 (persons).
    states = _states("urn:states", date(2026, 2, 4), "Q1519")
    assert states.sides == {"Q212", "Q159", "Q30"} and states.delegates("Q212") == frozenset()
    envoys = _envoys("urn:envoys", date(2026, 2, 5), None)
    assert envoys.sides == {"Q212", "Q159", "Q30"} and envoys.delegates("Q30") == {WITKOFF}
    # by day: within the 1-day window, one place given
    assert compatible(envoys, states) == \
        "same sides Q159, Q212, Q30; dates 2026-02-05/2026-02-04; place Q1519 in one report"
    assert compatible(states, envoys) is not None  # the decision is symmetric
    # undated envoys' report of 2026-02-05: only the same place lets it merge ...
    undated = _envoys("urn:undated", None, "Q1519")
    assert compatible(undated, states) == ("same sides Q159, Q212, Q30; undated report of 2026-02-05, "
                                           "1 days from 2026-02-04; place Q1519")
    # ... two states of three are within the sides too
    two = Report("urn:two", "urn:article:two", date(2026, 2, 4), frozenset({"Q212", "Q159"}), date(2026, 2, 4),
                 "day", place="Q1519")
    assert compatible(envoys, two) == \
        "sides Q159, Q212 within Q159, Q212, Q30; dates 2026-02-05/2026-02-04; place Q1519 in one report"


def test_same_sides_without_the_same_day_or_place_do_not_merge():
    states = _states("urn:states", date(2026, 2, 4), "Q1519")
    undated = _envoys("urn:undated", None, None)  # no place, no day: the sides alone are too weak
    assert not conflicts(undated, states) and compatible(undated, states) is None
    # the same persons would have been enough (rule 5: the same participants)
    assert compatible(Report("urn:s2", "urn:a2", date(2026, 2, 5), states.participants), states) is not None
    month = _envoys("urn:month", date(2026, 2, 1), None)
    month = Report(**{**month.__dict__, "precision": "month"})
    assert compatible(month, states) is None  # a month date is not a day within the window either
    assert compatible(Report(**{**month.__dict__, "place": "Q1519"}), states) is not None  # its place is


def test_same_sides_on_different_days_or_places_stay_apart():
    # the first Abu Dhabi round (Friday and Saturday 2026-01-23/24) and the second (2026-02-04/05)
    first = _envoys("urn:first", date(2026, 1, 24), "Q1519", published=date(2026, 1, 26))
    second = _states("urn:second", date(2026, 2, 4), "Q1519")
    assert conflicts(first, second) and compatible(first, second) is None
    geneva = _states("urn:geneva", date(2026, 2, 5), "place/geneva")
    assert conflicts(_envoys("urn:e", date(2026, 2, 5), "Q1519"), geneva)
    cancelled = _states("urn:off", date(2026, 2, 5), "Q1519", status="cancelled")
    assert conflicts(_envoys("urn:e", date(2026, 2, 5), None), cancelled)


def test_different_persons_of_the_same_sides_are_different_meetings():
    # dev 036: Lee meets Xi on 2026-01-05 and Premier Li Qiang on 2026-01-06, both in Beijing: the
    # sides are South Korea and China in both, but on China's side Xi is not Li Qiang.
    lee, xi, li = "Q12612463", "Q15031", str(ID["entity/person/li-qiang"])
    korea_china = frozenset({(lee, "Q884"), (xi, "Q148"), (li, "Q148")})
    summit = Report("urn:xi", "urn:036", date(2026, 1, 5), frozenset({lee, xi}), date(2026, 1, 5), "day",
                    place="place/beijing", side_of=korea_china)
    premier = Report("urn:li", "urn:036", date(2026, 1, 5), frozenset({lee, li}), date(2026, 1, 6), "day",
                     place="place/beijing", side_of=korea_china)
    assert summit.sides == premier.sides == {"Q884", "Q148"}
    assert conflicts(summit, premier) and compatible(summit, premier) is None
    # a report naming South Korea and Xi is the summit: on each side one report's persons are within the other's
    states = Report("urn:kx", "urn:040", date(2026, 1, 2), frozenset({"Q884", xi}), date(2026, 1, 5), "day",
                    side_of=korea_china)
    assert compatible(states, summit) == \
        "same sides Q148, Q884; dates 2026-01-05/2026-01-05; place place/beijing in one report"
    assert conflicts(states, premier)
    # an unmapped person is their own side: Kostyukov (no role, no affiliation) is not Russia
    lone = Report("urn:k", "urn:k", date(2026, 2, 5), frozenset({WITKOFF, UMEROV, KOSTYUKOV}), date(2026, 2, 5),
                  "day", side_of=frozenset({(WITKOFF, "Q30"), (UMEROV, "Q212")}))
    assert lone.sides == {"Q30", "Q212", KOSTYUKOV}
    assert conflicts(lone, _states("urn:s", date(2026, 2, 5), None))


def test_side_level_clusters_do_not_depend_on_the_order():
    import itertools

    from kg.canonical import cluster_reports

    reports = [_states("urn:second-states", date(2026, 2, 4), "Q1519"),
               _envoys("urn:second-envoys", date(2026, 2, 5), None),
               _envoys("urn:second-undated", None, "Q1519"),
               _envoys("urn:first-envoys", date(2026, 1, 24), "Q1519", published=date(2026, 1, 26)),
               _states("urn:first-states", None, None, published=date(2026, 1, 26))]
    results = set()
    for order in itertools.permutations(reports):
        clusters = cluster_reports(order)
        results.add(frozenset((frozenset(m.iri for m in c.members), tuple(c.reasons)) for c in clusters))
    assert len(results) == 1
    groups = {frozenset(m for m in members) for members, _ in next(iter(results))}
    assert groups == {frozenset({"urn:second-states", "urn:second-envoys", "urn:second-undated"}),
                      frozenset({"urn:first-envoys"}), frozenset({"urn:first-states"})}


def test_sides_come_from_roles_at_the_event_and_affiliations_in_the_store():
    """Through the graphs: dev 049's envoys (Witkoff, whose role at the talks is "special envoy" of
    the United States; Dmitriev, affiliated with Russia) and eval 048's states (Ukraine, Russia, the
    United States, in Abu Dhabi the day before) are one meeting; the same envoys with neither a role
    nor an affiliation are only themselves."""
    from kg.model import EventRole

    article = _read(DEV / "049-ukraine-russia-end-second-round-peace.txt")
    usa, russia = _entity(USA), _entity(RUSSIA)
    witkoff = Entity(key="person:steve witkoff", label="Steve Witkoff", type="Person")
    dmitriev = Entity(key="person:kirill dmitriev", label="Kirill Dmitriev", type="Person",
                      affiliation_key=russia.key)
    envoys = Meeting(participants=(witkoff.key, dmitriev.key), trigger="talks", confidence=0.7,
                     evidence=_evidence(article.body, "Russia's envoy, Kirill Dmitriev, said there was progress"),
                     date=EventDate(date(2026, 2, 5)),
                     roles=(EventRole(witkoff.key, "special envoy", of=usa.key, of_qid="Q30"),))
    with_sides = Extraction(article, (usa, russia, witkoff, dmitriev), meetings=(envoys,))
    bare = Extraction(article, (usa, russia, witkoff, Entity(key=dmitriev.key, label="Kirill Dmitriev",
                                                              type="Person")),
                      meetings=(Meeting(**{**envoys.__dict__, "roles": ()}),))
    extractions, names = eval_extractions()
    states = next(x for x in extractions if x.article.article_id == article_iri_id(names["048-abu-dhabi"]))
    for extraction, merged in ((with_sides, True), (bare, False)):
        store = _store_with([to_graphs(states), to_graphs(extraction)])
        g = store.get_graph(CANONICAL_GRAPH)
        ours = canonical_of(g, str(event_iri_of(article.article_id, extraction.meetings[0])))
        assert (ours == canonical_of(g, names["048-abu-dhabi"])) is merged
        if merged:
            assert any(str(r).endswith("sides Q159, Q30 within Q159, Q212, Q30; dates 2026-02-05/2026-02-04; "
                                       "place Q1519 in one report") for r in g.objects(ours, GK.mergeReason))
        store.close()


def article_iri_id(report: str) -> str:
    """The article id inside a report IRI ``id/event/{article_id}/meeting-…``."""
    return report[len(str(ID["event/"])):].split("/", 1)[0]


def test_pipeline_merges_a_person_report_with_a_state_report_of_the_same_talks(shared_dir, tmp_path):
    """Real extraction. Dev 007 reports Mattis's talks in Pakistan on Monday 2017-12-04 once with the
    state ("Mattis met Pakistan's civilian and military leaders on Monday": Mattis, Pakistan) and
    once with the person ("In his discussion with Mattis, Pakistani Prime Minister Shahid Khaqan
    Abbasi said ...": Mattis, Abbasi, whose role at the talks is Pakistan's). Dev 047 (the first
    Abu Dhabi round, before 2026-01-26) and 049 (the second, ended 2026-02-05) report talks of the
    same states on different days, which stay apart."""
    from kg.pipeline import Pipeline, ingest
    from kg.store import open_store

    files = [str(DEV / f"{stem}.txt") for stem in ("007-u-defense-chief-urges-pakistan-redouble",
                                                   "047-talks-us-ukraine-were-constructive-but",
                                                   "049-ukraine-russia-end-second-round-peace")]
    with open_store("memory") as store:
        ingest(files, store, pipeline=Pipeline(), quarantine=tmp_path)
        rows = store.query(f"""
            SELECT ?c ?m ?url (GROUP_CONCAT(DISTINCT STR(?p); separator=" ") AS ?ps) WHERE {{
              ?m a gk:Meeting ; gk:participant ?p ; prov:wasDerivedFrom/schema:url ?url .
              GRAPH <{CANONICAL_GRAPH}> {{ ?c gk:reportedIn ?m }}
            }} GROUP BY ?c ?m ?url""")
        reports = [(str(r.c), str(r.m), str(r.url).rsplit("/", 1)[-1][:3], set(str(r.ps).split())) for r in rows]
        pakistan, abbasi = ID["entity/Q843"], ID["entity/person/shahid-khaqan-abbasi"]
        mattis = ID["entity/person/jim-mattis"]
        with_state = {c for c, _, _, ps in reports if {str(mattis), str(pakistan)} <= ps}
        with_person = {c for c, _, _, ps in reports if {str(mattis), str(abbasi)} <= ps and str(pakistan) not in ps}
        assert len(with_person) == 1 and with_person <= with_state, reports
        [talks] = with_person
        g = store.get_graph(CANONICAL_GRAPH)
        reasons = [str(r) for r in g.objects(URIRef(talks), GK.mergeReason)]
        assert any("sides Q30, Q843" in r and "dates 2017-12-04/2017-12-04" in r for r in reasons), reasons
        # the two Abu Dhabi rounds: no canonical meeting has reports of both 047 and 049
        articles = {}
        for c, _, url, _ in reports:
            articles.setdefault(c, set()).add(url)
        assert {"047", "049"} <= set().union(*articles.values())
        assert not any({"047", "049"} <= urls for urls in articles.values()), articles
