"""Merge rules of canonical meetings: when two meeting reports show one real-world meeting.

Used by :mod:`kg.canonical`, which reads the reports from the store and writes the graph.

Merge rules (:func:`compatible`, decided here; the corpus clusters are in tests/test_canonical.py):

1. Actors (keys computed by ``kg.canonical.ActorIndex``). An actor is its QID when linked
   (``id/entity/Q…`` or an owl:sameAs), else its IRI; an unlinked actor whose label (case and
   spacing ignored) and type equal those of exactly one linked actor of the store counts as that
   actor. People and their countries are different actors ("Lee" is not "South Korea").
2. Participants: the same set, or one a subset of the other with at least two actors ("Ukraine,
   Russia" within "Ukraine, Russia, United States": a report naming two of three sides).
   2b. Or the same sides (:func:`same_sides`), when one report names the envoys and another the
   states ("Witkoff, Umerov, Dmitriev" and "Ukraine, Russia, United States"). A state,
   organisation, government body or group is its own side; a person is the state or body of their
   gk:RoleAtEvent at that event (gk:roleOf), else of their gk:affiliatedWith, else themselves.
   The sides must be equal, or one within the other, with at least two sides, and on each common
   side the persons one report names must be within those the other names. Same sides are weaker
   evidence than the same persons: like a subset of participants, they need both reports dated by
   day within the window, or the same place (rule 5).
3. Place: when both reports give one, it is the same actor (no city-in-country reasoning).
4. Status: an occurred report never merges with a cancelled or denied one.
5. Dates. Both dated: the periods (a day, or the whole month/year of a coarser precision) are at
   most :data:`DATE_WINDOW_DAYS` apart. A report that is undated or dated coarser than a day
   needs stronger actors: the same participants, or the same place on both. An undated report
   then needs its article's publication date within :data:`UNDATED_WINDOW_DAYS` of the other
   report's date (or of its article's date when that one is undated too), and must fit it: an
   occurred report is not about a date after its publication (+1 day), a planned one not about
   a date before it (-1 day). When a publication date is unknown, only the same place on both
   lets an undated report merge.

A report joins a cluster when it conflicts with no member (participants comparable neither as
actors nor as sides, two places, occurred against cancelled/denied, dates that do not fit) and
shows the same meeting as
at least one (all the rules above hold with it). Dated reports are placed first (day before
month before year, then by date, then IRI), each in the first cluster that accepts it; then
undated ones (by publication date, then IRI), each only if exactly one cluster accepts it --
one that fits several (e.g. "two previous rounds in Abu Dhabi") stays on its own, and its merge
reason says so. The order depends on the reports only, never on the ingest order, and the
canonical IRI ``id/event/canonical/meeting-{hash12}`` hashes the sorted report IRIs, so the same
store always gives the same graph.
"""

from __future__ import annotations

import calendar
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from rdflib import URIRef

from kg.rdf.iris import event_iri
from kg.rdf.vocab import ID

log = logging.getLogger(__name__)

DATE_WINDOW_DAYS = 1
"""Two dated reports merge when their periods are at most this many days apart."""

UNDATED_WINDOW_DAYS = 7
"""An undated report merges only if its article appeared within this many days of the other's date."""

STATUS_PRECEDENCE: tuple[str, ...] = ("occurred", "cancelled", "denied", "planned")
"""The canonical status is the first of these that some report gives."""

