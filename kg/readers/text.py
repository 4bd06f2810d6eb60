"""Plain-text articles: decoding and the three text layouts.

Layouts, tried in this order:

* **corpus** (``/work/shared/corpus/*/NNN-slug.txt``, see corpus/README.md): header lines
  ``Title:``, ``Published:`` (YYYY-MM-DD or ``unknown``), ``Source:``, ``Dataset:``, a blank
  line, then the body exactly as in the dataset.
* **seed** (``seeds/000_*.txt``, a scraped news page): optional category lines, the title
  (once or twice), ``Source: AFP``, ``• PublishedJanuary 22, 2025`` (bullet, space and colon
  optional), the body paragraphs, then an optional footer ``Written By`` + author name.
* **text**: anything else; the first non-empty line is the headline, the rest the body.

The body is a slice of the decoded text (only ``\\r\\n`` is turned into ``\\n``) with leading
and trailing whitespace of the body as a whole removed, so that character offsets into it
refer to the text exactly as written.
"""

from __future__ import annotations

import codecs
import re

from kg.dates import parse_published
from kg.errors import ReadError
from kg.model import Article
from kg.readers.identity import make_article

_CORPUS_KEY = re.compile(r"^([A-Za-z][A-Za-z ]*):\s?(.*)$")
_SEED_SOURCE = re.compile(r"^\s*Source\s*:\s*(.*?)\s*$")
_SEED_PUBLISHED = re.compile(r"^[\W_]*Published(?:\s+on)?\s*:?\s*(.*?)\s*$")
_SEED_FOOTER = re.compile(r"^\s*Written\s+by\b\s*:?\s*(.*?)\s*$", re.I)
#: Lines of a seed page searched for the Source/Published header.
SEED_HEADER_LINES = 15
#: Non-empty lines at the end of a seed page searched for the "Written By" footer.
SEED_FOOTER_LINES = 4


