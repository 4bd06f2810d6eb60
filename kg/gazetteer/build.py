"""Build the offline gazetteer file ``kg/data/gazetteer.jsonl.gz`` from shared/wikidata + the patch.

Run ``python -m kg.gazetteer.build`` (or ``kg gazetteer build``). The output is gzip-compressed
JSON lines: a header object (format version, build date, sources), then one entry per line
(:meth:`GazEntry.to_json`), sorted by type, label and QID; the gzip header carries no time, so
the same inputs give the same bytes.

Steps: countries (rigour + econandrew + patch), capitals and places (patch), organisations
(supraverden + patch), people (world leaders, foreign ministers, IGO posts, patch), then:

- alias collisions: an alias (not a label) that two entries of the same type share is removed
  from both, and an alias equal to another same-type entry's label is removed from the alias
  holder: a name that may mean two actors must not link to either;
- validation (:mod:`kg.gazetteer.validate`) and the patch's own problems: any problem stops
  the build with a GazetteerError listing them all, before anything is written.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import click

from kg.errors import GazetteerError
from kg.gazetteer import assemble, sources
from kg.gazetteer.assemble import Draft
from kg.gazetteer.model import GazEntry
from kg.gazetteer.normalize import key
from kg.gazetteer.patch import load_patch
from kg.gazetteer.validate import problems

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DEFAULT_OUT = DATA_DIR / "gazetteer.jsonl.gz"
DEFAULT_PATCH = DATA_DIR / "gazetteer-patch.yaml"
DEFAULT_SHARED = Path(__file__).resolve().parents[3] / "shared" / "wikidata"

# IGO posts taken from holders21.csv, with the organisation each belongs to.
IGO_POSTS: dict[str, str | None] = {
    "Secretary-General of the United Nations": "Q1065",
    "Deputy Secretary-General of the United Nations": "Q1065",
    "President of the United Nations General Assembly": "Q1065",
    "Director-General of the World Trade Organization": "Q7825",
    "President of the International Court of Justice": "Q7801",
    "OSCE High Commissioner on National Minorities": "Q81299",
}


@dataclass(frozen=True)
class BuildStats:
    """What a build produced.

    Attributes:
        out: The file written.
        build_date: The build date used for validation.
        entries: Number of entries written.
        by_type: Entries per type.
        linked: Entries with a QID.
        dropped: Source rows left out, per cleaning rule.
        bytes: Size of the file written, in bytes.
    """

    out: Path
    build_date: date
    entries: int
    by_type: dict[str, int]
    linked: int
    dropped: dict[str, int] = field(default_factory=dict)
    bytes: int = 0


def _resolve_collisions(drafts: list[Draft], dropped: Counter) -> None:
    """Remove aliases shared by two same-type entries, or equal to another's label (in place)."""
    labels: dict[tuple[str, str], set[int]] = defaultdict(set)
    holders: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, d in enumerate(drafts):
        labels[(d.type, key(d.label))].add(i)
        for name in {key(n) for n in (*d.aliases, *d.demonyms, *d.weak)} - {key(d.label)}:
            holders[(d.type, name)].add(i)
    bad: dict[int, set[str]] = defaultdict(set)
    for (typ, name), idx in holders.items():
        owners = labels.get((typ, name), set())
        if len(idx) > 1 or owners - idx:
            for i in idx:
                bad[i].add(name)
            log.info("alias %r of %s removed: shared by %d %s entries", name, typ, len(idx | owners), typ)
            dropped["alias: shared by two entries"] += len(idx)
    for i, names in bad.items():
        d = drafts[i]
        d.aliases = [n for n in d.aliases if key(n) not in names]
        d.demonyms = [n for n in d.demonyms if key(n) not in names]
        d.weak = [n for n in d.weak if key(n) not in names]


