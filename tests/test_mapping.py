"""kg.rdf.mapping.to_graphs / to_graph on hand-built extractions of the seed article.

``to_graph`` is the article graph with its actors' descriptions in one graph (what SHACL
validates); ``to_graphs`` gives the two parts the store keeps apart (kg/actors.py).

Expected values are read from the seed text (see tests/seed_extraction.py), not
copied from the mapper's output.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg.errors import KGError, MappingError
from kg.model import Article, Entity, EventDate, Evidence, Extraction, Meeting, Mention, Role
from kg.rdf.iris import ACTORS_GRAPH, actor_iri, article_iri, event_iri_of, graph_iri, role_iri, slug
from kg.rdf.mapping import to_graph, to_graphs
from kg.rdf.vocab import GK, ID, ITSRDF, NIF, SCHEMA, SEM, WD
from seed_extraction import (
    ARTICLE_ID,
    MEETING_SENTENCE,
    REJECT_SENTENCE,
    STATEMENT_SENTENCE,
    seed_article,
    seed_extraction,
    seed_meeting,
)

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    return seed_extraction()


@pytest.fixture(scope="module")
def graph(extraction: Extraction) -> Graph:
    return to_graph(extraction)


def only(graph: Graph, s=None, p=None, o=None):
    """The single subject/object matching the pattern with one None."""
    found = list(graph.triples((s, p, o)))
    assert len(found) == 1, found
    return next(t for t, pat in zip(found[0], (s, p, o)) if pat is None)


# -- IRIs ---------------------------------------------------------------------


def test_slug_folds_and_hyphenates() -> None:
    assert slug("Recep Tayyip Erdoğan") == "recep-tayyip-erdogan"
    assert slug("  Kremlin foreign-policy   advisor!") == "kremlin-foreign-policy-advisor"
    assert slug("Taiwan’s government") == "taiwan-s-government"
    assert slug("Łódź") == "lodz" and slug("Støre") == "store"
    assert slug("北京").startswith("x-") and slug("北京") == slug("北京")


def test_instance_iris_follow_the_decided_scheme() -> None:
    assert article_iri("abc") == URIRef("https://w3id.org/geokg/id/article/abc")
    assert graph_iri("abc") == URIRef("https://w3id.org/geokg/id/graph/abc")
    putin = Entity("person:vladimir putin", "Vladimir Putin", "Person", qid="Q7747")
    ushakov = Entity("person:yuri ushakov", "Yuri Ushakov", "Person")
    assert actor_iri(putin) == URIRef("https://w3id.org/geokg/id/entity/Q7747")
    assert actor_iri(ushakov) == URIRef("https://w3id.org/geokg/id/entity/person/yuri-ushakov")
    # same name and type in another article (other key) = same IRI
    assert actor_iri(Entity("p2", "Yuri Ushakov", "Person")) == actor_iri(ushakov)
    kremlin = Entity("g", "Kremlin", "GovernmentBody")
    assert role_iri(ushakov, "foreign policy advisor", kremlin) == URIRef(
        "https://w3id.org/geokg/id/role/person/yuri-ushakov/foreign-policy-advisor/governmentbody/kremlin")


def test_event_iri_depends_on_defining_fields_only() -> None:
    body = seed_article().body
    m = seed_meeting(body)
    iri = event_iri_of(ARTICLE_ID, m)
    assert str(iri).startswith(f"https://w3id.org/geokg/id/event/{ARTICLE_ID}/meeting-")
    assert len(str(iri).rsplit("-", 1)[1]) == 12
    assert event_iri_of(ARTICLE_ID, replace(m, confidence=0.4, status="planned")) == iri
    assert event_iri_of(ARTICLE_ID, replace(m, participants=tuple(reversed(m.participants)))) == iri
    assert event_iri_of(ARTICLE_ID, replace(m, trigger="conference")) != iri


# -- the seed extraction ------------------------------------------------------


def test_graph_is_the_article_named_graph(graph: Graph) -> None:
    assert graph.identifier == ID[f"graph/{ARTICLE_ID}"]
    assert not any(isinstance(t, BNode) for triple in graph for t in triple)


def test_actor_descriptions_are_only_in_the_actors_part(extraction: Extraction, graph: Graph) -> None:
    parts = to_graphs(extraction)
    assert parts.article.identifier == graph_iri(ARTICLE_ID) and parts.actors.identifier == ACTORS_GRAPH
    assert set(parts.article) | set(parts.actors) == set(graph) and not set(parts.article) & set(parts.actors)
    actors = {actor_iri(e) for e in extraction.entities}
    assert len(actors) == 8  # Putin, Xi, Trump, Ushakov, Russia, China, the Kremlin, Taiwan's government
    roles = set(parts.actors.subjects(RDF.type, GK.Role))
    assert len(roles) == 3  # Putin's and Xi's "President", Ushakov's "foreign policy advisor"
    # the actors part describes the actors and their roles, and nothing else
    assert set(parts.actors.subjects()) == actors | roles
    assert {p for _, p, _ in parts.actors} == {RDF.type, RDFS.label, OWL.sameAs, GK.holdsRole, GK.roleTitle,
                                                GK.roleOf, GK.affiliatedWith}
    # the article part refers to the actors (mentions, events) but never describes them
    assert not set(parts.article.subjects()) & (actors | roles)
    assert {o for o in parts.article.objects(None, ITSRDF.taIdentRef)} == actors
    assert not list(parts.article.triples((None, RDFS.label, None)))
    assert not list(parts.article.triples((None, OWL.sameAs, None)))


def test_article_node(graph: Graph, extraction: Extraction) -> None:
    a = ID[f"article/{ARTICLE_ID}"]
    assert (a, RDF.type, GK.Article) in graph
    assert graph.value(a, SCHEMA.headline) == Literal(
        "Putin, Xi Discuss Strengthening Ties, Potential US Engagement After Trump Inauguration")
    assert graph.value(a, SCHEMA.datePublished) == Literal("2025-01-22", datatype=XSD.date)
    assert graph.value(a, SCHEMA.publisher) == Literal("AFP")
    assert graph.value(a, SCHEMA.author) == Literal("Michelle Larsen")
    url = graph.value(a, SCHEMA.url)
    assert isinstance(url, URIRef) and str(url).startswith("file:///") and str(url).endswith(
        "seeds/000_e90bf088404a620c.txt")
    body = str(graph.value(a, SCHEMA.articleBody))
    assert body == extraction.article.body
    assert body.startswith("Russian President Vladimir Putin") and body.endswith("readiness to negotiate.")


def test_article_without_date_has_no_date_published() -> None:
    art = replace(seed_article(), published=None, author=None)
    g = to_graph(Extraction(art, ()))
    a = article_iri(ARTICLE_ID)
    assert g.value(a, SCHEMA.datePublished) is None
    assert g.value(a, SCHEMA.author) is None
    assert len(g) == 6  # type, identifier, headline, url, body, publisher


def test_putin_xi_meeting(graph: Graph) -> None:
    meeting = only(graph, p=RDF.type, o=GK.Meeting)
    participants = set(graph.objects(meeting, GK.participant))
    assert {graph.value(p, OWL.sameAs) for p in participants} == {WD.Q7747, WD.Q15031}
    assert {str(graph.value(p, RDFS.label)) for p in participants} == {"Vladimir Putin", "Xi Jinping"}
    assert graph.value(meeting, GK.mode) == GK.Remote
    assert graph.value(meeting, GK.status) == GK.Occurred
    assert graph.value(meeting, SEM.hasTimeStamp) == Literal("2025-01-21", datatype=XSD.date)
    assert graph.value(meeting, GK.datePrecision) == Literal("day")
    assert graph.value(meeting, GK.trigger) == Literal("held")
    assert graph.value(meeting, GK.cameoCode) == Literal("040")
    assert graph.value(meeting, GK.confidence) == Literal(Decimal("0.9"), datatype=XSD.decimal)
    assert list(graph.objects(meeting, GK.topic)) == [Literal("bilateral relations")]
    assert graph.value(meeting, PROV.wasDerivedFrom) == ID[f"article/{ARTICLE_ID}"]
    ev = graph.value(meeting, GK.evidence)
    assert graph.value(ev, NIF.anchorOf) == Literal(MEETING_SENTENCE)
    assert graph.value(ev, NIF.beginIndex) == Literal(0, datatype=XSD.nonNegativeInteger)  # first sentence
    assert graph.value(ev, NIF.endIndex) == Literal(len(MEETING_SENTENCE), datatype=XSD.nonNegativeInteger)


def test_ushakov_statement_for_the_kremlin(graph: Graph) -> None:
    st = only(graph, p=RDF.type, o=GK.Statement)
    ushakov = ID["entity/person/yuri-ushakov"]
    kremlin = ID["entity/governmentbody/kremlin"]
    assert graph.value(st, GK.speaker) == ushakov
    assert graph.value(st, GK.onBehalfOf) == kremlin
    assert graph.value(st, GK.directQuote) == Literal(False)
    assert "ready for dialogue with the new US administration" in str(graph.value(st, GK.content))
    assert graph.value(st, GK.status) == GK.Occurred
    assert graph.value(st, SEM.hasTimeStamp) is None and graph.value(st, GK.datePrecision) is None
    assert graph.value(graph.value(st, GK.evidence), NIF.anchorOf) == Literal(STATEMENT_SENTENCE)
    # unlinked actors: typed, labelled, no sameAs; the role and affiliation point to the Kremlin
    assert (ushakov, RDF.type, GK.Person) in graph and graph.value(ushakov, OWL.sameAs) is None
    assert (kremlin, RDF.type, GK.GovernmentBody) in graph
    role = graph.value(ushakov, GK.holdsRole)
    assert graph.value(role, GK.roleTitle) == Literal("foreign policy advisor")
    assert graph.value(role, GK.roleOf) == kremlin
    assert graph.value(ushakov, GK.affiliatedWith) == kremlin


def test_positions(graph: Graph) -> None:
    positions = {str(graph.value(p, GK.targetText)): p for p in graph.subjects(RDF.type, GK.Position)}
    assert set(positions) == {"the one China principle", "China’s claims"}
    support, reject = positions["the one China principle"], positions["China’s claims"]
    assert graph.value(support, GK.holder) == ID["entity/Q159"]
    assert graph.value(support, GK.stance) == GK.Support
    assert graph.value(support, GK.target) is None
    assert graph.value(reject, GK.holder) == ID["entity/governmentbody/government-of-taiwan"]
    assert graph.value(reject, GK.stance) == GK.Oppose
    assert graph.value(reject, GK.stanceKind) == Literal("reject")
    assert graph.value(reject, GK.target) == ID["entity/Q148"]
    assert graph.value(graph.value(reject, GK.evidence), NIF.anchorOf) == Literal(REJECT_SENTENCE)
    assert graph.value(reject, GK.trigger) is None  # Position records carry no trigger


def test_putin_role_is_president_of_russia(graph: Graph) -> None:
    putin = ID["entity/Q7747"]
    role = graph.value(putin, GK.holdsRole)
    assert graph.value(role, GK.roleTitle) == Literal("President")
    assert graph.value(graph.value(role, GK.roleOf), OWL.sameAs) == WD.Q159


def test_every_mention_is_mapped_with_its_text(graph: Graph, extraction: Extraction) -> None:
    body = extraction.article.body
    mentions = set(graph.subjects(RDF.type, GK.Mention))
    assert len(mentions) == sum(len(e.mentions) for e in extraction.entities) == 11
    for m in mentions:
        begin, end = int(graph.value(m, NIF.beginIndex)), int(graph.value(m, NIF.endIndex))
        assert body[begin:end] == str(graph.value(m, NIF.anchorOf))
        assert m == ID[f"mention/{ARTICLE_ID}/{begin}-{end}"]
        assert graph.value(m, PROV.wasDerivedFrom) == ID[f"article/{ARTICLE_ID}"]
    putin_mentions = set(graph.subjects(ITSRDF.taIdentRef, ID["entity/Q7747"]))
    assert {str(graph.value(m, NIF.anchorOf)) for m in putin_mentions} == {"Vladimir Putin", "Putin"}
    assert {graph.value(m, GK.linkScore) for m in putin_mentions} == {Literal(Decimal("0.97"))}
    # an unlinked actor's mentions carry no link score
    for m in graph.subjects(ITSRDF.taIdentRef, ID["entity/person/yuri-ushakov"]):
        assert graph.value(m, GK.linkScore) is None


def test_confidence_is_decimal_rounded_to_3_places() -> None:
    x = seed_extraction()
    m = replace(x.meetings[0], confidence=0.83361)
    g = to_graph(replace(x, meetings=(m,)))
    value = g.value(event_iri_of(ARTICLE_ID, m), GK.confidence)
    assert value.datatype == XSD.decimal and str(value) == "0.834"


@pytest.mark.parametrize("status, individual", [
    ("occurred", GK.Occurred), ("planned", GK.Planned), ("cancelled", GK.Cancelled), ("denied", GK.Denied),
])
def test_status_individuals(status: str, individual: URIRef) -> None:
    x = seed_extraction()
    m = replace(x.meetings[0], status=status, mode="in_person", date=EventDate(date(2025, 1, 1), "month"))
    g = to_graph(replace(x, meetings=(m,)))
    node = event_iri_of(ARTICLE_ID, m)
    assert g.value(node, GK.status) == individual
    assert g.value(node, GK.mode) == GK.InPerson
    assert g.value(node, GK.datePrecision) == Literal("month")


def test_mapping_is_deterministic(extraction: Extraction) -> None:
    g1, g2 = to_graph(extraction), to_graph(extraction)
    assert set(g1) == set(g2)
    assert g1.serialize(format="turtle") == g2.serialize(format="turtle")


def test_turtle_round_trip_is_isomorphic(graph: Graph) -> None:
    text = graph.serialize(format="turtle")
    back = Graph().parse(data=text, format="turtle")
    assert isomorphic(graph, back)
    assert len(back) == len(graph)


def test_trig_round_trip_keeps_the_graph_name(graph: Graph) -> None:
    ds = Dataset()
    ds.graph(graph.identifier).__iadd__(graph)
    back = Dataset().parse(data=ds.serialize(format="trig"), format="trig")
    assert isomorphic(back.graph(graph.identifier), graph)


# -- errors ---------------------------------------------------------------------


def test_unknown_entity_key_raises_mapping_error() -> None:
    x = seed_extraction()
    bad = replace(x.meetings[0], participants=("person:vladimir putin", "person:nobody"))
    with pytest.raises(MappingError, match=r"participant refers to unknown entity key 'person:nobody'") as info:
        to_graph(replace(x, meetings=(bad,)))
    assert isinstance(info.value, KGError)
    assert info.value.article_id == ARTICLE_ID


@pytest.mark.parametrize("change, message", [
    (lambda x: replace(x, meetings=(replace(x.meetings[0], status="happened"),)), "status 'happened' is not one of"),
    (lambda x: replace(x, meetings=(replace(x.meetings[0], mode="video"),)), "mode 'video' is not one of"),
    (lambda x: replace(x, meetings=(replace(x.meetings[0], place="city:beijing"),)), "place refers to unknown"),
    (lambda x: replace(x, statements=(replace(x.statements[0], speaker="x"),)), "speaker refers to unknown"),
    (lambda x: replace(x, positions=(replace(x.positions[0], stance="neutral"),)), "stance 'neutral' is not one"),
    (lambda x: replace(x, meetings=(replace(x.meetings[0], confidence=float("nan")),)), "confidence is nan"),
    (lambda x: replace(x, entities=(replace(x.entities[0], qid="7747"),) + x.entities[1:]), "not a Wikidata item"),
    (lambda x: replace(x, entities=(replace(x.entities[0], type="Human"),) + x.entities[1:]), "type 'Human'"),
    (lambda x: replace(x, entities=(replace(x.entities[0], roles=(Role("President", "country:x"),)),)
                       + x.entities[1:]), "role 'President' of entity"),
])
def test_bad_values_raise_mapping_error(change, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        to_graph(change(seed_extraction()))


# -- golden graphs ----------------------------------------------------------------


def golden_putin_xi_call(body: str) -> Extraction:
    """The first seed sentence alone: Putin and Xi's video call; Trump mentioned, unlinked."""
    def m(text: str, key: str) -> Mention:
        start = body.index(text)
        return Mention(text, start, start + len(text), key)

    article = Article(ARTICLE_ID, "file:///seeds/000_e90bf088404a620c.txt",
                      "Putin, Xi Discuss Strengthening Ties, Potential US Engagement After Trump Inauguration",
                      body, date(2025, 1, 22), "AFP")
    putin, xi = "person:vladimir putin", "person:xi jinping"
    entities = (
        Entity(putin, "Vladimir Putin", "Person", (m("Vladimir Putin", putin),),
               (Role("President", "country:russia"),), "Q7747", 0.97),
        Entity(xi, "Xi Jinping", "Person", (m("Xi Jinping", xi),), (Role("President", "country:china"),),
               "Q15031", 0.95),
        Entity("country:russia", "Russia", "Country", (m("Russian", "country:russia"),), qid="Q159"),
        Entity("country:china", "China", "Country", (m("Chinese", "country:china"),), qid="Q148"),
        Entity("person:donald trump", "Donald Trump", "Person", (m("Donald Trump", "person:donald trump"),)),
    )
    meeting = Meeting((putin, xi), Evidence(body, 0, len(body)), "held", mode="remote",
                      date=EventDate(date(2025, 1, 21)), topics=("bilateral relations",), confidence=0.9, cameo="040")
    return Extraction(article, entities, (meeting,))


