"""Reading and writing gazetteer files (gzip JSON Lines: a header object, then one entry a line).

The format is the build's (:mod:`kg.gazetteer.build`, ``FORMAT_VERSION``): entries sorted by
(type, match key of the label, QID), gzip without a timestamp, so the same entries give the same
bytes. :func:`kg.gazetteer.load.Gazetteer.load` reads the entries.
"""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from kg.gazetteer.build import FORMAT_VERSION
from kg.gazetteer.model import GazEntry
from kg.gazetteer.normalize import key


def read_header(path: Path | None) -> dict[str, Any]:
    """The header object of a gazetteer file (None: the shipped one)."""
    from importlib.resources import files

    raw = (files("kg") / "data" / "gazetteer.jsonl.gz").read_bytes() if path is None else Path(path).read_bytes()
    with gzip.open(io.BytesIO(raw), "rt", encoding="utf-8") as fh:
        return json.loads(fh.readline())


def write_gazetteer(entries: Iterable[GazEntry], out: Path, build_date: date, header: dict[str, Any]) -> int:
    """Write a gazetteer file as the build does (sorted, gzip without time); return its size in bytes.

    Args:
        entries: The entries.
        out: The file to write (replaced atomically).
        build_date: The day the data is valid for (header ``build_date``).
        header: Further header fields (sources, refresh details).
    """
    rows = sorted(entries, key=lambda e: (e.type, key(e.label), e.qid or ""))
    head = {**header, "geokg_gazetteer": FORMAT_VERSION, "build_date": build_date.isoformat(), "entries": len(rows)}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as fh:
        for obj in [head] + [e.to_json() for e in rows]:
            fh.write((json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    tmp.replace(out)
    return out.stat().st_size
