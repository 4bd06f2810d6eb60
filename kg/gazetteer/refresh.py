"""Refresh the gazetteer from a Wikidata SPARQL endpoint: offices held, labels and aliases.

``kg gazetteer refresh`` (:func:`main`) or :func:`refresh` reads a built gazetteer, asks the
endpoint (the ``wikidata_endpoint`` setting; Wikidata's public one by default) about its people,
and writes an updated gazetteer plus a JSON change summary (``<name>.changes.json`` next to it).
The shipped ``kg/data/gazetteer.jsonl.gz`` is the reproducible build; a refresh writes elsewhere
(default :data:`DEFAULT_OUT` in the geokg user data folder) and starts from the gazetteer of the
``gazetteer`` setting. Ingest, ``POST /articles`` and ``kg link`` use the refreshed file once the
``gazetteer`` setting (``KG_GAZETTEER``) names it (:func:`kg.gazetteer.load.default_gazetteer`).
The command line is :mod:`kg.gazetteer.refresh_cli`.

Queries (:mod:`kg.gazetteer.wdqs`, Wikidata's RDF shapes), each with ``VALUES`` batches of
``batch_size`` items:

- offices: the ``p:P39``/``ps:P39`` statements of the items with ``pq:P580``/``pq:P582`` (and their
  precision), deprecated statements left out, the office's English label and ``wdt:P1001`` (state);
- office search: the offices of defence ministers and spokespersons of :data:`MAJOR_STATES`
  (``wdt:P1001`` the state, English label matching ``wdqs.SEARCHED_OFFICES``, no deputies), which
  the shipped build lacks (no source in shared/wikidata has them);
- holders: new holders of the offices the gazetteer tracks (a Wikidata office whose label and
  state are those of a gazetteer office, or one the office search found), with a start on or
  after ``since``;
- labels: ``rdfs:label``@en and ``skos:altLabel``@en.

Rules (the build's, :mod:`kg.gazetteer.assemble`): a statement is dropped with no start, a start
after ``as_of``, an end before its start, a date coarser than a year, a "member of ..." seat, or a
state outside the gazetteer. A statement of the same office and state starting within 7 days (or
the same year/month at that precision) is the same term: it ends an open term and makes a coarser
one exact; other statements are new offices. A new person needs an English label that names no
other entry and a kept office. An alias is taken for people, organisations, bodies and groups
only, when it has 2+ words (people), is no acronym, is Latin script, and names no other entry.
A result that breaks :func:`kg.gazetteer.validate.problems` is not written.

Rate limits: the client spaces, identifies and retries requests as Wikimedia asks (see
:mod:`kg.gazetteer.wdqs`).
"""

from __future__ import annotations

import json
import logging
import time
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable

import platformdirs

from kg import settings
from kg.errors import GazetteerError
from kg.gazetteer.assemble import default_short
from kg.gazetteer.build import DEFAULT_PATCH
from kg.gazetteer.gzfile import read_header, write_gazetteer  # noqa: F401  (re-exported)
from kg.gazetteer.load import Gazetteer
from kg.gazetteer.model import GazEntry, Office
from kg.gazetteer.normalize import all_lower, is_abbreviation, is_bare_qid, key
from kg.gazetteer.patch import load_patch
from kg.gazetteer.validate import problems
from kg.gazetteer.wdqs import (EXCLUDED_OFFICES, HOLDERS_QUERY, LABELS_QUERY, OFFICE_SEARCH_QUERY, OFFICES_QUERY,
                               QID, SEARCHED_OFFICES, SparqlClient, batches, qid_of, values, when_of)
from kg.gazetteer.wdqs import user_agent as make_user_agent

log = logging.getLogger(__name__)

DEFAULT_OUT = Path(platformdirs.user_data_dir("geokg")) / "gazetteer.jsonl.gz"
# States whose defence ministers and spokespersons a full refresh looks for (issue 4's "major
# states"); their QIDs are the gazetteer's own (rigour), found by these labels.
MAJOR_STATES = ("United States", "Russia", "China", "United Kingdom", "France", "Germany", "Japan", "India",
                "South Korea", "Ukraine", "Israel", "Iran", "Turkey")


@dataclass(frozen=True)
class Change:
    """One change: ``kind`` is "new person", "new office", "ended office", "exact dates" or "new alias"."""

    kind: str
    qid: str
    label: str
    detail: str


