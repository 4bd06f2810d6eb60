"""Roles at the event date (kg/extract/event_roles.py, kg/rdf/event_roles.py, docs/roles-at-event.md).

Real articles go through the real pipeline; the stage is also run on hand-made events with the
shipped gazetteer, whose offices (Wikidata P39 with start/end) were checked against
``../shared/wikidata``: Putin was Prime Minister of Russia 2008-05-08..2012-05-07 and President from
2012-05-07; Medvedev President 2008-05-07..2012-05-07, then Prime Minister to 2020-01-16; Wang Yi
Foreign Minister of China 2013-03-16..2022-12-30 and again from 2023-07-25; Biden Vice President
2009-2017 and President 2021-01-20..2025-01-20; Lee Jae Myung President of South Korea from
2025-06-04.
"""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from conftest import REPO, SHARED, extract_file
from kg.errors import MappingError
from kg.extract.event_roles import actor_keys, role_day, roles_of, with_event_roles
from kg.gazetteer import GazEntry, Gazetteer, Office, default_gazetteer
from kg.model import Entity, EventDate, EventRole, Evidence, Meeting, Position, Role, Statement
from kg.rdf.event_roles import map_event_roles
from kg.rdf.iris import event_iri_of
from kg.rdf.mapping import to_graph
from kg.rdf.vocab import GK, ID
from kg.validate import validate_graph

DEV = SHARED / "corpus" / "dev"
SEED = REPO / "seeds" / "000_e90bf088404a620c.txt"
LEE_XI_036 = DEV / "036-lee-departs-beijing-summit-talks-xi.txt"
LEE_XI_038 = DEV / "038-lee-china-xi-discuss-peace-denuclearization.txt"

PUTIN, XI, LEE, WANG = "person:Q7747", "person:Q15031", "person:Q12612463", "person:Q701801"
EV = Evidence("x", 0, 1)


def _roles(event, key: str) -> list[EventRole]:
    return [r for r in event.roles if r.actor == key]


def _meeting_with(extraction, *keys: str, day: date | None = None) -> Meeting:
    found = [m for m in extraction.meetings if set(keys) <= set(m.participants)
             and (day is None or (m.date is not None and m.date.value == day))]
    assert found, f"no meeting of {keys} on {day}: {[(m.participants, m.date) for m in extraction.meetings]}"
    return found[0]


# -- real articles through the real pipeline ------------------------------------------------


@pytest.fixture(scope="module")
def seed(pipeline):
    return extract_file(pipeline, SEED)


@pytest.fixture(scope="module")
def a038(pipeline):
    return extract_file(pipeline, LEE_XI_038)


def test_seed_putin_xi_call_gets_the_presidents_at_the_call_date(seed) -> None:
    call = _meeting_with(seed, PUTIN, XI, day=date(2025, 1, 21))
    assert call.date.precision == "day"
    (putin,) = _roles(call, PUTIN)
    assert (putin.title, putin.of, putin.of_qid, putin.source) == ("President of Russia", "country:Q159", "Q159",
                                                                 "gazetteer")
    assert (putin.start, putin.end) == (date(2012, 5, 7), None)  # the current term, not 2000-2008
    # Xi also holds the party's General Secretary office; the text calls him "President"
    (xi,) = _roles(call, XI)
    assert (xi.title, xi.of_qid, xi.start) == ("President of the People's Republic of China", "Q148", date(2013, 3, 14))


def test_seed_unlinked_advisor_gets_the_title_the_text_gives(seed) -> None:
    ushakov = [s for s in seed.statements if s.speaker == "person:yuri ushakov"]
    assert ushakov
    for s in ushakov:
        assert [(r.title, r.of, r.source, r.start) for r in s.roles] == [
            ("Foreign policy advisor", "governmentbody:kremlin", "text", None)]


def test_foreign_minister_wang_yi_gets_his_second_term(a038) -> None:
    # "Chinese Foreign Minister Wang Yi urged Seoul ..." during a call on Wednesday 2025-12-31
    statements = [s for s in a038.statements if s.speaker == WANG]
    assert statements
    for s in statements:
        (wang,) = s.roles
        assert wang.title == "Foreign Minister of the People's Republic of China"
        assert (wang.of, wang.source, wang.start, wang.end) == ("country:Q148", "gazetteer", date(2023, 7, 25), None)


