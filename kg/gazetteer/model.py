"""Records of the offline Wikidata gazetteer.

An entry without a Wikidata item (the Kremlin: the dev gold gives it no QID, so linking it
would count against precision) has ``qid=None``: it is still a known name with a type, which
the entity extractor may use, but the linker never links it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

GAZ_TYPES: tuple[str, ...] = ("Person", "Country", "Organization", "GovernmentBody", "Group", "Place")


@dataclass(frozen=True)
class Office:
    """A position a person held.

    Attributes:
        title: The position's English label ("President of Russia").
        of_qid: QID of the state or organisation the position belongs to, or None.
        start: First day in office (for a year-precision source row: 1 January of the year).
        end: Last day in office, or None while the source says it is held (for a year-precision
            row: 31 December of the year).
        precision: "day" when start and end are exact days, "year" when the source gives years.
    """

    title: str
    of_qid: str | None
    start: date
    end: date | None = None
    precision: str = "day"

    def held_on(self, day: date) -> bool:
        """True when ``day`` falls in the term (both ends inclusive)."""
        return self.start <= day and (self.end is None or day <= self.end)

    def to_json(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict (dates as ISO strings)."""
        return {"title": self.title, "of": self.of_qid, "start": self.start.isoformat(),
                "end": self.end.isoformat() if self.end else None, "precision": self.precision}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> "Office":
        """Inverse of :meth:`to_json`."""
        return cls(obj["title"], obj.get("of"), date.fromisoformat(obj["start"]),
                   date.fromisoformat(obj["end"]) if obj.get("end") else None,
                   obj.get("precision", "day"))


@dataclass(frozen=True)
class GazEntry:
    """One known actor.

    Attributes:
        qid: Wikidata QID, or None for a known name without a certain item.
        label: Canonical English name ("Donald Trump", "Russia").
        type: One of GAZ_TYPES.
        aliases: Other names that mean this actor and nothing else ("U.S.", "USA").
        demonyms: Adjectives and plurals that refer to a country ("Russian", "Russians").
        capital_of: For a capital city, the QID of its country (metonymy: "Beijing said").
        sovereign: True for a sovereign state (UN members, observers, Taiwan, Kosovo).
        offices: Positions held (people only).
        source: Where the entry comes from ("rigour+econandrew+patch", "supraverden", ...).
        weak_aliases: Names that usually mean this actor but need support from the article
            ("Korea" for South Korea, "Korean").
        short_names: Family names a person is referred to by alone ("Putin", "Xi").
        part_of: For a government body, the QID of the state it belongs to (the Kremlin: Q159).
    """

    qid: str | None
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital_of: str | None = None
    sovereign: bool = False
    offices: tuple[Office, ...] = ()
    source: str = ""
    weak_aliases: tuple[str, ...] = ()
    short_names: tuple[str, ...] = field(default=())
    part_of: str | None = None

    def offices_on(self, day: date) -> tuple[Office, ...]:
        """Return the offices held on ``day``."""
        return tuple(o for o in self.offices if o.held_on(day))

    def to_json(self) -> dict[str, Any]:
        """Return the record as a compact JSON-ready dict (empty fields left out)."""
        obj: dict[str, Any] = {"qid": self.qid, "label": self.label, "type": self.type}
        for name in ("aliases", "demonyms", "weak_aliases", "short_names"):
            value = getattr(self, name)
            if value:
                obj[name] = list(value)
        if self.capital_of:
            obj["capital_of"] = self.capital_of
        if self.part_of:
            obj["part_of"] = self.part_of
        if self.sovereign:
            obj["sovereign"] = True
        if self.offices:
            obj["offices"] = [o.to_json() for o in self.offices]
        obj["source"] = self.source
        return obj

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> "GazEntry":
        """Inverse of :meth:`to_json`."""
        return cls(
            qid=obj.get("qid"), label=obj["label"], type=obj["type"],
            aliases=tuple(obj.get("aliases", ())), demonyms=tuple(obj.get("demonyms", ())),
            capital_of=obj.get("capital_of"), sovereign=bool(obj.get("sovereign", False)),
            offices=tuple(Office.from_json(o) for o in obj.get("offices", ())),
            source=obj.get("source", ""), weak_aliases=tuple(obj.get("weak_aliases", ())),
            short_names=tuple(obj.get("short_names", ())), part_of=obj.get("part_of"),
        )
