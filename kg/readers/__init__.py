"""Article readers: files, folders, HTTP bodies -> :class:`kg.model.Article` records.

Public API:

* :func:`iter_inputs` — expand files, folders and glob patterns into article files.
* :func:`read_path_report` — the main reader: ``(articles, errors)`` for one file; never
  raises ReadError, so a bad line of a JSON Lines file does not lose the good ones.
* :func:`read_path` — the same, raising the first :class:`~kg.errors.ReadError`.
* :func:`read_bytes_report` / :func:`read_bytes` — the same for an HTTP body.
* :func:`article_id` — the stable id of an article.

Formats: corpus and seed text layouts and plain text (:mod:`kg.readers.text`), HTML pages
(:mod:`kg.readers.html`), JSON Lines / JSON (:mod:`kg.readers.jsonl`), RSS/Atom feeds
(:mod:`kg.readers.feed`). Every body is the text that character offsets refer to.
"""

from kg.readers.dispatch import read_bytes, read_bytes_report, read_path, read_path_report
from kg.readers.identity import article_id
from kg.readers.inputs import iter_inputs

__all__ = [
    "article_id",
    "iter_inputs",
    "read_bytes",
    "read_bytes_report",
    "read_path",
    "read_path_report",
]