def test_president_lee_at_the_beijing_summit(pipeline) -> None:
    x = extract_file(pipeline, LEE_XI_036)
    summit = _meeting_with(x, LEE, XI, day=date(2026, 1, 5))
    (lee,) = _roles(summit, LEE)
    assert (lee.title, lee.of_qid, lee.source, lee.start) == ("President of South Korea", "Q884", "gazetteer",
                                                            date(2025, 6, 4))


def test_unlinked_foreign_minister_gets_the_text_title(a038) -> None:
    call = _meeting_with(a038, "person:cho hyun", WANG)
    assert [(r.title, r.source) for r in _roles(call, "person:cho hyun")] == [("Foreign Minister", "text")]


# -- the stage on hand-made events, shipped gazetteer -----------------------------------------


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


def _person(qid: str | None, label: str, *roles: Role) -> Entity:
    return Entity(key=f"person:{qid or label.lower()}", label=label, type="Person", roles=roles, qid=qid)


RUSSIA = Entity(key="country:Q159", label="Russia", type="Country", qid="Q159")


@pytest.mark.parametrize("day, title, start, end", [
    (date(2010, 6, 1), "Prime Minister of Russia", date(2008, 5, 8), date(2012, 5, 7)),
    (date(2020, 6, 1), "President of Russia", date(2012, 5, 7), None),
    (date(2005, 6, 1), "President of Russia", date(2000, 5, 7), date(2008, 5, 7)),
])
def test_putin_gets_the_office_of_the_meeting_date(gaz, day, title, start, end) -> None:
    putin = _person("Q7747", "Vladimir Putin", Role("President", "country:Q159"))
    m = Meeting((putin.key, RUSSIA.key), EV, "met", date=EventDate(day))
    (out,) = with_event_roles([m], (putin, RUSSIA), date(2025, 1, 22), gaz)
    assert [(r.title, r.of, r.start, r.end, r.source) for r in out.roles] == [(title, "country:Q159", start, end,
                                                                              "gazetteer")]


@pytest.mark.parametrize("day, title", [
    (date(2010, 3, 1), "President of Russia"),
    (date(2015, 3, 1), "Prime Minister of Russia"),
    (date(2022, 3, 1), "Deputy Chairman of the Security Council of Russia"),
])
def test_medvedev_changed_office_twice(gaz, day, title) -> None:
    medvedev = _person("Q23530", "Dmitry Medvedev")
    (r,) = roles_of(medvedev, day, {RUSSIA.key: RUSSIA, medvedev.key: medvedev}, gaz)
    assert (r.title, r.of_qid, r.source) == (title, "Q159", "gazetteer")


def test_a_term_that_ended_falls_back_to_the_text(gaz) -> None:
    biden = _person("Q6279", "Joe Biden", Role("President"))
    entities = {biden.key: biden}
    assert [r.title for r in roles_of(biden, date(2015, 5, 1), entities, gaz)] == [
        "Vice President of the United States"]
    assert [r.title for r in roles_of(biden, date(2023, 5, 1), entities, gaz)] == ["President of the United States"]
    # after 2025-01-20 he holds no office in the gazetteer: the text's title, marked as such
    assert roles_of(biden, date(2025, 3, 1), entities, gaz) == (EventRole(biden.key, "President", source="text"),)


def test_publication_date_office_copied_to_the_entity_is_not_a_text_role(gaz) -> None:
    # affiliate_from_offices adds the office held at publication ("President of South Korea")
    # to Entity.roles; before his term only the text's "President" is a text role
    korea = Entity(key="country:Q884", label="South Korea", type="Country", qid="Q884")
    lee = _person("Q12612463", "Lee Jae Myung", Role("President"), Role("President of South Korea", korea.key))
    assert roles_of(lee, date(2020, 1, 10), {lee.key: lee, korea.key: korea}, gaz) == (
        EventRole(lee.key, "President", source="text"),)
    (r,) = roles_of(lee, date(2026, 1, 5), {lee.key: lee, korea.key: korea}, gaz)
    assert (r.title, r.of, r.source) == ("President of South Korea", "country:Q884", "gazetteer")


