"""Reading the reviewed hand patch ``kg/data/gazetteer-patch.yaml``.

The patch is reviewed, not cleaned: a malformed row is reported as a problem and the build
stops (see :func:`kg.gazetteer.build.build`). This module only parses; the meaning of each
section is documented in the YAML file itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kg.errors import GazetteerError

_QID = re.compile(r"^Q[1-9][0-9]*$")


@dataclass
class PatchPerson:
    """A person row of the patch; ``offices`` are (title, of, start, end) with ``of`` unresolved."""

    qid: str
    label: str
    aliases: list[str]
    short: list[str] | None
    offices: list[tuple[str, str | None, date | None, date | None]]


@dataclass
class Patch:
    """The parsed patch file; ``problems`` lists rows that are malformed or duplicated."""

    raw: dict[str, Any]
    people: list[PatchPerson] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def section(self, name: str, default: Any = None) -> Any:
        """Return section ``name`` of the YAML file, or ``default`` when absent."""
        value = self.raw.get(name)
        return default if value is None else value


def as_date(value: Any) -> date | None:
    """Return a date from a YAML date, an ISO string, or None for null/empty."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def load_patch(path: Path) -> Patch:
    """Parse the patch file.

    Raises:
        GazetteerError: the file is missing or is not a YAML mapping.
    """
    try:
        with Path(path).open(encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read the gazetteer patch ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise GazetteerError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise GazetteerError(f"{path}: the gazetteer patch must be a YAML mapping of sections")
    patch = Patch(raw)
    seen: set[str] = set()
    for row in patch.section("people", []):
        qid = str(row.get("qid") or "")
        label = str(row.get("label") or "")
        where = f"{path}: people {qid or '?'} {label!r}"
        if not _QID.match(qid):
            patch.problems.append(f"{where}: malformed or missing QID")
        if qid in seen:
            patch.problems.append(f"{where}: duplicate row")
        seen.add(qid)
        offices = []
        for item in row.get("offices") or []:
            if not isinstance(item, (list, tuple)) or len(item) != 4:
                patch.problems.append(f"{where}: office {item!r} is not [title, of, start, end]")
                continue
            title, of, start, end = item
            if as_date(start) is None:
                patch.problems.append(f"{where}: office {title!r} has no start")
            offices.append((str(title), None if of is None else str(of), as_date(start), as_date(end)))
        patch.people.append(PatchPerson(qid, label, [str(a) for a in row.get("aliases") or []],
                                        [str(s) for s in row["short"]] if "short" in row else None,
                                        offices))
    for section in ("organizations", "government_bodies", "groups", "places"):
        seen_rows: set[tuple[str, str]] = set()
        for row in patch.section(section, []):
            ident = (str(row.get("qid") or ""), str(row.get("label") or ""))
            if ident in seen_rows or (ident[0] and any(ident[0] == s[0] for s in seen_rows)):
                patch.problems.append(f"{path}: {section} {ident[0] or '-'} {ident[1]!r}: duplicate row")
            seen_rows.add(ident)
    return patch
