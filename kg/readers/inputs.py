"""Expand command-line inputs (files, folders, glob patterns) into the files to read."""

from __future__ import annotations

import glob
from collections.abc import Iterator, Sequence
from pathlib import Path

from kg.errors import ReadError

#: Extensions collected when walking a folder (files named explicitly are always kept).
ARTICLE_SUFFIXES = frozenset(
    {".txt", ".html", ".htm", ".jsonl", ".ndjson", ".json", ".xml", ".rss", ".atom"})
#: Files skipped when walking a folder: gold annotations of the corpus.
SKIPPED_SUFFIXES = (".gold.json",)
_GLOB_CHARS = frozenset("*?[")


def _wanted(path: Path, root: Path) -> bool:
    relative = path.relative_to(root)
    if any(part.startswith(".") for part in relative.parts):
        return False
    name = path.name.lower()
    if name.endswith(SKIPPED_SUFFIXES):
        return False
    # a broken symlink with an article suffix is kept, so that reading it reports it by name
    return path.suffix.lower() in ARTICLE_SUFFIXES and (path.is_file() or path.is_symlink())


def _walk(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if _wanted(p, folder)]


def iter_inputs(paths: Sequence[str]) -> Iterator[Path]:
    """Expand input arguments into the article files they name.

    Args:
        paths: File paths, folder paths (walked recursively, keeping ``*.txt``, ``*.html``,
            ``*.htm``, ``*.jsonl``, ``*.ndjson``, ``*.json``, ``*.xml``, ``*.rss``,
            ``*.atom``, skipping ``*.gold.json`` and hidden files and folders), and glob
            patterns (``corpus/dev/*.txt``, ``**`` allowed; folders they match are walked).

    Returns:
        An iterator over the files, sorted by path and without duplicates (two spellings
        of one file count once). All arguments are checked before the first is yielded.

    Raises:
        ReadError: a path that does not exist ("no such file or directory") or a pattern
            that matches nothing ("no file matches the pattern").
    """
    found: dict[Path, Path] = {}

    def add(path: Path) -> None:
        found.setdefault(path.resolve(), path)

    for raw in paths:
        if _GLOB_CHARS & set(raw) and not Path(raw).exists():
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise ReadError(raw, "no file matches the pattern")
            for match in matches:
                path = Path(match)
                if path.is_dir():
                    for child in _walk(path):
                        add(child)
                elif not path.name.lower().endswith(SKIPPED_SUFFIXES):
                    add(path)
            continue
        path = Path(raw)
        if not path.exists():
            raise ReadError(raw, "no such file or directory")
        if path.is_dir():
            for child in _walk(path):
                add(child)
        else:
            add(path)
    return iter(sorted(found.values(), key=lambda p: str(p)))
