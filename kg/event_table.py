"""The event table: one row per extracted event, for event-data users (issue 3, section 5).

``kg export --format csv|jsonl`` writes it. The columns follow the habits of GDELT and
POLECAT event data (one event per row, actors with their codes, event codes, date, place,
source URL and sentence): GDELT 2.0 Event Codebook (http://data.gdeltproject.org/documentation/
GDELT-Event_Codebook-V2.0.pdf) and the POLECAT/PLOVER documentation
(https://github.com/openeventdata/PLOVER). Column by column (:data:`COLUMNS`):

=================  ==================================================================================
event              the event IRI (``id/event/{article_id}/{kind}-{hash12}``)
type               Meeting | Statement | Position
cameo              gk:cameoCode (CAMEO code string, e.g. "040")
plover_type        gk:ploverType (local name or text) when the graph has it, else empty
plover_mode        gk:ploverMode, likewise
date               sem:hasTimeStamp (YYYY-MM-DD; for month/year precision the first day)
date_precision     day | month | year
actor_iris         the meeting's participants, or the statement's speaker / the position's holder,
actor_qids         in the same order (sorted by IRI), joined by "|" in CSV (lists in JSON Lines);
actor_labels       an unlinked actor has an empty QID
roles              the person actors' roles at the event date (gk:actorRole, kg/extract/event_roles.py),
                   "Label: Title (State)", sorted; joined by "|" in CSV (a list in JSON Lines)
target_*           the position's gk:target actor (iri, qid, label)
on_behalf_of_*     the statement's gk:onBehalfOf actor (iri, qid, label)
stance             support | oppose (positions)
stance_kind        gk:stanceKind (positions)
target_text        gk:targetText (positions)
content            gk:content (statements); direct_quote true | false
status             occurred | planned | cancelled | denied
mode               in_person | remote (meetings)
place_*            sem:hasPlace actor (iri, qid, label) (meetings)
confidence         gk:confidence in [0, 1]
canonical          the gk:CanonicalMeeting that merges this meeting report (kg/canonical.py)
article, url       the article IRI and its schema:url; published its schema:datePublished
sentence           the evidence sentence (nif:anchorOf)
begin, end         its character offsets in schema:articleBody (0-based, end exclusive)
=================  ==================================================================================

The rows come from one SPARQL query (:data:`EVENTS_QUERY`) run on Oxigraph over the article
graphs, with the actors' labels and QIDs from ``id/graph/actors`` (:mod:`kg.actors`);
canonical meetings are not rows (they carry no sentence), the ``canonical`` column links to them.
Rows are sorted by article URL, begin offset and event IRI.
"""

from __future__ import annotations

import csv
import io
import json
import logging

from rdflib import URIRef

from kg.errors import StoreError
from kg.rdf.mapping import MODE_IRIS, STANCE_IRIS, STATUS_IRIS
from kg.rdf.vocab import GK

log = logging.getLogger(__name__)

TABLE_FORMATS: tuple[str, ...] = ("csv", "jsonl")

COLUMNS: tuple[str, ...] = (
    "event", "type", "cameo", "plover_type", "plover_mode", "date", "date_precision",
    "actor_iris", "actor_qids", "actor_labels", "roles",
    "target_iri", "target_qid", "target_label",
    "on_behalf_of_iri", "on_behalf_of_qid", "on_behalf_of_label",
    "stance", "stance_kind", "target_text", "content", "direct_quote",
    "status", "mode", "place_iri", "place_qid", "place_label", "confidence", "canonical",
    "article", "url", "published", "sentence", "begin", "end",
)
"""The columns, in order (see the module docstring)."""

LIST_COLUMNS = ("actor_iris", "actor_qids", "actor_labels", "roles")
LIST_SEPARATOR = "|"
_CELL = "\x1f"  # separates IRI, QID and label inside one GROUP_CONCAT item
_ITEM = "\x1e"  # separates the items

_ACTOR = """BIND (CONCAT(STR(?{v}), "\\u001f", COALESCE(STR(?{v}Same), ""), "\\u001f", COALESCE(STR(?{v}Label), ""))
          AS ?{v}Cell)"""


def _actor(path: str, var: str) -> str:
    """The actor ``?var`` of ``?event`` by ``path`` in the event's graph ``?g``, with its label and QID from
    the union graph (where ``id/graph/actors`` describes each actor once, kg.actors)."""
    return (f"OPTIONAL {{ GRAPH ?g {{ ?event {path} ?{var} }} OPTIONAL {{ ?{var} rdfs:label ?{var}Label }} "
            f"OPTIONAL {{ ?{var} owl:sameAs ?{var}Same }}\n    {_ACTOR.format(v=var)} }}")


