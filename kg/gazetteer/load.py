"""Loading and querying the built gazetteer.

The default file ships in the package and is read through ``importlib.resources``
(``files("kg") / "data" / "gazetteer.jsonl.gz"``), so it works from a wheel as well as from
the source tree. Lookups go through :func:`kg.gazetteer.normalize.key`: exact names, with case,
accents, dots, apostrophes, hyphens and a leading "the" ignored. Acronyms ("US", "UN", "WHO",
"AU") only match a text written in capitals ("U.S.", "WHO"), never "us", "Who" or "Au"; a
title-case form that is in use is listed as an alias of its own ("Nato", "Isis").

Which lookup returns what:
    ``match(text)``        every hit with how it matched: "label", "alias", "weak" (an alias
                           that needs support, "Korea"), "demonym" ("Russian").
    ``lookup(text)``       (entry, how) pairs, the same hits as ``match`` as plain tuples.
    ``lookup_demonym(text)`` countries whose demonym is ``text``.
    ``lookup_person_short(text)`` people called ``text`` alone ("Putin", "Kim": may be several).
"""

from __future__ import annotations

import gzip
import json
import logging
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping

from kg.errors import GazetteerError
from kg.gazetteer.model import GazEntry, Office
from kg.gazetteer.normalize import is_abbreviation, key

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
DATA_FILE = "gazetteer.jsonl.gz"


@dataclass(frozen=True)
class Match:
    """One lookup hit: the entry and how the text matched it."""

    entry: GazEntry
    how: str  # "label" | "alias" | "weak" | "demonym"


class Gazetteer:
    """An in-memory, read-only index of gazetteer entries.

    Args:
        entries: The entries.
        build_date: The build date of the file they come from, if known.
        source: Where they were read from (for messages).
    """

    def __init__(self, entries: Iterable[GazEntry], build_date: date | None = None, source: str = "") -> None:
        self.entries: tuple[GazEntry, ...] = tuple(entries)
        self.build_date = build_date
        self.source = source
        self._qid: dict[str, GazEntry] = {}
        self._names: dict[str, list[tuple[int, str, bool]]] = {}
        surnames: dict[str, list[GazEntry]] = {}
        for i, e in enumerate(self.entries):
            if e.qid:
                self._qid[e.qid] = e
            for how, names in (("label", (e.label,)), ("alias", e.aliases), ("weak", e.weak_aliases),
                               ("demonym", e.demonyms)):
                for name in names:
                    k = key(name)
                    if k:
                        self._names.setdefault(k, []).append((i, how, is_abbreviation(name)))
            for name in e.short_names:
                surnames.setdefault(key(name), []).append(e)
        self.surname_index: Mapping[str, tuple[GazEntry, ...]] = MappingProxyType(
            {k: tuple(v) for k, v in surnames.items()})

    @classmethod
    def load(cls, path: Path | None = None) -> "Gazetteer":
        """Read a gazetteer file; ``None`` reads the one shipped in ``kg/data``.

        Raises:
            GazetteerError: the file is missing, not gzip JSON lines, or of another format version.
        """
        if path is None:
            resource = files("kg") / "data" / DATA_FILE
            where = f"kg/data/{DATA_FILE}"
            try:
                raw = resource.read_bytes()
            except (OSError, FileNotFoundError):
                raise GazetteerError(f"{where}: gazetteer file missing; run `python -m kg.gazetteer.build`") from None
        else:
            where = str(path)
            try:
                raw = Path(path).read_bytes()
            except OSError as exc:
                raise GazetteerError(f"{where}: cannot read the gazetteer ({exc.strerror})") from None
        try:
            lines = gzip.decompress(raw).decode("utf-8").splitlines()
            header = json.loads(lines[0])
            if header.get("geokg_gazetteer") != FORMAT_VERSION:
                raise GazetteerError(f"{where}: gazetteer format {header.get('geokg_gazetteer')!r}, "
                                     f"expected {FORMAT_VERSION}; rebuild it")
            entries = [GazEntry.from_json(json.loads(line)) for line in lines[1:] if line]
        except GazetteerError:
            raise
        except (OSError, EOFError, ValueError, KeyError, IndexError) as exc:
            raise GazetteerError(f"{where}: not a geokg gazetteer file ({exc})") from None
        log.debug("gazetteer: %d entries from %s", len(entries), where)
        return cls(entries, date.fromisoformat(header["build_date"]), where)

    def __len__(self) -> int:
        return len(self.entries)

    def by_qid(self, qid: str | None) -> GazEntry | None:
        """Return the entry with Wikidata id ``qid``, or None."""
        return self._qid.get(qid) if qid else None

    def match(self, text: str) -> tuple[Match, ...]:
        """Return every entry ``text`` names, with how it matched (see the module docstring)."""
        hits = self._names.get(key(text), ())
        upper = is_abbreviation(text) or text.replace(".", "").replace(" ", "").isupper()
        out, seen = [], set()
        for i, how, abbr in hits:
            if abbr and not upper:
                continue
            if (i, how) not in seen:
                seen.add((i, how))
                out.append(Match(self.entries[i], how))
        return tuple(out)

    def lookup(self, text: str) -> tuple[tuple[GazEntry, str], ...]:
        """Return (entry, how) for every entry ``text`` names, demonyms included.

        ``how`` is "label", "alias", "weak" or "demonym": ``lookup("Russian")`` gives
        ``((Russia, "demonym"),)``, ``lookup("U.S.")`` gives ``((United States, "alias"),)``.
        """
        return tuple((m.entry, m.how) for m in self.match(text))

    def lookup_names(self, text: str) -> tuple[GazEntry, ...]:
        """Return the entries whose label, alias or weak alias is ``text`` (demonyms excluded)."""
        return _unique(m.entry for m in self.match(text) if m.how != "demonym")

    def lookup_demonym(self, text: str) -> tuple[GazEntry, ...]:
        """Return the countries whose demonym is ``text`` ("Russian" -> Russia)."""
        return _unique(m.entry for m in self.match(text) if m.how == "demonym")

    def lookup_person_short(self, text: str) -> tuple[GazEntry, ...]:
        """Return the people called ``text`` alone ("Putin" -> Vladimir Putin); may be several."""
        return self.surname_index.get(key(text), ())

    def offices_on(self, qid: str, day: date) -> tuple[Office, ...]:
        """Return the offices person ``qid`` held on ``day`` (empty for unknown QIDs)."""
        entry = self.by_qid(qid)
        return entry.offices_on(day) if entry else ()

    def holders_on(self, of_qid: str, day: date) -> tuple[tuple[GazEntry, Office], ...]:
        """Return (person, office) for every office of state/organisation ``of_qid`` held on ``day``."""
        return tuple((e, o) for e in self.entries if e.type == "Person"
                     for o in e.offices if o.of_qid == of_qid and o.held_on(day))