_CONFLICTS = {frozenset({"occurred", "cancelled"}), frozenset({"occurred", "denied"})}
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_ENTITY = str(ID["entity/"])
_EVENT = str(ID["event/"])
_WD = "http://www.wikidata.org/entity/"
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Report:
    """One per-article gk:Meeting as the merge sees it.

    Attributes:
        iri: The report's IRI.
        article: Its article's IRI.
        published: The article's publication date, or None.
        participants: Actor keys (``kg.canonical.ActorIndex``).
        date: sem:hasTimeStamp, or None; ``precision`` its gk:datePrecision.
        status: "occurred", "planned", "cancelled" or "denied".
        mode: "in_person", "remote" or None.
        place: Actor key of sem:hasPlace, or None.
        confidence: gk:confidence in [0, 1].
        cameo: gk:cameoCode.
        topics: gk:topic values.
        side_of: ``(participant key, side key)`` for each person participant that represents a
            state or body other than itself (``kg.canonical.read_reports``: the gk:roleOf of their
            gk:RoleAtEvent, else their gk:affiliatedWith); every other participant is its own side.
    """

    iri: str
    article: str
    published: date | None
    participants: frozenset[str]
    date: date | None = None
    precision: str | None = None
    status: str = "occurred"
    mode: str | None = None
    place: str | None = None
    confidence: float = 0.5
    cameo: str = "040"
    topics: tuple[str, ...] = ()
    side_of: frozenset[tuple[str, str]] = frozenset()

    def side(self, key: str) -> str:
        """The side participant ``key`` represents (rule 2b): the side ``side_of`` gives it, else itself."""
        return next((s for p, s in sorted(self.side_of) if p == key), key)

    @property
    def sides(self) -> frozenset[str]:
        """The sides of the participants (:meth:`side` of each)."""
        return frozenset(self.side(p) for p in self.participants)

    def delegates(self, side: str) -> frozenset[str]:
        """The participants other than ``side`` itself that represent ``side`` (its envoys, ministers…)."""
        return frozenset(p for p in self.participants if p != side and self.side(p) == side)

    @property
    def span(self) -> tuple[date, date] | None:
        """The period the date stands for (first and last day, inclusive), or None when undated."""
        if self.date is None:
            return None
        if self.precision == "year":
            return date(self.date.year, 1, 1), date(self.date.year, 12, 31)
        if self.precision == "month":
            last = calendar.monthrange(self.date.year, self.date.month)[1]
            return self.date.replace(day=1), self.date.replace(day=last)
        return self.date, self.date


@dataclass
class Cluster:
    """Reports of one real-world meeting; ``reasons`` explain each merge (see :func:`cluster_reports`)."""

    members: list[Report]
    reasons: list[str] = field(default_factory=list)

    @property
    def iri(self) -> URIRef:
        """``id/event/canonical/meeting-{hash12}``: hash of the sorted report IRIs."""
        return event_iri("canonical", "meeting", *sorted(m.iri for m in self.members))



def short(iri: str) -> str:
    """A readable name of an IRI in reasons: ``Q7747``, ``person/steve-witkoff``, ``<article>/meeting-…``."""
    for prefix in (_ENTITY, _EVENT, _WD):
        if iri.startswith(prefix):
            return iri[len(prefix):]
    return iri


def _names(keys) -> str:
    return ", ".join(sorted(short(k) for k in keys))



# -- merge rules ---------------------------------------------------------------------------------

def _gap(a: tuple[date, date], b: tuple[date, date]) -> int:
    """Days between two periods (0 when they overlap)."""
    return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)


def _when(r: Report) -> str:
    if r.date is None:
        return "undated"
    if r.precision == "year":
        return f"{r.date.year}"
    if r.precision == "month":
        return r.date.isoformat()[:7]
    return r.date.isoformat()


def _fits_publication(undated: Report, span: tuple[date, date]) -> bool:
    """An occurred report is not about a later date than its article; a planned one not an earlier one."""
    if undated.status == "occurred" and span[0] > undated.published + _ONE_DAY:
        return False
    return not (undated.status == "planned" and span[1] < undated.published - _ONE_DAY)


def _time(a: Report, b: Report, window: int, undated_window: int) -> tuple[bool, str, bool]:
    """Whether the dates of ``a`` and ``b`` fit (rule 5), how, and whether that could be checked."""
    sa, sb = a.span, b.span
    if sa and sb:
        return _gap(sa, sb) <= window, f"dates {_when(a)}/{_when(b)}", True
    u, o = (a, b) if sa is None else (b, a)
    ref = o.span or ((o.published, o.published) if o.published else None)
    if u.published is None or ref is None:
        return True, "undated; a publication date unknown", False
    gap = _gap((u.published, u.published), ref)
    fits = gap <= undated_window
    if o.span is not None:
        text = f"undated report of {u.published}, {gap} days from {_when(o)}"
        return fits and _fits_publication(u, o.span), text, True
    for x, y in ((u, o), (o, u)):  # both undated: a planned report does not follow an occurred one
        if x.status == "planned" and y.status == "occurred" and x.published > y.published + _ONE_DAY:
            fits = False
    return fits, f"undated; articles of {u.published}/{o.published}, {gap} days apart", True


