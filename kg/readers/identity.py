"""Article identity, URLs and the one constructor every reader uses.

Rules (common brief, "IRIs"): an article's id is a 16-hex-digit SHA-1 prefix, taken from
its http(s) URL when it has one, else from its whitespace-normalised headline and body, so
the same article read twice (from a file, an upload, a feed) gets the same id.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kg.model import Article

ID_HEX_CHARS = 16
#: Longest fallback headline derived from the body (characters).
HEADLINE_MAX = 100


def is_http_url(url: str | None) -> bool:
    """True when ``url`` is an absolute http:// or https:// URL with a host."""
    if not url:
        return False
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _normalise_text(text: str) -> str:
    return " ".join(text.split())


def article_id(url: str, headline: str, body: str) -> str:
    """Return the stable id of an article.

    Args:
        url: The article URL; used when it is http(s) (scheme and host lower-cased,
            ``#fragment`` dropped).
        headline: The headline; used with ``body`` when the URL is not http(s).
        body: The article body.

    Returns:
        16 lower-case hex characters of the SHA-1 of ``"url:" + url`` or of
        ``"text:" + headline + "\\n" + body`` (whitespace runs collapsed to one space).
    """
    if is_http_url(url):
        key = "url:" + _canonical_url(url)
    else:
        key = "text:" + _normalise_text(headline) + "\n" + _normalise_text(body)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:ID_HEX_CHARS]


def file_uri(path: Path) -> str:
    """The ``file:`` URI of ``path`` (resolved to an absolute path)."""
    return Path(path).resolve().as_uri()


def upload_urn(data: bytes) -> str:
    """``urn:geokg:upload:<sha1 prefix>`` naming an HTTP body that carries no URL."""
    return "urn:geokg:upload:" + hashlib.sha1(data).hexdigest()[:ID_HEX_CHARS]


def fallback_headline(body: str) -> str:
    """A headline for a source that has none: the body's first sentence, shortened.

    The first line of the body is cut after its first sentence end (". ", "? ", "! ")
    and then, if still longer than :data:`HEADLINE_MAX` characters, at a word boundary
    with "…" appended.
    """
    first = next((line.strip() for line in body.split("\n") if line.strip()), "")
    m = re.search(r"[.?!][\"”’']?\s", first)
    if m and m.end() > 20:
        first = first[: m.end()].strip()
    if len(first) > HEADLINE_MAX:
        cut = first[:HEADLINE_MAX].rsplit(" ", 1)[0]
        first = cut.rstrip(",;:") + "…"
    return first


def make_article(
    *,
    url: str,
    headline: str | None,
    body: str,
    published: date | None = None,
    publisher: str | None = None,
    author: str | None = None,
    source_format: str = "text",
) -> Article:
    """Build an :class:`Article`, computing its id and filling a missing headline.

    Args:
        url: The http(s) URL, ``file:`` URI or upload URN.
        headline: The headline, or None/"" to derive one with :func:`fallback_headline`.
        body: The body (already in its final form: offsets refer to it).
        published: Publication date or None.
        publisher: Publisher name or None ("" and "unknown" become None).
        author: Byline or None ("" and "unknown" become None).
        source_format: The reader's name.

    Returns:
        The frozen Article.
    """
    headline = (headline or "").strip()
    if not headline or headline.lower() == "unknown":
        headline = fallback_headline(body)
    return Article(
        article_id=article_id(url, headline, body),
        url=url,
        headline=headline,
        body=body,
        published=published,
        publisher=_clean_optional(publisher),
        author=_clean_optional(author),
        source_format=source_format,
    )


def _clean_optional(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    if not value or value.lower() == "unknown":
        return None
    return value
