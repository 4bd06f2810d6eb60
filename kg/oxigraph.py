"""Conversion between rdflib and pyoxigraph terms, and Oxigraph's result writers.

Used by ``kg.store`` only; rdflib is the API of geokg, pyoxigraph the engine. The
format tables map geokg's short format names to pyoxigraph's formats (pyoxigraph 0.5
``QueryResultsFormat`` / ``RdfFormat``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError, StoreError

#: SPARQL result formats for SELECT/ASK, by short name.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}

#: RDF formats, by short name; ``trig`` and ``nquads`` hold datasets, the others one graph.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


@dataclass
class NativeResult:
    """A query result still in Oxigraph form, serialised by Oxigraph's own writers.

    Attributes:
        kind: ``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"`` (also for DESCRIBE).
        raw: The pyoxigraph ``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``.
    """

    kind: str
    raw: object

    def serialize(self, fmt: str) -> tuple[bytes, str]:
        """Serialise to ``fmt`` (a key of RESULT_FORMATS for SELECT/ASK, of RDF_FORMATS for CONSTRUCT).

        Returns:
            The bytes and their media type.

        Raises:
            StoreError: ``fmt`` does not fit the result kind, or evaluation fails.
        """
        table = RDF_FORMATS if self.kind == "CONSTRUCT" else RESULT_FORMATS
        if fmt not in table:
            raise StoreError(f"format {fmt!r} does not fit a {self.kind} result; use one of {', '.join(table)}")
        try:
            data = self.raw.serialize(format=table[fmt])
        except (OSError, RuntimeError, ValueError) as exc:
            raise StoreError(f"query evaluation failed: {exc}") from None
        return data, table[fmt].media_type


def named_node(iri: str | URIRef) -> ox.NamedNode:
    """``iri`` as a pyoxigraph NamedNode.

    Raises:
        QueryError: ``iri`` is not a valid absolute IRI (a malformed request: HTTP 400).
    """
    try:
        return ox.NamedNode(str(iri))
    except ValueError as exc:
        raise QueryError(f"not a valid IRI: {str(iri)!r} ({exc})") from None


def _ox_term(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    except ValueError as exc:
        raise StoreError(f"Oxigraph rejects the term {term!r}: {exc}") from None
    raise StoreError(f"cannot store {type(term).__name__} term {term!r} (only IRIs, blank nodes and literals)")


def to_ox_triple(triple: tuple) -> ox.Triple:
    """An rdflib ``(s, p, o)`` as a pyoxigraph Triple.

    Raises:
        StoreError: a term Oxigraph rejects (invalid IRI or blank node id) or a non-RDF term.
    """
    s, p, o = triple
    return ox.Triple(_ox_term(s), _ox_term(p), _ox_term(o))


def from_ox(term: object) -> URIRef | BNode | Literal:
    """A pyoxigraph term as rdflib; ``xsd:string`` literals become plain literals (as rdflib parses them).

    Raises:
        StoreError: an RDF-star triple term (rdflib has none).
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"cannot convert the Oxigraph term {term!r} to rdflib (RDF-star triple terms are "
                     "not supported by rdflib); use query_serialized")