EVENTS_QUERY = f"""
SELECT ?event ?type ?cameo ?ploverType ?ploverMode ?date ?precision ?stance ?stanceKind ?targetText
       ?content ?directQuote ?status ?mode ?confidence ?article ?url ?published ?sentence ?begin ?end
       (GROUP_CONCAT(DISTINCT ?actorCell; separator="\\u001e") AS ?actors)
       (SAMPLE(?targetCell) AS ?target) (SAMPLE(?behalfCell) AS ?behalf) (SAMPLE(?placeCell) AS ?place)
       (SAMPLE(?canon) AS ?canonical)
WHERE {{
  VALUES ?type {{ gk:Meeting gk:Statement gk:Position }}
  GRAPH ?g {{
    ?event a ?type ; prov:wasDerivedFrom ?article .
    ?article schema:url ?url .
    OPTIONAL {{ ?article schema:datePublished ?published }}
    OPTIONAL {{ ?event gk:cameoCode ?cameo }}
    OPTIONAL {{ ?event gk:ploverType ?ploverType }}
    OPTIONAL {{ ?event gk:ploverMode ?ploverMode }}
    OPTIONAL {{ ?event sem:hasTimeStamp ?date }}
    OPTIONAL {{ ?event gk:datePrecision ?precision }}
    OPTIONAL {{ ?event gk:stance ?stance }}
    OPTIONAL {{ ?event gk:stanceKind ?stanceKind }}
    OPTIONAL {{ ?event gk:targetText ?targetText }}
    OPTIONAL {{ ?event gk:content ?content }}
    OPTIONAL {{ ?event gk:directQuote ?directQuote }}
    OPTIONAL {{ ?event gk:status ?status }}
    OPTIONAL {{ ?event gk:mode ?mode }}
    OPTIONAL {{ ?event gk:confidence ?confidence }}
    OPTIONAL {{ ?event gk:evidence ?ev . ?ev nif:anchorOf ?sentence ; nif:beginIndex ?begin ; nif:endIndex ?end }}
  }}
  {{filter}}
  {_actor("gk:participant|gk:speaker|gk:holder", "actor")}
  {_actor("gk:target", "target")}
  {_actor("gk:onBehalfOf", "behalf")}
  {_actor("sem:hasPlace", "place")}
  OPTIONAL {{ ?canon a gk:CanonicalMeeting ; gk:reportedIn ?event }}
}}
GROUP BY ?event ?type ?cameo ?ploverType ?ploverMode ?date ?precision ?stance ?stanceKind ?targetText
         ?content ?directQuote ?status ?mode ?confidence ?article ?url ?published ?sentence ?begin ?end
"""
"""One row per event of the article graphs (actors grouped), with its canonical meeting if any."""

_NAMES = {str(iri): name for table in (STATUS_IRIS, MODE_IRIS, STANCE_IRIS) for name, iri in table.items()}
_WD = "http://www.wikidata.org/entity/"
_GK = str(GK)


def _local(term) -> str:
    """The value of a cell: gold-style names for gk: individuals, local names of other IRIs, literal text."""
    if term is None:
        return ""
    text = str(term)
    if text in _NAMES:
        return _NAMES[text]
    if text.startswith(_GK):
        return text[len(_GK):]
    if isinstance(term, URIRef):
        return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return text


def _split(cell: str) -> tuple[str, str, str]:
    iri, same, label = (cell.split(_CELL) + ["", ""])[:3]
    return iri, same[len(_WD):] if same.startswith(_WD) else same, label


ROLES_QUERY = """
SELECT ?event ?title ?holderLabel ?of ?ofLabel WHERE {
  GRAPH ?g { ?event gk:actorRole ?role . ?role gk:roleHolder ?holder ; gk:roleTitle ?title .
             OPTIONAL { ?role gk:roleOf ?of } }
  {filter}
  OPTIONAL { ?holder rdfs:label ?holderLabel } OPTIONAL { ?of rdfs:label ?ofLabel }
}"""
"""The roles at the event date (gk:RoleAtEvent) of every event, with the holder's and the state's labels."""


