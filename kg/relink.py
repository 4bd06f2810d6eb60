"""Re-link the stored graph after a gazetteer refresh (``kg link``).

An actor that ingest could not link has a local IRI (``id/entity/{type}/{slug}``) and no
owl:sameAs. After ``kg gazetteer refresh`` the gazetteer may know it: this module rebuilds each
article's entities from its named graph (mentions with their offsets, the article body and
date) and the actors' descriptions in ``id/graph/actors`` (type, rdfs:label, roles; layout in
:mod:`kg.actors`), runs the same linker as ingest (:func:`kg.linking.link_entities`) and, where
a local actor now links, ADDS ``<actor> owl:sameAs wd:Q…`` to the actors graph and the score
(``gk:linkScore`` on its mentions, as ingest writes it) to that article's graph. No IRI changes
and nothing is removed, so queries and other graphs that use the local IRI keep working.

Rules:
- an actor that has an owl:sameAs is not changed; since its description is shared, an
  owl:sameAs added for one article's context holds for every article naming the actor, while
  the link scores are only added to the mentions of the articles whose context linked it;
- local IRIs are shared by articles (same name and type = same IRI), so when two graphs link one
  local IRI to different QIDs it is a conflict: no graph gets a link for it (precision first);
- the decision is per actor, because its owl:sameAs is shared: every article graph naming an
  actor about to be linked is validated with the SHACL shapes, together with its actors'
  descriptions and the new links (:func:`kg.validate.validate_graph`); when one does not
  conform, it is reported and the actors it names are withheld -- linked in no graph, reported
  -- (so a graph reported as not written never sees a new link through the shared description);
  the remaining links and scores are written in one SPARQL update (``KGStore.update``, atomic).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.gazetteer import Gazetteer
from kg.model import ACTOR_TYPES, Article, Entity, Mention, Role
from kg.rdf.iris import ACTORS_GRAPH, is_qid
from kg.rdf.mapping import decimal_literal
from kg.rdf.vocab import GK, ID, ITSRDF, NIF, SCHEMA, WD

log = logging.getLogger(__name__)

_LOCAL = str(ID["entity/"])


@dataclass(frozen=True)
class LinkChange:
    """One owl:sameAs added: in ``graph``, local ``actor`` (``type``, ``label``) = ``qid``, with ``score``."""

    graph: str
    actor: str
    label: str
    type: str
    qid: str
    score: float


@dataclass
class RelinkReport:
    """What ``relink`` found and did.

    Attributes:
        graphs: Article graphs read.
        candidates: Local actors without owl:sameAs looked at (per graph).
        added: The links added (or, in a dry run, that would be added).
        conflicts: Local actor IRI -> the QIDs different graphs link it to (not linked).
        invalid: (graph IRI, SHACL report text) of the graphs that did not conform with the new links
            (nothing is written for them).
        withheld: Actor IRI -> (QID, the non-conforming graphs naming it): links not written anywhere.
        written: The graphs whose links (and mention scores) were written.
    """

    graphs: int = 0
    candidates: int = 0
    added: list[LinkChange] = field(default_factory=list)
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    invalid: list[tuple[str, str]] = field(default_factory=list)
    withheld: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)

    def text(self, dry_run: bool = False) -> str:
        """The lines ``kg link`` prints."""
        verb = "would link" if dry_run else "linked"
        lines = [f"{verb} {c.actor} ({c.type} {c.label!r}) owl:sameAs wd:{c.qid} (score {c.score:.2f}) in {c.graph}"
                 for c in self.added]
        lines += [f"conflict: {iri} links to {', '.join(q)} in different graphs; not linked"
                  for iri, q in sorted(self.conflicts.items())]
        lines += [f"does not conform, not written: {g}\n{t.rstrip()}" for g, t in self.invalid]
        lines += [f"withheld: {iri} owl:sameAs wd:{qid} not written in any graph: {', '.join(where)} "
                  f"naming it {'does' if len(where) == 1 else 'do'} not conform"
                  for iri, (qid, where) in sorted(self.withheld.items())]
        lines.append(f"{len(self.added)} link{'s' if len(self.added) != 1 else ''} "
                     f"{'to add' if dry_run else 'added'} in {len({c.graph for c in self.added})} of {self.graphs} "
                     f"graphs ({self.candidates} unlinked actors checked); {len(self.invalid)} not written, "
                     f"{len(self.withheld)} withheld")
        return "\n".join(lines) + "\n"


def _article(g: Graph) -> tuple[URIRef, Article] | None:
    node = next(iter(g.subjects(RDF.type, GK.Article)), None)
    if node is None:
        return None
    published = g.value(node, SCHEMA.datePublished)
    day = published.toPython() if isinstance(published, Literal) else None
    return node, Article(str(g.value(node, SCHEMA.identifier) or node), str(g.value(node, SCHEMA.url) or node),
                         str(g.value(node, SCHEMA.headline) or ""), str(g.value(node, SCHEMA.articleBody) or ""),
                         day if isinstance(day, date) else None)


def graph_entities(g: Graph) -> list[tuple[URIRef, Entity, bool]]:
    """The actors described in ``g`` (an article graph with its actors' descriptions) as Entities
    (key = actor IRI) with "has owl:sameAs".

    Mentions come from ``itsrdf:taIdentRef`` nodes (``nif:anchorOf``, begin, end, sorted by begin);
    roles from ``gk:holdsRole`` (``gk:roleTitle``, ``gk:roleOf``).
    """
    out = []
    for typ in ACTOR_TYPES:
        for actor in sorted(set(g.subjects(RDF.type, GK[typ]))):
            mentions = sorted((int(g.value(m, NIF.beginIndex)), int(g.value(m, NIF.endIndex)),
                               str(g.value(m, NIF.anchorOf))) for m in g.subjects(ITSRDF.taIdentRef, actor)
                              if g.value(m, NIF.beginIndex) is not None and g.value(m, NIF.endIndex) is not None)
            roles = tuple(sorted((Role(str(g.value(r, GK.roleTitle) or ""),
                                       str(g.value(r, GK.roleOf)) if g.value(r, GK.roleOf) else None)
                                  for r in g.objects(actor, GK.holdsRole)), key=lambda r: (r.title, r.of_key or "")))
            label = str(g.value(actor, RDFS.label) or "")
            entity = Entity(str(actor), label, typ, tuple(Mention(t, s, e, str(actor)) for s, e, t in mentions), roles)
            out.append((actor, entity, (actor, OWL.sameAs, None) in g))
    return out


def is_local(actor: URIRef) -> bool:
    """True for an unlinked actor IRI ``id/entity/{type}/{slug}`` (not ``id/entity/Q…``)."""
    text = str(actor)
    return text.startswith(_LOCAL) and not is_qid(text[len(_LOCAL):])


def relink(store, gaz: Gazetteer, *, threshold: float | None = None, dry_run: bool = False) -> RelinkReport:
    """Add owl:sameAs to the local actors of every article graph that the gazetteer now links.

    Args:
        store: An open, writable :class:`kg.store.KGStore`.
        gaz: The (refreshed) gazetteer.
        threshold: Linking threshold; None = the ``link_threshold`` setting.
        dry_run: Find and validate the links but write nothing.

    Returns:
        The report (links added, conflicts, non-conforming graphs, links withheld).

    Raises:
        StoreError: the store cannot be read or written.
    """
    from kg.actors import descriptions
    from kg.canonical import CANONICAL_GRAPH
    from kg.linking import link_entities
    from kg.validate import ARTICLE_GRAPH_PREFIX

    report = RelinkReport()
    graphs: dict[str, Graph] = {}
    proposals: dict[str, dict[str, tuple[str, float]]] = {}  # actor -> graph -> (qid, score)
    linked_elsewhere: dict[str, set[str]] = {}
    named_by: dict[str, set[str]] = {}  # graph -> its local actors without owl:sameAs
    stored_actors = store.get_graph(ACTORS_GRAPH)
    for iri in store.graph_iris():
        if not str(iri).startswith(ARTICLE_GRAPH_PREFIX) or iri in (ACTORS_GRAPH, CANONICAL_GRAPH):
            continue
        g = store.get_graph(iri)
        found = _article(g)
        if found is None:
            continue
        report.graphs += 1
        named = set(g.objects())  # the actors the article itself refers to (mentions, events)
        g += descriptions(stored_actors, g)  # the article with its actors, as ingest validated it
        graphs[str(iri)] = g
        actors = [a for a in graph_entities(g) if a[0] in named]
        for actor, _, has_same in actors:
            if has_same and is_local(actor):
                linked_elsewhere.setdefault(str(actor), set()).update(
                    str(o).rsplit("/", 1)[-1] for o in g.objects(actor, OWL.sameAs))
        todo = {str(a) for a, _, has_same in actors if is_local(a) and not has_same}
        named_by[str(iri)] = todo
        if not todo:
            continue
        report.candidates += len(todo)
        for ent in link_entities(tuple(e for _, e, _ in actors), found[1], gaz, threshold):
            if ent.key in todo and ent.qid:
                proposals.setdefault(ent.key, {})[str(iri)] = (ent.qid, float(ent.link_score or 0.0))
    accepted: dict[str, str] = {}  # actor -> qid, for the actors without conflict
    for actor, per_graph in sorted(proposals.items()):
        qids = sorted({q for q, _ in per_graph.values()} | linked_elsewhere.get(actor, set()))
        if len(qids) > 1:
            report.conflicts[actor] = qids
        else:
            accepted[actor] = qids[0]
    _withhold_invalid(graphs, named_by, accepted, proposals, report)
    additions: dict[str, tuple[list, list]] = {}  # graph -> (article triples, actor triples)
    for actor, qid in sorted(accepted.items()):
        for giri, (_, score) in sorted(proposals[actor].items()):
            g = graphs[giri]
            in_article, in_actors = additions.setdefault(giri, ([], []))
            node = URIRef(actor)
            in_actors.append((node, OWL.sameAs, WD[qid]))
            in_article.extend(_score_triples(g, node, score, giri))
            report.added.append(LinkChange(giri, actor, str(g.value(node, RDFS.label) or ""),
                                           _type(g, node), qid, score))
    if additions and not dry_run:
        store.update(_insert_update(additions))
        report.written.extend(sorted(additions))
    log.info("relink: %d links added in %d graphs", len(report.added), len(report.written))
    return report


def _score_triples(g: Graph, actor: URIRef, score: float, giri: str) -> list:
    """``gk:linkScore`` triples for the mentions of ``actor`` in ``g`` that have none."""
    return [(m, GK.linkScore, decimal_literal(score, giri, f"link score of {actor}"))
            for m in sorted(g.subjects(ITSRDF.taIdentRef, actor)) if g.value(m, GK.linkScore) is None]


def _withhold_invalid(graphs: dict[str, Graph], named_by: dict[str, set[str]], accepted: dict[str, str],
                      proposals: dict[str, dict[str, tuple[str, float]]], report: RelinkReport) -> None:
    """Drop from ``accepted`` every actor named by a graph that does not conform with the new links.

    An owl:sameAs is written once, in the shared actors graph, so every article graph naming the
    actor sees it: each graph naming an accepted actor is validated (SHACL) with the owl:sameAs of
    all the accepted actors it names and, where it proposed them, its mentions' scores. A graph
    that does not conform is reported in ``report.invalid`` and each accepted actor it names is
    withheld everywhere (``report.withheld``); the graphs whose set of accepted actors shrank are
    validated again, until every remaining graph conforms.
    """
    from kg.validate import validate_graph

    checked: dict[str, frozenset[str]] = {}
    while True:
        bad: dict[str, list[str]] = {}
        for giri in sorted(named_by):
            mine = frozenset(named_by[giri] & accepted.keys())
            if not mine or checked.get(giri) == mine:
                continue
            checked[giri] = mine
            g = _copy(graphs[giri])
            for actor in mine:
                g.add((URIRef(actor), OWL.sameAs, WD[accepted[actor]]))
                if giri in proposals[actor]:
                    for triple in _score_triples(g, URIRef(actor), proposals[actor][giri][1], giri):
                        g.add(triple)
            result = validate_graph(g)
            if not result.conforms:
                report.invalid.append((giri, result.text))
                for actor in mine:
                    bad.setdefault(actor, []).append(giri)
        if not bad:
            return
        for actor, where in bad.items():
            report.withheld[actor] = (accepted.pop(actor), sorted(where))


def _insert_update(additions: dict[str, tuple[list, list]]) -> str:
    """One ``INSERT DATA``: each graph's article triples into it, all actor triples into ``ACTORS_GRAPH``."""
    from kg.oxigraph import named_node, to_ox_triple

    def block(name, triples) -> str:
        return f"GRAPH {name} {{\n" + "".join(f"{to_ox_triple(t)} .\n" for t in triples) + "}"

    blocks = [block(named_node(giri), article) for giri, (article, _) in sorted(additions.items()) if article]
    actors = sorted({t for _, (_, in_actors) in additions.items() for t in in_actors})
    if actors:
        blocks.append(block(named_node(ACTORS_GRAPH), actors))
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


def _copy(g: Graph) -> Graph:
    out = Graph(identifier=g.identifier)
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns)
    out += g
    return out


