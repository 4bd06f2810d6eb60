"""The shared actors graph ``id/graph/actors``: writing articles with their actors, reading and pruning them.

The store layout (README, "The store"):

- one named graph per article, ``id/graph/{article_id}``: the article node, its mentions
  (``itsrdf:taIdentRef`` -> the actor IRI, ``gk:linkScore``), evidence and events;
- one named graph of actor descriptions, ``id/graph/actors`` (:data:`ACTORS_GRAPH`): per actor
  IRI its rdf:type, rdfs:label, owl:sameAs, gk:holdsRole and the role nodes (rdf:type gk:Role,
  gk:roleTitle, gk:roleOf), gk:affiliatedWith (the article graphs say which roles and affiliations
  they assert: gk:assertsRole, gk:assertsAffiliation);
- the canonical meetings, ``id/graph/canonical`` (:mod:`kg.canonical`).

Why one shared graph: Oxigraph's union default graph is a bag (a triple stored in n named graphs
matches n times), so a description repeated in every article graph naming the actor gave
duplicate rows and inflated counts; stored once, it matches once.

Merging (:func:`write_update`): the rdf:type and rdfs:label of an actor and the gk:roleTitle of
a role are single-valued (:data:`SINGLE_VALUED`): the article written last replaces the stored
value in the same update. Every other description triple (owl:sameAs, gk:holdsRole, gk:roleOf,
gk:affiliatedWith) is added to what is stored, so links and roles seen in any article accumulate.

Retraction (:func:`prune_orphans`, after each batch): the accumulating links (:data:`LINKS`) are
backed by provenance in the article graphs (``kg.rdf.mapping``): ``<article> gk:assertsRole
<role>`` backs ``<holder> gk:holdsRole <role>`` and ``<role> gk:roleOf <of>`` (the role IRI
encodes holder, title and of); ``<article> gk:assertsAffiliation <statement>``, a reified
statement (rdf:subject, rdf:object), backs ``<subject> gk:affiliatedWith <object>``. A link no
article graph backs any more (its article was re-ingested without it, or dropped) is deleted, so
a wrong role or affiliation goes away with the article that gave it, while one that another
article asserts stays. owl:sameAs is not backed this way: it comes from linking (ingest or
``kg link``), whose evidence is the mentions (itsrdf:taIdentRef, gk:linkScore), and it goes with
the actor's description when no graph refers to the actor. Stores written before this
provenance have none: re-ingest them, or the next prune removes all their roles and affiliations.

Every write is SPARQL 1.1 Update text run by ``KGStore._write`` (one update = one transaction),
so it works unchanged on any store that runs SPARQL updates.
"""

from __future__ import annotations

import logging
from typing import Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.oxigraph import named_node, to_ox_triple
from kg.rdf.iris import ACTORS_GRAPH
from kg.rdf.vocab import GK, bind_prefixes

__all__ = ["ACTORS_GRAPH", "LINKS", "ORPHANS_UPDATE", "PRUNE_UPDATE", "RETRACT_UPDATE", "SINGLE_VALUED",
           "describe_query", "descriptions", "prune_orphans", "write_update"]

log = logging.getLogger(__name__)

SINGLE_VALUED: tuple[URIRef, ...] = (RDF.type, RDFS.label, GK.roleTitle)
"""Predicates of which a description node keeps one value: the latest write replaces the stored one."""

LINKS: tuple[URIRef, ...] = (GK.holdsRole, GK.roleOf, GK.affiliatedWith)
"""Predicates joining description nodes: actor -> role -> the actor the role is of; actor -> affiliation."""

_SINGLE = {str(p) for p in SINGLE_VALUED}
_A = named_node(ACTORS_GRAPH)
_LINK_PATH = "|".join(f"<{p}>" for p in LINKS)

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RETRACT_UPDATE = f"""DELETE {{ GRAPH {_A} {{ ?s ?p ?o }} }}
WHERE {{
  {{ GRAPH {_A} {{ ?s <{GK.holdsRole}> ?o }} BIND (<{GK.holdsRole}> AS ?p)
     FILTER NOT EXISTS {{ GRAPH ?g {{ ?article <{GK.assertsRole}> ?o }} }} }}
  UNION
  {{ GRAPH {_A} {{ ?s <{GK.roleOf}> ?o }} BIND (<{GK.roleOf}> AS ?p)
     FILTER NOT EXISTS {{ GRAPH ?g {{ ?article <{GK.assertsRole}> ?s }} }} }}
  UNION
  {{ GRAPH {_A} {{ ?s <{GK.affiliatedWith}> ?o }} BIND (<{GK.affiliatedWith}> AS ?p)
     FILTER NOT EXISTS {{ GRAPH ?g {{ ?article <{GK.assertsAffiliation}> ?st .
                                     ?st <{_RDF}subject> ?s ; <{_RDF}object> ?o }} }} }}
}}"""
"""Delete the :data:`LINKS` triples of the actors graph that no named graph asserts (gk:assertsRole,
gk:assertsAffiliation; see the module docstring)."""

ORPHANS_UPDATE = f"""DELETE {{ GRAPH {_A} {{ ?s ?p ?o }} }}
WHERE {{
  GRAPH {_A} {{ ?s ?p ?o }}
  MINUS {{
    {{ SELECT DISTINCT ?root WHERE {{
        GRAPH {_A} {{ ?root ?p0 ?o0 }}
        FILTER EXISTS {{ GRAPH ?g {{ ?x ?q ?root }} FILTER (?g != {_A}) }}
    }} }}
    GRAPH {_A} {{ ?root ({_LINK_PATH})* ?s }}
  }}
}}"""
"""Delete the description of every node of the actors graph that no other named graph refers to,
directly or through :data:`LINKS` from a node that one refers to."""