GOLDEN_CASES = {"putin_xi_call": golden_putin_xi_call}


def test_golden_case_count() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()) == sorted(GOLDEN_CASES)
    assert len(GOLDEN_CASES) == 1


@pytest.mark.parametrize("case", sorted(GOLDEN_CASES))
def test_golden_graph(case: str) -> None:
    folder = GOLDEN / case
    body = (folder / "article.txt").read_text(encoding="utf-8")
    parts = to_graphs(GOLDEN_CASES[case](body))
    expected_ds = Dataset().parse(folder / "expected.trig", format="trig")
    assert {g.identifier for g in expected_ds.graphs() if len(g)} == {parts.article.identifier, ACTORS_GRAPH}
    for got in (parts.article, parts.actors):
        expected = expected_ds.graph(got.identifier)
        if not isomorphic(got, expected):
            _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
            pytest.fail(f"golden graph {got.identifier} differs\n--- only in mapped graph:\n"
                        + only_got.serialize(format="nt") + "--- only in expected.trig:\n"
                        + only_expected.serialize(format="nt"))


def test_ontology_alignment_gives_sem_and_schema_types_under_rdfs_reasoning(graph: Graph) -> None:
    import owlrl

    from kg.resources import load_ontology

    g = Graph()
    for t in graph:
        g.add(t)
    g += load_ontology()
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(g)
    meeting = next(graph.subjects(RDF.type, GK.Meeting))
    assert (meeting, RDF.type, SEM.Event) in g
    assert (meeting, RDF.type, PROV.Entity) in g
    assert {g.value(a, OWL.sameAs) for a in g.objects(meeting, SEM.hasActor)} == {WD.Q7747, WD.Q15031}
    assert (ID[f"article/{ARTICLE_ID}"], RDF.type, SCHEMA.NewsArticle) in g
    assert (ID["entity/Q7747"], RDF.type, SEM.Actor) in g
    assert (ID["entity/Q7747"], RDF.type, SCHEMA.Person) in g


