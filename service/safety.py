"""What a query or update may make the server do: never fetch a URL, never read a file.

Oxigraph (pyoxigraph 0.5) *does* send HTTP requests for ``SERVICE <url> {...}`` in a
query or update and for ``LOAD <url>`` in an update (``tests/test_safety.py`` shows it
with a local HTTP server). ``FROM``, ``FROM NAMED``, ``USING``, ``USING NAMED`` and the
protocol's dataset parameters only *name* graphs of the store: a graph the store does
not hold is empty, nothing is fetched or read (the same test proves it with a local
file and the local server). So the rules are:

* ``SERVICE``: refused (403) unless the ``allow_service`` setting is on;
* ``LOAD``: always refused (403) — data enters through the Graph Store Protocol or
  ``POST /articles``, never by the server fetching it;
* ``FROM``/``USING`` of an IRI that is not a graph of the store: allowed, it is an empty
  graph (as ``default-graph-uri`` of an absent graph); nothing to refuse.

**How a keyword is found: Oxigraph's own parser decides, not a scanner.** A lexical scan
of the text (skip strings, IRIs, comments) can be fooled because ``<`` is both "less
than" and the start of an IRI: Oxigraph parses ``FILTER(?a<1)SERVICE#>`` + newline +
``<http://host/sparql> {...}`` as a SERVICE call, while a scanner sees one IRI
``<1)SERVICE#>``. Instead, when the text contains the letters of a keyword anywhere
(case-insensitively), every such occurrence is changed to a non-keyword of the same
length (``SERVICE`` -> ``ZERVICE``, ``load`` -> ``zoad``; no SPARQL keyword or built-in
starts with Z) and the changed text is parsed. Inside a string, an IRI, a comment, a
variable, a prefixed name or a language tag the change keeps the text valid (prefix
declarations and uses change alike, the predeclared prefixes too); where the word is the
keyword, the changed text is no longer SPARQL. So: the original parses and the changed
text does not <=> the keyword is used. A text without those letters cannot use it.

Parsing without running: for a query, ``Store.query`` is called on an empty store with
both ``use_default_graph_as_union=True`` and a ``default_graph``; pyoxigraph parses the
query first and only then refuses that combination with a ValueError, before any
evaluation. For an update, a line that is never SPARQL (``\\x00``) is appended: the parser
fails there when the update before it is complete, and earlier when it is malformed (the
error position tells which); a text that fails to parse is never run.
"""

from __future__ import annotations

import logging
import re

import pyoxigraph as ox

from kg.errors import QueryError
from service.errors import APIError

log = logging.getLogger(__name__)

#: The message of pyoxigraph's check that comes right after parsing (pyoxigraph python/src/sparql.rs).
_PARSED_MARK = "should not be set at the same time"
#: Appended to an update to stop the parser after it; never valid SPARQL.
_UPDATE_STOP = "\n\x00"
_POSITION = re.compile(r"error at (\d+):(\d+)")
#: The empty store the texts are parsed against (nothing in it is ever run or written).
_EMPTY = ox.Store()

# The query form after the prologue (BASE / PREFIX declarations), once the query is known to parse.
_GAP = r"(?:\s|#[^\n\r]*)*"
_PROLOGUE_ITEM = re.compile(_GAP + r"(?:BASE" + _GAP + r"<[^>]*>|PREFIX" + _GAP + r"[^\s<]*:" + _GAP + r"<[^>]*>)",
                            re.IGNORECASE)
