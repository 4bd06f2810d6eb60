"""SHACL shapes (shapes/geokg-shapes.ttl) and kg.validate on mapped seed graphs.

A correct mapping of the hand-built seed extraction conforms; each broken graph
below does not, and its report names the offending focus node.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import pyshacl
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SH, XSD

from kg.errors import ValidationError
from kg.model import Evidence, Extraction, Mention
from kg.rdf.iris import event_iri_of, evidence_iri, mention_iri
from kg.rdf.mapping import to_graph
from kg.rdf.vocab import GK, ID, SCHEMA, SEM
from kg.resources import load_shapes, shapes_text
from kg.validate import ensure_valid, validate_dataset, validate_graph
from seed_extraction import ARTICLE_ID, PUTIN, TRUMP, USHAKOV, XI, seed_extraction

ARTICLE = ID[f"article/{ARTICLE_ID}"]
PUTIN_IRI = ID["entity/Q7747"]
TRUMP_IRI = ID["entity/Q22686"]


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    return seed_extraction()


@pytest.fixture(scope="module")
def graph(extraction: Extraction) -> Graph:
    return to_graph(extraction)


def copy(graph: Graph) -> Graph:
    g = Graph(identifier=graph.identifier)
    for t in graph:
        g.add(t)
    return g


# -- the shapes themselves -------------------------------------------------------


def test_shapes_parse_and_are_valid_shacl() -> None:
    shapes = Graph().parse(data=shapes_text(), format="turtle")
    assert len(shapes) == len(load_shapes()) > 0
    # pySHACL's meta-validation checks the shapes graph against the SHACL-for-SHACL shapes
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text


def test_every_gk_class_and_property_is_constrained() -> None:
    shapes = load_shapes()
    targets = set(shapes.objects(None, SH.targetClass))
    paths = set(shapes.objects(None, SH.path))
    paths |= {shapes.value(p, SH.inversePath) for p in set(paths)}
    in_lists = {member for head in shapes.objects(None, SH["in"]) for member in shapes.items(head)}
    individuals = {GK.Occurred, GK.Planned, GK.Cancelled, GK.Denied, GK.InPerson, GK.Remote, GK.Support, GK.Oppose}
    value_classes = {GK.EventStatus, GK.MeetingMode, GK.StanceValue}  # checked by sh:in on gk:status/mode/stance
    for term in dir(GK):
        local = str(term).rsplit("#", 1)[1]
        if term in individuals:
            assert term in in_lists, f"{term} is in no sh:in list"
        elif term in value_classes:
            continue
        elif local[0].isupper():
            assert term in targets, f"no shape targets {term}"
        else:
            assert term in paths, f"no property shape has path {term}"


# -- conforming graphs -----------------------------------------------------------


def test_seed_graph_conforms(graph: Graph) -> None:
    report = validate_graph(graph)
    assert report.conforms, report.text
    assert report.results_count == 0 and report.focus_nodes == ()
    assert ensure_valid(graph).conforms


def test_validation_does_not_modify_the_graph(graph: Graph) -> None:
    before = set(graph)
    validate_graph(graph)
    assert set(graph) == before


def test_extraction_without_events_conforms(extraction: Extraction) -> None:
    report = validate_graph(to_graph(replace(extraction, meetings=(), statements=(), positions=())))
    assert report.conforms, report.text


# -- broken graphs ------------------------------------------------------------------
# Each case: a function from (extraction, mapped graph) to a broken graph, the focus
# node the report must name, and words of the expected message.

Breaker = Callable[[Extraction, Graph], Graph]


def _meeting(x: Extraction) -> URIRef:
    return event_iri_of(ARTICLE_ID, x.meetings[0])


def _statement(x: Extraction) -> URIRef:
    return event_iri_of(ARTICLE_ID, x.statements[0])


def two_speakers(x: Extraction, g: Graph) -> Graph:
    g.add((_statement(x), GK.speaker, TRUMP_IRI))
    return g


def one_participant(x: Extraction, g: Graph) -> Graph:
    return to_graph(replace(x, meetings=(replace(x.meetings[0], participants=(PUTIN,)),)))


def same_participant_twice(x: Extraction, g: Graph) -> Graph:
    return to_graph(replace(x, meetings=(replace(x.meetings[0], participants=(XI, XI)),)))


def evidence_offsets_shifted(x: Extraction, g: Graph) -> Graph:
    ev = x.meetings[0].evidence
    moved = Evidence(ev.text, ev.start + 1, ev.end + 1)
    return to_graph(replace(x, meetings=(replace(x.meetings[0], evidence=moved),)))


def mention_text_wrong(x: Extraction, g: Graph) -> Graph:
    putin = x.entity(PUTIN)
    first = putin.mentions[0]  # "Vladimir Putin"
    wrong = Mention("Putin", first.start, first.start + 5, PUTIN)  # reads "Vladi"
    entities = tuple(replace(e, mentions=(wrong,) + e.mentions[1:]) if e.key == PUTIN else e for e in x.entities)
    return to_graph(replace(x, entities=entities))


def mention_past_body_end(x: Extraction, g: Graph) -> Graph:
    n = len(x.article.body)
    g.add((mention_iri(ARTICLE_ID, n - 2, n + 3), RDF.type, GK.Mention))
    m = mention_iri(ARTICLE_ID, n - 2, n + 3)
    g.add((m, URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf"), Literal("e.")))
    g.add((m, URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex"),
           Literal(n - 2, datatype=XSD.nonNegativeInteger)))
    g.add((m, URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#endIndex"),
           Literal(n + 3, datatype=XSD.nonNegativeInteger)))
    g.add((m, URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef"), PUTIN_IRI))
    g.add((m, PROV.wasDerivedFrom, ARTICLE))
    return g


def empty_mention(x: Extraction, g: Graph) -> Graph:
    ushakov = x.entity(USHAKOV)
    at = ushakov.mentions[0].start
    entities = tuple(replace(e, mentions=e.mentions + (Mention("", at, at, USHAKOV),)) if e.key == USHAKOV else e
                     for e in x.entities)
    return to_graph(replace(x, entities=entities))


def confidence_above_one(x: Extraction, g: Graph) -> Graph:
    return to_graph(replace(x, meetings=(replace(x.meetings[0], confidence=1.5),)))


def confidence_as_double(x: Extraction, g: Graph) -> Graph:
    g.set((_meeting(x), GK.confidence, Literal(0.9, datatype=XSD.double)))
    return g


def sameas_not_wikidata(x: Extraction, g: Graph) -> Graph:
    g.remove((PUTIN_IRI, OWL.sameAs, None))
    g.add((PUTIN_IRI, OWL.sameAs, URIRef("http://dbpedia.org/resource/Vladimir_Putin")))
    return g


def actor_two_labels(x: Extraction, g: Graph) -> Graph:
    g.add((PUTIN_IRI, RDFS.label, Literal("Putin")))
    return g


def _position(x: Extraction) -> URIRef:
    return event_iri_of(ARTICLE_ID, x.positions[0])


def position_empty_target_text(x: Extraction, g: Graph) -> Graph:
    g.set((_position(x), GK.targetText, Literal("")))  # was "the one China principle"
    return g


def status_not_a_status(x: Extraction, g: Graph) -> Graph:
    g.set((_meeting(x), GK.status, GK.Remote))
    return g


def cameo_not_digits(x: Extraction, g: Graph) -> Graph:
    return to_graph(replace(x, meetings=(replace(x.meetings[0], cameo="04a"),)))


def timestamp_not_a_date(x: Extraction, g: Graph) -> Graph:
    g.set((_meeting(x), SEM.hasTimeStamp, Literal("2025-01-21T10:00:00", datatype=XSD.dateTime)))
    return g


def precision_without_timestamp(x: Extraction, g: Graph) -> Graph:
    g.remove((_meeting(x), SEM.hasTimeStamp, None))
    return g


def precision_not_a_unit(x: Extraction, g: Graph) -> Graph:
    g.set((_meeting(x), GK.datePrecision, Literal("week")))
    return g


def event_without_article(x: Extraction, g: Graph) -> Graph:
    g.remove((_statement(x), PROV.wasDerivedFrom, None))
    return g


def event_two_evidences(x: Extraction, g: Graph) -> Graph:
    other = x.statements[0].evidence
    g.add((_meeting(x), GK.evidence, evidence_iri(ARTICLE_ID, other.start, other.end)))
    return g


def participant_not_an_actor(x: Extraction, g: Graph) -> Graph:
    g.add((_meeting(x), GK.participant, ID["entity/Q1"]))
    return g


def place_is_a_person(x: Extraction, g: Graph) -> Graph:
    return to_graph(replace(x, meetings=(replace(x.meetings[0], place=TRUMP),)))


def article_two_headlines(x: Extraction, g: Graph) -> Graph:
    g.add((ARTICLE, SCHEMA.headline, Literal("Another headline")))
    return g


def article_url_literal(x: Extraction, g: Graph) -> Graph:
    g.set((ARTICLE, SCHEMA.url, Literal("https://example.org/a")))
    return g


def article_date_string(x: Extraction, g: Graph) -> Graph:
    g.set((ARTICLE, SCHEMA.datePublished, Literal("January 22, 2025")))
    return g


CASES: dict[str, tuple[Breaker, Callable[[Extraction], URIRef], str]] = {
    "statement with two speakers": (two_speakers, _statement, "exactly one gk:speaker"),
    "meeting with one participant": (one_participant, lambda x: event_iri_of(
        ARTICLE_ID, replace(x.meetings[0], participants=(PUTIN,))), "at least two"),
    "meeting with the same participant twice": (same_participant_twice, lambda x: event_iri_of(
        ARTICLE_ID, replace(x.meetings[0], participants=(XI, XI))), "at least two"),
    "evidence offsets do not match its text": (evidence_offsets_shifted, lambda x: evidence_iri(
        ARTICLE_ID, x.meetings[0].evidence.start + 1, x.meetings[0].evidence.end + 1), "is not the article body"),
    "mention text does not match its offsets": (mention_text_wrong, lambda x: mention_iri(
        ARTICLE_ID, x.entity(PUTIN).mentions[0].start, x.entity(PUTIN).mentions[0].start + 5), "which reads Vladi"),
    "mention past the end of the body": (mention_past_body_end, lambda x: mention_iri(
        ARTICLE_ID, len(x.article.body) - 2, len(x.article.body) + 3), "past the end of the article body"),
    "mention with begin == end": (empty_mention, lambda x: mention_iri(
        ARTICLE_ID, x.entity(USHAKOV).mentions[0].start, x.entity(USHAKOV).mentions[0].start), "less than"),
    "confidence 1.5": (confidence_above_one, _meeting, "gk:confidence, an xsd:decimal in [0, 1]"),
    "confidence as xsd:double": (confidence_as_double, _meeting, "xsd:decimal"),
    "sameAs to a non-Wikidata IRI": (sameas_not_wikidata, lambda x: PUTIN_IRI, "Wikidata item IRI"),
    "actor with two labels": (actor_two_labels, lambda x: PUTIN_IRI, "exactly one non-empty rdfs:label"),
    "position with an empty gk:targetText": (position_empty_target_text, _position, "non-empty xsd:string"),
    "status not a gk:EventStatus": (status_not_a_status, _meeting, "gk:Occurred, gk:Planned"),
    "CAMEO code not digits": (cameo_not_digits, lambda x: event_iri_of(
        ARTICLE_ID, replace(x.meetings[0], cameo="04a")), "2 to 4 digits"),
    "timestamp not an xsd:date": (timestamp_not_a_date, _meeting, "sem:hasTimeStamp, an xsd:date"),
    "date precision without timestamp": (precision_without_timestamp, _meeting, "together, or neither"),
    "date precision not day/month/year": (precision_not_a_unit, _meeting, "gk:datePrecision is one of"),
    "event without prov:wasDerivedFrom": (event_without_article, _statement, "prov:wasDerivedFrom"),
    "event with two evidences": (event_two_evidences, _meeting, "exactly one gk:evidence"),
    "participant that is not an actor": (participant_not_an_actor, _meeting, "at least two distinct gk:participant"),
    "meeting place that is a person": (place_is_a_person, lambda x: event_iri_of(
        ARTICLE_ID, replace(x.meetings[0], place=TRUMP)), "gk:Place or gk:Country"),
    "article with two headlines": (article_two_headlines, lambda x: ARTICLE, "exactly one schema:headline"),
    "article url a literal": (article_url_literal, lambda x: ARTICLE, "schema:url, an IRI"),
    "article date a plain string": (article_date_string, lambda x: ARTICLE, "schema:datePublished"),
}


def test_broken_case_count() -> None:
    assert len(CASES) == 24


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_graph_does_not_conform(name: str, extraction: Extraction, graph: Graph) -> None:
    breaker, focus, words = CASES[name]
    report = validate_graph(breaker(extraction, copy(graph)))
    assert not report.conforms
    assert str(focus(extraction)) in report.focus_nodes, report.text
    assert words in report.text, report.text
    assert report.results_count >= 1


def test_ensure_valid_raises_with_the_report(extraction: Extraction, graph: Graph) -> None:
    broken = two_speakers(extraction, copy(graph))
    with pytest.raises(ValidationError) as info:
        ensure_valid(broken, source="seed 000")
    assert "seed 000" in str(info.value)
    assert str(_statement(extraction)) in info.value.report


# -- datasets -----------------------------------------------------------------------


@pytest.mark.parametrize("store", ["default", "Oxigraph"])
def test_validate_dataset_reports_each_named_graph(store: str, extraction: Extraction, graph: Graph) -> None:
    ds = Dataset(store=store)
    good = ds.graph(graph.identifier)
    for t in graph:
        good.add(t)
    other = replace(extraction, article=replace(extraction.article, article_id="0000000000000bad"))
    broken_graph = confidence_above_one(other, to_graph(other))
    bad = ds.graph(broken_graph.identifier)
    for t in broken_graph:
        bad.add(t)
    ds.graph(URIRef("urn:example:not-an-article")).add((ARTICLE, RDFS.label, Literal("x")))
    results = validate_dataset(ds)
    assert [str(iri) for iri, _ in results] == [str(ID["graph/0000000000000bad"]), str(ID[f"graph/{ARTICLE_ID}"])]
    assert [r.conforms for _, r in results] == [False, True]
    assert len(validate_dataset(ds, article_graphs_only=False)) == 3