def test_state_not_named_in_the_article_keeps_its_qid(gaz) -> None:
    lee = _person("Q12612463", "Lee Jae Myung", Role("President"))
    (r,) = roles_of(lee, date(2026, 1, 5), {lee.key: lee}, gaz)
    assert (r.of, r.of_qid) == (None, "Q884")


def test_role_day_uses_day_or_month_precision_else_publication() -> None:
    published = date(2026, 1, 2)
    assert role_day(EventDate(date(2025, 12, 31), "day"), published) == date(2025, 12, 31)
    assert role_day(EventDate(date(2025, 11, 1), "month"), published) == date(2025, 11, 1)
    assert role_day(EventDate(date(2017, 1, 1), "year"), published) == published
    assert role_day(None, published) == published
    assert role_day(None, None) is None


def test_year_precision_uses_the_publication_date(gaz) -> None:
    putin = _person("Q7747", "Vladimir Putin")
    m = Meeting((putin.key, RUSSIA.key), EV, "met", date=EventDate(date(2010, 1, 1), "year"))
    (out,) = with_event_roles([m], (putin, RUSSIA), date(2025, 1, 22), gaz)
    assert [r.title for r in out.roles] == ["President of Russia"]


def test_no_day_gives_text_roles_only(gaz) -> None:
    putin = _person("Q7747", "Vladimir Putin", Role("President", "country:Q159"))
    s = Statement(putin.key, "something", EV, "said")
    (out,) = with_event_roles([s], (putin, RUSSIA), None, gaz)
    assert out.roles == (EventRole(putin.key, "President", "country:Q159", "Q159", "text"),)


def test_actor_keys_and_non_person_actors(gaz) -> None:
    putin = _person("Q7747", "Vladimir Putin")
    p = Position(RUSSIA.key, "support", "support", "Putin", EV, target=putin.key)
    assert actor_keys(p) == (RUSSIA.key, putin.key)
    (out,) = with_event_roles([p], (putin, RUSSIA), date(2025, 1, 22), gaz)
    assert [(r.actor, r.title) for r in out.roles] == [(putin.key, "President of Russia")]  # Russia gets none
    with pytest.raises(TypeError, match="not an event record"):
        actor_keys("a meeting")


# -- the stage with a hand-made gazetteer entry: term boundaries and concurrent offices -------


HAND = Gazetteer([GazEntry(qid="Q900001", label="Ana Example", type="Person", offices=(
    Office("Foreign Minister of Exampleland", "Q900002", date(2010, 1, 1), date(2015, 12, 31)),
    Office("President of Exampleland", "Q900002", date(2016, 1, 1)),
    Office("Chair of the Example Union", "Q900003", date(2016, 1, 1), date(2018, 6, 30)),
))])
ANA = Entity(key="person:Q900001", label="Ana Example", type="Person", qid="Q900001")
EXAMPLELAND = Entity(key="country:Q900002", label="Exampleland", type="Country", qid="Q900002")


def test_hand_made_term_boundaries_are_inclusive() -> None:
    entities = {ANA.key: ANA, EXAMPLELAND.key: EXAMPLELAND}
    assert [r.title for r in roles_of(ANA, date(2015, 12, 31), entities, HAND)] == ["Foreign Minister of Exampleland"]
    (r,) = roles_of(ANA, date(2019, 1, 1), entities, HAND)
    assert (r.title, r.of, r.start, r.end) == ("President of Exampleland", EXAMPLELAND.key, date(2016, 1, 1), None)


def test_hand_made_concurrent_offices_prefer_the_text_title_then_the_named_state() -> None:
    day = date(2017, 1, 1)
    as_president = Entity(key=ANA.key, label=ANA.label, type="Person", qid=ANA.qid, roles=(Role("President"),))
    as_chair = Entity(key=ANA.key, label=ANA.label, type="Person", qid=ANA.qid, roles=(Role("Chair"),))
    both = {EXAMPLELAND.key: EXAMPLELAND}
    assert [r.title for r in roles_of(as_president, day, both, HAND)] == ["President of Exampleland"]
    assert [r.title for r in roles_of(as_chair, day, both, HAND)] == ["Chair of the Example Union"]
    assert [r.title for r in roles_of(ANA, day, both, HAND)] == ["President of Exampleland"]  # its state is named
    assert [r.title for r in roles_of(ANA, day, {}, HAND)] == ["President of Exampleland", "Chair of the Example Union"]


