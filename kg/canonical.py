"""Canonical meetings: one real-world meeting that several reports describe (issue 3, section 4).

Requires: a store whose article graphs hold per-article ``gk:Meeting`` reports (``kg.pipeline``).
Produces: the named graph ``id/graph/canonical`` (:data:`CANONICAL_GRAPH`), recomputed from
the whole store and replaced atomically by :func:`update_canonical` (``kg.pipeline.ingest``
calls it after each batch). It holds one ``gk:CanonicalMeeting`` per cluster of reports, a
single report included, so "one node per real-world meeting" is one query
(``?m a gk:CanonicalMeeting``), with

- ``gk:reportedIn`` each report (the per-article ``gk:Meeting``, which keeps its evidence),
  ``prov:wasDerivedFrom`` each article, ``gk:mergeReason`` why each report was merged;
- ``gk:participant`` the union of the reports' participants, ``sem:hasTimeStamp`` +
  ``gk:datePrecision``, ``gk:mode``, ``sem:hasPlace``, ``gk:status``, ``gk:cameoCode``,
  ``gk:confidence`` and ``gk:topic`` summarised as :func:`summarise` says;
- nothing else: the actors are described once, in the shared graph ``id/graph/actors``
  (:mod:`kg.actors`, see :func:`build_graph`); the graph conforms to the SHACL shapes on its
  own (``gks:CanonicalMeetingShape``).

Only ``gk:CanonicalMeeting`` is asserted (the ontology makes it a sub-class of gk:Meeting), so
queries for ``?m a gk:Meeting`` -- the evaluator, the event table, the example queries -- still
see per-article reports only.

The merge rules, clustering and summaries are in :mod:`kg.canonical_rules`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from kg.canonical_rules import (DATE_WINDOW_DAYS, STATUS_PRECEDENCE, UNDATED_WINDOW_DAYS, Cluster, Report,
                                cluster_reports, compatible, conflicts, summarise)
from kg.rdf.iris import ACTORS_GRAPH, is_qid
from kg.rdf.mapping import MODE_IRIS, STATUS_IRIS, decimal_literal
from kg.rdf.vocab import GK, ID, SEM, bind_prefixes

__all__ = ["CANONICAL_GRAPH", "ActorIndex", "CanonicalResult", "Cluster", "Report", "build_graph",
           "canonical_graph", "cluster_reports", "compatible", "conflicts", "read_reports", "summarise",
           "update_canonical", "DATE_WINDOW_DAYS", "UNDATED_WINDOW_DAYS", "STATUS_PRECEDENCE"]

log = logging.getLogger(__name__)

CANONICAL_GRAPH = ID["graph/canonical"]
"""The one named graph holding every canonical meeting (replaced as a whole)."""

_STATUS_NAMES = {str(iri): name for name, iri in STATUS_IRIS.items()}
_MODE_NAMES = {str(iri): name for name, iri in MODE_IRIS.items()}
_ENTITY = str(ID["entity/"])
_WD = "http://www.wikidata.org/entity/"
_ACTOR_CLASSES = {str(GK[t]) for t in ("Person", "Country", "Organization", "GovernmentBody", "Group", "Place",
                                        "Actor")}

_FROM_ARTICLES = f"FILTER (?g != <{CANONICAL_GRAPH}> && ?g != <{ACTORS_GRAPH}>)"

REPORTS_QUERY = f"""
SELECT ?m ?article ?published ?p ?date ?precision ?mode ?place ?status ?confidence ?cameo ?topic WHERE {{
  GRAPH ?g {{
    ?m a gk:Meeting ; prov:wasDerivedFrom ?article ; gk:participant ?p .
    OPTIONAL {{ ?article schema:datePublished ?published }}
    OPTIONAL {{ ?m sem:hasTimeStamp ?date }}
    OPTIONAL {{ ?m gk:datePrecision ?precision }}
    OPTIONAL {{ ?m gk:mode ?mode }}
    OPTIONAL {{ ?m sem:hasPlace ?place }}
    OPTIONAL {{ ?m gk:status ?status }}
    OPTIONAL {{ ?m gk:confidence ?confidence }}
    OPTIONAL {{ ?m gk:cameoCode ?cameo }}
    OPTIONAL {{ ?m gk:topic ?topic }}
  }}
  {_FROM_ARTICLES}
}}"""
"""Every per-article meeting report, one row per participant (and topic)."""

ACTORS_QUERY = f"""
SELECT DISTINCT ?actor ?type ?label ?same WHERE {{
  {{ SELECT DISTINCT ?actor WHERE {{
    {{ GRAPH ?g {{ ?m a gk:Meeting ; gk:participant|sem:hasPlace|(gk:actorRole/gk:roleOf) ?actor . }} }}
    UNION
    {{ GRAPH ?g {{ ?m a gk:Meeting ; gk:participant ?p . }}
       GRAPH <{ACTORS_GRAPH}> {{ ?p gk:affiliatedWith ?actor }} }}
    {_FROM_ARTICLES}
  }} }}
  ?actor a ?type .
  OPTIONAL {{ ?actor rdfs:label ?label }}
  OPTIONAL {{ ?actor owl:sameAs ?same }}
}}"""
"""Type, labels and owl:sameAs of every actor taking part in, or hosting, a meeting report, and of the
states and bodies its participants represent (the meetings from the article graphs, the descriptions
from the union graph: ``id/graph/actors``)."""

SIDES_QUERY = f"""
SELECT DISTINCT ?m ?p ?of ?aff WHERE {{
  GRAPH ?g {{ ?m a gk:Meeting ; gk:participant ?p . }}
  {_FROM_ARTICLES}
  {{ GRAPH ?g {{ ?m gk:actorRole ?r . ?r gk:roleHolder ?p ; gk:roleOf ?of . }} }}
  UNION
  {{ GRAPH <{ACTORS_GRAPH}> {{ ?p a gk:Person ; gk:affiliatedWith ?aff . }} }}
}}"""
"""Per meeting report and participant: the state or body of each of the participant's roles at that
meeting (``?of``, ``docs/roles-at-event.md``), and the participant's affiliations (``?aff``)."""


