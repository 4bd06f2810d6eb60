"""Choose the reader for a file or an HTTP body and collect its articles and errors.

Error policy: the ``*_report`` functions never raise :class:`~kg.errors.ReadError`; they
return ``(articles, errors)``. A whole-input problem (missing, empty, binary, not UTF-8, no
body, not a feed) gives ``([], [error])``; a multi-article input (JSON Lines, JSON array,
feed) returns the good articles together with one error per bad record. :func:`read_path`
and :func:`read_bytes` are conveniences that raise the first error, if any.

Format choice: a path's extension (``.txt``; ``.html``/``.htm``/``.xhtml``;
``.jsonl``/``.ndjson``; ``.json``; ``.xml``/``.rss``/``.atom``), an HTTP body's media type,
and otherwise the content: ``<rss``/``<feed``/``<rdf:RDF`` → feed, other markup → HTML,
``{``/``[`` → JSON, else text (corpus, seed or plain layout, see kg.readers.text).
"""

from __future__ import annotations

import logging
from pathlib import Path

from kg.errors import ReadError
from kg.model import Article
from kg.readers.feed import parse_feed
from kg.readers.html import parse_html
from kg.readers.identity import file_uri, upload_urn
from kg.readers.jsonl import parse_json, parse_json_lines
from kg.readers.text import decode, parse_text

log = logging.getLogger(__name__)

Report = tuple[list[Article], list[ReadError]]

EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "json",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}

MEDIA_TYPES: dict[str, str] = {
    "text/plain": "text",
    "text/html": "html", "application/xhtml+xml": "html",
    "application/json": "json",
    "application/x-ndjson": "jsonl", "application/ndjson": "jsonl",
    "application/jsonl": "jsonl", "application/x-jsonlines": "jsonl",
    "application/jsonlines": "jsonl", "application/json-lines": "jsonl",
    "application/rss+xml": "feed", "application/atom+xml": "feed",
    "application/rdf+xml": "feed", "application/xml": "feed", "text/xml": "feed",
}

_UNTYPED = ("", "application/octet-stream")


def _sniff(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<"):
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            return "feed"
        return "html"
    if head[:1] in (b"{", b"["):
        return "json"
    return "text"


def _parse(data: bytes, kind: str, source: str, url: str, charset: str | None,
           what: str) -> Report:
    if kind == "feed":
        if not data.strip():
            return [], [ReadError(source, f"empty {what}")]
        if b"\x00" in data:
            return [], [ReadError(source, "binary data (contains NUL bytes), not text")]
        return parse_feed(data, source, url)
    try:
        text = decode(data, source, charset=charset, what=what)
        if kind == "html":
            return [parse_html(text, source, url)], []
        if kind == "jsonl":
            return parse_json_lines(text, source, url)
        if kind == "json":
            return parse_json(text, source, url)
        return [parse_text(text, source, url)], []
    except ReadError as exc:
        return [], [exc]


def read_path_report(path: Path | str) -> Report:
    """Read every article of one file.

    Args:
        path: The file.

    Returns:
        (articles, errors); see the module docstring. Articles without an http(s) URL get
        the file's ``file:`` URI (plus ``#line-n``/``#item-i``/``#entry-n`` for several).
    """
    path = Path(path)
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], [ReadError(source, "no such file or directory")]
    except IsADirectoryError:
        return [], [ReadError(source, "is a directory")]
    except OSError as exc:
        return [], [ReadError(source, f"cannot read ({exc.strerror or exc})")]
    kind = EXTENSIONS.get(path.suffix.lower()) or _sniff(data)
    articles, errors = _parse(data, kind, source, file_uri(path), None, "file")
    for error in errors:
        log.debug("%s", error)
    return articles, errors


def read_path(path: Path | str) -> list[Article]:
    """Read every article of one file, raising on the first problem.

    Raises:
        ReadError: the first error :func:`read_path_report` reports.
    """
    articles, errors = read_path_report(path)
    if errors:
        raise errors[0]
    return articles


def _media_type(media_type: str | None) -> tuple[str, str | None]:
    if not media_type:
        return "", None
    main, *params = media_type.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return main.strip().lower(), charset


def read_bytes_report(data: bytes, name: str, media_type: str | None = None) -> Report:
    """Read every article of an HTTP body (or any bytes).

    Args:
        data: The body.
        name: Name of the input (upload file name or "request body"), used in errors;
            its extension helps choose the format when the media type does not.
        media_type: The ``Content-Type`` value (a ``charset`` parameter is honoured);
            None or ``application/octet-stream`` to choose by ``name`` and content.

    Returns:
        (articles, errors). Articles without an http(s) URL get
        ``urn:geokg:upload:<sha1 of the body>`` (plus a fragment when several).

    Raises nothing; an unsupported media type is reported as an error.
    """
    main, charset = _media_type(media_type)
    if main in _UNTYPED:
        kind = EXTENSIONS.get(Path(name).suffix.lower()) or _sniff(data)
    elif main in MEDIA_TYPES:
        kind = MEDIA_TYPES[main]
    else:
        supported = ", ".join(sorted(MEDIA_TYPES))
        return [], [ReadError(name, f"unsupported media type {main!r}; supported: {supported}")]
    return _parse(data, kind, name, upload_urn(data), charset, "body")


def read_bytes(data: bytes, name: str, media_type: str | None = None) -> list[Article]:
    """Read every article of an HTTP body, raising on the first problem.

    Raises:
        ReadError: the first error :func:`read_bytes_report` reports.
    """
    articles, errors = read_bytes_report(data, name, media_type)
    if errors:
        raise errors[0]
    return articles