def _nested(A: frozenset[str], B: frozenset[str]) -> bool:
    """Equal, or one within the other with at least two members in the smaller (rule 2)."""
    small, big = (A, B) if len(A) <= len(B) else (B, A)
    return A == B or (len(small) >= 2 and small < big)


def same_sides(a: Report, b: Report) -> bool:
    """Rule 2b: the sides of ``a`` and ``b`` are equal, or one within the other, with at least two sides
    each, and on every common side the participants representing it in one report are within those
    of the other ("Lee, Xi" and "Lee, Li Qiang" both give South Korea and China, but Xi is not Li)."""
    A, B = a.sides, b.sides
    if min(len(A), len(B)) < 2 or not _nested(A, B):
        return False
    for side in A & B:
        da, db = a.delegates(side), b.delegates(side)
        if not (da <= db or db <= da):
            return False
    return True


def _comparable(a: Report, b: Report) -> bool:
    return _nested(a.participants, b.participants) or same_sides(a, b)


def conflicts(a: Report, b: Report, *, window: int = DATE_WINDOW_DAYS,
              undated_window: int = UNDATED_WINDOW_DAYS) -> bool:
    """Whether ``a`` and ``b`` cannot describe one meeting: participants neither equal nor one within
    the other, neither as actors nor as sides (:func:`same_sides`), two different places, occurred
    against cancelled/denied, or dates that do not fit."""
    if not _comparable(a, b) or (a.place and b.place and a.place != b.place):
        return True
    if frozenset((a.status, b.status)) in _CONFLICTS:
        return True
    return not _time(a, b, window, undated_window)[0]


def compatible(a: Report, b: Report, *, window: int = DATE_WINDOW_DAYS,
               undated_window: int = UNDATED_WINDOW_DAYS) -> str | None:
    """Whether two reports show the same meeting (rules 2-5 of the module docstring).

    Args:
        a: A report.
        b: Another report.
        window: :data:`DATE_WINDOW_DAYS`.
        undated_window: :data:`UNDATED_WINDOW_DAYS`.

    Returns:
        The merge reason (``"same participants Q12612463, Q15031; dates 2026-01-05/2026-01-05;
        place Q956"``, ``"same sides Q159, Q212; dates 2026-02-04/2026-02-05"``), or None when they do not conflict-free show one meeting. The decision is symmetric.
    """
    if conflicts(a, b, window=window, undated_window=undated_window):
        return None
    A, B = a.participants, b.participants
    actor_level = _nested(A, B)
    if not actor_level:  # conflicts() passed, so the sides match (rule 2b)
        A, B = a.sides, b.sides
    exact = actor_level and A == B
    same_place = a.place is not None and a.place == b.place
    _, when, checked = _time(a, b, window, undated_window)
    both_days = a.date is not None and b.date is not None and a.precision == b.precision == "day"
    if not both_days and not (exact or same_place):
        return None  # undated or coarse dates need the same participants (not sides) or the same place
    if not checked and not same_place:
        return None  # an unknown publication date: only the same place on both
    small, big = (A, B) if len(A) <= len(B) else (B, A)
    what = "participants" if actor_level else "sides"
    parts = [f"same {what} {_names(A)}" if A == B else f"{what} {_names(small)} within {_names(big)}", when]
    if same_place:
        parts.append(f"place {short(a.place)}")
    elif a.place or b.place:
        parts.append(f"place {short(a.place or b.place)} in one report")
    return "; ".join(parts)