_FORM = re.compile(_GAP + r"(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)
#: Query form -> the kind of :class:`kg.store.NativeResult`.
FORM_KIND = {"SELECT": "SELECT", "ASK": "ASK", "CONSTRUCT": "CONSTRUCT", "DESCRIBE": "CONSTRUCT"}


def check_query(query: str, *, allow_service: bool, prefixes: dict[str, str] | None = None,
                base_iri: str | None = None) -> str:
    """Parse ``query`` with Oxigraph (without running it) and refuse SERVICE unless allowed.

    Args:
        query: The SPARQL query text.
        allow_service: Whether federated SERVICE calls are allowed (setting ``allow_service``).
        prefixes: Predeclared prefixes, as the query will be run with (``kg.store.PREFIXES``).
        base_iri: The base IRI the query will be run with.

    Returns:
        The kind of result: ``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"`` (also for DESCRIBE).

    Raises:
        QueryError: the query is malformed (Oxigraph's parser message, e.g. "error at 1:8: ...").
        APIError: 403 the query uses SERVICE and it is not allowed.
    """
    error = _query_error(query, prefixes, base_iri)
    if error is not None:
        raise QueryError(error)
    if not allow_service and uses_keyword_query(query, "SERVICE", prefixes=prefixes, base_iri=base_iri):
        log.warning("refused a query that uses SERVICE")
        raise APIError(403, "SERVICE not allowed",
                       "federated queries (SERVICE) are disabled on this endpoint (setting allow_service); "
                       "query the stored graphs only")
    return query_kind(query)


def check_update(update: str, *, allow_service: bool, prefixes: dict[str, str] | None = None,
                 base_iri: str | None = None) -> None:
    """Refuse an update that uses LOAD, or SERVICE unless allowed; it is parsed, never run, here.

    A malformed update passes (running it fails in the parser, before anything is done,
    with Oxigraph's message).

    Args:
        update: The SPARQL 1.1 Update text.
        allow_service: Whether SERVICE is allowed (setting ``allow_service``).
        prefixes: Predeclared prefixes, as the update will be run with.
        base_iri: The base IRI the update will be run with.

    Raises:
        APIError: 403 LOAD, or SERVICE when not allowed.
    """
    keywords = ["LOAD"] + ([] if allow_service else ["SERVICE"])
    if not any(_pattern(k).search(update) for k in keywords) or not _update_parses(update, prefixes, base_iri):
        return
    for keyword in keywords:
        if _pattern(keyword).search(update) and not _update_parses(*_disarm(update, prefixes, keyword), base_iri):
            log.warning("refused an update that uses %s", keyword)
            if keyword == "LOAD":
                raise APIError(403, "LOAD not allowed",
                               "LOAD is disabled: this service never fetches remote data or reads files; "
                               "PUT or POST the data to the Graph Store endpoint, or POST articles to /articles")
            raise APIError(403, "SERVICE not allowed",
                           "federated queries (SERVICE) are disabled on this endpoint (setting allow_service); "
                           "update from the stored graphs only")


def uses_keyword_query(query: str, keyword: str, *, prefixes: dict[str, str] | None = None,
                       base_iri: str | None = None) -> bool:
    """Whether the (well-formed) query ``query`` uses ``keyword`` as a keyword, as Oxigraph parses it."""
    if not _pattern(keyword).search(query):
        return False
    return _query_error(*_disarm(query, prefixes, keyword), base_iri) is not None


def query_kind(query: str) -> str:
    """``"SELECT"``, ``"ASK"`` or ``"CONSTRUCT"`` (CONSTRUCT and DESCRIBE) of a query that parses.

    Raises:
        QueryError: no query form after the prologue (the query does not parse).
    """
    pos = 0
    while (m := _PROLOGUE_ITEM.match(query, pos)) is not None:
        pos = m.end()
    form = _FORM.match(query, pos)
    if form is None:
        raise QueryError(f"no SELECT, CONSTRUCT, DESCRIBE or ASK after the prologue at offset {pos}")
    return FORM_KIND[form.group(1).upper()]


def _pattern(keyword: str) -> re.Pattern:
    return re.compile(re.escape(keyword), re.IGNORECASE)


def _disarm(text: str, prefixes: dict[str, str] | None, keyword: str) -> tuple[str, dict[str, str] | None]:
    """``text`` and ``prefixes`` with every occurrence of ``keyword`` made a non-keyword of the same length."""
    pattern = _pattern(keyword)

    def swap(m: re.Match) -> str:
        word = m.group(0)
        return ("Z" if word[0].isupper() else "z") + word[1:]

    changed = None if prefixes is None else {pattern.sub(swap, k): v for k, v in prefixes.items()}
    return pattern.sub(swap, text), changed


def _query_error(query: str, prefixes: dict[str, str] | None, base_iri: str | None) -> str | None:
    """Oxigraph's parser message for ``query``, or None when it parses. Never evaluates the query."""
    try:
        _EMPTY.query(query, base_iri=base_iri, prefixes=prefixes,
                         use_default_graph_as_union=True, default_graph=ox.DefaultGraph())
    except SyntaxError as exc:
        return str(exc)
    except ValueError as exc:
        if _PARSED_MARK in str(exc):
            return None
        return str(exc)  # e.g. an invalid base IRI or prefix, refused before parsing
    raise AssertionError("pyoxigraph evaluated a query given both use_default_graph_as_union and default_graph")


def _update_parses(update: str, prefixes: dict[str, str] | None, base_iri: str | None) -> bool:
    """Whether ``update`` is well-formed SPARQL Update; it is never run (see the module docstring)."""
    stop_line = update.count("\n") + 2
    try:
        _EMPTY.update(update + _UPDATE_STOP, base_iri=base_iri, prefixes=prefixes)
    except SyntaxError as exc:
        m = _POSITION.search(str(exc))
        return m is not None and int(m.group(1)) >= stop_line
    except ValueError:
        return False  # invalid base IRI or prefix: it will not run either
    raise AssertionError("an update ending with a NUL line parsed")
