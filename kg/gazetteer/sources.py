"""Readers for the raw files in ``shared/wikidata`` (see its SOURCES.md).

Each reader returns plain rows; cleaning and merging are the build's job. File names are fixed
here so the build fails with a clear message when one is missing.

Sources and licences:
    rigour-2.6.1-territories.jsonl            rigour (OpenSanctions), MIT
    econandrew-country_aliases.csv            econandrew/sparql_queries, MIT
    supraverden-general_list.yaml             confirmordeny/supraverden, CC BY-SA 4.0
    epscrapers-world-leaders-wikidata-2024-10-23.csv    Wikidata query result, CC0
    epscrapers-foreign-ministers-wikidata-2022-12.csv   Wikidata query result, CC0
    epscrapers-igo-officeholders-holders21.csv          Wikidata query result, CC0
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kg.errors import GazetteerError

log = logging.getLogger(__name__)

RIGOUR = "rigour-2.6.1-territories.jsonl"
ECONANDREW = "econandrew-country_aliases.csv"
SUPRAVERDEN = "supraverden-general_list.yaml"
LEADERS = "epscrapers-world-leaders-wikidata-2024-10-23.csv"
FOREIGN_MINISTERS = "epscrapers-foreign-ministers-wikidata-2022-12.csv"
IGO_HOLDERS = "epscrapers-igo-officeholders-holders21.csv"

SOURCE_FILES = (RIGOUR, ECONANDREW, SUPRAVERDEN, LEADERS, FOREIGN_MINISTERS, IGO_HOLDERS)

# English language tags of the econandrew file.
ENGLISH = ("en", "en-gb", "en-ca")


@dataclass(frozen=True)
class OfficeRow:
    """One (person, position) row of a leaders / ministers / IGO file.

    ``start`` and ``end`` are (date, precision) pairs, or None when the row gives none.
    """

    person_qid: str
    person_label: str
    title: str
    of_qid: str | None
    start: tuple[date, str] | None
    end: tuple[date, str] | None
    source: str


def _path(directory: Path, name: str) -> Path:
    path = directory / name
    if not path.is_file():
        raise GazetteerError(f"{path}: source file missing (expected the files of {directory}/SOURCES.md)")
    return path


def parse_when(text: str | None, *, end: bool = False) -> tuple[date, str] | None:
    """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD" into (date, precision).

    A year or month gives its first day, or with ``end=True`` its last day.
    Returns None for an empty or unparsable value.
    """
    text = (text or "").strip()[:10]
    try:
        if len(text) == 4:
            y = int(text)
            return (date(y, 12, 31) if end else date(y, 1, 1)), "year"
        if len(text) == 7:
            y, m = int(text[:4]), int(text[5:7])
            if end:
                nxt = date(y + (m == 12), m % 12 + 1, 1)
                return date.fromordinal(nxt.toordinal() - 1), "month"
            return date(y, m, 1), "month"
        if len(text) == 10:
            return date.fromisoformat(text), "day"
    except ValueError:
        return None
    return None


def read_rigour(directory: Path) -> list[dict[str, Any]]:
    """Return the rigour territories (one dict per JSON line)."""
    with _path(directory, RIGOUR).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_econandrew(directory: Path) -> dict[str, list[str]]:
    """Return English labels and aliases by lower-case ISO 3166 alpha-2 code."""
    out: dict[str, list[str]] = {}
    with _path(directory, ECONANDREW).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("language") in ENGLISH and row.get("iso2c"):
                out.setdefault(row["iso2c"].lower(), []).append(row["label"])
    return out


def read_supraverden(directory: Path) -> list[dict[str, Any]]:
    """Return the international organisations as dicts with qid, name, other_names."""
    with _path(directory, SUPRAVERDEN).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    out = []
    for name, body in data.items():
        others = [v for k, v in body.items()
                  if isinstance(v, str) and k.endswith("_en") and k != "Name_en"
                  and (k.startswith("Name_other") or k.startswith("Abbreviation"))]
        out.append({"qid": str(body.get("Wikidata_code") or "").strip(),
                    "name": str(body.get("Name_en") or name).strip(), "other_names": others})
    return out


def read_leaders(directory: Path) -> list[OfficeRow]:
    """Return the heads of state and government of the 2024-10-23 snapshot (years only)."""
    rows = []
    with _path(directory, LEADERS).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows.append(OfficeRow(r["officeholder"].strip(), r["officeholderLabel"].strip(),
                                  r["positionLabel"].strip(), r["countryid"].strip() or None,
                                  parse_when(r["start_year"]), parse_when(r["end_year"], end=True),
                                  "epscrapers-world-leaders"))
    return rows


def read_foreign_ministers(directory: Path) -> list[OfficeRow]:
    """Return the foreign ministers of December 2022 (start days; no ends in the file)."""
    rows = []
    with _path(directory, FOREIGN_MINISTERS).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows.append(OfficeRow((r["person"] or "").strip(), (r["name"] or "").strip(),
                                  " ".join((r["positionLabel"] or "").split()),
                                  (r["country"] or "").strip() or None,
                                  parse_when(r["start"]), None, "epscrapers-foreign-ministers"))
    return rows


def read_igo_holders(directory: Path, posts: dict[str, str | None]) -> list[OfficeRow]:
    """Return the holders of the IGO posts named in ``posts`` (title -> organisation QID)."""
    rows = []
    with _path(directory, IGO_HOLDERS).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            title = r["position"].strip()
            if title in posts:
                rows.append(OfficeRow(r["personID"].strip(), r["person"].strip(), title, posts[title],
                                      parse_when(r["start"]), parse_when(r["end"], end=True),
                                      "epscrapers-igo"))
    return rows