@dataclass(frozen=True)
class CanonicalResult:
    """What :func:`update_canonical` did: meetings and reports counted, and whether it was stored."""

    meetings: int
    reports: int
    merged: int  # canonical meetings with more than one report
    stored: bool
    report: str | None = None  # the SHACL report when the graph did not conform


def _norm(label: str) -> str:
    return " ".join(label.casefold().split())


class ActorIndex:
    """Actor keys: the QID of a linked actor, else its IRI (rule 1 of the module docstring).

    Args:
        rows: ``(actor IRI, type IRI, label or None, owl:sameAs or None)`` tuples (:data:`ACTORS_QUERY`).
    """

    def __init__(self, rows) -> None:
        self.types: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, set[str]] = defaultdict(set)
        self.sames: dict[str, set[str]] = defaultdict(set)
        for actor, type_, label, same in rows:
            if type_ in _ACTOR_CLASSES:
                self.types[actor].add(type_)
            if label is not None:
                self.labels[actor].add(label)
            if same is not None and same.startswith(_WD) and is_qid(same[len(_WD):]):
                self.sames[actor].add(same)
        own = {a: self._own_qid(a) for a in self.types.keys() | self.labels.keys()}
        by_label: dict[tuple[str, str], set[str]] = defaultdict(set)
        for actor, qid in own.items():
            if qid:
                for label in self.labels[actor]:
                    for type_ in self.types[actor]:
                        by_label[(_norm(label), type_)].add(qid)
        self.keys: dict[str, str] = {}
        for actor, qid in own.items():
            if not qid:
                found = {q for label in self.labels[actor] for type_ in self.types[actor]
                         for q in by_label.get((_norm(label), type_), ())}
                qid = found.pop() if len(found) == 1 else None
            self.keys[actor] = qid or actor
        self.members: dict[str, list[str]] = defaultdict(list)
        for actor, key in sorted(self.keys.items()):
            self.members[key].append(actor)
        self._own = own

    def _own_qid(self, actor: str) -> str | None:
        tail = actor[len(_ENTITY):] if actor.startswith(_ENTITY) else ""
        if is_qid(tail):
            return tail
        sames = sorted(self.sames.get(actor, ()))
        return sames[0][len(_WD):] if sames else None

    def key(self, actor: str) -> str:
        """The key of ``actor`` (its QID or own IRI when the store does not describe it)."""
        return self.keys.get(actor) or self._own_qid(actor) or actor

    def representative(self, key: str) -> str:
        """The actor IRI a canonical meeting uses for ``key``: ``id/entity/{QID}`` when stored, else
        the smallest IRI that itself carries the QID, else the key itself."""
        if not is_qid(key):
            return key
        linked = str(ID[f"entity/{key}"])
        if linked in self.keys:
            return linked
        own = [a for a in self.members.get(key, ()) if self._own.get(a) == key]
        return own[0] if own else (self.members.get(key) or [linked])[0]