# -- two terms of one office containing the day: one role (gks:RoleAtEventShape allows one start/end) --


BULGARIA = Entity(key="country:Q219", label="Bulgaria", type="Country", qid="Q219")


def test_radev_overlapping_terms_in_the_shipped_gazetteer_are_one_open_role(gaz) -> None:
    # Wikidata gives Rumen Radev two terms as President of Bulgaria at year precision,
    # 2017-01-01..2022-12-31 and 2022-01-01..open: both contain 2022-06-01
    terms = [o for o in gaz.by_qid("Q26257557").offices if o.title == "President of Bulgaria"]
    assert [(o.start, o.end) for o in terms] == [(date(2017, 1, 1), date(2022, 12, 31)), (date(2022, 1, 1), None)]
    radev = _person("Q26257557", "Rumen Radev", Role("President"))
    (r,) = roles_of(radev, date(2022, 6, 1), {radev.key: radev, BULGARIA.key: BULGARIA}, gaz)
    assert (r.title, r.of, r.of_qid, r.source, r.start, r.end) == (
        "President of Bulgaria", BULGARIA.key, "Q219", "gazetteer", date(2017, 1, 1), None)


def test_radev_meeting_on_2022_06_01_maps_to_a_conforming_graph(gaz) -> None:
    from kg.model import Article, Extraction, Mention

    body = "Bulgarian President Rumen Radev met Vladimir Putin on 1 June 2022."
    r0, p0 = body.index("Rumen Radev"), body.index("Vladimir Putin")
    radev = Entity(key="person:Q26257557", label="Rumen Radev", type="Person", qid="Q26257557",
                   mentions=(Mention("Rumen Radev", r0, r0 + 11, "person:Q26257557"),))
    putin = Entity(key="person:Q7747", label="Vladimir Putin", type="Person", qid="Q7747",
                   mentions=(Mention("Vladimir Putin", p0, p0 + 14, "person:Q7747"),))
    meeting = Meeting((radev.key, putin.key), Evidence(body, 0, len(body)), "met",
                      date=EventDate(date(2022, 6, 1)))
    (meeting,) = with_event_roles([meeting], (radev, putin), date(2022, 6, 2), gaz)
    assert [(r.actor, r.title) for r in meeting.roles] == [(radev.key, "President of Bulgaria"),
                                                          (putin.key, "President of Russia")]
    article = Article(article_id="0123456789abcdef", url="https://example.org/radev", headline="Radev meets Putin",
                      body=body, published=date(2022, 6, 2))
    g = to_graph(Extraction(article=article, entities=(radev, putin), meetings=(meeting,)))
    node = next(n for n in g.subjects(GK.roleHolder, ID["entity/Q26257557"]))
    assert list(g.objects(node, GK.roleStart)) == [Literal(date(2017, 1, 1), datatype=XSD.date)]
    assert list(g.objects(node, GK.roleEnd)) == []
    assert str(node).endswith("/role/Q26257557/president-of-bulgaria/Q219")
    report = validate_graph(g)
    assert report.conforms, report.text


HANDOVER = Gazetteer([GazEntry(qid="Q900011", label="Bo Example", type="Person", offices=(
    Office("President of Exampleland", "Q900002", date(2010, 1, 1), date(2014, 12, 31)),
    Office("President of Exampleland", "Q900002", date(2014, 12, 31), date(2019, 12, 31)),
    Office("President of Exampleland", "Q900002", date(2019, 12, 31)),
))])
BO = Entity(key="person:Q900011", label="Bo Example", type="Person", qid="Q900011")


@pytest.mark.parametrize("day, start, end", [
    (date(2014, 12, 31), date(2010, 1, 1), date(2019, 12, 31)),  # handover of two closed terms
    (date(2019, 12, 31), date(2014, 12, 31), None),  # handover into an open term
    (date(2016, 5, 1), date(2014, 12, 31), date(2019, 12, 31)),  # one term: unchanged
])
def test_consecutive_terms_on_the_handover_day_are_one_role(day, start, end) -> None:
    (r,) = roles_of(BO, day, {BO.key: BO, EXAMPLELAND.key: EXAMPLELAND}, HANDOVER)
    assert (r.title, r.of, r.start, r.end) == ("President of Exampleland", EXAMPLELAND.key, start, end)


