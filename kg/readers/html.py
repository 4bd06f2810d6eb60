"""HTML: whole news pages (trafilatura) and HTML fragments of feed entries (lxml).

A page goes through ``trafilatura.bare_extraction`` with metadata, which drops navigation,
cookie banners, figure captions, related-link lists and footers, and gives title, date,
author, site name and the canonical/og:url. The body is trafilatura's main text with its
paragraphs joined by a blank line (``"\\n\\n"``), the headline line removed when trafilatura
repeats it as the first paragraph.

Feed entries carry short HTML fragments, for which trafilatura's page heuristics are wrong
(too short, inline links split into lines); :func:`html_to_text` turns them into text with
lxml's HTML parser: block elements become paragraphs, inline elements flow, whitespace
collapses as a browser would render it.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from kg.dates import parse_published
from kg.errors import ReadError
from kg.model import Article
from kg.readers.identity import is_http_url, make_article

log = logging.getLogger(__name__)

_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt fieldset figure footer form h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table tbody thead tfoot tr td th ul br".split())
_WHITESPACE = re.compile(r"\s+")
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "figcaption", "svg", "button")


def _paragraphs(text: str) -> str:
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def parse_html(text: str, source: str, fallback_url: str) -> Article:
    """Extract the article of an HTML page.

    Args:
        text: The decoded HTML document.
        source: Path or name, for errors.
        fallback_url: URL to use when the page names none (og:url, canonical link).

    Returns:
        The article (source_format "html").

    Raises:
        ReadError: trafilatura finds no main text.
    """
    import trafilatura  # lazy: ~190 ms to import

    doc = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, favor_precision=True)
    if doc is None or not (doc.text or "").strip():
        raise ReadError(source, "no article text found in the HTML")
    title = (doc.title or "").strip()
    body = _paragraphs(doc.text)
    first, _, rest = body.partition("\n\n")
    if title and first.strip() == title and rest.strip():
        body = rest
    url = doc.url if is_http_url(doc.url) else fallback_url
    return make_article(
        url=url,
        headline=title or None,
        body=body,
        published=_metadata_date(doc.date),
        publisher=doc.sitename,
        author=doc.author,
        source_format="html",
    )


def _metadata_date(value: str | None) -> date | None:
    if not value:
        return None
    return parse_published(value)


def _flow(text: str) -> str:
    """Text-node whitespace (newlines included) as rendered: runs become one space."""
    return _WHITESPACE.sub(" ", text)


def html_to_text(fragment: str) -> str:
    """Render an HTML fragment (a feed entry's content or summary) as plain text.

    Args:
        fragment: HTML, or plain text (returned with whitespace tidied).

    Returns:
        Paragraphs (block elements, ``<br>``) separated by ``"\\n\\n"``, whitespace inside a
        paragraph collapsed to single spaces; script, style and figure captions dropped.
        "" when there is no text.
    """
    import lxml.html

    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises ParserError and others on odd input
        log.debug("unparseable HTML fragment; using it as text", exc_info=True)
        return _paragraphs(" ".join(fragment.split()))
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()  # keeps the element's tail text
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if element.text and tag:
            parts.append(_flow(element.text))
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        if element.tail:
            parts.append(_flow(element.tail))

    if root.text:
        parts.append(_flow(root.text))
    for child in root:
        walk(child)
    paragraphs = ("".join(parts)).split("\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
