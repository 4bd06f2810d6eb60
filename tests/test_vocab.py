"""The vocabulary module and the ontology agree, and the ontology is a well-formed OWL document."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from kg.rdf.vocab import GK, ITSRDF, NIF, SCHEMA, SEM, bind_prefixes, sparql_prologue
from kg.resources import load_ontology, ontology_text

DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                     OWL.NamedIndividual)
ONTOLOGY_IRI = URIRef("https://w3id.org/geokg/ontology")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology()


def declared_gk_terms(onto: Graph) -> set[URIRef]:
    return {s for t in DECLARATION_TYPES for s in onto.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(str(GK))}


def test_ontology_is_valid_turtle_and_owl_ontology(onto: Graph) -> None:
    # parses from the packaged text (importlib.resources) with a strict Turtle parser
    assert len(Graph().parse(data=ontology_text(), format="turtle")) == len(onto)
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert onto.value(ONTOLOGY_IRI, DCTERMS.license) is not None
    assert onto.value(ONTOLOGY_IRI, DCTERMS.creator) == Literal("geokg")


def test_gk_terms_equal_ontology_declarations(onto: Graph) -> None:
    in_module = set(dir(GK))
    in_ontology = declared_gk_terms(onto)
    assert in_module - in_ontology == set(), "terms in kg/rdf/vocab.py GK but not declared in ontology/geokg.ttl"
    assert in_ontology - in_module == set(), "terms declared in ontology/geokg.ttl but missing from GK"
    # every gk: IRI the ontology mentions anywhere is a declared term (no undeclared use)
    used = {t for triple in onto for t in triple if isinstance(t, URIRef) and str(t).startswith(str(GK))}
    assert used <= in_ontology
    assert len(in_ontology) == 62  # guard the count: 20 classes, 8 individuals, 17 object + 17 datatype properties


def test_every_term_has_english_label_and_comment(onto: Graph) -> None:
    for term in dir(GK):
        labels = list(onto.objects(term, RDFS.label))
        comments = list(onto.objects(term, RDFS.comment))
        assert len(labels) == 1 and labels[0].language == "en", term
        assert len(comments) == 1 and len(str(comments[0])) > 20, term


def test_gk_is_closed() -> None:
    with pytest.raises(AttributeError):
        GK.Meetnig  # noqa: B018 - a typo must fail
    with pytest.raises(AttributeError):
        SEM.hasActors  # noqa: B018


@pytest.mark.parametrize("sub, relation, sup", [
    (GK.Event, RDFS.subClassOf, SEM.Event),
    (GK.Event, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")),
    (GK.Meeting, RDFS.subClassOf, GK.Event),
    (GK.Statement, RDFS.subClassOf, GK.Event),
    (GK.Position, RDFS.subClassOf, GK.Event),
    (GK.Actor, RDFS.subClassOf, SEM.Actor),
    (GK.Place, RDFS.subClassOf, SEM.Place),
    (GK.Place, RDFS.subClassOf, GK.Actor),
    (GK.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
    (GK.Person, RDFS.subClassOf, SCHEMA.Person),
    (GK.Organization, RDFS.subClassOf, SCHEMA.Organization),
    (GK.Country, RDFS.subClassOf, SCHEMA.Country),
    (GK.Mention, RDFS.subClassOf, NIF.Phrase),
    (GK.Evidence, RDFS.subClassOf, NIF.Sentence),
    (GK.participant, RDFS.subPropertyOf, SEM.hasActor),
    (GK.speaker, RDFS.subPropertyOf, SEM.hasActor),
    (GK.Occurred, RDF.type, GK.EventStatus),
    (GK.Denied, RDF.type, GK.EventStatus),
    (GK.Remote, RDF.type, GK.MeetingMode),
    (GK.Oppose, RDF.type, GK.StanceValue),
])
def test_alignment_axioms(onto: Graph, sub: URIRef, relation: URIRef, sup: URIRef) -> None:
    assert (sub, relation, sup) in onto


def test_event_is_not_a_prov_activity(onto: Graph) -> None:
    # prov:wasDerivedFrom (domain/range prov:Entity) is used on events; PROV-O makes Activity and Entity disjoint
    assert (GK.Event, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Activity")) not in onto


def test_every_actor_type_of_the_model_is_an_actor_class(onto: Graph) -> None:
    from kg.model import ACTOR_TYPES

    for name in ACTOR_TYPES:
        assert (GK[name], RDFS.subClassOf, GK.Actor) in onto


def test_bind_prefixes_uses_http_schema_org() -> None:
    g = bind_prefixes(Graph())
    assert dict(g.namespaces())["schema"] == URIRef("http://schema.org/")
    assert "PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>" in sparql_prologue()
    assert str(ITSRDF.taIdentRef) == "http://www.w3.org/2005/11/its/rdf#taIdentRef"
