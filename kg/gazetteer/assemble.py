"""Turning source rows and the patch into gazetteer entries (one function per kind of actor).

Source data is known to be noisy (SOURCES.md): rows that fail a cleaning rule are dropped and
counted in ``dropped`` under the rule's name; the patch is applied on top. The rules:

countries (rigour is_country, not historical, plus the patch's extra_sovereign):
    QID fixed by ``country_qid_fixes``; ``sovereign`` unless listed in ``dependencies``;
    aliases = rigour name, full name (bracketed part removed), in-sentence form, ASCII-only
    names_strong, econandrew English (en, en-gb, en-ca) Latin-script labels, patch aliases;
    never rigour names_weak (sanctions-list misspellings); never a name of ``drop_names``;
    never a 2-3 letter code unless in ``keep_codes``; never a name with a comma or bracket.
organisations (supraverden bodies with a QID, patch):
    abbreviations kept only when listed in ``org_keep_abbreviations``; names of
    ``org_drop_names`` removed; ``org_aliases`` added.
people (world leaders 2024-10-23, foreign ministers 2022-12, IGO posts, patch):
    a row is dropped when it has no person QID, its label is a bare QID or has no capital
    letter (vandalism), it is in ``drop_people``, it has no start or starts after the build
    date, it starts before 1900 with no end (ancient monarchs marked current), it ends before it
    starts, or its state is not sovereign (Catalonia, Abkhazia, ... in the ministers file).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.gazetteer.model import GazEntry, Office
from kg.gazetteer.normalize import all_lower, is_abbreviation, is_bare_qid, key
from kg.gazetteer.patch import Patch
from kg.gazetteer.sources import OfficeRow

# People of these states are referred to by their family name, written first.
EAST_ASIAN = frozenset({"Q148", "Q865", "Q884", "Q423"})
_TITLES = frozenset({"pope", "sheikh", "prince", "king", "queen", "emperor", "sultan", "archbishop",
                     "dr", "sir", "emir", "amir"})
_NO_PLURAL = frozenset({"Philippine", "Lao", "I-Kiribati", "Ni-Vanuatu", "Turkmen"})
_NO_PLURAL_END = ("ese", "ish", "ch", "sh", "ss", "ic", "z", "s", "x", "y")


@dataclass
class Draft:
    """A mutable entry while the build assembles it."""

    qid: str | None
    label: str
    type: str
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    short: list[str] | None = None
    capital_of: str | None = None
    part_of: str | None = None
    sovereign: bool = False
    offices: list[Office] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add_source(self, name: str) -> None:
        if name not in self.sources:
            self.sources.append(name)

    def freeze(self) -> GazEntry:
        """Return the entry with aliases deduplicated by match key (label first)."""
        # "NATO" (an acronym: matches capitals only) and "Nato" (any case) are both kept.
        taken = {(key(self.label), is_abbreviation(self.label))}

        def uniq(names: list[str]) -> tuple[str, ...]:
            out = []
            for n in names:
                k = (key(n), is_abbreviation(n))
                if k[0] and k not in taken:
                    taken.add(k)
                    out.append(n)
            return tuple(out)

        aliases, demonyms, weak = uniq(self.aliases), uniq(self.demonyms), uniq(self.weak)
        offices = tuple(sorted(set(self.offices), key=lambda o: (o.start, o.title)))
        return GazEntry(self.qid, self.label, self.type, aliases, demonyms, self.capital_of,
                        self.sovereign, offices, "+".join(self.sources), weak, tuple(self.short or ()),
                        self.part_of)


def plural(demonym: str) -> str | None:
    """Return the plural noun of a demonym ("Afghan" -> "Afghans"), or None when it has none."""
    if demonym in _NO_PLURAL or demonym.endswith(_NO_PLURAL_END) or " " in demonym and demonym.endswith("ese"):
        return None
    return demonym + "s"


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def _usable(name: str, patch: Patch, ascii_only: bool) -> bool:
    if not name or not any(c.isalpha() for c in name) or "," in name or "(" in name or "[" in name:
        return False
    if ascii_only and not name.isascii():
        return False
    if not _latin(name):
        return False
    if key(name) in {key(d) for d in patch.section("drop_names", [])}:
        return False
    bare = name.replace(".", "")
    if re.fullmatch(r"[A-Za-z]{2,3}", bare) and name not in patch.section("keep_codes", []) \
            and bare not in patch.section("keep_codes", []):
        return False
    return True


def countries(rigour: list[dict[str, Any]], econ: dict[str, list[str]], patch: Patch,
              dropped: Counter) -> tuple[list[Draft], dict[str, str]]:
    """Return the country drafts and the map rigour code -> QID."""
    fixes = patch.section("country_qid_fixes", {})
    dependencies = set(patch.section("dependencies", []))
    extra = set(patch.section("extra_sovereign", []))
    per_code = patch.section("countries", {})
    drafts, code_qid = [], {}
    for row in rigour:
        code = row.get("code", "")
        if not (row.get("is_country") or code in extra):
            continue
        if row.get("is_historical"):
            dropped["country: historical"] += 1
            continue
        qid = fixes.get(code, row.get("qid"))
        conf = per_code.get(code, {}) or {}
        draft = Draft(qid, conf.get("label") or row["name"], "Country",
                      sovereign=code not in dependencies, sources=["rigour"])
        full = re.sub(r"\s*[\(\[].*?[\)\]]", "", row.get("full_name") or "").strip()
        names = [row["name"], full, row.get("in_sentence") or ""]
        names += [n for n in row.get("names_strong", []) if _usable(n, patch, ascii_only=True)]
        english = [n for n in econ.get(code, []) if _usable(n, patch, ascii_only=False)]
        if english:
            draft.add_source("econandrew")
        names += english
        draft.aliases = [n for n in names if _usable(n, patch, ascii_only=False)]
        draft.aliases += [str(a) for a in conf.get("aliases", [])]  # reviewed: not filtered
        draft.weak = [str(a) for a in conf.get("weak_aliases", [])]
        for d in conf.get("demonyms", []):
            draft.demonyms.append(str(d))
            if plural(str(d)):
                draft.demonyms.append(plural(str(d)))
        if conf:
            draft.add_source("patch")
        drafts.append(draft)
        code_qid[code] = qid
    return drafts, code_qid


def places(patch: Patch, code_qid: dict[str, str]) -> list[Draft]:
    """Return the capitals (with capital_of) and other places of the patch."""
    out = []
    for row in patch.section("capitals", []):
        qid, label, code = row[0], row[1], row[2]
        aliases = list(row[3]) if len(row) > 3 else []
        out.append(Draft(qid, label, "Place", aliases=aliases, capital_of=code_qid.get(code, f"?{code}"),
                         sources=["patch"]))
    for row in patch.section("places", []):
        out.append(Draft(row.get("qid"), row["label"], "Place", aliases=list(row.get("aliases", [])),
                         sources=["patch"]))
    return out


def organisations(supra: list[dict[str, Any]], patch: Patch, code_qid: dict[str, str],
                  dropped: Counter) -> list[Draft]:
    """Return supraverden bodies with a QID, the patch organisations, bodies and groups.

    A patch government body's ``of`` (a rigour code) becomes ``part_of`` (the state's QID).
    """
    drops = {(q, key(n)) for q, n in patch.section("org_drop_names", [])}
    extra = patch.section("org_aliases", {})
    keep_abbr = set(patch.section("org_keep_abbreviations", []))
    out: dict[str, Draft] = {}
    for body in supra:
        qid = body["qid"]
        if not re.fullmatch(r"Q[1-9][0-9]*", qid):
            dropped["organisation: no QID"] += 1
            continue
        if qid in out:
            dropped["organisation: duplicate QID"] += 1
            continue
        names = [n for n in body["other_names"] if (qid, key(n)) not in drops and not is_bare_qid(n)
                 and (not is_abbreviation(n) or n in keep_abbr)]
        dropped["organisation: obscure abbreviation"] += sum(1 for n in body["other_names"]
                                                             if is_abbreviation(n) and n not in keep_abbr)
        out[qid] = Draft(qid, body["name"], "Organization", aliases=names, sources=["supraverden"])
    for qid, names in extra.items():
        if qid in out:
            out[qid].aliases += [str(n) for n in names]
            out[qid].add_source("patch")
    drafts = list(out.values())
    for section, typ in (("organizations", "Organization"), ("government_bodies", "GovernmentBody"),
                         ("groups", "Group")):
        for row in patch.section(section, []):
            qid = row.get("qid")
            if qid and qid in out:
                out[qid].label = row["label"]
                out[qid].aliases += list(row.get("aliases", []))
                out[qid].add_source("patch")
                continue
            of = row.get("of")
            part_of = None if of is None else code_qid.get(str(of), f"?{of}")
            drafts.append(Draft(qid, row["label"], typ, aliases=list(row.get("aliases", [])), part_of=part_of,
                                sources=["patch"]))
    return drafts


def clean_rows(rows: list[OfficeRow], patch: Patch, allowed_of: set[str], build_date: date,
               dropped: Counter) -> list[OfficeRow]:
    """Return the source office rows that pass the cleaning rules of the module docstring."""
    remap = patch.section("remap_qids", {})
    hand = {q for q, _ in patch.section("drop_people", [])}
    out = []
    for r in rows:
        of = remap.get(r.of_qid, r.of_qid)
        reason = None
        if not re.fullmatch(r"Q[1-9][0-9]*", r.person_qid or ""):
            reason = "no person QID"
        elif is_bare_qid(r.person_label) or all_lower(r.person_label) or not r.person_label:
            reason = "bad label"
        elif r.person_qid in hand:
            reason = "dropped by the patch"
        elif r.start is None:
            reason = "no start"
        elif r.start[0] > build_date:
            reason = "starts after the build date"
        elif r.start[0].year < 1900 and r.end is None:
            reason = "ancient holder marked current"
        elif r.end is not None and r.end[0] < r.start[0]:
            reason = "ends before it starts"
        elif of is not None and of not in allowed_of:
            reason = "not a sovereign state"
        if reason:
            dropped[f"person row: {reason}"] += 1
            continue
        out.append(OfficeRow(r.person_qid, r.person_label, r.title, of, r.start, r.end, r.source))
    return out


def people(rows: list[OfficeRow], patch: Patch, code_qid: dict[str, str], dropped: Counter) -> list[Draft]:
    """Merge the cleaned source rows and the patch people into one draft per QID."""
    out: dict[str, Draft] = {}
    for r in rows:
        d = out.setdefault(r.person_qid, Draft(r.person_qid, r.person_label, "Person"))
        d.add_source(r.source)
        precisions = [r.start[1]] + ([r.end[1]] if r.end else [])
        precision = max(precisions, key=("day", "month", "year").index)
        office = Office(r.title, r.of_qid, r.start[0], r.end[0] if r.end else None, precision)
        if office in d.offices:
            dropped["person row: duplicate"] += 1
        else:
            d.offices.append(office)
    for p in patch.people:
        d = out.setdefault(p.qid, Draft(p.qid, p.label, "Person"))
        d.label = p.label or d.label
        d.aliases += p.aliases
        d.short = p.short
        d.add_source("patch")
        offices = []
        for title, of, start, end in p.offices:
            of_qid = of if of is None or of.startswith("Q") else code_qid.get(of, f"?{of}")
            if start is not None:
                offices.append(Office(title, of_qid, start, end))
        replaced = {(o.title, o.of_qid) for o in offices}
        d.offices = [o for o in d.offices if (o.title, o.of_qid) not in replaced] + offices
    for d in out.values():
        if d.short is None:
            d.short = default_short(d.label, d.offices)
    return list(out.values())


def default_short(label: str, offices: list[Office]) -> list[str]:
    """Return the family name(s) a person is called by alone, or [] when unsure.

    The last token, or the first (when it has at most 5 letters: a romanised one-syllable family
    name) for people of China, Taiwan and the two Koreas; none for
    regnal names ("Charles III"), titles ("Pope Francis"), patronymic chains ("bin", "of") or
    names shorter than 3 letters. "al-Assad" also gives "Assad".
    """
    toks = label.replace(",", " ,").split()
    low = [t.lower().strip(".") for t in toks]
    if len(toks) < 2 or "," in toks or {"of", "bin", "bint", "ibn"} & set(low) or low[0] in _TITLES \
            or any(re.fullmatch(r"[IVX]+", t) for t in toks):
        return []
    if any(o.of_qid in EAST_ASIAN for o in offices) and len(toks[0]) <= 5:
        cand = toks[0]  # one-syllable family name first; "Joseph Wu" keeps "Wu" (then too short)
    else:
        cand = toks[-2] if low[-1] in ("jr", "sr") and len(toks) > 2 else toks[-1]
    if sum(c.isalpha() for c in cand) < 3 or not cand[0].isupper():
        return []
    out = [cand]
    if cand.lower().startswith(("al-", "el-")) and len(cand) > 5:
        out.append(cand[3:])
    return out
