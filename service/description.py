"""What the service is and holds: the SPARQL 1.1 Service Description and a VoID description.

* ``GET /sparql`` without ``query``/``update`` — the Service Description
  (https://www.w3.org/TR/sparql11-service-description/, §2 "accessing a service
  description": the endpoint URL dereferenced without a query returns RDF). It names the
  endpoint (``sd:endpoint`` = the URL requested), the languages (``sd:SPARQL11Query``,
  plus ``sd:SPARQL11Update`` when writes are enabled), the result and input formats
  (W3C format IRIs, https://www.w3.org/ns/formats/), the features (``sd:UnionDefaultGraph``:
  the default graph is the union of all graphs; ``sd:BasicFederatedQuery`` only when
  SERVICE is allowed) and the default dataset with up to :data:`MAX_LISTED_GRAPHS`
  named graphs (each an ``sd:NamedGraph`` with ``sd:name``; more are not listed).
* ``GET /.well-known/void`` — a VoID description (https://www.w3.org/TR/void/; the
  ``/.well-known/void`` path is VoID §7.2 / RFC 8615): ``void:triples`` (triples summed
  over all graphs of the store), class partitions with the number of gk:Article,
  gk:Event (meetings + statements + positions) and of each event class (distinct nodes: the
  graphs ``id/graph/actors`` and ``id/graph/canonical`` hold no gk:Article and no per-article
  event, so they are not counted as articles or events), the SPARQL
  endpoint, the data dump (``/export``) and the vocabularies used.

Both are RDF graphs written by Oxigraph in the negotiated format (Turtle by default;
:mod:`service.protocol`). Counts are SPARQL queries on Oxigraph over the union graph.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Request, Response, current_app, request

from kg.oxigraph import RDF_FORMATS
from kg.store import PREFIXES
from service.auth import writes_enabled
from service.db import get_store
from service.limits import config_value
from service.protocol import MEDIA_TYPE, negotiate

bp = Blueprint("description", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
GK = PREFIXES["gk"]
#: Named graphs listed in the service description at most (a big store would make it huge).
MAX_LISTED_GRAPHS = 1000
#: Classes counted in the VoID description, with gk:Event standing for the three event classes.
EVENT_CLASSES = ("Meeting", "Statement", "Position")
DESCRIPTION_PREFIXES = {"sd": SD, "void": VOID, "formats": FORMATS, "dcterms": DCTERMS, "gk": GK,
                        "xsd": PREFIXES["xsd"]}

RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
INPUT_FORMAT_IRIS = ("Turtle", "N-Triples", "N3", "JSON-LD", "RDF_XML")


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_iri(PREFIXES["xsd"] + "integer"))


def rdf_response(triples: list[ox.Triple], req: Request) -> Response:
    """``triples`` written by Oxigraph in the format the request negotiates (Turtle by default)."""
    fmt = negotiate(req, graph=True, what="description")
    data = ox.serialize(triples, format=RDF_FORMATS[fmt],
                        prefixes=DESCRIPTION_PREFIXES if fmt == "turtle" else None)
    response = Response(data, content_type=MEDIA_TYPE[fmt])
    response.headers["Vary"] = "Accept"
    return response


def service_description(req: Request) -> Response:
    """The Service Description of the endpoint ``req`` was sent to (``sd:endpoint`` = its URL)."""
    endpoint = req.base_url
    service = _iri(endpoint + "#service")
    dataset = _iri(void_iri(req))
    triples = [ox.Triple(service, RDF_TYPE, _iri(SD + "Service")),
               ox.Triple(service, _iri(SD + "endpoint"), _iri(endpoint)),
               ox.Triple(service, _iri(SD + "supportedLanguage"), _iri(SD + "SPARQL11Query")),
               ox.Triple(service, _iri(SD + "feature"), _iri(SD + "UnionDefaultGraph")),
               ox.Triple(service, _iri(SD + "defaultEntailmentRegime"),
                         _iri("http://www.w3.org/ns/entailment/Simple"))]
    writes = writes_enabled()
    if writes:
        triples.append(ox.Triple(service, _iri(SD + "supportedLanguage"), _iri(SD + "SPARQL11Update")))
        triples += [ox.Triple(service, _iri(SD + "inputFormat"), _iri(FORMATS + f)) for f in INPUT_FORMAT_IRIS]
    if config_value(current_app.config, "allow_service"):
        triples.append(ox.Triple(service, _iri(SD + "feature"), _iri(SD + "BasicFederatedQuery")))
    triples += [ox.Triple(service, _iri(SD + "resultFormat"), _iri(FORMATS + f)) for f in RESULT_FORMAT_IRIS]
    default_graph = ox.BlankNode("defaultGraph")
    triples += [ox.Triple(service, _iri(SD + "defaultDataset"), dataset),
                ox.Triple(dataset, RDF_TYPE, _iri(SD + "Dataset")),
                ox.Triple(dataset, RDF_TYPE, _iri(VOID + "Dataset")),
                ox.Triple(dataset, _iri(SD + "defaultGraph"), default_graph),
                ox.Triple(default_graph, RDF_TYPE, _iri(SD + "Graph"))]
    graphs = get_store().graph_iris()
    if len(graphs) <= MAX_LISTED_GRAPHS:
        for i, name in enumerate(graphs):
            node, graph = ox.BlankNode(f"ng{i}"), ox.BlankNode(f"g{i}")
            triples += [ox.Triple(dataset, _iri(SD + "namedGraph"), node),
                        ox.Triple(node, RDF_TYPE, _iri(SD + "NamedGraph")),
                        ox.Triple(node, _iri(SD + "name"), _iri(str(name))),
                        ox.Triple(node, _iri(SD + "graph"), graph),
                        ox.Triple(graph, RDF_TYPE, _iri(SD + "Graph"))]
    return rdf_response(triples, req)


def void_iri(req: Request) -> str:
    """IRI of the dataset node of the VoID description (``<root>/.well-known/void#dataset``)."""
    return req.url_root + ".well-known/void#dataset"


def counts() -> dict[str, int]:
    """Triples (summed over all graphs), and distinct gk:Article, gk:Event and event-class instances."""
    store = get_store()
    classes = " ".join(f"gk:{c}" for c in ("Article",) + EVENT_CLASSES)
    rows = store.execute(f"SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?x a ?c }} "
                         "GROUP BY ?c").raw
    out = {"triples": store.triple_count(), "Article": 0, "Event": 0} | {c: 0 for c in EVENT_CLASSES}
    for row in rows:
        out[row["c"].value.removeprefix(GK)] = int(row["n"].value)
    events = " ".join(f"gk:{c}" for c in EVENT_CLASSES)
    total = store.execute(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?c {{ {events} }} ?x a ?c }}").raw
    out["Event"] = int(next(iter(total))["n"].value)
    return out