#: Byte-order marks -> the codec that decodes (and drops) them; UTF-32 before UTF-16, whose
#: little-endian BOM starts the UTF-32 one (Unicode §23.8; WHATWG Encoding "BOM sniff").
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, source: str, *, charset: str | None = None, what: str = "file") -> str:
    """Decode article bytes to text, refusing what is not text.

    Args:
        data: The raw bytes.
        source: Path or name, for error messages.
        charset: Declared charset (from an HTTP ``Content-Type``); default UTF-8. A byte-order
            mark (UTF-8, UTF-16 or UTF-32, either byte order) overrides it, as in the WHATWG
            Encoding standard's BOM sniffing, and is dropped.
        what: "file" or "body", used in the "empty ..." reason.

    Returns:
        The text with ``\\r\\n`` turned into ``\\n``.

    Raises:
        ReadError: empty (or whitespace only), binary (NUL bytes in 8-bit text, or U+0000
            characters in UTF-16/32 text), or not decodable with the charset.
    """
    if not data.strip():
        raise ReadError(source, f"empty {what}")
    declared = (charset or "utf-8").strip().lower()
    encoding = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        encoding = "utf-8-sig" if declared in ("utf-8", "utf8") else declared
    wide = encoding.replace("_", "-").startswith(("utf-16", "utf-32", "utf16", "utf32"))
    if not wide and b"\x00" in data:
        raise ReadError(source, "binary data (contains NUL bytes), not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding == "utf-8-sig" else encoding.upper() if wide else encoding
        raise ReadError(source, f"not {name} text (invalid byte 0x{data[exc.start]:02x} "
                                f"at byte offset {exc.start})") from None
    except LookupError:
        raise ReadError(source, f"unknown charset {charset!r}") from None
    if "\x00" in text:
        raise ReadError(source, "binary data (contains NUL characters), not text")
    if not text.strip():
        raise ReadError(source, f"empty {what}")
    return text.replace("\r\n", "\n")


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip()


def parse_corpus(text: str, source: str, url: str) -> Article:
    """Parse the corpus layout (header, blank line, body).

    Args:
        text: Decoded text whose first line starts with ``Title:``.
        source: Path or name, for errors.
        url: URL or ``file:`` URI of the article.

    Returns:
        The article; ``Title: unknown`` gets a headline derived from the body,
        ``Published: unknown`` gives ``published=None``, ``Source: unknown`` no publisher.

    Raises:
        ReadError: no body after the header.
    """
    lines = text.split("\n")
    header: dict[str, str] = {}
    index = 0
    while index < len(lines) and lines[index].strip():
        m = _CORPUS_KEY.match(lines[index])
        if m:
            header[m.group(1).strip().lower()] = m.group(2).strip()
        index += 1
    body = "\n".join(lines[index + 1:]).rstrip().lstrip("\n")
    if not body.strip():
        raise ReadError(source, "no body (header only)")
    return make_article(
        url=url,
        headline=header.get("title"),
        body=body,
        published=parse_published(header.get("published")),
        publisher=header.get("source"),
        author=header.get("author"),
        source_format="corpus",
    )


def _published_line(line: str) -> bool:
    """True for a seed "Published" line: "Published" followed by a readable date."""
    m = _SEED_PUBLISHED.match(line)
    return bool(m) and len(line) < 80 and parse_published(m.group(1)) is not None


def _seed_header(lines: list[str]) -> tuple[int, int, int] | None:
    """(first header line, last header line, Source line or -1) of a seed page, or None."""
    found: list[int] = []
    source_line = -1
    for i, line in enumerate(lines[:SEED_HEADER_LINES]):
        if _SEED_SOURCE.match(line) and len(line) < 80:
            found.append(i)
            source_line = i
        elif _published_line(line):
            found.append(i)
    if not found:
        return None
    if not any(lines[i].strip() for i in range(found[0])):
        return None  # a header needs a title before it
    return found[0], found[-1], source_line


def parse_seed(text: str, source: str, url: str) -> Article:
    """Parse the seed layout (scraped page with Source/Published lines and a footer).

    Args:
        text: Decoded text recognised by :func:`sniff_layout` as "seed".
        source: Path or name, for errors.
        url: URL or ``file:`` URI of the article.

    Returns:
        The article: headline = last non-empty line before the header, publisher = the
        ``Source:`` value, published = the ``Published`` date, author = the footer name,
        body = the lines between header and footer.

    Raises:
        ReadError: no body between header and footer.
    """
    lines = text.split("\n")
    first, last, source_line = _seed_header(lines) or (0, -1, -1)
    title_lines = [line.strip() for line in lines[:first] if line.strip()]
    headline = title_lines[-1] if title_lines else None
    publisher = _SEED_SOURCE.match(lines[source_line]).group(1) if source_line >= 0 else None
    published = None
    for line in lines[first:last + 1]:
        if _published_line(line):
            published = parse_published(_SEED_PUBLISHED.match(line).group(1))
    end = len(lines)
    author = None
    tail = [i for i in range(last + 1, len(lines)) if lines[i].strip()][-SEED_FOOTER_LINES:]
    for i in tail:
        m = _SEED_FOOTER.match(lines[i])
        if m:
            end = i
            after = [lines[j].strip() for j in range(i + 1, len(lines)) if lines[j].strip()]
            author = m.group(1) or (after[0] if after else None)
            break
    body = _join(lines[last + 1:end])
    if not body:
        raise ReadError(source, "no body (header only)")
    return make_article(url=url, headline=headline, body=body, published=published,
                        publisher=publisher, author=author, source_format="seed")


def parse_plain(text: str, source: str, url: str) -> Article:
    """Parse plain text: first non-empty line = headline, the rest = body.

    Raises:
        ReadError: nothing after the headline line.
    """
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    body = _join(lines[first + 1:])
    if not body:
        raise ReadError(source, "no body (only one line of text)")
    return make_article(url=url, headline=lines[first].strip(), body=body, source_format="text")


def sniff_layout(text: str) -> str:
    """Return "corpus", "seed" or "text" for decoded text (see the module docstring)."""
    if text.lstrip("\ufeff").startswith("Title:"):
        return "corpus"
    if _seed_header(text.split("\n")) is not None:
        return "seed"
    return "text"


def parse_text(text: str, source: str, url: str) -> Article:
    """Parse decoded text in whichever layout it has.

    Args:
        text: Decoded text (see :func:`decode`).
        source: Path or name, for errors.
        url: URL or ``file:`` URI of the article.

    Returns:
        The article.

    Raises:
        ReadError: no body.
    """
    layout = sniff_layout(text)
    if layout == "corpus":
        return parse_corpus(text, source, url)
    if layout == "seed":
        return parse_seed(text, source, url)
    return parse_plain(text, source, url)