def read_reports(store) -> tuple[list[Report], ActorIndex]:
    """Read every per-article meeting report and the actors they use, with SPARQL over the article graphs.

    Args:
        store: A ``kg.store.KGStore`` (anything with ``query(sparql) -> rdflib Result``).

    Returns:
        The reports sorted by IRI, and the actor index their keys come from.
    """
    actors = ActorIndex((str(r.actor), str(r.type), _text(r.label), _text(r.same))
                        for r in store.query(ACTORS_QUERY))
    raw: dict[str, dict] = {}
    for r in store.query(REPORTS_QUERY):
        rec = raw.setdefault(str(r.m), {"participants": set(), "topics": set()})
        rec["participants"].add(actors.key(str(r.p)))
        if r.topic is not None:
            rec["topics"].add(str(r.topic))
        for var in ("article", "published", "date", "precision", "mode", "place", "status", "confidence", "cameo"):
            value = r[var]
            if value is not None:  # one value expected; keep the smallest for determinism
                rec[var] = min(rec.get(var, value), value, key=str)
    sides = _sides(store, actors)
    reports = []
    for iri, rec in sorted(raw.items()):
        place = rec.get("place")
        reports.append(Report(
            iri=iri, article=str(rec["article"]), published=_date(rec.get("published")),
            participants=frozenset(rec["participants"]), date=_date(rec.get("date")),
            precision=_text(rec.get("precision")),
            status=_STATUS_NAMES.get(str(rec.get("status")), "occurred"),
            mode=_MODE_NAMES.get(str(rec.get("mode"))), place=actors.key(str(place)) if place is not None else None,
            confidence=float(rec.get("confidence", 0.5)), cameo=str(rec.get("cameo", "040")),
            topics=tuple(sorted(rec["topics"])), side_of=frozenset(sides.get(iri, ()))))
    return reports, actors


def _sides(store, actors: ActorIndex) -> dict[str, set[tuple[str, str]]]:
    """Per report IRI, ``(participant key, side key)`` of each person participant that represents a
    state or body (rule 2b of :mod:`kg.canonical_rules`): the gk:roleOf of their roles at that
    meeting, else their gk:affiliatedWith. Of several, a gk:Country first, then the smallest key."""
    found: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for r in store.query(SIDES_QUERY):
        p = str(r.p)
        if str(GK.Person) not in actors.types.get(p, ()):
            continue  # a state or body is its own side, even when affiliated with another
        of, aff = found[(str(r.m), p)]
        if r.of is not None:
            of.add(actors.key(str(r.of)))
        if r.aff is not None:
            aff.add(actors.key(str(r.aff)))
    country = str(GK.Country)

    def rank(key: str) -> tuple[bool, str]:
        types = set().union(*(actors.types.get(a, set()) for a in actors.members.get(key, [key])))
        return country not in types, key

    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (m, p), (of, aff) in sorted(found.items()):
        person = actors.key(p)
        candidates = sorted((of or aff) - {person}, key=rank)
        if candidates:
            out[m].add((person, candidates[0]))
    return out


