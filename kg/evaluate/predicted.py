"""Read the extracted (predicted) items out of a store with SPARQL.

Works on anything with a ``query(sparql: str)`` method returning rdflib query
results: a ``kg.store.KGStore`` (its default graph is the union of the named
graphs) or an ``rdflib.Dataset`` with ``default_union = True``. The queries use
standard SPARQL 1.1 only, so that they run unchanged on Oxigraph; there is one
query per kind over all articles (plus one listing the articles), and the rows
are grouped per article in Python.

Items are tied to their article through ``prov:wasDerivedFrom`` (events and
mentions) and the article through its ``schema:url``; the vocabulary is the
fixed one of the common brief (``gk:`` ontology).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote

log = logging.getLogger(__name__)

GK = "https://w3id.org/geokg/ontology#"

PREFIXES = """\
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

ARTICLES_QUERY = PREFIXES + """
SELECT DISTINCT ?article ?url WHERE { ?article a gk:Article ; schema:url ?url . }
"""

# One row per (event, actor, label, sameAs, ...) combination; grouped per event in Python.
# The actor is OPTIONAL so that an event missing it still counts as a (wrong) prediction.
_EVENT_QUERY = PREFIXES + """
SELECT ?url ?event ?actor ?label ?same ?status ?sentence {extra_vars} WHERE {{
  ?event a {cls} ; prov:wasDerivedFrom ?article .
  ?article schema:url ?url .
  OPTIONAL {{
    ?event {actor_prop} ?actor .
    OPTIONAL {{ ?actor rdfs:label ?label }}
    OPTIONAL {{ ?actor owl:sameAs ?same }}
  }}
  OPTIONAL {{ ?event gk:status ?status }}
  OPTIONAL {{ ?event gk:evidence ?ev . ?ev nif:anchorOf ?sentence }}
  {extra}
}}
"""

MEETINGS_QUERY = _EVENT_QUERY.format(
    cls="gk:Meeting", actor_prop="gk:participant", extra_vars="?mode ?date",
    extra="OPTIONAL { ?event gk:mode ?mode }\n  OPTIONAL { ?event sem:hasTimeStamp ?date }")
STATEMENTS_QUERY = _EVENT_QUERY.format(cls="gk:Statement", actor_prop="gk:speaker", extra_vars="", extra="")
POSITIONS_QUERY = _EVENT_QUERY.format(
    cls="gk:Position", actor_prop="gk:holder", extra_vars="?stance ?target",
    extra="OPTIONAL { ?event gk:stance ?stance }\n  OPTIONAL { ?event gk:targetText ?target }")

#: QIDs the graph links for an article: through its mentions' itsrdf:taIdentRef, or
#: through the actors of its events (every actor-valued event property). Canonical meetings
#: (kg/canonical.py) are derived from several articles and merge their participants, so they
#: are left out: an article is scored on what was extracted from it.
LINKING_QUERY = PREFIXES + """
SELECT DISTINCT ?url ?same ?label WHERE {
  ?article schema:url ?url .
  {
    ?mention prov:wasDerivedFrom ?article ; itsrdf:taIdentRef ?actor .
  } UNION {
    ?event prov:wasDerivedFrom ?article ;
           (gk:participant|gk:speaker|gk:holder|gk:onBehalfOf|gk:target|sem:hasPlace) ?actor .
    FILTER NOT EXISTS { ?event a gk:CanonicalMeeting }
  }
  ?actor owl:sameAs ?same .
  OPTIONAL { ?actor rdfs:label ?label }
}
"""

_WIKIDATA = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]*)$")

#: Local names of the gk: individuals, mapped to the gold strings.
STATUS_NAMES = {"Occurred": "occurred", "Planned": "planned", "Cancelled": "cancelled", "Denied": "denied"}
MODE_NAMES = {"InPerson": "in_person", "Remote": "remote"}
STANCE_NAMES = {"Support": "support", "Oppose": "oppose"}


@dataclass(frozen=True)
class PredictedActor:
    """An actor of an extracted event: its IRI, every rdfs:label and every Wikidata QID (owl:sameAs)."""

    iri: str
    labels: frozenset[str] = frozenset()
    qids: frozenset[str] = frozenset()

    @property
    def display(self) -> str:
        """A readable name: the first label in sorted order, else the IRI's last segment."""
        return min(self.labels) if self.labels else self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PredictedMeeting:
    """An extracted gk:Meeting. ``status``/``mode`` use the gold strings; ``date`` is ``YYYY-MM-DD``."""

    iri: str
    participants: tuple[PredictedActor, ...]
    sentence: str | None = None
    status: str | None = None
    mode: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class PredictedStatement:
    """An extracted gk:Statement (SHACL says exactly one speaker; more are kept if present)."""

    iri: str
    speakers: tuple[PredictedActor, ...]
    sentence: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class PredictedPosition:
    """An extracted gk:Position; ``stance`` is "support", "oppose" or None."""

    iri: str
    holders: tuple[PredictedActor, ...]
    sentence: str | None = None
    stance: str | None = None
    status: str | None = None
    target: str | None = None  # gk:targetText, for reports only (not scored)


