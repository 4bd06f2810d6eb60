"""RSS and Atom feeds, via feedparser: one Article per entry.

Per entry: headline = entry title; url = entry link (else ``<feed URL>#entry-<n>``, 1-based);
published = the entry's ``published`` (else ``updated``) date as written, not moved to UTC;
author = entry author; publisher = the feed's title; body = the longest ``content`` value,
else the ``summary``, rendered from HTML to text by :func:`kg.readers.html.html_to_text`.
Entries without text are skipped and reported as ReadError ``<name>#entry-<n>``.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from kg.dates import parse_published
from kg.errors import ReadError
from kg.model import Article
from kg.readers.html import html_to_text
from kg.readers.identity import is_http_url, make_article

log = logging.getLogger(__name__)

Report = tuple[list[Article], list[ReadError]]


def _entry_body(entry: Any) -> str:
    candidates = [(c.get("value") or "", c.get("type") or "text/html")
                  for c in entry.get("content") or []]
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry["summary"], detail.get("type") or "text/html"))
    for value, media_type in sorted(candidates, key=lambda c: -len(c[0])):
        if media_type == "text/plain":
            text = value.replace("\r\n", "\n").strip()
        else:
            text = html_to_text(value)
        if text:
            return text
    return ""


def _entry_date(entry: Any) -> date | None:
    for key in ("published", "updated", "created"):
        if entry.get(key):
            found = parse_published(entry[key])
            if found is not None:
                return found
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return date.fromtimestamp(time.mktime(parsed))
    return None


def parse_feed(data: bytes, source: str, base_url: str) -> Report:
    """Read an RSS 0.9x/1.0/2.0 or Atom feed.

    Args:
        data: The feed document (feedparser detects its encoding).
        source: Path or name, for errors.
        base_url: ``file:`` URI or URN of the feed, for entries without a link.

    Returns:
        (one article per entry with text, one ReadError per entry without text).
        When the document is not a feed or has no entries the list of articles is empty
        and the single error says so.
    """
    import feedparser  # lazy: ~55 ms to import

    parsed = feedparser.parse(data)
    if not parsed.entries:
        if not parsed.get("version"):
            problem = parsed.get("bozo_exception")
            reason = "not an RSS or Atom feed" + (f" ({problem})" if problem else "")
            return [], [ReadError(source, reason)]
        return [], [ReadError(source, "the feed has no entries")]
    publisher = parsed.feed.get("title") or None
    articles: list[Article] = []
    errors: list[ReadError] = []
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#entry-{number}"
        body = _entry_body(entry)
        if not body:
            errors.append(ReadError(where, "feed entry has no text"))
            continue
        link = entry.get("link")
        articles.append(make_article(
            url=link if is_http_url(link) else f"{base_url}#entry-{number}",
            headline=entry.get("title"),
            body=body,
            published=_entry_date(entry),
            publisher=publisher,
            author=entry.get("author"),
            source_format="feed",
        ))
    return articles, errors
