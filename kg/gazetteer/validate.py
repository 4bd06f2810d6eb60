"""Checks every built gazetteer must pass (the build refuses to write otherwise).

Rules (from the geokg gazetteer brief):
- every QID is well formed and appears on one entry only; entries without QID are unique by
  (type, label);
- no label or alias is a bare QID ("Q27146606": a Wikidata item with no English label);
- every office has a start, starts on or before the build date, and ends on or after its start;
  no office appears twice on one entry;
- every ``capital_of`` names a Country entry of the gazetteer.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Iterable

from kg.gazetteer.model import GAZ_TYPES, GazEntry
from kg.gazetteer.normalize import is_bare_qid, key

_QID = re.compile(r"^Q[1-9][0-9]*$")


def problems(entries: Iterable[GazEntry], build_date: date) -> list[str]:
    """Return one message per rule broken by ``entries`` (empty when all pass).

    Args:
        entries: The gazetteer entries.
        build_date: The day of the build; no term may start after it.
    """
    entries = list(entries)
    out: list[str] = []
    qids = Counter(e.qid for e in entries if e.qid)
    out += [f"{q}: duplicate entry ({n} rows)" for q, n in qids.items() if n > 1]
    unlinked = Counter((e.type, key(e.label)) for e in entries if not e.qid)
    out += [f"{t} {lab!r} without QID: duplicate entry ({n} rows)" for (t, lab), n in unlinked.items() if n > 1]
    countries = {e.qid for e in entries if e.type == "Country" and e.qid}
    for e in entries:
        name = f"{e.qid or '-'} {e.label!r}"
        if e.qid is not None and not _QID.match(e.qid):
            out.append(f"{name}: malformed QID")
        if e.type not in GAZ_TYPES:
            out.append(f"{name}: unknown type {e.type!r} (valid: {', '.join(GAZ_TYPES)})")
        if not key(e.label):
            out.append(f"{name}: empty label")
        if is_bare_qid(e.label):
            out.append(f"{name}: label is a bare QID")
        for alias in (*e.aliases, *e.weak_aliases, *e.demonyms, *e.short_names):
            if is_bare_qid(alias) or not key(alias):
                out.append(f"{name}: bad alias {alias!r}")
        if e.capital_of and e.capital_of not in countries:
            out.append(f"{name}: capital_of {e.capital_of} is not a country of the gazetteer")
        seen = Counter((o.title, o.of_qid, o.start, o.end) for o in e.offices)
        out += [f"{name}: duplicate office {t!r} from {s}" for (t, _, s, _), n in seen.items() if n > 1]
        for o in e.offices:
            if o.start is None:
                out.append(f"{name}: office {o.title!r} has no start")
                continue
            if o.start > build_date:
                out.append(f"{name}: office {o.title!r} starts {o.start}, after the build date {build_date}")
            if o.end is not None and o.end < o.start:
                out.append(f"{name}: office {o.title!r} ends {o.end} before it starts {o.start}")
    return out
