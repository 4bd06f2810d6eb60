"""PLOVER event type and mode: the CAMEO table, the rules per kind, the RDF and the SHACL shape.

Table rows are checked against CAMEO2PLOVER-2021.txt and the PLOVER codebook draft 0.7b1
(openeventdata/PLOVER, see docs/plover-cameo.md); the seed expectations were read in the seed
article (../shared/seeds/000_e90bf088404a620c.txt).
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from conftest import SHARED
from kg.plover import CAMEO_TO_PLOVER, PLOVER_TYPES, lookup, plover_of, statement_cameo
from kg.rdf.vocab import GK, NIF

SEED = SHARED / "seeds" / "000_e90bf088404a620c.txt"


# -- the table and the rules -------------------------------------------------------------------

def test_table_uses_only_the_16_codebook_types() -> None:
    assert len(PLOVER_TYPES) == 16
    assert {t for t, _m in CAMEO_TO_PLOVER.values()} <= set(PLOVER_TYPES)


@pytest.mark.parametrize("cameo, expected", [
    ("040", ("CONSULT", None)),          # 040: CONSULT, ,  # Consult
    ("041", ("CONSULT", "phone")),       # Discuss by telephone
    ("042", ("CONSULT", "visit")),       # Make a visit
    ("044", ("CONSULT", "third-party")),  # Meet at a 'third' location
    ("051", ("SUPPORT", None)),          # Praise or endorse
    ("1056", ("DEMAND", "yield")),       # Demand de-escalation of military engagement
    ("112", ("ACCUSE", "disapprove")),   # Accuse
    ("125", ("REJECT", "meet")),         # Reject proposal to meet, discuss, negotiate
    ("0871", ("RETREAT", "ceasefire")),  # Declare truce, ceasefire
    ("163", ("SANCTION", None)),         # Impose embargo, boycott, or sanctions (codebook, not COERCE)
    ("1129", ("ACCUSE", "disapprove")),  # not a CAMEO code: falls back to its parent 112
    ("010", (None, None)),               # make statement: PLOVER dropped CAMEO 01
    ("026", (None, None)),               # appeal to meet: PLOVER dropped CAMEO 02
])
def test_lookup(cameo: str, expected) -> None:
    assert lookup(cameo) == expected


def test_meetings_are_consult_with_the_codebook_modes() -> None:
    assert plover_of("meeting", "040", "video conference", "remote") == ("CONSULT", "phone")
    assert plover_of("meeting", "040", "talks", "in_person") == ("CONSULT", None)
    assert plover_of("meeting", "042", "visited", "in_person") == ("CONSULT", "visit")
    # a planned meeting (CAMEO 036, AGREE in the 2021 table) is a CONSULT with context "future"
    assert plover_of("meeting", "036", "summit", None) == ("CONSULT", None)
    assert plover_of("meeting", "036", "visit", "in_person") == ("CONSULT", "visit")


def test_statements_take_the_act_of_their_reporting_verb_only() -> None:
    assert plover_of("statement", "010", "said") == (None, None)
    assert plover_of("statement", "012", "warned") == (None, None)      # pessimistic comment
    assert plover_of("statement", "010", "urged") == (None, None)       # an appeal
    assert plover_of("statement", "010", "accused") == ("ACCUSE", "disapprove")
    assert plover_of("statement", "010", "slammed") == ("ACCUSE", "disapprove")
    assert plover_of("statement", "010", "decried") == ("ACCUSE", "disapprove")
    assert plover_of("statement", "013", "praised") == ("SUPPORT", None)
    assert plover_of("statement", "010", "threatened") == ("THREATEN", None)
    assert statement_cameo("according to") is None


def test_positions_follow_their_cameo_code_and_appeals_have_no_type() -> None:
    assert plover_of("position:reject", "120") == ("REJECT", None)
    assert plover_of("position:demand", "108") == ("DEMAND", "meet")
    assert plover_of("position:urge", "100") == (None, None)
    assert plover_of("position:demand", "100") == ("DEMAND", None)


# -- on the seed article -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_graph() -> tuple:
    if not SEED.is_file():
        pytest.skip(f"seed article {SEED} is absent (../shared)")
    from kg.pipeline import Pipeline
    from kg.rdf.mapping import to_graph
    from kg.readers import read_path

    extraction = Pipeline().extract(read_path(SEED)[0])
    return extraction, to_graph(extraction)


def _events(graph: Graph, cls: URIRef, sentence_start: str) -> list[URIRef]:
    return [e for e in graph.subjects(RDF.type, cls)
            if str(graph.value(graph.value(e, GK.evidence), NIF.anchorOf)).startswith(sentence_start)]


def _plover(graph: Graph, event: URIRef) -> tuple:
    t, m = graph.value(event, GK.ploverType), graph.value(event, GK.ploverMode)
    return (str(t) if t is not None else None, str(m) if m is not None else None)


def test_every_seed_event_has_the_plover_of_its_codes(seed_graph) -> None:
    from kg.rdf.iris import event_iri_of

    extraction, graph = seed_graph
    aid = extraction.article.article_id
    events = [*extraction.meetings, *extraction.statements, *extraction.positions]
    assert events
    for e in extraction.meetings:
        assert _plover(graph, event_iri_of(aid, e)) == plover_of("meeting", e.cameo, e.trigger, e.mode)
    for e in extraction.statements:
        assert _plover(graph, event_iri_of(aid, e)) == plover_of("statement", e.cameo, e.trigger)
    for e in extraction.positions:
        assert _plover(graph, event_iri_of(aid, e)) == plover_of(f"position:{e.kind}", e.cameo)


def test_seed_video_conference_is_consult_by_phone(seed_graph) -> None:
    # "Putin and … Xi Jinping held a wide-ranging video conference on Tuesday": a consultation
    # "via phone or some other remote medium"
    _, graph = seed_graph
    [meeting] = _events(graph, GK.Meeting, "Russian President Vladimir Putin and Chinese President Xi Jinping held")
    assert _plover(graph, meeting) == ("CONSULT", "phone")


def test_seed_statement_and_positions(seed_graph) -> None:
    _, graph = seed_graph
    # "Ushakov said that Russia is “ready for dialogue …”": a plain statement, no PLOVER type
    said = _events(graph, GK.Statement, "Regarding the conflict in Ukraine, Ushakov said")
    assert said and all(_plover(graph, s) == (None, None) for s in said)
    # "Taiwan’s government has consistently rejected China’s claims."
    rejected = _events(graph, GK.Position, "Taiwan’s government has consistently rejected")
    assert {_plover(graph, p) for p in rejected} == {("REJECT", None)}
    # "Russia “confirmed its unwavering position of support for the one China principle,”"
    support = _events(graph, GK.Position, "Ushakov emphasized that Russia “confirmed")
    assert ("SUPPORT", None) in {_plover(graph, p) for p in support}
    # "Xi has also called for talks to end the conflict, while accusing the US of fueling it"
    xi = {_plover(graph, p) for p in _events(graph, GK.Position, "Xi has also called for talks")}
    assert ("ACCUSE", "disapprove") in xi


def test_seed_graph_with_plover_conforms(seed_graph) -> None:
    from kg.validate import validate_graph

    _, graph = seed_graph
    assert any(graph.triples((None, GK.ploverType, None)))
    assert validate_graph(graph).conforms


# -- the SHACL shape ---------------------------------------------------------------------------

@pytest.fixture()
def mapped() -> Graph:
    from seed_extraction import seed_extraction

    from kg.rdf.mapping import to_graph

    return to_graph(seed_extraction())


def _meeting(graph: Graph) -> URIRef:
    return next(graph.subjects(RDF.type, GK.Meeting))


@pytest.mark.parametrize("bad", ["MAKE STATEMENT", "consult", "DISAPPROVE", "FIGHT"])
def test_shapes_reject_a_value_that_is_no_plover_type(mapped: Graph, bad: str) -> None:
    from kg.validate import validate_graph

    m = _meeting(mapped)
    mapped.set((m, GK.ploverType, Literal(bad)))
    report = validate_graph(mapped)
    assert not report.conforms
    assert str(m) in report.focus_nodes
    assert "ploverType" in report.text


def test_shapes_reject_two_types_and_a_malformed_mode(mapped: Graph) -> None:
    from kg.validate import validate_graph

    m = _meeting(mapped)
    assert validate_graph(mapped).conforms
    mapped.add((m, GK.ploverType, Literal("AGREE")))
    assert not validate_graph(mapped).conforms
    mapped.remove((m, GK.ploverType, Literal("AGREE")))
    mapped.set((m, GK.ploverMode, Literal("Phone Call")))
    assert not validate_graph(mapped).conforms
