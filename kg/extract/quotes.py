"""Quotations and reported content: what a reporting verb says, and whether it is quoted.

Two jobs: :func:`find_quotes` finds the quotation spans of a body; :func:`reported_content`
returns the content of one speech act (the quotation attributed to its verb, else the
reported clause) and whether it is a direct quote.

Quotation rules (the conventions of English news copy, e.g. the AP Stylebook entry "quotation marks"):

* Curly quotes pair an opening “ with the next closing ”; straight double quotes (")
  alternate open/close within a paragraph.
* A quotation that runs over several paragraphs has no closing mark at the end of each
  paragraph but the last; an opening mark never closed in its paragraph therefore quotes
  to the end of that paragraph.
* Single quotes (‘…’ and ') are quotations within quotations, or apostrophes; they never
  open a quote here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import ParsedArticle, Sentence

_OPEN = "“"
_CLOSE = "”"
_STRAIGHT = '"'


@dataclass(frozen=True)
class Quote:
    """One quotation: ``body[start:end]`` is the quoted text, without the marks.

    Attributes:
        start: 0-based offset of the first quoted character (after the opening mark).
        end: Exclusive offset of the quoted text (the closing mark's offset, or the end of
            the paragraph when the quote is left open).
        closed: False when the paragraph ended before a closing mark.
    """

    start: int
    end: int
    closed: bool = True

    def text(self, body: str) -> str:
        """The quoted words, stripped of surrounding white space and trailing commas."""
        return body[self.start:self.end].strip().rstrip(",").strip()


def find_quotes(body: str) -> tuple[Quote, ...]:
    """All quotations in ``body`` in text order.

    Args:
        body: The article body.

    Returns:
        Non-overlapping ``Quote`` spans (0-based character offsets, end exclusive). Empty
        quotes are dropped.
    """
    out: list[Quote] = []
    open_at: int | None = None
    open_mark = ""
    for i, ch in enumerate(body):
        if ch == "\n":
            if open_at is not None and body[open_at:i].strip():
                out.append(Quote(open_at, i, closed=False))
            open_at = None
            continue
        if open_at is None:
            if ch == _OPEN or ch == _STRAIGHT:
                open_at, open_mark = i + 1, ch
            continue
        if (open_mark == _OPEN and ch == _CLOSE) or (open_mark == _STRAIGHT and ch == _STRAIGHT):
            if body[open_at:i].strip():
                out.append(Quote(open_at, i))
            open_at = None
        elif open_mark == _OPEN and ch == _OPEN:
            # an unclosed curly quote followed by a new one: close the first before it
            if body[open_at:i].strip():
                out.append(Quote(open_at, i, closed=False))
            open_at = i + 1
    if open_at is not None and body[open_at:].strip():
        out.append(Quote(open_at, len(body), closed=False))
    return tuple(out)


def quotes_overlapping(quotes: tuple[Quote, ...], start: int, end: int) -> list[Quote]:
    """The quotes sharing at least one character with body offsets [start, end)."""
    return [q for q in quotes if q.start < end and start < q.end]


def strip_marks(text: str) -> str:
    """``text`` without double quotation marks (curly or straight), white space collapsed."""
    for mark in (_OPEN, _CLOSE, _STRAIGHT):
        text = text.replace(mark, "")
    return " ".join(text.split())


# -- reported content -----------------------------------------------------------------------

# Children of a verb that are not part of what it reports.
_SKIP_DEPS = frozenset("nsubj nsubjpass csubj expl aux auxpass neg punct advmod npadvmod mark cc dep "
                       "intj agent".split())
# Prepositional phrases that frame the speech act rather than report it ("said in a statement",
# "told reporters on Air Force One", "said to laughter"); "for"/"on"/"as"/"of"/"about"/"with"
# phrases are kept ("called for talks", "described China as an ally", "took issue with").
_FRAME_PREPS = frozenset("in at during after before to by from at amid despite while since "
                         "ahead".split())
_LEADING_MARKS = frozenset("that whether if".split())


def _complement_tokens(verb) -> tuple[list, str]:
    """The tokens a verb reports and how they were found ("clause", "interrupted", "complement")."""
    for child in verb.children:
        if child.dep_ == "ccomp":
            return list(child.subtree), "clause"
    if verb.dep_ == "parataxis" or (verb.dep_ in ("advcl", "ccomp") and verb.i > verb.head.i
                                    and not any(c.dep_ == "ccomp" for c in verb.children)
                                    and verb.head.pos_ in ("VERB", "AUX") and _follows_comma(verb)):
        # "X, he said, has Y" / "A is B, X said"
        inner = {t.i for t in verb.subtree}
        return [t for t in verb.head.subtree if t.i not in inner], "interrupted"
    out = []
    for child in verb.rights:
        if child.dep_ in _SKIP_DEPS or child.ent_type_ in ("DATE", "TIME"):
            continue
        if child.dep_ == "prep" and (child.lower_ in _FRAME_PREPS or _is_date_prep(child)):
            continue
        if child.dep_ in ("advcl", "conj") and child.pos_ in ("VERB", "AUX"):
            # "…, adding that …", "and urged them to …": a second act of the same speaker
            out.extend(child.subtree)
            continue
        out.extend(child.subtree)
    return sorted(out, key=lambda t: t.i), "complement"


def _follows_comma(verb) -> bool:
    first = min(t.i for t in verb.subtree)
    return first > 0 and verb.doc[first - 1].text in (",", "—", "–", "-")


def _is_date_prep(prep) -> bool:
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _according_tokens(according) -> list:
    """The clause an "according to X" phrase attributes: its head clause minus the phrase."""
    drop = {t.i for t in according.subtree}
    if according.i + 1 < len(according.doc):
        drop |= {t.i for t in according.doc[according.i + 1].subtree}
    sent = according.sent
    return [t for t in sent if t.i not in drop]


def _trim(toks: list) -> list:
    while toks and (toks[0].lower_ in _LEADING_MARKS and toks[0].dep_ == "mark"
                    or toks[0].is_punct and toks[0].text not in "“\"" or toks[0].is_space):
        toks = toks[1:]
    while toks and (toks[-1].is_punct and toks[-1].text not in "”\"" or toks[-1].is_space):
        toks = toks[:-1]
    return toks


def reported_content(parsed: ParsedArticle, trigger, sentence: Sentence,
                     quotes: tuple[Quote, ...]) -> tuple[str, bool]:
    """The content of a speech act and whether it is a direct quote.

    Args:
        parsed: The parsed article.
        trigger: The spaCy token of the reporting verb, or the "according" of "according to".
        sentence: The sentence holding ``trigger``.
        quotes: ``find_quotes(parsed.article.body)``.

    Returns:
        ``(content, direct_quote)``. Content is the attributed quotation without its marks
        (all of it when it runs over several sentences) when the reported words are mostly
        quoted; the reported clause without "that" with the marks removed when they are
        partly quoted ("Russia is “ready for dialogue…” on the issue" -> direct); else the
        reported clause or the verb's complements ("a willingness to consider …"); else the
        sentence. ``direct_quote`` is True when the content overlaps a quotation.
    """
    body = parsed.article.body
    if trigger.lower_ == "according":
        toks, how = _trim(_according_tokens(trigger)), "clause"
    else:
        toks, how = _complement_tokens(trigger)
        toks = _trim(toks)
    in_sentence = [q for q in quotes_overlapping(quotes, sentence.start, sentence.end)
                   if not (q.start <= trigger.idx < q.end) and _attached(body, trigger, q)]
    if toks:
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
        hits = quotes_overlapping(quotes, start, end)
        if hits:
            quoted = sum(min(end, q.end) - max(start, q.start) for q in hits)
            if quoted >= 0.7 * (end - start):
                return _join(body, hits), True
            return _clean(strip_marks(body[start:end])), True
        if how == "clause" or not in_sentence:
            return _clean(body[start:end]), False
    if in_sentence:
        return _join(body, in_sentence), True
    return _clean(sentence.text), False


_BEFORE = re.compile(r"^[\s,”\"’—–-]*$")
_AFTER = re.compile(r"^[^“\"”.;]{0,60}[:,]\s*[“\"]$")


def _attached(body: str, trigger, quote: Quote) -> bool:
    """True when ``quote`` is the one the verb introduces: "“…,” X said" (only marks and
    commas between the quotation and the speaker) or "X said: “…”" / "X told reporters, “…”"."""
    subject = [t for t in trigger.children if t.dep_ in ("nsubj", "nsubjpass")]
    start = min([trigger.idx] + [t.idx for s in subject for t in s.subtree])
    end = trigger.idx + len(trigger.text)
    if quote.end <= start:
        return bool(_BEFORE.match(body[quote.end:start]))
    if quote.start >= end:
        return bool(_AFTER.match(body[end:quote.start]))
    return True


def _join(body: str, quotes: list[Quote]) -> str:
    return _clean(" ".join(strip_marks(q.text(body)) for q in quotes))


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:-–—")