def test_event_role_iri_keeps_roles_of_two_states_apart() -> None:
    from kg.rdf.iris import actor_iri_of_qid, event_role_iri

    event = ID["event/0123456789abcdef/meeting-000000000000"]
    holder = ID["entity/Q900001"]
    assert actor_iri_of_qid("Q219") == ID["entity/Q219"]
    a = event_role_iri(event, holder, "President", actor_iri_of_qid("Q900002"))
    b = event_role_iri(event, holder, "President", actor_iri_of_qid("Q900003"))
    assert a != b and str(a) == f"{event}/role/Q900001/president/Q900002"
    assert str(event_role_iri(event, ID["entity/person/yuri-ushakov"], "Foreign policy advisor",
                              ID["entity/governmentbody/kremlin"])) == (
        f"{event}/role/person/yuri-ushakov/foreign-policy-advisor/governmentbody/kremlin")
    assert str(event_role_iri(event, holder, "Advisor")) == f"{event}/role/Q900001/advisor"
    with pytest.raises(ValueError, match="role state or body https://example.org/x is not a geokg actor IRI"):
        event_role_iri(event, holder, "President", URIRef("https://example.org/x"))
    with pytest.raises(ValueError, match="'Bulgaria' is not a Wikidata item id"):
        actor_iri_of_qid("Bulgaria")


# -- RDF: SPARQL over the mapped graph, SHACL ----------------------------------------------------