def _unique(entries: Iterable[GazEntry]) -> tuple[GazEntry, ...]:
    out: list[GazEntry] = []
    for e in entries:
        if e not in out:
            out.append(e)
    return tuple(out)


def default_gazetteer() -> Gazetteer:
    """Return the gazetteer of the ``gazetteer`` setting (``KG_GAZETTEER``), loaded once per file.

    The setting names a file ``kg gazetteer refresh`` wrote; empty (the default) means the shipped
    ``kg/data/gazetteer.jsonl.gz``. Ingest, ``POST /articles``, ``kg evaluate`` and ``kg link`` all
    link against this one. A file is read again when its modification time or size changes.

    Raises:
        GazetteerError: the file of the setting is missing or not a geokg gazetteer (the message
            names the setting and the file).
    """
    from kg import settings

    configured = str(settings.get("gazetteer") or "").strip()
    if not configured:
        return _load_cached(None, None)
    path = Path(configured).expanduser()
    try:
        stat = path.stat()
    except OSError as exc:
        raise GazetteerError(f"KG_GAZETTEER={configured}: cannot read the gazetteer file {path} "
                             f"({exc.strerror}); unset it to use the shipped one") from None
    try:
        return _load_cached(str(path.resolve()), (stat.st_mtime_ns, stat.st_size))
    except GazetteerError as exc:
        raise GazetteerError(f"KG_GAZETTEER={configured}: {exc}") from None


@lru_cache(maxsize=4)
def _load_cached(path: str | None, _version: tuple[int, int] | None) -> Gazetteer:
    return Gazetteer.load(Path(path) if path else None)
