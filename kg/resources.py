"""The ontology and SHACL shapes shipped with geokg, read as package data.

``ontology/`` and ``shapes/`` are installed packages (pyproject package-data
``*.ttl``), so they are found with ``importlib.resources`` whether geokg runs
from a checkout, an editable install or a wheel.
"""

from __future__ import annotations

from importlib.resources import files

from rdflib import Graph

from kg.rdf.vocab import bind_prefixes

ONTOLOGY_PACKAGE = "ontology"
ONTOLOGY_FILE = "geokg.ttl"
SHAPES_PACKAGE = "shapes"
SHAPES_FILE = "geokg-shapes.ttl"


def ontology_text() -> str:
    """Return the Turtle text of the geokg OWL ontology (``ontology/geokg.ttl``)."""
    return files(ONTOLOGY_PACKAGE).joinpath(ONTOLOGY_FILE).read_text(encoding="utf-8")


def shapes_text() -> str:
    """Return the Turtle text of the geokg SHACL shapes (``shapes/geokg-shapes.ttl``)."""
    return files(SHAPES_PACKAGE).joinpath(SHAPES_FILE).read_text(encoding="utf-8")


def load_ontology() -> Graph:
    """Parse the ontology into a new in-memory Graph (safe to modify).

    Raises:
        rdflib's parser error if the shipped file is not valid Turtle (a packaging bug).
    """
    return bind_prefixes(Graph(bind_namespaces="core")).parse(data=ontology_text(), format="turtle")


def load_shapes() -> Graph:
    """Parse the SHACL shapes into a new in-memory Graph (safe to modify)."""
    return Graph(bind_namespaces="core").parse(data=shapes_text(), format="turtle")
