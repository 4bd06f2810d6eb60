"""Load the hand-made gold annotations (``corpus/*/NNN-slug.gold.json``) into typed records.

The format is the one described in ``corpus/README.md`` ("Gold format"). The loader
checks every field it relies on and refuses a malformed file with a
:class:`~kg.errors.ReadError` naming the file and the faulty field, so that a typo
in a gold file never silently changes a score.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kg.errors import ReadError
from kg.model import STATUSES

log = logging.getLogger(__name__)

#: Entity types allowed in gold files (corpus/README.md; "Other" exists only in gold).
GOLD_TYPES: tuple[str, ...] = ("Person", "Country", "Organization", "GovernmentBody", "Group", "Place", "Other")
#: Meeting modes allowed in gold files; "unknown" (or null) means the text does not say.
GOLD_MODES: tuple[str, ...] = ("in_person", "remote", "unknown")
STANCES: tuple[str, ...] = ("support", "oppose")

_QID = re.compile(r"Q[1-9][0-9]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class GoldEntity:
    """One annotated actor: ``id`` is local to the gold file, ``qid`` its Wikidata QID or None."""

    id: str
    name: str
    type: str
    qid: str | None
    mentions: tuple[str, ...]


@dataclass(frozen=True)
class GoldMeeting:
    """An annotated meeting; ``participants`` are entity ids, ``date`` is ``YYYY-MM-DD`` or None."""

    participants: tuple[str, ...]
    status: str
    evidence: str
    date: str | None = None
    mode: str | None = None  # "in_person" | "remote" | "unknown" | None
    place: str | None = None


@dataclass(frozen=True)
class GoldStatement:
    """An annotated statement of ``speaker`` (an entity id)."""

    speaker: str
    evidence: str
    content: str = ""
    on_behalf_of: str | None = None
    direct_quote: bool = False
    date: str | None = None


@dataclass(frozen=True)
class GoldPosition:
    """An annotated stance (``support``/``oppose``) of ``holder`` (an entity id)."""

    holder: str
    stance: str
    evidence: str
    kind: str = ""
    target: str = ""
    target_entity: str | None = None


@dataclass(frozen=True)
class GoldArticle:
    """The gold annotation of one article.

    Attributes:
        path: The gold file it was loaded from.
        article: The ``article`` field as written (a path relative to the gold file's folder).
        entities: The annotated entities, in file order.
        meetings / statements / positions: The annotated events, in file order.
        published: The ``published`` field (``YYYY-MM-DD``) or None.
    """

    path: Path
    article: str
    entities: tuple[GoldEntity, ...]
    meetings: tuple[GoldMeeting, ...]
    statements: tuple[GoldStatement, ...]
    positions: tuple[GoldPosition, ...]
    published: str | None = None

    @property
    def name(self) -> str:
        """The article's file name: the last path segment of ``article`` (the scoring key)."""
        return PurePosixPath(self.article.replace("\\", "/")).name

    @property
    def article_path(self) -> Path:
        """The article file, ``article`` resolved against the gold file's folder."""
        return (self.path.parent / self.article).resolve()

    def entity(self, entity_id: str) -> GoldEntity:
        """Return the entity with ``entity_id``; raises KeyError if absent."""
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    @property
    def qids(self) -> frozenset[str]:
        """The QIDs of the gold entities (the gold set of the linking score)."""
        return frozenset(e.qid for e in self.entities if e.qid)


class _Checker:
    """Field accessors that raise a ReadError naming the file and the JSON path."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, reason: str) -> ReadError:
        return ReadError(str(self.path), f"malformed gold file: {where}: {reason}")

    def get(self, obj: dict, key: str, where: str, types: tuple[type, ...], required: bool = True) -> Any:
        if key not in obj:
            if required:
                raise self.fail(f"{where}.{key}" if where else key, "missing")
            return None
        value = obj[key]
        if value is None and not required:
            return None
        if not isinstance(value, types) or isinstance(value, bool) and bool not in types:
            names = "/".join(t.__name__ for t in types)
            raise self.fail(f"{where}.{key}" if where else key, f"expected {names}, got {type(value).__name__}")
        return value

    def text(self, obj: dict, key: str, where: str, required: bool = True) -> str | None:
        value = self.get(obj, key, where, (str,), required)
        if required and not value.strip():
            raise self.fail(f"{where}.{key}", "empty string")
        return value

    def objects(self, obj: dict, key: str) -> list[dict]:
        items = self.get(obj, key, "", (list,))
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail(f"{key}[{i}]", f"expected an object, got {type(item).__name__}")
        return items

    def date(self, obj: dict, key: str, where: str) -> str | None:
        value = self.text(obj, key, where, required=False)
        if value is not None and not _DATE.fullmatch(value):
            raise self.fail(f"{where}.{key}", f"{value!r} is not a YYYY-MM-DD date or null")
        return value

    def choice(self, value: Any, choices: tuple[str, ...], where: str) -> str:
        if value not in choices:
            raise self.fail(where, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def ref(self, value: Any, ids: set[str], where: str) -> str:
        if value not in ids:
            raise self.fail(where, f"{value!r} is not the id of an entity of this file")
        return value


def load_gold(path: Path | str) -> GoldArticle:
    """Load and check one gold file.

    Args:
        path: A ``*.gold.json`` file in the format of corpus/README.md.

    Returns:
        The typed GoldArticle.

    Raises:
        ReadError: the file cannot be read, is not JSON, or a field is missing, has the
            wrong type, an invalid value, or refers to an entity id the file does not define.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReadError(str(path), f"cannot read gold file: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReadError(str(path), f"malformed gold file: not JSON: {exc}") from None
    c = _Checker(path)
    if not isinstance(data, dict):
        raise c.fail("top level", f"expected an object, got {type(data).__name__}")
    article = c.text(data, "article", "")
    published = c.date(data, "published", "")

    entities: list[GoldEntity] = []
    for i, e in enumerate(c.objects(data, "entities")):
        w = f"entities[{i}]"
        qid = c.text(e, "wikidata", w, required=False)
        if qid is not None and not _QID.fullmatch(qid):
            raise c.fail(f"{w}.wikidata", f"{qid!r} is not a QID (Q followed by digits) or null")
        mentions = c.get(e, "mentions", w, (list,))
        if not all(isinstance(m, str) and m.strip() for m in mentions):
            raise c.fail(f"{w}.mentions", "expected a list of non-empty strings")
        entities.append(GoldEntity(c.text(e, "id", w), c.text(e, "name", w),
                                   c.choice(c.get(e, "type", w, (str,)), GOLD_TYPES, f"{w}.type"),
                                   qid, tuple(mentions)))
    ids = {e.id for e in entities}
    if len(ids) != len(entities):
        dup = sorted({e.id for e in entities if sum(x.id == e.id for x in entities) > 1})
        raise c.fail("entities", f"duplicate id(s) {', '.join(dup)}")

    meetings: list[GoldMeeting] = []
    for i, m in enumerate(c.objects(data, "meetings")):
        w = f"meetings[{i}]"
        parts = c.get(m, "participants", w, (list,))
        parts = tuple(c.ref(p, ids, f"{w}.participants[{j}]") for j, p in enumerate(parts))
        if len(set(parts)) < 2:
            raise c.fail(f"{w}.participants", "a meeting needs at least two distinct participants")
        mode = c.get(m, "mode", w, (str,), required=False)
        meetings.append(GoldMeeting(
            participants=parts,
            status=c.choice(c.get(m, "status", w, (str,)), STATUSES, f"{w}.status"),
            evidence=c.text(m, "evidence", w),
            date=c.date(m, "date", w),
            mode=None if mode is None else c.choice(mode, GOLD_MODES, f"{w}.mode"),
            place=c.text(m, "place", w, required=False)))

    statements: list[GoldStatement] = []
    for i, s in enumerate(c.objects(data, "statements")):
        w = f"statements[{i}]"
        obo = c.get(s, "on_behalf_of", w, (str,), required=False)
        statements.append(GoldStatement(
            speaker=c.ref(c.get(s, "speaker", w, (str,)), ids, f"{w}.speaker"),
            evidence=c.text(s, "evidence", w),
            content=c.text(s, "content", w, required=False) or "",
            on_behalf_of=None if obo is None else c.ref(obo, ids, f"{w}.on_behalf_of"),
            direct_quote=bool(c.get(s, "direct_quote", w, (bool,), required=False)),
            date=c.date(s, "date", w)))

    positions: list[GoldPosition] = []
    for i, p in enumerate(c.objects(data, "positions")):
        w = f"positions[{i}]"
        te = c.get(p, "target_entity", w, (str,), required=False)
        positions.append(GoldPosition(
            holder=c.ref(c.get(p, "holder", w, (str,)), ids, f"{w}.holder"),
            stance=c.choice(c.get(p, "stance", w, (str,)), STANCES, f"{w}.stance"),
            evidence=c.text(p, "evidence", w),
            kind=c.text(p, "kind", w, required=False) or "",
            target=c.text(p, "target", w, required=False) or "",
            target_entity=None if te is None else c.ref(te, ids, f"{w}.target_entity")))

    return GoldArticle(path, article, tuple(entities), tuple(meetings), tuple(statements),
                       tuple(positions), published)


def load_gold_dir(gold_dir: Path | str) -> list[GoldArticle]:
    """Load every ``*.gold.json`` of ``gold_dir`` (not recursive), sorted by file name.

    Raises:
        ReadError: ``gold_dir`` is not a folder, holds no gold file, or a gold file is malformed.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise ReadError(str(gold_dir), "not a folder of gold annotations")
    files = sorted(gold_dir.glob("*.gold.json"))
    if not files:
        raise ReadError(str(gold_dir), "no *.gold.json file in this folder")
    golds = [load_gold(f) for f in files]
    seen: dict[str, Path] = {}
    for g in golds:
        if g.name in seen:
            raise ReadError(str(g.path), f"article {g.name!r} is also annotated by {seen[g.name]}")
        seen[g.name] = g.path
    log.debug("loaded %d gold files from %s", len(golds), gold_dir)
    return golds
