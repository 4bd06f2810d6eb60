"""Map an ``Extraction`` to the article's named graph and its actor descriptions (stage ``to_rdf``).

Requires: an ``Extraction`` whose events refer to entities by ``Entity.key``.
Produces (:func:`to_graphs`) two ``rdflib.Graph`` objects, the store layout of :mod:`kg.actors`:

``article`` -- identified by ``graph_iri(article_id)``, stored as the article's named graph:

- the article node (gk:Article: schema:headline, schema:url, schema:articleBody,
  schema:identifier, and schema:datePublished / publisher / author when known);
- every mention (gk:Mention: nif:anchorOf, nif:beginIndex, nif:endIndex,
  itsrdf:taIdentRef, prov:wasDerivedFrom, gk:linkScore when linked with a score);
- every meeting, statement and position with its evidence sentence, its CAMEO code and
  its PLOVER type and mode (gk:ploverType / gk:ploverMode from ``kg.plover.plover_of``).

``actors`` -- identified by ``ACTORS_GRAPH`` (``id/graph/actors``), merged into that shared graph:
every entity of the extraction as an actor (rdf:type gk:{type}, rdfs:label, owl:sameAs wd:{QID}
when linked, gk:holdsRole roles with rdf:type gk:Role, gk:roleTitle and gk:roleOf,
gk:affiliatedWith). No actor-description triple is in the article graph.

Provenance of the accumulating facts (so ``kg.actors.prune_orphans`` can retract what no article
asserts any more), in the article graph: ``<article> gk:assertsRole <role>`` for each role (the
role IRI encodes holder, title and the actor it is of, so it backs both ``<holder> gk:holdsRole
<role>`` and ``<role> gk:roleOf <of>``); for each affiliation ``<article> gk:assertsAffiliation
<id/affiliation/{article_id}/{holder segment}/{of segment}>``, a reified statement (rdf:subject
holder, rdf:predicate gk:affiliatedWith, rdf:object of) -- an article-level node rather than a
mention-level triple because an entity may have no mention (an event actor from an office).

:func:`to_graph` gives both in one graph: what SHACL validates and what a self-contained
single-article file (quarantine) holds.

The vocabulary and IRIs are those of notes/common.md (``kg.rdf.vocab``,
``kg.rdf.iris``). Data is asserted with gk: classes only; the ontology's
alignments give sem:/schema:/prov:/nif: types to a reasoner. There are no
blank nodes, so the same extraction always gives the same set of triples.

The mapping is faithful, not a validator: offsets, confidences out of [0, 1]
and the like are written as they are and judged by ``kg.validate`` (SHACL).
It only refuses what it cannot write at all: unknown entity keys, unknown
status/mode/stance/type values, malformed QIDs and non-finite numbers.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg.errors import MappingError
from kg.model import ACTOR_TYPES, Entity, EventDate, Evidence, Extraction, Meeting, Position, Statement
from kg.plover import plover_of
from kg.rdf import iris
from kg.rdf.vocab import GK, ID, ITSRDF, NIF, SCHEMA, SEM, WD, bind_prefixes

log = logging.getLogger(__name__)

STATUS_IRIS: dict[str, URIRef] = {
    "occurred": GK.Occurred,
    "planned": GK.Planned,
    "cancelled": GK.Cancelled,
    "denied": GK.Denied,
}
"""``Meeting/Statement/Position.status`` string -> gk:EventStatus individual."""

MODE_IRIS: dict[str, URIRef] = {"in_person": GK.InPerson, "remote": GK.Remote}
"""``Meeting.mode`` string -> gk:MeetingMode individual."""

STANCE_IRIS: dict[str, URIRef] = {"support": GK.Support, "oppose": GK.Oppose}
"""``Position.stance`` string -> gk:StanceValue individual."""

ACTOR_CLASSES: dict[str, URIRef] = {t: GK[t] for t in ACTOR_TYPES}
"""``Entity.type`` -> gk actor class."""


def decimal_literal(value: float, article_id: str, what: str) -> Literal:
    """An xsd:decimal literal of ``value`` rounded to 3 decimal places (``0.8333`` -> ``0.833``).

    Args:
        value: A finite number.
        article_id: For the error message.
        what: Name of the value, for the error message.

    Raises:
        MappingError: ``value`` is NaN or infinite.
    """
    if not math.isfinite(value):
        raise MappingError(article_id, f"{what} is {value!r}; expected a finite number in [0, 1]")
    return Literal(Decimal(str(round(float(value), 3))), datatype=XSD.decimal)


def _index(value: int) -> Literal:
    return Literal(value, datatype=XSD.nonNegativeInteger)


@dataclass(frozen=True)
class ArticleGraphs:
    """The two parts of one mapped article (see the module docstring).

    Attributes:
        article: The article's named graph (identifier ``graph_iri(article_id)``).
        actors: The descriptions of the actors it names (identifier ``ACTORS_GRAPH``).
    """

    article: Graph
    actors: Graph

    @property
    def graph_iri(self) -> URIRef:
        """IRI of the article's named graph."""
        return self.article.identifier

    def union(self) -> Graph:
        """A new graph with the triples of both parts, identified by the article graph's IRI."""
        out = bind_prefixes(Graph(identifier=self.article.identifier, bind_namespaces="core"))
        out += self.article
        out += self.actors
        return out


