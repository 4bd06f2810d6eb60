"""The protocol's update dataset written into the update text, by a lexical scan of SPARQL.

:func:`with_using_dataset` turns the SPARQL 1.1 Protocol's ``using-graph-uri`` /
``using-named-graph-uri`` parameters into ``USING`` / ``USING NAMED`` clauses of every
``DELETE``/``INSERT ... WHERE`` operation of an update (Protocol §2.2.3: they "specify the
RDF Dataset ... in the same way as USING and USING NAMED"); pyoxigraph's ``Store.update``
takes no dataset argument, so the clauses go into the text, which Oxigraph then parses
and runs (nothing here evaluates SPARQL). The scan (:func:`tokens`) skips strings, IRIs
and comments to find braces and keywords at brace depth 0.

Limit: ``<`` is both "less than" and the start of an IRI; a comparison written without
spaces and followed on its line by ``>`` (``FILTER(?a<1)#>``) is taken for an IRI. The
rewritten text is still parsed by Oxigraph (an error is a 400), and nothing that guards
the server relies on this scan (SERVICE/LOAD are refused by ``service.safety``, which
asks Oxigraph's parser).

Grammar facts used (SPARQL 1.1 Update, §19 of the Query spec, rules [41]-[44]): at
brace depth 0 of an update, ``WHERE`` only starts the pattern of a ``Modify`` or a
``DeleteWhere`` operation, ``USING`` and ``WITH`` only occur in ``Modify``, and
``Modify ::= ('WITH' iri)? (DeleteClause InsertClause? | InsertClause) UsingClause*
'WHERE' GroupGraphPattern``. So ``USING`` clauses go right before each depth-0
``WHERE``; ``DELETE WHERE {P}`` (no USING allowed) becomes the equivalent
``DELETE {P} USING ... WHERE {P}`` (§3.1.3.3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import QueryError
from kg.oxigraph import named_node

# Strings (long and short), IRIs and comments are skipped; braces and bare words are tokens.
_TOKEN = re.compile(
    r'''(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*'
        |<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n\r]*)
       |(?P<open>\{)|(?P<close>\})
       |(?<![\w:?$-])(?P<word>[A-Za-z]+)(?![\w:-])''',
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """A brace or keyword-like word of SPARQL text.

    Attributes:
        kind: ``"{"``, ``"}"`` or ``"word"``.
        text: The word upper-cased, or the brace.
        start: 0-based offset of the token in the text.
        end: Offset just after the token (exclusive).
        depth: Brace depth at the token (an opening brace has the depth outside it).
    """

    kind: str
    text: str
    start: int
    end: int
    depth: int


def tokens(text: str) -> list[Token]:
    """Braces and words of ``text`` outside strings, IRIs and comments, with their brace depth."""
    out: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        if m.group("open"):
            out.append(Token("{", "{", m.start(), m.end(), depth))
            depth += 1
        elif m.group("close"):
            depth = max(depth - 1, 0)
            out.append(Token("}", "}", m.start(), m.end(), depth))
        elif m.group("word"):
            out.append(Token("word", m.group("word").upper(), m.start(), m.end(), depth))
    return out


def with_using_dataset(update: str, default_graphs: list[str] | None,
                       named_graphs: list[str] | None) -> str:
    """``update`` with the protocol's using-graph-uri / using-named-graph-uri written as USING clauses.

    Args:
        update: SPARQL 1.1 Update text.
        default_graphs: ``using-graph-uri`` values (IRIs) or None.
        named_graphs: ``using-named-graph-uri`` values (IRIs) or None.

    Returns:
        The update text unchanged when both lists are empty/None; else the text with
        ``USING <g>`` / ``USING NAMED <g>`` before the ``WHERE`` of every operation.

    Raises:
        QueryError: a parameter is not an IRI, or the update has its own ``USING`` or
            ``WITH`` (the Protocol, §2.2.3: the request "MUST NOT" combine them; HTTP 400).
    """
    if not default_graphs and not named_graphs:
        return update
    clauses = " ".join([f"USING {named_node(g)}" for g in default_graphs or []]
                       + [f"USING NAMED {named_node(g)}" for g in named_graphs or []])
    top = [t for t in tokens(update) if t.depth == 0]
    conflict = next((t for t in top if t.kind == "word" and t.text in ("USING", "WITH")), None)
    if conflict is not None:
        raise QueryError(f"the update has its own {conflict.text} clause (at offset {conflict.start}); "
                         "it may not be combined with using-graph-uri / using-named-graph-uri")
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied right to left
    for i, tok in enumerate(top):
        if tok.kind != "word" or tok.text != "WHERE":
            continue
        before = top[i - 1] if i else None
        if before is not None and before.kind == "word" and before.text == "DELETE":
            block = _block_after(update, tok)
            edits.append((before.start, block[1], f"DELETE {update[block[0]:block[1]]} {clauses} "
                                                  f"WHERE {update[block[0]:block[1]]}"))
        else:
            edits.append((tok.start, tok.start, clauses + " "))
    for start, end, replacement in sorted(edits, reverse=True):
        update = update[:start] + replacement + update[end:]
    return update


def _block_after(text: str, where: Token) -> tuple[int, int]:
    """(start, end) of the ``{...}`` group that follows the ``WHERE`` token ``where``."""
    start = None
    for tok in tokens(text):
        if tok.start < where.end:
            continue
        if start is None:
            if tok.kind != "{":
                break
            start = tok.start
        elif tok.kind == "}" and tok.depth == where.depth:
            return start, tok.end
    raise QueryError(f"DELETE WHERE at offset {where.start} is not followed by a {{ ... }} pattern")