def _event_roles(store, where: str) -> dict[str, list[str]]:
    """Event IRI -> sorted "Label: Title (State)" cells; the state is its label, else its IRI's last segment."""
    cells: dict[str, set[str]] = {}
    for b in store.query(ROLES_QUERY.replace("{filter}", where)):
        of = f" ({_local(b.ofLabel) or _local(b.of)})" if b.of is not None else ""
        cells.setdefault(str(b.event), set()).add(f"{_local(b.holderLabel)}: {b.title}{of}")
    return {event: sorted(c) for event, c in cells.items()}


def event_rows(store, graph: str | None = None) -> list[dict]:
    """The event table as a list of row dicts (keys :data:`COLUMNS`; list columns are lists).

    Args:
        store: A ``kg.store.KGStore`` (the query runs on its Oxigraph engine).
        graph: Only the events of this named graph (IRI); None = every article graph.

    Returns:
        Rows sorted by article URL, begin offset and event IRI; absent values are "" (None for
        ``begin``/``end``/``confidence`` when the graph lacks them).

    Raises:
        StoreError: the store cannot be read.
    """
    where = f"FILTER (?g = <{graph}>)" if graph else ""
    rows = []
    roles = _event_roles(store, where)
    for b in store.query(EVENTS_QUERY.replace("{filter}", where)):
        actors = sorted(_split(c) for c in str(b.actors or "").split(_ITEM) if c)
        row = {
            "event": str(b.event), "type": _local(b.type), "cameo": _local(b.cameo),
            "plover_type": _local(b.ploverType), "plover_mode": _local(b.ploverMode),
            "date": str(b.date)[:10] if b.date is not None else "", "date_precision": _local(b.precision),
            "actor_iris": [a[0] for a in actors], "actor_qids": [a[1] for a in actors],
            "actor_labels": [a[2] for a in actors], "roles": roles.get(str(b.event), []),
        }
        for prefix, cell in (("target", b.target), ("on_behalf_of", b.behalf), ("place", b.place)):
            iri, qid, label = _split(str(cell)) if cell is not None else ("", "", "")
            row.update({f"{prefix}_iri": iri, f"{prefix}_qid": qid, f"{prefix}_label": label})
        row.update({
            "stance": _local(b.stance), "stance_kind": _local(b.stanceKind), "target_text": _local(b.targetText),
            "content": _local(b.content),
            "direct_quote": "" if b.directQuote is None else str(bool(b.directQuote.toPython())).lower(),
            "status": _local(b.status), "mode": _local(b.mode),
            "confidence": float(b.confidence) if b.confidence is not None else None,
            "canonical": str(b.canonical) if b.canonical is not None else "",
            "article": str(b.article), "url": str(b.url),
            "published": str(b.published)[:10] if b.published is not None else "",
            "sentence": _local(b.sentence),
            "begin": int(b.begin) if b.begin is not None else None,
            "end": int(b.end) if b.end is not None else None,
        })
        rows.append({c: row[c] for c in COLUMNS})
    rows.sort(key=lambda r: (r["url"], r["begin"] if r["begin"] is not None else -1, r["event"]))
    log.debug("event table: %d rows", len(rows))
    return rows


def to_csv(rows: list[dict]) -> bytes:
    """CSV (RFC 4180, header row, UTF-8); list columns joined with ``|``, absent values empty."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: (LIST_SEPARATOR.join(v) if c in LIST_COLUMNS else ("" if v is None else v))
                         for c, v in row.items()})
    return out.getvalue().encode("utf-8")


def to_jsonl(rows: list[dict]) -> bytes:
    """JSON Lines: one object per row with the keys of :data:`COLUMNS`; lists stay lists, absent values null."""
    lines = [json.dumps({c: (v if v != "" else None) for c, v in row.items()}, ensure_ascii=False)
             for row in rows]
    return ("\n".join(lines) + "\n" if lines else "").encode("utf-8")


def export_events(store, fmt: str = "csv", graph: str | None = None) -> bytes:
    """The event table of ``store`` as CSV or JSON Lines bytes (``kg export --format csv|jsonl``).

    Args:
        store: A ``kg.store.KGStore``.
        fmt: ``csv`` or ``jsonl``.
        graph: Only this named graph's events (IRI); None = all.

    Raises:
        StoreError: an unknown format, or the store cannot be read.
    """
    if fmt not in TABLE_FORMATS:
        raise StoreError(f"unknown event table format {fmt!r}; use one of {', '.join(TABLE_FORMATS)}")
    rows = event_rows(store, graph)
    return to_csv(rows) if fmt == "csv" else to_jsonl(rows)