ROLES_QUERY = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT ?role ?title ?of ?source ?start ?end WHERE {
  ?event gk:actorRole ?role .
  ?role a gk:RoleAtEvent ; gk:roleHolder ?holder ; gk:roleTitle ?title ; gk:roleSource ?source .
  OPTIONAL { ?role gk:roleOf ?of } OPTIONAL { ?role gk:roleStart ?start } OPTIONAL { ?role gk:roleEnd ?end }
}"""


@pytest.fixture(scope="module")
def graph038(a038) -> Graph:
    return to_graph(a038)


def test_sparql_finds_wang_yi_role_at_the_statement(a038, graph038) -> None:
    statement = next(s for s in a038.statements if s.speaker == WANG)
    event = event_iri_of(a038.article.article_id, statement)
    rows = list(graph038.query(ROLES_QUERY, initBindings={"event": event, "holder": ID["entity/Q701801"]}))
    assert len(rows) == 1
    role, title, of, source, start, end = rows[0]
    assert str(role).startswith(f"{event}/role/Q701801/")
    assert str(title) == "Foreign Minister of the People's Republic of China"
    assert of == ID["entity/Q148"] and str(source) == "gazetteer" and end is None
    assert start == Literal(date(2023, 7, 25), datatype=XSD.date)


def test_every_role_node_belongs_to_one_event_and_the_graph_conforms(a038, graph038) -> None:
    expected = sum(len(e.roles) for e in a038.meetings + a038.statements + a038.positions)
    assert expected > 10
    assert len(set(graph038.subjects(RDF.type, GK.RoleAtEvent))) == expected
    report = validate_graph(graph038)
    assert report.conforms, report.text


def _role_node(graph: Graph, source: str = "gazetteer") -> URIRef:
    return next(r for r in graph.subjects(RDF.type, GK.RoleAtEvent) if str(graph.value(r, GK.roleSource)) == source)


def _broken(graph: Graph, change) -> tuple[Graph, URIRef]:
    g = Graph(identifier=graph.identifier)
    g += graph
    node = _role_node(g)
    change(g, node)
    return g, node


@pytest.mark.parametrize("name, change, words", [
    ("no holder", lambda g, r: g.remove((r, GK.roleHolder, None)), "gk:roleHolder"),
    ("holder is a country", lambda g, r: g.set((r, GK.roleHolder, ID["entity/Q148"])), "gk:Person"),
    ("no title", lambda g, r: g.remove((r, GK.roleTitle, None)), "gk:roleTitle"),
    ("unknown source", lambda g, r: g.set((r, GK.roleSource, Literal("guess"))), "gk:roleSource"),
    ("start after end", lambda g, r: g.set((r, GK.roleEnd, Literal(date(2000, 1, 1), datatype=XSD.date))),
     "gk:roleStart"),
    ("gazetteer role without start", lambda g, r: g.remove((r, GK.roleStart, None)), "gk:roleStart"),
    ("no event", lambda g, r: g.remove((None, GK.actorRole, r)), "gk:actorRole"),
])
def test_shapes_reject_a_broken_role_node(graph038, name, change, words) -> None:
    g, node = _broken(graph038, change)
    report = validate_graph(g)
    assert not report.conforms, name
    assert str(node) in report.focus_nodes
    assert words in report.text


def test_shapes_reject_a_holder_who_is_not_an_actor_of_the_event(a038, graph038) -> None:
    # Lee is a gk:Person of the graph but not the speaker of Wang Yi's statement
    statement = next(s for s in a038.statements if s.speaker == WANG)
    event = event_iri_of(a038.article.article_id, statement)
    g = Graph(identifier=graph038.identifier)
    g += graph038
    (node,) = g.objects(event, GK.actorRole)
    g.set((node, GK.roleHolder, ID["entity/Q12612463"]))
    report = validate_graph(g)
    assert not report.conforms and str(node) in report.focus_nodes
    assert "is not a gk:participant, gk:speaker, gk:holder or gk:target" in report.text


def test_map_event_roles_writes_the_qid_of_an_unnamed_state_and_refuses_bad_values() -> None:
    event = ID["event/0123456789abcdef/meeting-000000000000"]
    lee = EventRole(LEE, "President of South Korea", None, "Q884", "gazetteer", date(2025, 6, 4))
    g = Graph()
    map_event_roles(g, event, Meeting((LEE, XI), EV, "met", roles=(lee,)), lambda key: ID[f"entity/{key[7:]}"])
    (node,) = g.objects(event, GK.actorRole)
    assert node == URIRef(f"{event}/role/Q12612463/president-of-south-korea/Q884")
    assert g.value(node, GK.roleOf) == ID["entity/Q884"] and g.value(node, GK.roleEnd) is None
    with pytest.raises(MappingError, match="source 'guess' is not one of gazetteer, text"):
        map_event_roles(Graph(), event, Meeting((LEE, XI), EV, "met", roles=(EventRole(LEE, "P", source="guess"),)),
                        lambda key: ID[f"entity/{key[7:]}"])
    with pytest.raises(MappingError, match="0123456789abcdef.*not a Wikidata item id"):
        map_event_roles(Graph(), event, Meeting((LEE, XI), EV, "met", roles=(EventRole(LEE, "P", of_qid="Korea"),)),
                        lambda key: ID[f"entity/{key[7:]}"])


# -- the event table (kg export --format csv|jsonl) -------------------------------------------------


@pytest.fixture(scope="module")
def seed_store(pipeline, tmp_path_factory):
    from kg.pipeline import ingest
    from kg.store import open_store

    s = open_store("memory")
    report = ingest([str(SEED)], s, quarantine=tmp_path_factory.mktemp("quarantine"), pipeline=pipeline)
    assert len(report.stored) == 1 and report.ok, report
    yield s
    s.close()


def test_event_table_lists_the_roles_at_the_event_date(seed_store) -> None:
    import csv
    import io

    from kg.event_table import event_rows, export_events

    rows = event_rows(seed_store)
    (call,) = [r for r in rows if r["type"] == "Meeting" and r["date"] == "2025-01-21"
               and set(r["actor_qids"]) == {"Q7747", "Q15031"}]
    assert call["roles"] == ["Vladimir Putin: President of Russia (Russia)",
                             "Xi Jinping: President of the People's Republic of China (China)"]
    ushakov = [r for r in rows if r["type"] == "Statement" and r["actor_labels"] == ["Yuri Ushakov"]]
    assert ushakov and all(r["roles"] == ["Yuri Ushakov: Foreign policy advisor (Kremlin)"] for r in ushakov)
    russia = [r for r in rows if r["type"] == "Position" and r["actor_qids"] == ["Q159"]]
    assert russia and all(r["roles"] == [] for r in russia)  # a state holds no role
    csv_rows = list(csv.DictReader(io.StringIO(export_events(seed_store, "csv").decode("utf-8"), newline="")))
    (csv_call,) = [r for r in csv_rows if r["event"] == call["event"]]
    assert csv_call["roles"] == "|".join(call["roles"])