PRUNE_UPDATE = f"{RETRACT_UPDATE} ;\n{ORPHANS_UPDATE}"
"""What :func:`prune_orphans` runs: :data:`RETRACT_UPDATE` then :data:`ORPHANS_UPDATE`, one request
(one transaction); the second sees the links the first removed, so a retracted role's node goes too."""


def write_update(articles: Iterable) -> tuple[str, int]:
    """The SPARQL update text that stores articles with their actors, and the number of triples in it.

    For each article, in order: ``DROP SILENT GRAPH <article graph>``; ``INSERT DATA`` of the
    article triples; ``DELETE`` of the stored values of the single-valued facts the article's
    actor triples give (:data:`SINGLE_VALUED`); ``INSERT DATA`` of the actor triples into
    :data:`ACTORS_GRAPH`. Run as one update it is one transaction: all or nothing.

    Args:
        articles: ``kg.rdf.mapping.ArticleGraphs`` (anything with rdflib graphs ``article``,
            whose identifier names the article graph, and ``actors``).

    Returns:
        (update text, article + actor triples written); the text is empty when there is no article.

    Raises:
        StoreError: a term Oxigraph rejects (e.g. an invalid IRI); raised before any text is run.
        QueryError: an article graph identifier that is not an IRI.
    """
    ops: list[str] = []
    count = 0
    for parts in articles:
        name = named_node(parts.article.identifier)
        article = [to_ox_triple(t) for t in parts.article]
        actors = [to_ox_triple(t) for t in parts.actors]
        count += len(article) + len(actors)
        ops.append(f"DROP SILENT GRAPH {name}")
        if article:
            ops.append(_insert(name, article))
        single = sorted({f"({t.subject} {t.predicate})" for t in actors
                         if t.predicate.value in _SINGLE and isinstance(t.subject, ox.NamedNode)})
        if single:
            ops.append(f"DELETE {{ GRAPH {_A} {{ ?s ?p ?o }} }} WHERE {{ VALUES (?s ?p) {{ {' '.join(single)} }} "
                       f"GRAPH {_A} {{ ?s ?p ?o }} }}")
        if actors:
            ops.append(_insert(_A, actors))
    return " ;\n".join(ops), count


def _insert(name, triples) -> str:
    body = " .\n".join(str(t) for t in triples)
    return f"INSERT DATA {{ GRAPH {name} {{\n{body} .\n}} }}"


def prune_orphans(store) -> int:
    """Remove the links no article asserts any more, then the actors (and their role nodes) that
    no article graph refers to any more.

    Run after a batch (``kg ingest``, ``POST /articles``, ``kg link``): a re-ingested article may
    name fewer actors or give fewer roles, a removed article graph none. First every gk:holdsRole,
    gk:roleOf and gk:affiliatedWith triple of the actors graph that no named graph asserts
    (gk:assertsRole / gk:assertsAffiliation, module docstring) is deleted. Then a description
    node is kept when a triple of another named graph (a mention's itsrdf:taIdentRef, an event's
    participant, speaker, holder, target, place or onBehalfOf, an article's gk:assertsRole, a
    canonical meeting's participant) has it as object, or when it is reached from such a node
    through the remaining :data:`LINKS` (its roles, the country a role is of, its affiliation).
    The store's default graph is not a reference. One SPARQL update (:data:`PRUNE_UPDATE`, two
    operations) through ``store.update``.

    Args:
        store: A writable ``kg.store.KGStore``.

    Returns:
        The number of triples removed from :data:`ACTORS_GRAPH`.

    Raises:
        StoreError: the store is read-only or the update fails (nothing is removed then).
    """
    before = store.triple_count(ACTORS_GRAPH)
    if not before:
        return 0
    store.update(PRUNE_UPDATE)
    removed = before - store.triple_count(ACTORS_GRAPH)
    if removed:
        log.info("pruned %d triples of actors no article refers to from %s", removed, ACTORS_GRAPH)
    return removed


def describe_query(graph_iri: str | URIRef) -> str:
    """A SPARQL CONSTRUCT of the descriptions, in :data:`ACTORS_GRAPH`, of the nodes the named graph
    ``graph_iri`` has as objects, with the nodes reached from them through :data:`LINKS`.

    Raises:
        QueryError: ``graph_iri`` is not an IRI.
    """
    g = named_node(graph_iri)
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{
      GRAPH {g} {{ ?x ?q ?root }} FILTER (isIRI(?root))
      GRAPH {_A} {{ ?root ({_LINK_PATH})* ?s }}
  }} }}
  GRAPH {_A} {{ ?s ?p ?o }}
}}"""


def descriptions(actors: Graph, graph: Graph) -> Graph:
    """In memory, what :func:`describe_query` selects: the triples of ``actors`` describing the
    IRIs ``graph`` has as objects, and the nodes reached from them through :data:`LINKS`.

    Args:
        actors: The actors graph (or any graph of descriptions).
        graph: An article graph.

    Returns:
        A new graph identified by :data:`ACTORS_GRAPH`.
    """
    out = bind_prefixes(Graph(identifier=ACTORS_GRAPH, bind_namespaces="core"))
    todo = {o for o in graph.objects() if isinstance(o, URIRef)}
    seen: set[URIRef] = set()
    links = set(LINKS)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in actors.triples((node, None, None)):
            out.add(triple)
            if triple[1] in links and isinstance(triple[2], URIRef):
                todo.add(triple[2])
    return out
