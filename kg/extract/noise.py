"""Page noise in article bodies: datelines, bylines, captions, link lists, banners, editor's notes.

Scraped news pages carry text that is not the story: the wire dateline ("SEOUL, Jan. 4
(Yonhap) --", "MOSCOW (Reuters) -"), the wire header fused before it (slug, headline,
"(LEAD)", "(ATTN: UPDATES headline…)", "By Kim Eun-jung"), bylines and sign-offs
("Reporting by …; Editing by …", "ejkim@yna.co.kr(END)"), photo captions and credits
("[File: Hussein Malla/AP Photo]", "Item 1 of 5 …", "(Korea Herald DB)"), related-story
lists (the Reuters and Guardian page tails, "* list 1 of 3…", "…Read more"), and
subscription or cookie banners. :func:`noise_spans` finds them so that the parse stage
(``kg.nlp.parse``) keeps them out of the sentences events are read from and the entities
stage (``kg.extract.entities``) makes no actor mentions inside them.

Every rule is by kind of page furniture, written from the layouts of the wire services and
sites of the development corpus (Reuters, Yonhap, AP, Guardian, Al Jazeera, TIME, NPR,
Korea Herald, Geneva Solutions pages), never from one article's wording. The patterns and
thresholds the rules apply are in :mod:`kg.extract.noise_patterns`; this module holds the
rules that apply them line by line and the public functions below.

Captions: a caption *line* (a line that ends with a photo credit or starts with a gallery
marker, and its repeated copy) is noise. A caption fused into the lead paragraph without a
line break (Korea Herald: "North Korean leader Kim Jong-un (left) shakes hands with …
2019. (Korea Herald DB)North Korea …") keeps its sentence; only the credit and the position
marker are noise: the gold annotation of dev/045 counts the meeting such a caption reports.

Offsets are 0-based character offsets into the body, end exclusive.
"""

from __future__ import annotations

import functools
import re
from typing import Iterable

from kg.extract.noise_patterns import (
    _DATELINE_START, _DATELINE_MID, _EDITOR_NOTE, _HEADER_BYLINE, _BANNER, _BYLINE_LINE,
    _CAPTION_START, _CREDIT_END, _CREDIT_INLINE, _POSITION_MARKER, _SIGN_OFF, _CONTRIBUTED,
    _LINK_LINE, _META_LINE, _BULLET, _TERMINAL, _CLOSERS, _LEAD_LINES, _HEADLINE_WORDS,
)
from kg.extract.reporting import is_news_media

#: The kinds of noise :func:`noise_spans` reports.
KINDS: tuple[str, ...] = ("dateline", "byline", "caption", "links", "banner", "editor-note", "headline")

Span = tuple[int, int, str]


def noise_spans(body: str) -> list[Span]:
    """Find the page noise of an article body.

    Args:
        body: ``Article.body``.

    Returns:
        ``(start, end, kind)`` triples, sorted and non-overlapping, 0-based, end exclusive,
        without surrounding whitespace; ``kind`` is one of :data:`KINDS`:
        ``dateline`` (only the dateline prefix, "MOSCOW (Reuters) -", never the sentence
        after it), ``byline`` ("By Kim Eun-jung", "Reporting by …; Editing by …", "Written
        By", reporters' sign-offs), ``caption`` (caption lines, photo credits, "(left)"),
        ``links`` (related-story lists), ``banner`` (cookie, newsletter and subscription
        text, page chrome), ``editor-note`` ("(LEAD)", "(ATTN: …)", "(Refiles to …)") and
        ``headline`` (the wire slug and headline repeated at the top of the body).
    """
    return list(_spans(body))