def cluster_reports(reports, **rules) -> list[Cluster]:
    """Group reports into clusters of one real-world meeting (the order of the module docstring).

    A cluster accepts a report that :func:`conflicts` with none of its members and is
    :func:`compatible` with at least one.

    Args:
        reports: Reports in any order (the result does not depend on it).
        **rules: ``window`` / ``undated_window`` for :func:`compatible`.

    Returns:
        The clusters in the order they were opened; ``reasons`` holds one line per report merged
        into the first one (``"{report} ~ {member}: {reason}"``), or ``"single report"``.
    """
    dated = sorted((r for r in reports if r.date is not None),
                   key=lambda r: (_PRECISION_RANK.get(r.precision or "", 3), r.span[0], r.iri))
    undated = sorted((r for r in reports if r.date is None), key=lambda r: (r.published or date.max, r.iri))
    clusters: list[Cluster] = []
    by_actor: dict[str, list[int]] = defaultdict(list)

    def evidence(i: int, r: Report) -> str | None:
        members = clusters[i].members
        if any(conflicts(r, m, **rules) for m in members):
            return None
        for m in members:
            reason = compatible(r, m, **rules)
            if reason is not None:
                return f"{short(r.iri)} ~ {short(m.iri)}: {reason}"
        return None

    def accepting(r: Report) -> list[tuple[int, str]]:
        seen = sorted({i for k in r.participants | r.sides for i in by_actor[k]})
        return [(i, reason) for i in seen if (reason := evidence(i, r)) is not None]

    def add(r: Report, fit: tuple[int, str] | None, note: str | None = None) -> None:
        if fit is None:
            clusters.append(Cluster([r], [note] if note else []))
            i = len(clusters) - 1
        else:
            i = fit[0]
            clusters[i].members.append(r)
            clusters[i].reasons.append(fit[1])
        for k in r.participants | r.sides:
            if i not in by_actor[k]:
                by_actor[k].append(i)

    for r in dated:
        fits = accepting(r)
        add(r, fits[0] if fits else None)
    for r in undated:
        fits = accepting(r)
        if len(fits) == 1:
            add(r, fits[0])
        else:
            add(r, None, f"{short(r.iri)}: fits {len(fits)} meetings, merged with none" if fits else None)
    for c in clusters:
        if len(c.members) == 1 and not c.reasons:
            c.reasons.append("single report")
    return clusters


# -- summaries -------------------------------------------------------------------------

def _most_common(values) -> object | None:
    """The most frequent value; ties go to the smallest (as a string)."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]


def summarise(members: list[Report]) -> dict:
    """The canonical values of a cluster.

    - status: the first of :data:`STATUS_PRECEDENCE` some report gives (a report that it
      occurred beats earlier plans);
    - date: among the reports of the finest precision given, the most common date (ties: earliest);
    - mode, place: the most common one given (ties: smallest);
    - cameo: the most common code of the reports with the canonical status (ties: smallest);
    - confidence: 1 - prod(1 - c_a) over articles a, c_a the highest confidence of a's reports
      (independent reports make a meeting surer; several reports of one article count once);
    - participants, topics, articles: the unions.
    """
    status = next(s for s in STATUS_PRECEDENCE + (members[0].status,) if any(m.status == s for m in members))
    dated = [m for m in members if m.date is not None]
    when = None
    if dated:
        finest = min(_PRECISION_RANK.get(m.precision or "", 3) for m in dated)
        best = [m for m in dated if _PRECISION_RANK.get(m.precision or "", 3) == finest]
        day = _most_common(m.date.isoformat() for m in best)
        when = (date.fromisoformat(day), next(m.precision for m in best if m.date.isoformat() == day))
    per_article: dict[str, float] = {}
    for m in members:
        per_article[m.article] = max(per_article.get(m.article, 0.0), min(max(m.confidence, 0.0), 1.0))
    doubt = 1.0
    for c in per_article.values():
        doubt *= 1.0 - c
    return {
        "status": status, "date": when,
        "mode": _most_common(m.mode for m in members), "place": _most_common(m.place for m in members),
        "cameo": _most_common(m.cameo for m in members if m.status == status) or members[0].cameo,
        "confidence": 1.0 - doubt,
        "participants": sorted(set().union(*(m.participants for m in members))),
        "topics": sorted(set().union(*(m.topics for m in members))),
        "articles": sorted(per_article),
    }