@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID description of the store (see the module docstring)."""
    dataset = _iri(void_iri(request))
    numbers = counts()
    triples = [ox.Triple(dataset, RDF_TYPE, _iri(VOID + "Dataset")),
               ox.Triple(dataset, _iri(DCTERMS + "title"), ox.Literal("geokg knowledge graph")),
               ox.Triple(dataset, _iri(DCTERMS + "description"), ox.Literal(
                   "Meetings, statements and positions of political actors extracted from news articles, "
                   "one named graph per article, the actors described once in id/graph/actors and linked "
                   "to Wikidata.")),
               ox.Triple(dataset, _iri(VOID + "sparqlEndpoint"), _iri(request.url_root + "sparql")),
               ox.Triple(dataset, _iri(VOID + "dataDump"), _iri(request.url_root + "export")),
               ox.Triple(dataset, _iri(VOID + "uriSpace"), ox.Literal("https://w3id.org/geokg/id/")),
               ox.Triple(dataset, _iri(VOID + "triples"), _int(numbers["triples"]))]
    for prefix in ("gk", "sem", "prov", "nif", "itsrdf", "schema", "owl", "rdfs"):
        triples.append(ox.Triple(dataset, _iri(VOID + "vocabulary"), _iri(PREFIXES[prefix])))
    for name in ("Article", "Event") + EVENT_CLASSES:
        part = ox.BlankNode(f"class{name}")
        triples += [ox.Triple(dataset, _iri(VOID + "classPartition"), part),
                    ox.Triple(part, _iri(VOID + "class"), _iri(GK + name)),
                    ox.Triple(part, _iri(VOID + "entities"), _int(numbers[name]))]
    return rdf_response(triples, request)