def assemble_entries(shared_wikidata_dir: Path, patch_path: Path, build_date: date,
                     dropped: Counter) -> tuple[list[GazEntry], list[str]]:
    """Return (entries, problems) without writing anything (see the module docstring)."""
    shared = Path(shared_wikidata_dir)
    patch = load_patch(patch_path)
    drafts, code_qid = assemble.countries(sources.read_rigour(shared), sources.read_econandrew(shared),
                                          patch, dropped)
    drafts += assemble.places(patch, code_qid)
    drafts += assemble.organisations(sources.read_supraverden(shared), patch, code_qid, dropped)
    allowed = {d.qid for d in drafts if d.type == "Country" and d.sovereign} | {"Q458"}
    rows = sources.read_leaders(shared) + sources.read_foreign_ministers(shared) \
        + sources.read_igo_holders(shared, IGO_POSTS)
    allowed |= set(IGO_POSTS.values()) - {None}
    rows = assemble.clean_rows(rows, patch, allowed, build_date, dropped)
    drafts += assemble.people(rows, patch, code_qid, dropped)
    _resolve_collisions(drafts, dropped)
    entries = [d.freeze() for d in drafts]
    found = list(patch.problems) + problems(entries, build_date)
    found += [f"{e.qid} {e.label!r}: capital_of names an unknown country code" for e in entries
              if e.capital_of and e.capital_of.startswith("?")]
    found += [f"{e.qid} {e.label!r}: part_of names an unknown country code" for e in entries
              if e.part_of and e.part_of.startswith("?")]
    found += [f"{e.qid} {e.label!r}: office of unknown country code {o.of_qid}" for e in entries
              for o in e.offices if o.of_qid and o.of_qid.startswith("?")]
    entries.sort(key=lambda e: (e.type, key(e.label), e.qid or ""))
    return entries, found


def build(shared_wikidata_dir: Path, patch: Path, out: Path, build_date: date) -> BuildStats:
    """Build the gazetteer file.

    Args:
        shared_wikidata_dir: The folder of the source files (shared/wikidata).
        patch: The reviewed hand patch (kg/data/gazetteer-patch.yaml).
        out: The file to write (gzip JSON lines).
        build_date: The day the data is valid for; no office may start after it.

    Returns:
        What was written.

    Raises:
        GazetteerError: a source file is missing, or the result breaks a validation rule (the
            message lists every problem; nothing is written then).
    """
    dropped: Counter = Counter()
    entries, found = assemble_entries(Path(shared_wikidata_dir), Path(patch), build_date, dropped)
    if found:
        shown = "\n  ".join(found[:50])
        more = f"\n  ... and {len(found) - 50} more" if len(found) > 50 else ""
        raise GazetteerError(f"gazetteer build failed validation ({len(found)} problems):\n  {shown}{more}")
    header = {"geokg_gazetteer": FORMAT_VERSION, "build_date": build_date.isoformat(),
              "sources": list(sources.SOURCE_FILES) + [Path(patch).name],
              "licences": "kg/data/LICENSES.md", "entries": len(entries)}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0,
                                                filename="") as fh:
        for obj in [header] + [e.to_json() for e in entries]:
            fh.write((json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    tmp.replace(out)
    by_type = Counter(e.type for e in entries)
    stats = BuildStats(out, build_date, len(entries), dict(by_type), sum(1 for e in entries if e.qid),
                       dict(dropped), out.stat().st_size)
    log.info("gazetteer: %d entries (%s) written to %s (%d bytes)", stats.entries,
             ", ".join(f"{t} {n}" for t, n in sorted(by_type.items())), out, stats.bytes)
    return stats


@click.command("build")
@click.option("--shared", "shared_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_SHARED,
              show_default=True, help="Folder of the Wikidata-derived source files.")
@click.option("--patch", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_PATCH,
              show_default=True, help="Reviewed hand patch (YAML).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_OUT,
              show_default=True, help="File to write.")
@click.option("--build-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Day the data is valid for (default: today).")
def main(shared_dir: Path, patch: Path, out: Path, build_date) -> None:
    """Build the offline gazetteer from shared/wikidata and the hand patch.

    Exit codes: 0 written, 1 validation or input error (message on stderr).
    """
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    day = build_date.date() if build_date else date.today()
    try:
        stats = build(shared_dir, patch, out, day)
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{stats.entries} entries ({stats.linked} with QID) -> {stats.out} ({stats.bytes} bytes)")
    for reason, n in sorted(stats.dropped.items()):
        click.echo(f"  dropped {n:4d}  {reason}")


if __name__ == "__main__":  # pragma: no cover
    main()