def test_an_affiliation_is_asserted_by_a_reified_statement_in_the_article_graph():
    from kg.validate import validate_graph

    body = "Yuri Ushakov of the Kremlin spoke."
    kremlin = Entity("gov:kremlin", "Kremlin", "GovernmentBody", (Mention("Kremlin", 20, 27, "gov:kremlin"),))
    ushakov = Entity("person:ushakov", "Yuri Ushakov", "Person", (Mention("Yuri Ushakov", 0, 12, "person:ushakov"),),
                     (Role("adviser"),), affiliation_key="gov:kremlin")
    x = Extraction(Article("f1", "file:///f1.txt", "Spoke", body, date(2025, 1, 1)), (ushakov, kremlin))
    parts = to_graphs(x)
    holder, of = ID["entity/person/yuri-ushakov"], ID["entity/governmentbody/kremlin"]
    statement = ID["affiliation/f1/person/yuri-ushakov/governmentbody/kremlin"]
    assert (holder, GK.affiliatedWith, of) in parts.actors and (holder, GK.affiliatedWith, of) not in parts.article
    assert set(parts.article.triples((statement, None, None))) == {
        (statement, RDF.subject, holder), (statement, RDF.predicate, GK.affiliatedWith), (statement, RDF.object, of)}
    assert set(parts.article.objects(article_iri("f1"), GK.assertsAffiliation)) == {statement}
    assert set(parts.article.objects(article_iri("f1"), GK.assertsRole)) == {ID["role/person/yuri-ushakov/adviser"]}
    graph = parts.union()
    assert validate_graph(graph).conforms
    graph.remove((statement, RDF.object, None))
    report = validate_graph(graph)
    assert not report.conforms and "exactly one rdf:object" in report.text
