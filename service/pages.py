"""Pages for people: the query page ``GET /`` and a readable page per resource under ``/id/``.

* ``GET /`` — the query page: YASGUI (``@zazuko/yasgui``, served from ``service/static/yasgui``,
  no CDN) on this service's ``/sparql``, with the example queries of ``service/static/examples``
  (the same files as ``docs/examples``) as tabs. A client that prefers ``application/json``
  gets the JSON list of endpoints instead.
* ``GET /id/<path>`` — the resource ``https://w3id.org/geokg/id/<path>`` (the instance IRI
  scheme of ``kg.rdf.iris``; w3id.org can redirect there). Content negotiation on ``Accept``
  (q-values, werkzeug ``best_match``) or ``?format=``: ``text/html`` gets a page listing the
  resource's triples (labels, linked IRIs as links), the events it takes part in (an actor:
  as participant, speaker, holder, target...; an article: the events derived from it),
  the resources pointing at it and its mentions; ``text/turtle`` (the default for ``*/*``),
  ``application/n-triples``, ``application/ld+json`` or ``application/rdf+xml`` gets its
  Concise Bounded Description (https://www.w3.org/submissions/CBD/, Oxigraph's ``DESCRIBE``)
  over the union of all graphs. A named graph IRI (``/id/graph/<article_id>``) gets the
  graph's triples. Unknown resources get the service's JSON 404.

Links: every IRI under ``https://w3id.org/geokg/id/`` is linked to its local ``/id/`` path;
other IRIs are linked as they are when they are http(s) (Wikidata, the ontology), never
for other schemes (no ``javascript:`` or ``file:`` links).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request, url_for
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.oxigraph import named_node
from kg.rdf.vocab import GK, ID
from kg.store import PREFIXES, RDF_FORMATS
from service.db import get_store
from service.errors import APIError

log = logging.getLogger(__name__)

bp = Blueprint("pages", __name__, template_folder="templates")

ID_BASE = str(ID)
#: Most rows shown in one section of a resource page (the RDF forms are never cut).
ROW_LIMIT = 500
#: Literals longer than this (characters) are shown folded (an article body).
LONG_LITERAL = 300
EVENT_TYPES = (GK.Meeting, GK.Statement, GK.Position)
#: RDF forms of a resource: format key -> media type (Oxigraph's writers, kg.store.RDF_FORMATS).
RDF_MEDIA = {key: RDF_FORMATS[key].media_type for key in ("turtle", "ntriples", "jsonld", "rdfxml")}
#: Offered media types for /id/ paths, default (for */* or no Accept) first.
PAGE_OFFERS: tuple[tuple[str, str], ...] = (
    (RDF_MEDIA["turtle"], "turtle"), ("text/html", "html"), ("application/xhtml+xml", "html"),
    ("application/x-turtle", "turtle"), (RDF_MEDIA["ntriples"], "ntriples"),
    (RDF_MEDIA["jsonld"], "jsonld"), (RDF_MEDIA["rdfxml"], "rdfxml"),
)
FORMAT_PARAM = {"html": "html", "turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples",
                "jsonld": "jsonld", "json-ld": "jsonld", "rdfxml": "rdfxml", "xml": "rdfxml"}
ENDPOINTS = {
    "/": "this query page (HTML); JSON with Accept: application/json",
    "/sparql": "SPARQL 1.1 Protocol (query; update when writes are enabled); its service description without a query",
    "/store": "SPARQL 1.1 Graph Store Protocol (?default, ?graph=IRI); writes need the bearer token",
    "/articles": "POST articles to ingest (writes enabled, bearer token)",
    "/.well-known/void": "VoID description (triple, article and event counts)",
    "/id/…": "a resource https://w3id.org/geokg/id/… as HTML or RDF (content negotiation, ?format=)",
    "/export": "whole dataset as TriG (?format=nquads)",
    "/export/graph?iri=IRI": "one named graph as Turtle",
    "/graph/<article_id>": "one article's graph as Turtle",
    "/healthz": "health check",
}


# -- the query page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Example:
    """One example query (a ``.rq`` file whose leading ``#`` lines are its title and description).

    Attributes:
        name: File name without ``.rq`` (``01-meetings-of-a-person``).
        title: First comment line.
        description: The other leading comment lines, joined.
        query: The whole file text.
    """

    name: str
    title: str
    description: str
    query: str


@lru_cache(maxsize=1)
def examples() -> tuple[Example, ...]:
    """The example queries shipped in ``service/static/examples/*.rq``, sorted by file name."""
    folder = resources.files("service") / "static" / "examples"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("#").strip())
        title = comments[0] if comments else entry.name[:-3]
        found.append(Example(entry.name[:-3], title, " ".join(comments[1:]), text))
    return tuple(found)


@bp.get("/")
def index():
    """The query page; the JSON list of endpoints for clients preferring JSON."""
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        return jsonify({"service": "geokg SPARQL endpoint", "endpoints": ENDPOINTS})
    return render_template(
        "query.html",
        endpoint=url_for("sparql.sparql"),
        id_base=ID_BASE,
        id_prefix=request.script_root + "/id/",
        examples=[ex.__dict__ for ex in examples()],
        prefixes=PREFIXES,
    )


# -- resource pages ----------------------------------------------------------------------------
@dataclass
class Cell:
    """One RDF term as shown on a page: ``text``, an optional link, a small ``note`` (datatype or
    language) and a ``title`` (the full IRI, shown on hover)."""

    text: str
    href: str | None = None
    note: str = ""
    long: bool = False
    title: str = ""


@dataclass
class EventRow:
    """One event that points at the resource."""

    event: Cell
    roles: list[str] = field(default_factory=list)
    date: str = ""
    status: Cell | None = None
    sentence: str = ""
    article: Cell | None = None


@bp.get("/id/<path:rest>")
def resource(rest: str) -> Response:
    """The resource ``https://w3id.org/geokg/id/<rest>`` as HTML or RDF (see the module docstring).

    Raises:
        APIError: 404 the IRI is not in the store, 406 no acceptable format; a malformed IRI is a
            QueryError (400).
    """
    iri = ID_BASE + rest
    node = named_node(iri)  # validates: the IRI goes into SPARQL text below
    store = get_store()
    fmt = negotiate()
    described = store.execute(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}").raw
    is_graph = store.has_graph(iri)
    if not described and not is_graph:
        raise APIError(404, "Resource not found", f"no triple in the store mentions <{iri}>")
    if fmt != "html":
        if is_graph and not store.execute(f"ASK {{ {node} ?p ?o }}").raw:
            data = store.serialize(fmt, iri)
        else:
            cbd = store.execute(f"DESCRIBE {node}").raw
            data = ox.serialize(cbd, format=RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "turtle" else None)
        response = Response(data, content_type=_text(RDF_MEDIA[fmt]))
    else:
        response = Response(render_template("resource.html", **describe_page(iri, is_graph)),
                            content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def negotiate() -> str:
    """``html`` or an RDF format key, from ``?format=`` or else ``Accept``.

    Raises:
        APIError: 406 for an unknown ``format`` or an Accept header matching none of PAGE_OFFERS.
    """
    param = request.args.get("format")
    if param:
        if param.lower() not in FORMAT_PARAM:
            raise APIError(406, "Not acceptable", f"format={param!r}; use one of {', '.join(FORMAT_PARAM)}")
        return FORMAT_PARAM[param.lower()]
    if not request.accept_mimetypes:
        return PAGE_OFFERS[0][1]
    best = request.accept_mimetypes.best_match([media for media, _ in PAGE_OFFERS])
    if best is None:
        raise APIError(406, "Not acceptable", f"no format matches Accept: {request.headers.get('Accept')}; "
                                              f"offered: {', '.join(m for m, _ in PAGE_OFFERS)}")
    return dict(PAGE_OFFERS)[best]


def describe_page(iri: str, is_graph: bool) -> dict:
    """Everything ``resource.html`` shows about ``iri`` (queries on the union of all graphs).

    Returns:
        Template variables: ``iri``, ``title``, ``types``, ``properties`` (predicate cell, value
        cells), ``events`` (EventRow; ``event_roles``/``event_articles``: whether their role and
        article columns say anything), ``incoming`` (subject cell, predicate cell), ``mentions``
        ((surface form, count)), ``graph`` (triple count and articles, for a named graph),
        ``formats`` ((label, media type, href)) and ``truncated`` (a section hit ROW_LIMIT).
    """
    node = named_node(iri)
    store = get_store()
    out = select(f"SELECT ?p ?o WHERE {{ {node} ?p ?o }} ORDER BY ?p ?o LIMIT {ROW_LIMIT}")
    types = [row["o"] for row in out if row["p"] == RDF.type]
    events = select(f"""
        SELECT ?event ?role ?date ?status ?sentence ?article WHERE {{
          ?event ?role {node} ; a ?type .
          VALUES ?type {{ gk:Meeting gk:Statement gk:Position }}
          OPTIONAL {{ ?event sem:hasTimeStamp ?date }}
          OPTIONAL {{ ?event gk:status ?status }}
          OPTIONAL {{ ?event gk:evidence ?evidence . ?evidence nif:anchorOf ?sentence ; nif:beginIndex ?begin }}
          OPTIONAL {{ ?event prov:wasDerivedFrom ?article }}
        }} ORDER BY ?article ?begin ?event ?role LIMIT {ROW_LIMIT}""")
    incoming = select(f"""
        SELECT ?s ?p WHERE {{
          ?s ?p {node} .
          FILTER NOT EXISTS {{ ?s a ?t . VALUES ?t {{ gk:Meeting gk:Statement gk:Position gk:Mention }} }}
        }} ORDER BY ?p ?s LIMIT {ROW_LIMIT}""")
    mentions = select(f"""
        SELECT ?anchor (COUNT(DISTINCT ?m) AS ?n) WHERE {{
          ?m a gk:Mention ; itsrdf:taIdentRef|prov:wasDerivedFrom {node} ; nif:anchorOf ?anchor .
        }} GROUP BY ?anchor ORDER BY DESC(?n) ?anchor LIMIT {ROW_LIMIT}""")
    graph = None
    if is_graph:
        articles = select(f"SELECT DISTINCT ?a WHERE {{ GRAPH {node} {{ ?a a gk:Article }} }} LIMIT {ROW_LIMIT}")
        graph = {"triples": store.triple_count(iri), "articles": [row["a"] for row in articles]}

    shown = {URIRef(iri), *types}
    shown.update(t for row in out for t in row.values())
    shown.update(t for row in events for t in row.values())
    shown.update(t for row in incoming for t in row.values())
    if graph:
        shown.update(graph["articles"])
    labels = fetch_labels([t for t in shown if isinstance(t, URIRef)])

    rows: dict[URIRef, EventRow] = {}
    for row in events:
        ev = rows.setdefault(row["event"], EventRow(cell(row["event"], labels)))
        ev.roles.append(curie(row["role"]))
        ev.date = ev.date or str(row.get("date") or "")
        ev.status = ev.status or (cell(row["status"], labels) if row.get("status") else None)
        ev.sentence = ev.sentence or str(row.get("sentence") or "")
        ev.article = ev.article or (cell(row["article"], labels) if row.get("article") else None)
    here = request.base_url
    return {
        "iri": iri,
        "title": labels.get(URIRef(iri)) or ("Named graph " if is_graph else "") + curie(URIRef(iri)),
        "types": [cell(t, labels) for t in types],
        "properties": [(cell(row["p"], labels), cell(row["o"], labels)) for row in out if row["p"] != RDF.type],
        "events": list(rows.values()),
        # an article's events: every role is prov:wasDerivedFrom and every article is this one
        "event_roles": any(ev.roles != ["prov:wasDerivedFrom"] for ev in rows.values()),
        "event_articles": any(ev.article is None or ev.article.title != iri for ev in rows.values()),
        "incoming": [(cell(row["s"], labels), cell(row["p"], labels)) for row in incoming],
        "mentions": [(str(row["anchor"]), int(row["n"])) for row in mentions],
        "graph": graph and {"triples": graph["triples"], "articles": [cell(a, labels) for a in graph["articles"]]},
        "formats": [(name, RDF_MEDIA[key], f"{here}?format={key}") for key, name in
                    (("turtle", "Turtle"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD"), ("rdfxml", "RDF/XML"))],
        "truncated": any(len(rows_) >= ROW_LIMIT for rows_ in (out, events, incoming, mentions)),
        "row_limit": ROW_LIMIT,
    }


def select(sparql: str) -> list[dict]:
    """Rows of a SELECT on the store (prefixes of kg.store.PREFIXES predeclared) as {name: rdflib term}."""
    result = get_store().query(sparql)
    return [{str(var): term for var, term in row.items()} for row in result.bindings]


def fetch_labels(iris: list[URIRef]) -> dict[URIRef, str]:
    """A human label per IRI: rdfs:label, schema:headline, gk:roleTitle, a sentence's text, or for an
    event one made of its type, actors and words: "Meeting of A, B", "Statement by A: “...”",
    "Position of A: support “...”" (content and target text cut at EVENT_WORDS characters)."""
    labels: dict[URIRef, str] = {}
    for start in range(0, len(iris), 200):
        values = " ".join(f"<{iri}>" for iri in iris[start:start + 200])
        for row in select(f"""
            SELECT ?x (SAMPLE(?l) AS ?label) WHERE {{
              VALUES ?x {{ {values} }}
              {{ ?x rdfs:label ?l }} UNION {{ ?x schema:headline ?l }} UNION {{ ?x gk:roleTitle ?l }}
              UNION {{ ?x a gk:Evidence ; nif:anchorOf ?l }}
            }} GROUP BY ?x"""):
            labels[row["x"]] = str(row["label"])
        for row in select(f"""
            SELECT ?x ?type (GROUP_CONCAT(DISTINCT ?name; SEPARATOR=", ") AS ?names)
                   (SAMPLE(?said) AS ?words) (SAMPLE(?st) AS ?stance) WHERE {{
              VALUES ?x {{ {values} }}
              VALUES ?type {{ gk:Meeting gk:Statement gk:Position }}
              ?x a ?type .
              OPTIONAL {{ ?x gk:participant|gk:speaker|gk:holder ?actor . ?actor rdfs:label ?name }}
              OPTIONAL {{ ?x gk:content|gk:targetText ?said }}
              OPTIONAL {{ ?x gk:stance ?st }}
            }} GROUP BY ?x ?type"""):
            labels[row["x"]] = event_label(row)
    return labels


EVENT_WORDS = 80
_EVENT_KIND = {GK.Meeting: "Meeting of", GK.Statement: "Statement by", GK.Position: "Position of"}


def event_label(row: dict) -> str:
    """The label of one event from its ``type``, actor ``names``, ``words`` and ``stance`` (see fetch_labels)."""
    kind = _EVENT_KIND[row["type"]]
    names = str(row.get("names") or "")
    label = f"{kind} {names}" if names else kind.split()[0]
    words = str(row.get("words") or "")
    if len(words) > EVENT_WORDS:
        words = words[:EVENT_WORDS].rsplit(" ", 1)[0] + "…"
    stance = str(row["stance"]).rsplit("#", 1)[-1].lower() + " " if row.get("stance") else ""
    return f"{label}: {stance}“{words}”" if words else label


def local_href(iri: str) -> str | None:
    """The link for an IRI: its local ``/id/`` page for geokg IRIs, the IRI for other http(s) IRIs,
    None for any other scheme (``file:``, ``urn:``, ``javascript:``)."""
    if iri.startswith(ID_BASE) and len(iri) > len(ID_BASE):
        return url_for("pages.resource", rest=iri[len(ID_BASE):])
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def curie(iri: URIRef | str) -> str:
    """``iri`` shortened with the prefixes of kg.store.PREFIXES (``gk:participant``), else ``<iri>``."""
    text = str(iri)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


def cell(term, labels: dict[URIRef, str]) -> Cell:
    """One term for the templates: IRIs linked (see ``local_href``) and labelled, literals with their
    datatype or language tag as a note (xsd:string omitted), blank nodes as ``_:id``."""
    if isinstance(term, URIRef):
        label = labels.get(term)
        return Cell(label or curie(term), local_href(str(term)), title=str(term))
    if isinstance(term, Literal):
        note = f"@{term.language}" if term.language else (
            curie(term.datatype) if term.datatype and term.datatype != XSD.string else "")
        return Cell(str(term), None, note, long=len(str(term)) > LONG_LITERAL)
    if isinstance(term, BNode):
        return Cell(f"_:{term}")
    return Cell(str(term))


def _text(media_type: str) -> str:
    return media_type if "charset" in media_type else media_type + "; charset=utf-8"
