"""SHACL validation of article graphs (stage ``validate``).

Requires: an article graph together with the descriptions of the actors it names, as
produced by ``kg.rdf.mapping.to_graph`` (``to_graphs(...).union()``), or a Dataset in the
store layout of :mod:`kg.actors` (article graphs plus the shared ``id/graph/actors``).
Produces: ``kg.model.ValidationReport``.

The shapes check the actors of events (classes of participants, one rdfs:label...), so an
article graph is always validated with its actors' descriptions, never alone.

The shapes are ``shapes/geokg-shapes.ttl``, parsed once per process. pySHACL
runs with ``advanced=True`` (the span checks are SHACL-SPARQL constraints),
``inference="none"`` (the shapes target concrete gk: classes, so no ontology is
mixed in) and ``allow_warnings=True`` (sh:Warning / sh:Info results are reported
but do not make a graph non-conforming).
"""

from __future__ import annotations

import logging
from functools import lru_cache

import pyshacl
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, SH

from kg.errors import ValidationError
from kg.model import ValidationReport
from kg.rdf.iris import ACTORS_GRAPH
from kg.rdf.vocab import ID
from kg.resources import load_shapes

log = logging.getLogger(__name__)

ARTICLE_GRAPH_PREFIX = str(ID["graph/"])
"""Named graphs whose IRI starts with this are article graphs (``graph_iri``)."""


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The parsed SHACL shapes, cached for the process. Do not modify the returned graph."""
    return load_shapes()


def _report(conforms: bool, results: Graph, text: str) -> ValidationReport:
    nodes = set()
    count = 0
    for result in results.subjects(RDF.type, SH.ValidationResult):
        count += 1
        focus = results.value(result, SH.focusNode)
        if focus is not None:
            nodes.add(str(focus))
    return ValidationReport(conforms=bool(conforms), text=text, results_count=count,
                            focus_nodes=tuple(sorted(nodes)))


def validate_graph(graph: Graph) -> ValidationReport:
    """Validate one article graph against the geokg SHACL shapes.

    Args:
        graph: The data graph; it is not modified (pySHACL validates a copy
            in advanced mode).

    Returns:
        The report: ``conforms``, pySHACL's text report, the number of
        validation results (violations and warnings) and the sorted IRIs of
        their focus nodes.
    """
    conforms, results, text = pyshacl.validate(
        graph,
        shacl_graph=shapes_graph(),
        advanced=True,
        inference="none",
        allow_warnings=True,
    )
    report = _report(conforms, results, text)
    log.debug("validated %s: conforms=%s, %d results", graph.identifier, report.conforms, report.results_count)
    return report


def ensure_valid(graph: Graph, source: str | None = None) -> ValidationReport:
    """Validate ``graph`` and raise if it does not conform.

    Args:
        graph: The article graph.
        source: Name of the input for the error message (default: the graph IRI).

    Returns:
        The (conforming) report.

    Raises:
        ValidationError: The graph does not conform; ``.report`` is the text report.
    """
    report = validate_graph(graph)
    if not report.conforms:
        raise ValidationError(source or str(graph.identifier), report.text)
    return report


def validate_dataset(dataset: Dataset, article_graphs_only: bool = True) -> list[tuple[URIRef, ValidationReport]]:
    """Validate every named graph of a Dataset separately.

    Each named graph is copied into an in-memory graph first, so this works the
    same for an Oxigraph-backed Dataset (oxrdflib) and for an in-memory one. Every
    graph but ``ACTORS_GRAPH`` itself is validated together with the descriptions, in
    ``ACTORS_GRAPH``, of the actors it refers to (``kg.actors.descriptions``); the
    actors graph is validated alone.

    Args:
        dataset: An rdflib Dataset (or ConjunctiveGraph) with one named graph per article and the
            actors graph (the layout of :mod:`kg.actors`).
        article_graphs_only: Validate only graphs whose IRI starts with
            ``ARTICLE_GRAPH_PREFIX`` (``https://w3id.org/geokg/id/graph/``);
            False validates every named graph. The default graph is never validated.

    Returns:
        ``(graph IRI, report)`` pairs, sorted by graph IRI.
    """
    from kg.actors import descriptions

    out: list[tuple[URIRef, ValidationReport]] = []
    graphs = list(dataset.graphs() if isinstance(dataset, Dataset) else dataset.contexts())
    actors = Graph(identifier=ACTORS_GRAPH)
    for context in graphs:
        if context.identifier == ACTORS_GRAPH:
            actors += context
    for context in graphs:
        ident = context.identifier
        if not isinstance(ident, URIRef) or ident == DATASET_DEFAULT_GRAPH_ID:
            continue
        if article_graphs_only and not str(ident).startswith(ARTICLE_GRAPH_PREFIX):
            continue
        copy = Graph(identifier=ident)
        for triple in context:
            copy.add(triple)
        if ident != ACTORS_GRAPH:
            copy += descriptions(actors, copy)
        out.append((ident, validate_graph(copy)))
    out.sort(key=lambda pair: str(pair[0]))
    return out