@dataclass
class PredictedArticle:
    """Everything extracted for one article (keyed by its schema:url)."""

    url: str
    meetings: list[PredictedMeeting] = field(default_factory=list)
    statements: list[PredictedStatement] = field(default_factory=list)
    positions: list[PredictedPosition] = field(default_factory=list)
    qids: dict[str, str] = field(default_factory=dict)  # QID -> a label (for reports)


def qid_of(iri: str) -> str | None:
    """The QID of a Wikidata entity IRI (``http://www.wikidata.org/entity/Q7747`` -> ``Q7747``), else None."""
    m = _WIKIDATA.match(iri)
    return m.group(1) if m else None


def _local(term) -> str | None:
    """Local name of a gk: IRI ("...#Occurred" -> "Occurred"), or the literal's text."""
    if term is None:
        return None
    text = str(term)
    return text[len(GK):] if text.startswith(GK) else text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _mapped(term, names: dict[str, str]) -> str | None:
    local = _local(term)
    if local is None:
        return None
    return names.get(local, local.lower())


def _rows(store, sparql: str):
    for row in store.query(sparql):
        yield row.asdict()


def _grouped_events(store, sparql: str) -> dict[str, dict[str, dict]]:
    """Run an event query; return url -> event IRI -> {"actors": {iri: (labels, qids)}, other vars}."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for b in _rows(store, sparql):
        url, event = str(b["url"]), str(b["event"])
        rec = out[url].setdefault(event, {"actors": {}})
        if b.get("actor") is not None:  # an event without its actor is still a prediction
            labels, qids = rec["actors"].setdefault(str(b["actor"]), (set(), set()))
            if b.get("label") is not None:
                labels.add(str(b["label"]))
            if b.get("same") is not None and (q := qid_of(str(b["same"]))):
                qids.add(q)
        for var in ("status", "sentence", "mode", "date", "stance", "target"):
            if b.get(var) is not None:
                # one value expected; keep the smallest for determinism if the graph has several
                value = str(b[var])
                rec[var] = min(rec.get(var, value), value)
    return out


def _actors(rec: dict) -> tuple[PredictedActor, ...]:
    return tuple(PredictedActor(iri, frozenset(labels), frozenset(qids))
                 for iri, (labels, qids) in sorted(rec["actors"].items()))


def read_predicted(store) -> dict[str, PredictedArticle]:
    """Read every article and its extracted meetings, statements, positions and linked QIDs.

    Args:
        store: Anything with ``query(sparql) -> rdflib.query.Result`` over the union of
            the article graphs (a ``kg.store.KGStore``; an ``rdflib.Dataset`` with
            ``default_union = True``).

    Returns:
        Mapping schema:url (as a string) -> PredictedArticle; events sorted by IRI.

    Raises:
        Whatever ``store.query`` raises (``kg.errors.StoreError`` for a KGStore).
    """
    articles: dict[str, PredictedArticle] = {}
    for b in _rows(store, ARTICLES_QUERY):
        url = str(b["url"])
        articles.setdefault(url, PredictedArticle(url))

    def art(url: str) -> PredictedArticle:
        return articles.setdefault(url, PredictedArticle(url))

    for url, events in _grouped_events(store, MEETINGS_QUERY).items():
        for iri, rec in sorted(events.items()):
            date = rec.get("date")
            art(url).meetings.append(PredictedMeeting(
                iri, _actors(rec), rec.get("sentence"), _mapped(rec.get("status"), STATUS_NAMES),
                _mapped(rec.get("mode"), MODE_NAMES), date[:10] if date else None))
    for url, events in _grouped_events(store, STATEMENTS_QUERY).items():
        for iri, rec in sorted(events.items()):
            art(url).statements.append(PredictedStatement(
                iri, _actors(rec), rec.get("sentence"), _mapped(rec.get("status"), STATUS_NAMES)))
    for url, events in _grouped_events(store, POSITIONS_QUERY).items():
        for iri, rec in sorted(events.items()):
            art(url).positions.append(PredictedPosition(
                iri, _actors(rec), rec.get("sentence"), _mapped(rec.get("stance"), STANCE_NAMES),
                _mapped(rec.get("status"), STATUS_NAMES), rec.get("target")))
    for b in _rows(store, LINKING_QUERY):
        q = qid_of(str(b["same"]))
        if q:
            label = str(b["label"]) if b.get("label") is not None else q
            qids = art(str(b["url"])).qids
            qids[q] = min(qids.get(q, label), label)
    log.debug("read %d articles from the store", len(articles))
    return articles


def find_article(articles: dict[str, PredictedArticle], name: str) -> tuple[PredictedArticle | None, list[str]]:
    """The extracted article whose schema:url ends with file ``name`` (corpus/README.md scoring rule).

    The URL is compared percent-decoded (a ``file:`` URI may encode characters of the name).

    Returns:
        (the article with the lexicographically first matching URL or None, every matching URL).
    """
    urls = sorted(u for u in articles if unquote(u).endswith(name) or u.endswith(name))
    return (articles[urls[0]] if urls else None), urls
