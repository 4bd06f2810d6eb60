"""RDF side of geokg: the vocabulary (``vocab``), instance IRIs (``iris``) and the
mapping from an ``Extraction`` to an article's named graph (``mapping``)."""

from kg.rdf.iris import actor_iri, article_iri, event_iri, event_iri_of, graph_iri
from kg.rdf.mapping import to_graph
from kg.rdf.vocab import GK, ID, ITSRDF, NIF, SCHEMA, SEM, WD, bind_prefixes

__all__ = [
    "GK", "ID", "ITSRDF", "NIF", "SCHEMA", "SEM", "WD", "bind_prefixes",
    "actor_iri", "article_iri", "event_iri", "event_iri_of", "graph_iri", "to_graph",
]
