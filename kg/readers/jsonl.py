"""JSON Lines and JSON articles.

One JSON object per article with the fields (aliases in brackets)::

    text [body, content]      required, non-empty string: the body
    title [headline]          optional: a headline is derived from the body when missing
    published [date, datePublished]  optional: parsed with kg.dates.parse_published
    source [publisher]        optional
    url [link]                optional: used when it is an http(s) URL
    author [byline]           optional: a string or a list of strings

A ``.jsonl`` file holds one object per line (blank lines are skipped). A ``.json`` file holds
one object or an array of objects; a ``.json`` file that turns out to be JSON Lines is read
as such. A bad record does not lose the good ones: the readers return the articles and one
:class:`~kg.errors.ReadError` per bad record, whose source is ``<name>:<line>`` (JSON Lines)
or ``<name>[<index>]`` (array, 0-based).

An article without an http(s) URL gets ``<base URL>#line-<n>`` (JSON Lines, 1-based line)
or ``<base URL>#item-<i>`` (array, 0-based) so that the articles of one file differ.
"""

from __future__ import annotations

import json
from typing import Any

from kg.dates import parse_published
from kg.errors import ReadError
from kg.model import Article
from kg.readers.identity import is_http_url, make_article

_ALIASES = {
    "text": ("text", "body", "content"),
    "title": ("title", "headline"),
    "published": ("published", "date", "datePublished"),
    "source": ("source", "publisher"),
    "url": ("url", "link"),
    "author": ("author", "byline"),
}

Report = tuple[list[Article], list[ReadError]]


def _field(record: dict[str, Any], name: str) -> Any:
    for key in _ALIASES[name]:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value if v) or None
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
        return str(value) if value else None
    return str(value)


def record_to_article(record: Any, source: str, url: str) -> Article:
    """Turn one decoded JSON value into an Article.

    Args:
        record: The decoded JSON value (must be an object).
        source: ``name:line`` or ``name[index]``, for errors.
        url: URL to use when the record has no http(s) ``url``.

    Returns:
        The article (source_format "jsonl").

    Raises:
        ReadError: not an object, or no non-empty string ``text``.
    """
    if not isinstance(record, dict):
        raise ReadError(source, f"expected a JSON object, got {type(record).__name__}")
    text = _field(record, "text")
    if not isinstance(text, str) or not text.strip():
        raise ReadError(source, "no text (the 'text' field is missing or empty)")
    body = text.replace("\r\n", "\n").strip()
    record_url = _field(record, "url")
    published = _field(record, "published")
    title = _field(record, "title")
    return make_article(
        url=record_url.strip() if isinstance(record_url, str) and is_http_url(record_url) else url,
        headline=str(title) if title is not None else None,
        body=body,
        published=parse_published(published) if isinstance(published, str) else None,
        publisher=_optional_text(_field(record, "source")),
        author=_optional_text(_field(record, "author")),
        source_format="jsonl",
    )


def parse_json_lines(text: str, source: str, base_url: str) -> Report:
    """Read JSON Lines text.

    Args:
        text: Decoded text, one JSON object per line.
        source: Path or name of the input, for errors.
        base_url: ``file:`` URI or URN of the input.

    Returns:
        (articles of the good lines, one ReadError per bad line).
    """
    articles: list[Article] = []
    errors: list[ReadError] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(ReadError(where, f"invalid JSON: {exc.msg} (column {exc.colno})"))
            continue
        try:
            articles.append(record_to_article(record, where, f"{base_url}#line-{number}"))
        except ReadError as exc:
            errors.append(exc)
    if not articles and not errors:
        errors.append(ReadError(source, "no JSON records"))
    return articles, errors


def parse_json(text: str, source: str, base_url: str) -> Report:
    """Read a JSON document: one article object or an array of them.

    Falls back to :func:`parse_json_lines` when the text holds several JSON values.

    Args:
        text: Decoded JSON text.
        source: Path or name of the input, for errors.
        base_url: ``file:`` URI or URN of the input.

    Returns:
        (articles, errors) as for :func:`parse_json_lines`.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return parse_json_lines(text, source, base_url)
        return [], [ReadError(source, f"invalid JSON: {exc.msg} (line {exc.lineno}, "
                                      f"column {exc.colno})")]
    if isinstance(value, list):
        articles: list[Article] = []
        errors: list[ReadError] = []
        for index, record in enumerate(value):
            try:
                articles.append(record_to_article(record, f"{source}[{index}]",
                                                  f"{base_url}#item-{index}"))
            except ReadError as exc:
                errors.append(exc)
        if not value:
            errors.append(ReadError(source, "empty JSON array"))
        return articles, errors
    try:
        return [record_to_article(value, source, base_url)], []
    except ReadError as exc:
        return [], [exc]
