"""Map an event's roles at the event date (``Meeting/Statement/Position.roles``) to the article graph.

For each ``EventRole`` of an event, in the event's article graph (no blank nodes)::

    <event> gk:actorRole <event>/role/{actor segment}/{slug(title)}[/{of-actor segment}] .
    <…/role/…> a gk:RoleAtEvent ;
        gk:roleHolder <actor> ;           # the person (an actor IRI, kg.rdf.iris.actor_iri)
        gk:roleTitle "President of Russia" ;
        gk:roleOf <id/entity/Q159> ;      # when the state or body is known
        gk:roleSource "gazetteer" ;       # or "text"
        gk:roleStart "2012-05-07"^^xsd:date ;   # gazetteer roles: the office's term
        gk:roleEnd "…"^^xsd:date .              # only when the term had ended

``gk:roleOf`` is the actor IRI of the article entity ``EventRole.of`` when the article names the
state, else ``id/entity/{of_qid}`` (``kg.rdf.iris.actor_iri_of_qid``: the IRI the state has in every
article that names it), so "President Lee" gets South Korea even in an article that never names the
country. Its segment ends the node's IRI, so two roles of one title for two states are two nodes. The rule that
chooses the roles is in ``kg.extract.event_roles``; the terms are in ontology/geokg.ttl and
``gks:RoleAtEventShape`` (shapes/geokg-shapes.ttl) checks them.
"""

from __future__ import annotations

from typing import Callable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.errors import MappingError
from kg.model import ROLE_SOURCES, Meeting, Position, Statement
from kg.rdf import iris
from kg.rdf.vocab import GK, ID


def _article_id(event: URIRef) -> str:
    """The article id inside an event IRI ``id/event/{article_id}/{kind}-{hash12}`` (for error messages)."""
    rest = str(event)[len(str(ID["event/"])):]
    return rest.split("/", 1)[0] if str(event).startswith(str(ID["event/"])) else str(event)


def map_event_roles(graph: Graph, event: URIRef, record: Meeting | Statement | Position,
                    actor_iri_of: Callable[[str], URIRef]) -> None:
    """Add the gk:RoleAtEvent nodes of ``record.roles`` to ``graph``, linked from ``event`` by gk:actorRole.

    Args:
        graph: The article graph being built (modified in place).
        event: The event's IRI (``kg.rdf.iris.event_iri_of``).
        record: The event record; its ``roles`` are mapped (nothing is added when it has none).
        actor_iri_of: Gives the actor IRI of an entity key of the article; it raises (e.g. the
            mapper's ``MappingError``) for an unknown key.

    Raises:
        MappingError: a role's source is not one of ``kg.model.ROLE_SOURCES``, or its ``of_qid``
            is not a Wikidata item id; whatever ``actor_iri_of`` raises for an unknown key.
    """
    for role in record.roles:
        what = f"role {role.title!r} of {role.actor!r} at event {event}"
        if role.source not in ROLE_SOURCES:
            raise MappingError(_article_id(event),
                               f"{what}: source {role.source!r} is not one of {', '.join(ROLE_SOURCES)}")
        holder = actor_iri_of(role.actor)
        of = None
        if role.of is not None:
            of = actor_iri_of(role.of)
        elif role.of_qid is not None:
            if not iris.is_qid(role.of_qid):
                raise MappingError(_article_id(event), f"{what}: of_qid {role.of_qid!r} is not a Wikidata item id")
            of = iris.actor_iri_of_qid(role.of_qid)
        node = iris.event_role_iri(event, holder, role.title, of)
        graph.add((event, GK.actorRole, node))
        graph.add((node, RDF.type, GK.RoleAtEvent))
        graph.add((node, GK.roleHolder, holder))
        graph.add((node, GK.roleTitle, Literal(role.title)))
        graph.add((node, GK.roleSource, Literal(role.source)))
        if of is not None:
            graph.add((node, GK.roleOf, of))
        if role.start is not None:
            graph.add((node, GK.roleStart, Literal(role.start, datatype=XSD.date)))
        if role.end is not None:
            graph.add((node, GK.roleEnd, Literal(role.end, datatype=XSD.date)))
