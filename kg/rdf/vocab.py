"""The geokg RDF vocabulary as Python names.

``GK`` lists every term of ``ontology/geokg.ttl`` as a closed rdflib
``DefinedNamespace`` (``_fail = True``), so ``GK.Meetnig`` raises
``AttributeError`` instead of silently minting a new IRI; the pattern is
rdflib's ``rdflib/namespace/_ORG.py``. ``tests/test_vocab.py`` checks that the
names here and the terms the ontology declares are the same set.

``SEM``, ``NIF`` and ``ITSRDF`` are closed too but list only the terms geokg
uses (add a term here before using it). ``SCHEMA`` (http://schema.org/, the
namespace the vocabulary brief fixes, not rdflib's https ``SDO``), ``WD`` and
``ID`` are open namespaces.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD, DefinedNamespace, Namespace
from rdflib.term import URIRef


class GK(DefinedNamespace):
    """geokg ontology, https://w3id.org/geokg/ontology# (source: ontology/geokg.ttl)."""

    _fail = True
    _NS = Namespace("https://w3id.org/geokg/ontology#")

    # owl:Class
    Article: URIRef  # A news article; its schema:articleBody is the text all offsets refer to.
    Mention: URIRef  # One surface occurrence of an actor in an article body (nif:Phrase).
    Evidence: URIRef  # The sentence an event was extracted from (nif:Sentence).
    Event: URIRef  # A happening between actors as reported by one article (sem:Event, prov:Entity).
    Meeting: URIRef  # Two or more actors meeting, talking, calling, visiting (CAMEO 04x).
    Statement: URIRef  # A reported speech act of one speaker (CAMEO 01x).
    Position: URIRef  # An actor's stance towards a target (CAMEO 05x / 11x / 12x).
    Actor: URIRef  # A political actor (sem:Actor).
    Person: URIRef  # A human being.
    Country: URIRef  # A sovereign state.
    Organization: URIRef  # An international/non-governmental organisation, company, alliance.
    GovernmentBody: URIRef  # An institution of a state (ministry, parliament, the Kremlin).
    Group: URIRef  # A non-state armed, political or ethnic group.
    Place: URIRef  # A city, region or other location that is not a country.
    Role: URIRef  # A role the text gives an actor ("President" of Russia).
    EventStatus: URIRef  # Class of gk:Occurred, gk:Planned, gk:Cancelled, gk:Denied.
    MeetingMode: URIRef  # Class of gk:InPerson, gk:Remote.
    StanceValue: URIRef  # Class of gk:Support, gk:Oppose.
    CanonicalMeeting: URIRef  # One real-world meeting merged from per-article reports (kg/canonical.py).
    RoleAtEvent: URIRef  # The role a person actor holds at the event date (kg/extract/event_roles.py).

    # owl:NamedIndividual
    Occurred: URIRef  # The event happened.
    Planned: URIRef  # The event is planned, scheduled or expected.
    Cancelled: URIRef  # The planned event was called off.
    Denied: URIRef  # The event did not happen or is denied.
    InPerson: URIRef  # Face-to-face meeting.
    Remote: URIRef  # Phone / video meeting.
    Support: URIRef  # The holder supports the target.
    Oppose: URIRef  # The holder opposes the target.

    # owl:ObjectProperty
    evidence: URIRef  # Event -> Evidence sentence.
    status: URIRef  # Event -> EventStatus.
    participant: URIRef  # Meeting -> Actor (>= 2).
    mode: URIRef  # Meeting -> MeetingMode.
    speaker: URIRef  # Statement -> Actor (exactly 1).
    onBehalfOf: URIRef  # Statement -> Actor the speaker speaks for.
    holder: URIRef  # Position -> Actor (exactly 1).
    stance: URIRef  # Position -> StanceValue.
    target: URIRef  # Position -> Actor the position is about.
    holdsRole: URIRef  # Actor -> Role.
    roleOf: URIRef  # Role -> Actor the role belongs to.
    affiliatedWith: URIRef  # Actor -> Actor it belongs to.
    reportedIn: URIRef  # CanonicalMeeting -> each per-article Meeting report it merges.
    actorRole: URIRef  # Event -> RoleAtEvent of one of its person actors.
    roleHolder: URIRef  # RoleAtEvent -> the Person holding it (exactly 1).
    assertsRole: URIRef  # Article -> Role it gives an actor (provenance of holdsRole/roleOf).
    assertsAffiliation: URIRef  # Article -> reified rdf:Statement of an affiliatedWith it asserts.

    # owl:DatatypeProperty
    confidence: URIRef  # xsd:decimal in [0, 1].
    cameoCode: URIRef  # CAMEO code, 2-4 digits, xsd:string.
    datePrecision: URIRef  # "day" | "month" | "year".
    trigger: URIRef  # The triggering word.
    topic: URIRef  # A subject discussed at a meeting.
    content: URIRef  # What the speaker said.
    directQuote: URIRef  # xsd:boolean, content quoted verbatim.
    stanceKind: URIRef  # The extractor's kind of stance.
    targetText: URIRef  # The words naming the target of a position.
    roleTitle: URIRef  # The title of a role.
    linkScore: URIRef  # Score of the mention's entity link, xsd:decimal in [0, 1].
    mergeReason: URIRef  # Why a report was merged into a CanonicalMeeting (xsd:string).
    ploverType: URIRef  # PLOVER event type (AGREE ... ASSAULT), xsd:string (kg/plover.py).
    ploverMode: URIRef  # PLOVER mode ("visit", "phone", "meet" ...), xsd:string (kg/plover.py).
    roleSource: URIRef  # RoleAtEvent: "gazetteer" | "text".
    roleStart: URIRef  # RoleAtEvent: first day of the office's term, xsd:date.
    roleEnd: URIRef  # RoleAtEvent: last day of the office's term, xsd:date.


class SEM(DefinedNamespace):
    """Simple Event Model, http://semanticweb.cs.vu.nl/2009/11/sem/ (terms geokg uses)."""

    _fail = True
    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")

    Event: URIRef
    Actor: URIRef
    Place: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTimeStamp: URIRef


class NIF(DefinedNamespace):
    """NIF 2.0 Core, http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core# (terms geokg uses)."""

    _fail = True
    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")

    String: URIRef
    Phrase: URIRef
    Sentence: URIRef
    Context: URIRef
    anchorOf: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    isString: URIRef
    referenceContext: URIRef


class ITSRDF(DefinedNamespace):
    """ITS 2.0 RDF, http://www.w3.org/2005/11/its/rdf# (terms geokg uses)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/2005/11/its/rdf#")

    taIdentRef: URIRef
    taClassRef: URIRef
    taConfidence: URIRef


SCHEMA = Namespace("http://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
ID = Namespace("https://w3id.org/geokg/id/")

PREFIXES: dict[str, str] = {
    "gk": str(GK),
    "sem": str(SEM),
    "prov": str(PROV),
    "nif": str(NIF),
    "itsrdf": str(ITSRDF),
    "schema": str(SCHEMA),
    "wd": str(WD),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}
"""The prefixes geokg binds in every graph it writes (also used for SPARQL prologues)."""


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the geokg prefixes (``PREFIXES``) in ``graph``'s namespace manager.

    Existing bindings of the same prefixes are replaced (rdflib binds ``schema:``
    to https://schema.org/ by default; geokg uses http://schema.org/).

    Args:
        graph: Any rdflib Graph, Dataset or ConjunctiveGraph.

    Returns:
        The same graph, for chaining.
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """Return ``PREFIX`` lines for every entry of ``PREFIXES``, for SPARQL queries."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