def _type(g: Graph, node: URIRef) -> str:
    return next((t for t in ACTOR_TYPES if (node, RDF.type, GK[t]) in g), "")


def run_link(store_location: str, gazetteer_path: str | Path | None, dry_run: bool) -> tuple[str, int]:
    """Open the store read-write, relink it, and return (report text, exit code) for ``kg link``.

    ``gazetteer_path`` None reads the gazetteer of the ``gazetteer`` setting (``KG_GAZETTEER``; default
    the shipped one), the one ingest links with (:func:`kg.gazetteer.load.default_gazetteer`).
    Unless ``dry_run``, the canonical meetings are then recomputed (``kg.canonical.update_canonical``)
    and the actors no article graph refers to any more are removed (``kg.actors.prune_orphans``).
    Exit code 0, or 1 when a graph did not conform (its links were not written).

    Raises:
        GazetteerError: the gazetteer cannot be read.
        StoreError: the store cannot be opened (e.g. locked by `kg serve`), read or written.
    """
    from kg.gazetteer import default_gazetteer
    from kg.store import open_store

    gaz = Gazetteer.load(Path(gazetteer_path)) if gazetteer_path else default_gazetteer()
    with open_store(store_location) as store:
        report = relink(store, gaz, dry_run=dry_run)
        if not dry_run:  # new sameAs links can join meetings across articles
            from kg.actors import prune_orphans
            from kg.canonical import update_canonical

            update_canonical(store)
            prune_orphans(store)  # e.g. the actors of article graphs dropped since the last ingest
    head = f"gazetteer: {gaz.source} (build date {gaz.build_date})\n"
    return head + report.text(dry_run), 1 if report.invalid else 0