class _Mapper:
    """Holds the two graphs and the entity index while one extraction is mapped."""

    def __init__(self, extraction: Extraction) -> None:
        self.x = extraction
        self.article_id = extraction.article.article_id
        self.article = iris.article_iri(self.article_id)
        self.g = bind_prefixes(Graph(identifier=iris.graph_iri(self.article_id), bind_namespaces="core"))
        self.actors = bind_prefixes(Graph(identifier=iris.ACTORS_GRAPH, bind_namespaces="core"))
        self.entities: dict[str, Entity] = {}
        for entity in extraction.entities:
            if entity.key in self.entities and self.entities[entity.key] != entity:
                raise MappingError(self.article_id, f"two different entities share the key {entity.key!r}")
            self.entities[entity.key] = entity

    # -- helpers ---------------------------------------------------------

    def fail(self, reason: str) -> MappingError:
        return MappingError(self.article_id, reason)

    def entity(self, key: str, used_by: str) -> Entity:
        """The entity ``key`` (via ``Extraction.entity``); ``used_by`` names the referrer in the error."""
        try:
            return self.x.entity(key)
        except KeyError:
            known = ", ".join(sorted(self.entities)) or "none"
            raise self.fail(f"{used_by} refers to unknown entity key {key!r} (known keys: {known})") from None

    def actor(self, key: str, used_by: str) -> URIRef:
        """Actor IRI of the entity ``key``."""
        return self.actor_of(self.entity(key, used_by))

    def actor_of(self, entity: Entity) -> URIRef:
        try:
            return iris.actor_iri(entity)
        except ValueError as e:
            raise self.fail(str(e)) from None

    def choice(self, table: dict[str, URIRef], value: str, what: str) -> URIRef:
        try:
            return table[value]
        except KeyError:
            raise self.fail(f"{what} {value!r} is not one of {', '.join(sorted(table))}") from None

    # -- nodes -------------------------------------------------------------

    def map_article(self) -> None:
        a, art, g = self.article, self.x.article, self.g
        g.add((a, RDF.type, GK.Article))
        g.add((a, SCHEMA.identifier, Literal(art.article_id)))
        g.add((a, SCHEMA.headline, Literal(art.headline)))
        g.add((a, SCHEMA.url, iris.url_iri(art.url)))
        g.add((a, SCHEMA.articleBody, Literal(art.body)))
        if art.published is not None:
            g.add((a, SCHEMA.datePublished, Literal(art.published, datatype=XSD.date)))
        if art.publisher:
            g.add((a, SCHEMA.publisher, Literal(art.publisher)))
        if art.author:
            g.add((a, SCHEMA.author, Literal(art.author)))

    def map_entity(self, entity: Entity) -> None:
        a, g = self.actors, self.g
        node = self.actor_of(entity)
        cls = ACTOR_CLASSES.get(entity.type)
        if cls is None:
            raise self.fail(f"entity {entity.key!r} has type {entity.type!r}, not one of {', '.join(ACTOR_TYPES)}")
        a.add((node, RDF.type, cls))
        a.add((node, RDFS.label, Literal(entity.label)))
        if entity.qid:
            a.add((node, OWL.sameAs, WD[entity.qid]))
        for role in entity.roles:
            of = None
            if role.of_key is not None:
                of = self.entity(role.of_key, f"role {role.title!r} of entity {entity.key!r}")
            try:
                role_node = iris.role_iri(entity, role.title, of)
            except ValueError as e:
                raise self.fail(str(e)) from None
            a.add((node, GK.holdsRole, role_node))
            g.add((self.article, GK.assertsRole, role_node))  # provenance of holdsRole / roleOf (kg.actors)
            a.add((role_node, RDF.type, GK.Role))
            a.add((role_node, GK.roleTitle, Literal(role.title)))
            if of is not None:
                a.add((role_node, GK.roleOf, self.actor_of(of)))
        if entity.affiliation_key is not None:
            of = self.entity(entity.affiliation_key, f"affiliation of entity {entity.key!r}")
            a.add((node, GK.affiliatedWith, self.actor_of(of)))
            self.map_affiliation_statement(entity, of)
        for mention in entity.mentions:
            if mention.entity_key != entity.key:
                raise self.fail(f"mention {mention.text!r} at {mention.start}-{mention.end} is listed under entity "
                                f"{entity.key!r} but has entity_key {mention.entity_key!r}")
            m = iris.mention_iri(self.article_id, mention.start, mention.end)
            g.add((m, RDF.type, GK.Mention))
            g.add((m, NIF.anchorOf, Literal(mention.text)))
            g.add((m, NIF.beginIndex, _index(mention.start)))
            g.add((m, NIF.endIndex, _index(mention.end)))
            g.add((m, ITSRDF.taIdentRef, node))
            g.add((m, PROV.wasDerivedFrom, self.article))
            if entity.qid and entity.link_score is not None:
                g.add((m, GK.linkScore, decimal_literal(entity.link_score, self.article_id,
                                                       f"link_score of entity {entity.key!r}")))

    def map_affiliation_statement(self, entity: Entity, of: Entity) -> None:
        """Provenance of ``<entity> gk:affiliatedWith <of>`` in the article graph: the article
        gk:assertsAffiliation a reified statement (rdf:subject, rdf:predicate, rdf:object; RDF 1.1
        Semantics §D.4) ``id/affiliation/{article_id}/{entity segment}/{of segment}``."""
        try:
            node = ID[f"affiliation/{self.article_id}/{iris.actor_segment(entity)}/{iris.actor_segment(of)}"]
        except ValueError as e:
            raise self.fail(str(e)) from None
        self.g.add((self.article, GK.assertsAffiliation, node))
        self.g.add((node, RDF.subject, self.actor_of(entity)))
        self.g.add((node, RDF.predicate, GK.affiliatedWith))
        self.g.add((node, RDF.object, self.actor_of(of)))

    def map_evidence(self, evidence: Evidence) -> URIRef:
        node = iris.evidence_iri(self.article_id, evidence.start, evidence.end)
        g = self.g
        g.add((node, RDF.type, GK.Evidence))
        g.add((node, NIF.anchorOf, Literal(evidence.text)))
        g.add((node, NIF.beginIndex, _index(evidence.start)))
        g.add((node, NIF.endIndex, _index(evidence.end)))
        return node

    def map_event_common(self, event: Meeting | Statement | Position, cls: URIRef, seen: dict[URIRef, object]) -> URIRef:
        node = iris.event_iri_of(self.article_id, event)
        if node in seen and seen[node] != event:
            log.warning("article %s: two different %s records share the IRI %s (same defining fields); "
                        "their triples are merged", self.article_id, type(event).__name__, node)
        seen[node] = event
        what = f"{type(event).__name__.lower()} {node}"
        g = self.g
        g.add((node, RDF.type, cls))
        g.add((node, PROV.wasDerivedFrom, self.article))
        g.add((node, GK.evidence, self.map_evidence(event.evidence)))
        status = event.status  # every event record carries one (Statement/Position: "occurred" by default)
        g.add((node, GK.status, self.choice(STATUS_IRIS, status, f"{what}: status")))
        g.add((node, GK.confidence, decimal_literal(event.confidence, self.article_id, f"{what}: confidence")))
        g.add((node, GK.cameoCode, Literal(event.cameo)))
        self.map_plover(node, event)
        trigger = getattr(event, "trigger", None)  # Position records have no trigger
        if trigger is not None:
            g.add((node, GK.trigger, Literal(trigger)))
        self.map_date(node, event.date)
        from kg.rdf.event_roles import map_event_roles  # roles at the event date (gk:actorRole)
        map_event_roles(g, node, event, lambda key: self.actor(key, f"{what}: role holder or state"))
        return node

    def map_plover(self, node: URIRef, event: Meeting | Statement | Position) -> None:
        """gk:ploverType / gk:ploverMode from the event's CAMEO code, kind, trigger and mode (kg.plover)."""
        if isinstance(event, Meeting):
            kind, trigger, mode = "meeting", event.trigger, event.mode
        elif isinstance(event, Statement):
            kind, trigger, mode = "statement", event.trigger, None
        else:
            kind, trigger, mode = f"position:{event.kind}", None, None
        ptype, pmode = plover_of(kind, event.cameo, trigger, mode)
        if ptype is not None:
            self.g.add((node, GK.ploverType, Literal(ptype)))
            if pmode is not None:
                self.g.add((node, GK.ploverMode, Literal(pmode)))

    def map_date(self, node: URIRef, date: EventDate | None) -> None:
        if date is None:
            return
        self.g.add((node, SEM.hasTimeStamp, Literal(date.value, datatype=XSD.date)))
        self.g.add((node, GK.datePrecision, Literal(date.precision)))

    def map_meeting(self, m: Meeting, seen: dict[URIRef, object]) -> None:
        node = self.map_event_common(m, GK.Meeting, seen)
        what = f"meeting {node}"
        for key in m.participants:
            self.g.add((node, GK.participant, self.actor(key, f"{what}: participant")))
        if m.mode is not None:
            self.g.add((node, GK.mode, self.choice(MODE_IRIS, m.mode, f"{what}: mode")))
        if m.place is not None:
            self.g.add((node, SEM.hasPlace, self.actor(m.place, f"{what}: place")))
        for topic in m.topics:
            self.g.add((node, GK.topic, Literal(topic)))

    def map_statement(self, s: Statement, seen: dict[URIRef, object]) -> None:
        node = self.map_event_common(s, GK.Statement, seen)
        what = f"statement {node}"
        self.g.add((node, GK.speaker, self.actor(s.speaker, f"{what}: speaker")))
        if s.on_behalf_of is not None:
            self.g.add((node, GK.onBehalfOf, self.actor(s.on_behalf_of, f"{what}: on_behalf_of")))
        self.g.add((node, GK.content, Literal(s.content)))
        self.g.add((node, GK.directQuote, Literal(bool(s.direct_quote))))

    def map_position(self, p: Position, seen: dict[URIRef, object]) -> None:
        node = self.map_event_common(p, GK.Position, seen)
        what = f"position {node}"
        self.g.add((node, GK.holder, self.actor(p.holder, f"{what}: holder")))
        self.g.add((node, GK.stance, self.choice(STANCE_IRIS, p.stance, f"{what}: stance")))
        self.g.add((node, GK.stanceKind, Literal(p.kind)))
        self.g.add((node, GK.targetText, Literal(p.target_text)))
        if p.target is not None:
            self.g.add((node, GK.target, self.actor(p.target, f"{what}: target")))

    def run(self) -> ArticleGraphs:
        self.map_article()
        for entity in self.x.entities:
            self.map_entity(entity)
        seen: dict[URIRef, object] = {}
        for m in self.x.meetings:
            self.map_meeting(m, seen)
        for s in self.x.statements:
            self.map_statement(s, seen)
        for p in self.x.positions:
            self.map_position(p, seen)
        return ArticleGraphs(self.g, self.actors)