def merged(spans: Iterable[Span], body: str) -> list[tuple[int, int]]:
    """The noise spans as intervals, with spans separated only by whitespace joined."""
    out: list[list[int]] = []
    for start, end, _kind in sorted(spans):
        if out and (start <= out[-1][1] or not body[out[-1][1]:start].strip()):
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def inside(intervals: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` lies entirely inside one interval of :func:`merged`."""
    return any(a <= start and end <= b for a, b in intervals)


def trim(intervals: list[tuple[int, int]], body: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without the noise it starts or ends with (and the whitespace next to it).

    Noise inside the text ("Kim Jong-un (left) shakes hands") is left in place.

    Returns:
        The trimmed ``(start, end)`` (unchanged when no noise touches it), or None when
        trimming left nothing but whitespace and punctuation.
    """
    original = (start, end)
    moved = True
    while moved and start < end:
        moved = False
        for a, b in intervals:
            if a <= start < b:
                start, moved = b, True
            if start < end and a < end <= b:
                end, moved = a, True
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
    if (start, end) == original:
        return original
    if start >= end or not any(c.isalnum() for c in body[start:end]):
        return None
    return start, end


def hides_mention(body: str, start: int, end: int, text: str) -> bool:
    """Whether an actor mention at ``[start, end)`` is page noise and must not be made.

    A mention inside noise is not an actor of the story, except the news organisation a
    dateline, byline, banner or caption credits ("MOSCOW (Reuters) -", "Follow AP’s
    coverage"): the article's source, which the corpus gold lists among its entities. Inside
    a related-story list nothing is kept.

    Args:
        body: The article body.
        start: Mention start (0-based character offset).
        end: Mention end (exclusive).
        text: ``body[start:end]``.
    """
    spans = _spans(body)
    if not spans or not inside(merged(spans, body), start, end):
        return False
    kinds = {k for a, b, k in spans if a < end and start < b}
    return "links" in kinds or not is_news_media(text)


def boundaries(body: str) -> list[int]:
    """Character offsets where a sentence must start so that noise is never part of one.

    The start and end of each noise interval of :func:`merged`, except around inline noise
    that sits inside running text (a caption's "(left)"): text on both sides on the line,
    a word or comma before it and a lower-case word after it.
    """
    out: list[int] = []
    for a, b in merged(_spans(body), body):
        before = body[:a].rstrip(" \t")
        after = body[b:].lstrip(" \t")
        if before and after and (before[-1].isalnum() or before[-1] in ",;") and after[:1].islower():
            continue
        out.append(a)
        skip = len(body) - len(body[b:].lstrip())
        if skip < len(body):
            out.append(skip)
    return sorted(set(out))


# -- the rules ---------------------------------------------------------------------------------

@functools.lru_cache(maxsize=32)
def _spans(body: str) -> tuple[Span, ...]:
    lines = _lines(body)
    kinds: dict[int, str] = {}
    for i, (s, e) in enumerate(lines):
        kind = _line_kind(body[s:e].strip())
        if kind:
            kinds[i] = kind
    _caption_copies(body, lines, kinds)
    _banner_bullets(body, lines, kinds)
    _headline_bullets(body, lines, kinds)
    _tail(body, lines, kinds)
    spans: list[Span] = [(s, e, kinds[i]) for i, (s, e) in enumerate(lines) if i in kinds]
    spans += _lead(body, lines, kinds)
    for i, (s, e) in enumerate(lines):
        if i not in kinds:
            spans += _inline(body, s, e)
    return tuple(_normalise(body, spans))


def _lines(body: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for line in body.split("\n"):
        end = start + len(line)
        lead = len(line) - len(line.lstrip())
        text = line.strip()
        if text:
            out.append((start + lead, start + lead + len(text)))
        start = end + 1
    return out


def _line_kind(text: str) -> str | None:
    """The kind of a whole line that is noise on its own, else None."""
    if _LINK_LINE.search(text):
        return "links"
    if _CAPTION_START.search(text) or _CREDIT_END.search(text):
        return "caption"
    if _BYLINE_LINE.search(text) and len(text.split()) <= 40:
        return "byline"
    if _BANNER.search(text) and len(text.split()) <= 150:
        return "banner"
    if _EDITOR_NOTE.fullmatch(text):
        return "editor-note"
    return None


def _words(text: str) -> list[str]:
    return text.split()


def _headline_like(text: str) -> bool:
    """A short line without final punctuation ("Thailand votes in three-way race …")."""
    bare = text.rstrip(_CLOSERS)
    return bool(bare) and not bare.endswith(_TERMINAL) and len(_words(text)) <= _HEADLINE_WORDS


def _title_case(text: str) -> bool:
    """Most content words capitalised ("Trump Meets Zelensky at Mar-a-Lago as Russia …")."""
    words = [w.strip("*‘’“”\"'():") for w in _words(_BULLET.sub("", text))]
    content = [w for w in words if len(w) > 3]
    return len(content) >= 3 and sum(w[:1].isupper() for w in content) >= 0.7 * len(content)


def _caption_copies(body: str, lines, kinds: dict[int, str]) -> None:
    """A line repeated (in full or as the beginning) by an adjacent caption line is a caption."""
    for i, (s, e) in enumerate(lines):
        if i in kinds:
            continue
        text = body[s:e].strip()
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and kinds.get(j) == "caption":
                other = body[lines[j][0]:lines[j][1]].strip()
                if len(text) > 20 and (other.startswith(text) or text == other):
                    kinds[i] = "caption"


def _banner_bullets(body: str, lines, kinds: dict[int, str]) -> None:
    """Bullets right after a newsletter banner ("… select your newsletters …") are its list."""
    for i in range(1, len(lines)):
        if i in kinds or kinds.get(i - 1) != "banner" or not _BULLET.match(body[lines[i][0]:lines[i][1]]):
            continue
        j = i - 1
        while j > 0 and _BULLET.match(body[lines[j][0]:lines[j][1]]) and kinds.get(j - 1) == "banner":
            j -= 1
        if "newsletter" in body[lines[j][0]:lines[j][1]].lower():
            kinds[i] = "banner"


def _headline_bullets(body: str, lines, kinds: dict[int, str]) -> None:
    """Three or more consecutive bullets of title-case headlines are a related-story list."""
    run: list[int] = []
    for i in range(len(lines) + 1):
        text = body[lines[i][0]:lines[i][1]] if i < len(lines) else ""
        if i < len(lines) and i not in kinds and _BULLET.match(text) and _headline_like(text) and _title_case(text):
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                kinds[j] = "links"
        run = []


def _tail(body: str, lines, kinds: dict[int, str]) -> None:
    """The page tail after the story: from the end back, lines that are noise, links, list
    metadata ("Businesscategory · February 8, 2026 · 5:04 AM UTC · 34 mins ago"), short
    headlines, or teasers under a metadata line; it is noise when it holds a link or banner line."""
    run: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        text = body[lines[i][0]:lines[i][1]]
        after_meta = i > 0 and _META_LINE.search(body[lines[i - 1][0]:lines[i - 1][1]]) is not None
        if i in kinds or _META_LINE.search(text) or _headline_like(text) or after_meta:
            run.append(i)
            continue
        break
    if any(kinds.get(i) in ("links", "banner") for i in run):
        for i in run:
            kinds.setdefault(i, "links")


def _lead(body: str, lines, kinds: dict[int, str]) -> list[Span]:
    """The top of the story: headline lines, the wire header and the dateline of the lead.

    The lead is the first line that is not noise, a bullet ("* US pushes for compromise…",
    a summary point) or a deck without final punctuation; on the way a bold first line
    ("**U.S. gave Ukraine … June deadline…**") and a title-case line ("US Envoy Says Kyiv and
    Moscow Agreed to …") are headlines.
    """
    out: list[Span] = []
    first = True
    for n, (s, e) in enumerate(lines[:_LEAD_LINES]):
        if n in kinds:
            continue
        text = body[s:e]
        bold = re.match(r"\*\*[^*\n]{5,300}\*\*", text) if first else None
        first = False
        if bold:  # the rest of the line is a standfirst
            out.append((s, s + bold.end(), "headline"))
            continue
        if _DATELINE_START.match(text) or not (_BULLET.match(text) or _headline_like(text)):
            out += _dateline(body, s, e)
            break
        if _title_case(text) and len(_words(text)) >= 5 and not _BULLET.match(text):
            out.append((s, e, "headline"))
    return out


def _dateline(body: str, s: int, e: int) -> list[Span]:
    """Dateline of the lead line at ``s`` (after editor's notes), with any wire header before it."""
    out: list[Span] = []
    pos = s
    while True:  # "(Corrects paragraph 7 …) HAVANA (Reuters) - …"
        note = _EDITOR_NOTE.match(body, pos, e)
        if not note:
            break
        out.append((note.start(), note.end(), "editor-note"))
        pos = note.end()
        while pos < e and body[pos].isspace():
            pos += 1
    start = _DATELINE_START.match(body, pos, e)
    if start:
        return [*out, (start.start(), start.end(), "dateline")]
    mid = _DATELINE_MID.search(body, pos, min(e, pos + 600))
    if not mid or mid.start() == pos:
        return out
    out.append((mid.start(), mid.end(), "dateline"))
    header = body[pos:mid.start()]
    pieces: list[Span] = [(pos + m.start(), pos + m.end(), "editor-note") for m in _EDITOR_NOTE.finditer(header)]
    byline = _HEADER_BYLINE.search(header)
    if byline:
        pieces.append((pos + byline.start(), pos + byline.end(), "byline"))
    cursor = pos
    for a, b, _k in sorted(pieces):
        if body[cursor:a].strip():
            out.append((cursor, a, "headline"))
        cursor = max(cursor, b)
    if body[cursor:mid.start()].strip():
        out.append((cursor, mid.start(), "headline"))
    return out + pieces


def _inline(body: str, s: int, e: int) -> list[Span]:
    """Noise inside a line of text: editor's notes, sign-offs, credits, caption markers."""
    line = body[s:e]
    out: list[Span] = []
    for pattern, kind in ((_EDITOR_NOTE, "editor-note"), (_SIGN_OFF, "byline"), (_CONTRIBUTED, "byline"),
                          (_CREDIT_INLINE, "caption"), (_POSITION_MARKER, "caption")):
        out += [(s + m.start(), s + m.end(), kind) for m in pattern.finditer(line)]
    return out


def _normalise(body: str, spans: list[Span]) -> list[Span]:
    """Spans trimmed of whitespace, sorted, those inside another dropped, overlaps clipped."""
    out: list[Span] = []
    for start, end, kind in sorted(spans, key=lambda t: (t[0], -t[1])):
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        if out and end <= out[-1][1]:
            continue
        if out and start < out[-1][1]:
            start = out[-1][1]
        out.append((start, end, kind))
    return out