def _text(term) -> str | None:
    return None if term is None else str(term)


def _date(term) -> date | None:
    if term is None:
        return None
    value = term.toPython() if hasattr(term, "toPython") else term
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(term)[:10])
    except ValueError:
        return None


# -- the canonical graph -------------------------------------------------------------------------

def build_graph(clusters: list[Cluster], actors: ActorIndex) -> Graph:
    """The canonical graph of ``clusters``: the canonical meeting nodes only (no blank nodes).

    Actors are not described again: they are described in ``id/graph/actors``, and Oxigraph's
    union default graph repeats a triple stored in two graphs, so a second ``rdfs:label`` would
    double the rows of every query that joins on labels.
    """
    g = bind_prefixes(Graph(identifier=CANONICAL_GRAPH, bind_namespaces="core"))
    for c in clusters:
        node, s = c.iri, summarise(c.members)
        g.add((node, RDF.type, GK.CanonicalMeeting))
        for key in s["participants"]:
            g.add((node, GK.participant, URIRef(actors.representative(key))))
        for m in c.members:
            g.add((node, GK.reportedIn, URIRef(m.iri)))
        for article in s["articles"]:
            g.add((node, PROV.wasDerivedFrom, URIRef(article)))
        for reason in c.reasons:
            g.add((node, GK.mergeReason, Literal(reason)))
        g.add((node, GK.status, STATUS_IRIS[s["status"]]))
        g.add((node, GK.confidence, decimal_literal(s["confidence"], "canonical", f"confidence of {node}")))
        g.add((node, GK.cameoCode, Literal(s["cameo"])))
        if s["date"] is not None:
            g.add((node, SEM.hasTimeStamp, Literal(s["date"][0], datatype=XSD.date)))
            g.add((node, GK.datePrecision, Literal(s["date"][1])))
        if s["mode"] is not None:
            g.add((node, GK.mode, MODE_IRIS[s["mode"]]))
        if s["place"] is not None:
            g.add((node, SEM.hasPlace, URIRef(actors.representative(s["place"]))))
        for topic in s["topics"]:
            g.add((node, GK.topic, Literal(topic)))
    return g


def canonical_graph(store, **rules) -> tuple[Graph, list[Cluster]]:
    """Compute the canonical graph from the reports in ``store`` (nothing is written).

    Args:
        store: A ``kg.store.KGStore``.
        **rules: ``window`` / ``undated_window`` for :func:`compatible`.

    Returns:
        (the graph named :data:`CANONICAL_GRAPH`, its clusters).
    """
    reports, actors = read_reports(store)
    clusters = cluster_reports(reports, **rules)
    return build_graph(clusters, actors), clusters


def update_canonical(store, *, validate: bool = True, **rules) -> CanonicalResult:
    """Recompute the canonical meetings of the whole store and replace :data:`CANONICAL_GRAPH` atomically.

    Args:
        store: A writable ``kg.store.KGStore``.
        validate: Validate the graph with the SHACL shapes first; a graph that does not
            conform is not stored (the old one stays) and the report is logged and returned.
        **rules: ``window`` / ``undated_window`` for :func:`compatible`.

    Returns:
        The counts, and whether the graph was stored.

    Raises:
        StoreError: the store cannot be read or written.
    """
    graph, clusters = canonical_graph(store, **rules)
    reports = sum(len(c.members) for c in clusters)
    merged = sum(1 for c in clusters if len(c.members) > 1)
    if validate:
        from kg.validate import validate_graph

        result = validate_graph(graph)
        if not result.conforms:
            log.error("the canonical meetings do not conform to the SHACL shapes; %s kept as it was:\n%s",
                      CANONICAL_GRAPH, result.text)
            return CanonicalResult(len(clusters), reports, merged, False, result.text)
    store.replace_graph(CANONICAL_GRAPH, graph)
    log.info("canonical meetings: %d reports -> %d meetings (%d merged)", reports, len(clusters), merged)
    return CanonicalResult(len(clusters), reports, merged, True)
