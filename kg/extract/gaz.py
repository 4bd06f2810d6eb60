"""A thin view of the gazetteer for the extraction rules: typed matches of a surface form."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GazMatch:
    """One gazetteer entry a surface form matched, and how ("label", "alias", "demonym", "capital")."""

    entry: object
    how: str
    exact_label: bool


# Preference between entry types when one surface form has several entries.
_TYPE_ORDER = ("Country", "Person", "GovernmentBody", "Organization", "Place", "Group")


def lookup(gaz, text: str) -> list[GazMatch]:
    """All entries whose label, alias or demonym is ``text`` (normalised by the gazetteer)."""
    from kg.extract.entities import normalise

    out: list[GazMatch] = []
    seen: set[int] = set()
    for item in gaz.lookup(text):
        entry, how = item if isinstance(item, tuple) else (item, None)
        if id(entry) in seen:
            continue
        seen.add(id(entry))
        if how is None:
            low = normalise(text)
            if normalise(entry.label) == low:
                how = "label"
            elif any(normalise(d) == low for d in getattr(entry, "demonyms", ())):
                how = "demonym"
            else:
                how = "alias"
        out.append(GazMatch(entry, how, how == "label"))
    return out


def best_match(matches: list[GazMatch], prefer: str | None) -> GazMatch | None:
    """Pick one match: the preferred type first, then Country > Person > bodies > places."""
    if not matches:
        return None
    def rank(m: GazMatch):
        t = m.entry.type
        return (0 if t == prefer else 1, _TYPE_ORDER.index(t) if t in _TYPE_ORDER else 9,
                0 if m.how == "label" else 1)
    return min(matches, key=rank)