def to_graphs(extraction: Extraction) -> ArticleGraphs:
    """Map one article's extraction to its named graph and its actors' descriptions.

    Args:
        extraction: The article, its entities (all are described, with all
            their mentions) and its meetings, statements and positions.

    Returns:
        ``ArticleGraphs``: ``article`` (identifier ``graph_iri(article_id)``) and ``actors``
        (identifier ``ACTORS_GRAPH``), new in-memory graphs with the geokg prefixes bound.
        Store them with ``KGStore.write_articles``. Mapping the same extraction twice gives
        equal graphs (same triples, same Turtle).

    Raises:
        MappingError: An event, role or affiliation refers to an entity key that
            is not in ``extraction.entities``; two different entities share a
            key; a status, mode, stance or entity type is not one of the model's
            values; a QID is malformed; a confidence or link score is not finite.
    """
    parts = _Mapper(extraction).run()
    log.debug("article %s: mapped to %d article and %d actor triples", extraction.article.article_id,
              len(parts.article), len(parts.actors))
    return parts


def to_graph(extraction: Extraction) -> Graph:
    """The article graph and its actors' descriptions as one graph (``to_graphs(extraction).union()``).

    This is what SHACL validates (the shapes check the actors of events) and what a
    self-contained single-article file holds; it is not the stored layout (use
    :func:`to_graphs` and ``KGStore.write_articles`` to store).

    Returns:
        A new graph identified by ``graph_iri(article_id)``.

    Raises:
        MappingError: as :func:`to_graphs`.
    """
    return to_graphs(extraction).union()