@dataclass
class RefreshStats:
    """What a refresh did: the files written, the requests made, the changes and dropped rows."""

    out: Path
    summary: Path
    endpoint: str
    build_date: date
    entries: int = 0
    requests: int = 0
    retries: int = 0
    queried: int = 0
    changes: list[Change] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Number of changes per kind."""
        return dict(Counter(c.kind for c in self.changes))


def _coarser(a: str, b: str) -> str:
    order = ("day", "month", "year")
    return max(a, b, key=order.index)


def _same_term(a: Office, b: Office) -> bool:
    if key(a.title) != key(b.title) or a.of_qid != b.of_qid:
        return False
    precision = _coarser(a.precision, b.precision)
    if precision == "year":
        return a.start.year == b.start.year
    if precision == "month":
        return (a.start.year, a.start.month) == (b.start.year, b.start.month)
    return abs((a.start - b.start).days) <= 7


class _Refresher:
    """The merge of endpoint answers into the gazetteer entries (one refresh run)."""

    def __init__(self, gaz: Gazetteer, client: SparqlClient, as_of: date, batch_size: int, patch_path: Path) -> None:
        self.gaz, self.client, self.as_of, self.batch = gaz, client, as_of, batch_size
        patch = load_patch(patch_path)
        self.remap: dict[str, str] = patch.section("remap_qids", {})
        self.drop_people = {q for q, _ in patch.section("drop_people", [])}
        self.drop_names = {key(n) for n in patch.section("drop_names", [])}
        self.entries: dict[str, GazEntry] = {e.qid: e for e in gaz.entries if e.qid}
        self.allowed = {e.qid for e in gaz.entries if e.qid and (e.sovereign or e.type == "Organization")}
        self.names: dict[str, set[str]] = {}
        for e in gaz.entries:
            for n in (e.label, *e.aliases, *e.weak_aliases, *e.demonyms):
                self.names.setdefault(key(n), set()).add(e.qid or f"-{e.label}")
        self.titles: dict[str, set[str | None]] = {}
        for e in gaz.entries:
            for o in e.offices:
                self.titles.setdefault(key(o.title), set()).add(o.of_qid)
        self.tracked = {(key(o.title), o.of_qid) for e in gaz.entries for o in e.offices if o.of_qid}
        self.changes: list[Change] = []
        self.dropped: Counter = Counter()
        self.office_items: set[str] = set()

    def offices(self, qids: list[str]) -> dict[str, list[Office]]:
        """Ask for the P39 statements of ``qids``; return the kept offices per person."""
        rows: dict[str, dict[str, Any]] = {}
        for batch in batches(qids, self.batch):
            for b in self.client.select(OFFICES_QUERY % values(batch)):
                item, office = qid_of(b, "item"), qid_of(b, "office")
                if not item or not office:
                    continue
                row = rows.setdefault(b["st"]["value"], {"item": item, "office": office, "of": set(), "b": b})
                if qid_of(b, "of"):
                    row["of"].add(self.remap.get(qid_of(b, "of"), qid_of(b, "of")))
                if "officeLabel" in b:
                    row["b"] = b
        out: dict[str, list[Office]] = {}
        for row in rows.values():
            office = self._office(row)
            if office is not None:
                out.setdefault(row["item"], []).append(office)
                if (key(office.title), office.of_qid) in self.tracked:
                    self.office_items.add(row["office"])
        return out

    def _office(self, row: dict[str, Any]) -> Office | None:
        b = row["b"]
        title = " ".join(b.get("officeLabel", {}).get("value", "").split())
        start, end = when_of(b, "start", False), when_of(b, "end", True)
        of = row["of"] & self.allowed
        if not row["of"] and len(self.titles.get(key(title), ())) == 1:
            of = self.titles[key(title)] - {None}  # no P1001: the state of the gazetteer's office of that title
        reason = None
        if not title or is_bare_qid(title):
            reason = "office without English label"
        elif key(title).startswith("member of"):
            reason = "a seat, not an office"
        elif start is None:
            reason = "no start"
        elif start == "bad" or end == "bad":
            reason = "date coarser than a year"
        elif start[0] > self.as_of:
            reason = "starts after the refresh date"
        elif end is not None and end[0] < start[0]:
            reason = "ends before it starts"
        elif start[0].year < 1900 and end is None:
            reason = "ancient holder marked current"
        elif len(of) != 1:
            reason = "state not in the gazetteer" if not of else "several states"
        if reason:
            self.dropped[f"statement: {reason}"] += 1
            return None
        precision = start[1] if end is None else _coarser(start[1], end[1])
        return Office(title, next(iter(of)), start[0], end[0] if end else None, precision)

    def search_offices(self, states: list[str]) -> None:
        """Track the defence-minister and spokesperson offices of ``states`` (see wdqs.SEARCHED_OFFICES)."""
        for batch in batches(states, self.batch):
            query = OFFICE_SEARCH_QUERY % (values(batch), SEARCHED_OFFICES, EXCLUDED_OFFICES)
            self.office_items |= {q for b in self.client.select(query) if (q := qid_of(b, "office"))}

    def holders(self, since: date) -> set[str]:
        """Return the people who took a tracked office on or after ``since``."""
        found: set[str] = set()
        for batch in batches(sorted(self.office_items), self.batch):
            found |= {q for b in self.client.select(HOLDERS_QUERY % (values(batch), since.isoformat()))
                      if (q := qid_of(b, "item"))}
        return found

    def labels(self, qids: list[str]) -> dict[str, tuple[str | None, list[str]]]:
        """Return (English label, English aliases) per item."""
        out: dict[str, tuple[str | None, list[str]]] = {}
        for batch in batches(qids, self.batch):
            for b in self.client.select(LABELS_QUERY % values(batch)):
                qid = qid_of(b, "item")
                if not qid:
                    continue
                label, aliases = out.get(qid, (None, []))
                if "label" in b:
                    label = b["label"]["value"]
                if "alias" in b:
                    aliases.append(" ".join(b["alias"]["value"].split()))
                out[qid] = (label, aliases)
        return out

    def merge_offices(self, entry: GazEntry, found: list[Office]) -> GazEntry:
        offices = list(entry.offices)
        for new in sorted(found, key=lambda o: (o.start, o.title)):
            i = next((i for i, o in enumerate(offices) if _same_term(o, new)), None)
            if i is None:
                offices.append(new)
                self._note("new office", entry, new)
                continue
            old = offices[i]
            order = ("day", "month", "year")
            if order.index(new.precision) < order.index(old.precision) and (new.end or not old.end):
                offices[i] = replace(new, title=old.title)
                self._note("exact dates", entry, offices[i])
            elif old.end is None and new.end is not None:
                offices[i] = replace(old, end=new.end, precision=_coarser(old.precision, new.precision))
                self._note("ended office", entry, offices[i])
        if offices == list(entry.offices):
            return entry
        offices.sort(key=lambda o: (o.start, o.title))
        return replace(entry, offices=tuple(offices), source=_source(entry.source))

    def _note(self, kind: str, entry: GazEntry, o: Office) -> None:
        self.changes.append(Change(kind, entry.qid or "", entry.label,
                                   f"{o.title} ({o.of_qid}) {o.start} - {o.end or 'now'}"))

    def usable_alias(self, entry_qid: str, entry_type: str, alias: str) -> bool:
        if not alias or is_bare_qid(alias) or all_lower(alias) or is_abbreviation(alias) or key(alias) in self.drop_names:
            return False
        if any(c in alias for c in ",()[]") or not all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in alias if c.isalpha()):
            return False
        if entry_type == "Person" and len(key(alias).split()) < 2:
            return False
        return self.names.get(key(alias), {entry_qid}) == {entry_qid}

    def merge_aliases(self, entry: GazEntry, aliases: list[str], taken: Counter) -> GazEntry:
        if entry.type not in ("Person", "Organization", "GovernmentBody", "Group"):
            return entry
        own = {key(n) for n in (entry.label, *entry.aliases, *entry.weak_aliases)}
        new = []
        for alias in aliases:
            if key(alias) not in own and self.usable_alias(entry.qid or "", entry.type, alias) and taken[key(alias)] == 1:
                own.add(key(alias))
                new.append(alias)
                self.changes.append(Change("new alias", entry.qid or "", entry.label, alias))
        return replace(entry, aliases=entry.aliases + tuple(new), source=_source(entry.source)) if new else entry

    def new_person(self, qid: str, label: str | None, offices: list[Office]) -> GazEntry | None:
        reason = None
        if qid in self.drop_people:
            reason = "dropped by the patch"
        elif not label or is_bare_qid(label) or all_lower(label):
            reason = "no usable English label"
        elif key(label) in self.names:
            reason = "label names another entry"
        elif not offices:
            reason = "no kept office"
        if reason:
            self.dropped[f"new person: {reason}"] += 1
            return None
        offices = sorted(set(offices), key=lambda o: (o.start, o.title))
        entry = GazEntry(qid, label, "Person", offices=tuple(offices), source="wikidata",
                         short_names=tuple(default_short(label, offices)))
        self.names.setdefault(key(label), set()).add(qid)
        self.changes.append(Change("new person", qid, label, "; ".join(
            f"{o.title} ({o.of_qid}) {o.start} - {o.end or 'now'}" for o in offices)))
        return entry


def _source(source: str) -> str:
    return source if source.endswith("wikidata") else f"{source}+wikidata" if source else "wikidata"


def refresh(endpoint: str | None, gaz_path: Path | None, out_path: Path, *, qids: Iterable[str] | None = None,
            batch_size: int = 50, user_agent: str | None = None, contact: str | None = None,
            max_retries: int = 5, min_interval: float = 1.0,
            timeout: float = 60, as_of: date | None = None, since: date | None = None,
            patch_path: Path = DEFAULT_PATCH, sleep: Callable[[float], None] = time.sleep,
            clock: Callable[[], float] = time.monotonic) -> RefreshStats:
    """Update a gazetteer from a Wikidata SPARQL endpoint (see the module docstring).

    Args:
        endpoint: Query endpoint URL; None = the ``wikidata_endpoint`` setting.
        gaz_path: Gazetteer to update; None = the ``gazetteer`` setting (``KG_GAZETTEER``), whose
            default is the shipped one.
        out_path: File to write; the change summary goes to ``<stem>.changes.json`` beside it.
        qids: Refresh only these items (any type; a new QID with a kept office becomes a person);
            None = every person of the gazetteer plus new holders of the offices it tracks.
        batch_size: Items per query (VALUES).
        user_agent: The User-Agent header; None = :func:`kg.gazetteer.wdqs.user_agent` of the
            endpoint and ``contact``.
        contact: Operator e-mail address or URL for the User-Agent; None = the ``wikidata_contact``
            setting. Required for Wikidata's public endpoint.
        max_retries: Retries per query after HTTP 429/5xx or a network error.
        min_interval: Seconds between two requests.
        timeout: Seconds to wait for one response.
        as_of: The new build date; no term may start after it. None = today.
        since: New holders are looked for from this day; None = 5 years before the old build date.
        patch_path: The reviewed patch (its remap_qids, drop_people and drop_names apply).
        sleep: Waiting function (tests pass a recorder).
        clock: Monotonic clock in seconds.

    Returns:
        The statistics and the list of changes.

    Raises:
        GazetteerError: the gazetteer cannot be read, no contact is set for a Wikimedia endpoint,
            the endpoint fails, or the result breaks a validation rule (nothing is written then).
    """
    endpoint = str(settings.get("wikidata_endpoint", endpoint))
    as_of = as_of or date.today()
    agent = user_agent or make_user_agent(endpoint, contact)
    configured = str(settings.get("gazetteer") or "").strip()
    gaz_path = gaz_path or (Path(configured).expanduser() if configured else None)
    gaz = Gazetteer.load(gaz_path)
    header = read_header(gaz_path)
    client = SparqlClient(endpoint, agent, timeout=timeout, max_retries=max_retries,
                          min_interval=min_interval, sleep=sleep, clock=clock)
    r = _Refresher(gaz, client, as_of, batch_size, patch_path)
    wanted = sorted(set(qids)) if qids is not None else sorted(q for q, e in r.entries.items() if e.type == "Person")
    bad = [q for q in wanted if not QID.match(q)]
    if bad:
        raise GazetteerError(f"not Wikidata item ids: {', '.join(bad)} (expected Q + digits)")
    found = r.offices(wanted)
    if qids is None:
        r.search_offices([e.qid for name in MAJOR_STATES for e in gaz.lookup_names(name)
                          if e.type == "Country" and e.qid])
        since = since or (gaz.build_date or as_of) - timedelta(days=5 * 365)
        extra = sorted(r.holders(since) - set(r.entries))
        found.update(r.offices(extra))
        wanted += extra
    labels = r.labels(wanted)
    taken = Counter(key(a) for q in wanted for a in set(labels.get(q, (None, []))[1]))
    for qid in wanted:
        label, aliases = labels.get(qid, (None, []))
        entry = r.entries.get(qid)
        if entry is None:
            entry = r.new_person(qid, label, found.get(qid, []))
            if entry is None:
                continue
        elif entry.type == "Person":
            entry = r.merge_offices(entry, found.get(qid, []))
        r.entries[qid] = r.merge_aliases(entry, aliases, taken)
    entries = list(r.entries.values()) + [e for e in gaz.entries if not e.qid]
    found_problems = problems(entries, as_of)
    if found_problems:
        raise GazetteerError("refreshed gazetteer failed validation:\n  " + "\n  ".join(found_problems[:50]))
    refreshed = {"endpoint": endpoint, "date": as_of.isoformat(), "from": gaz.source}
    size = write_gazetteer(entries, out_path, as_of, {**header, "refreshed": refreshed})
    summary = Path(out_path).with_name(Path(out_path).name.split(".")[0] + ".changes.json")
    stats = RefreshStats(Path(out_path), summary, endpoint, as_of, len(entries), client.requests, client.retries,
                         len(wanted), r.changes, dict(r.dropped))
    summary.write_text(json.dumps({**refreshed, "out": str(out_path), "bytes": size, "requests": stats.requests,
                                   "retries": stats.retries, "queried": stats.queried, "counts": stats.counts(),
                                   "dropped": stats.dropped, "changes": [asdict(c) for c in r.changes]},
                                  ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log.info("refresh: %d changes (%s) -> %s", len(r.changes), stats.counts(), out_path)
    return stats
