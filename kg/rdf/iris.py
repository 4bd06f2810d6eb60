"""Instance IRIs of geokg, all under ``https://w3id.org/geokg/id/``.

The scheme is fixed by the common vocabulary brief (notes/common.md)::

    article   id/article/{article_id}
    graph     id/graph/{article_id}                 the article's named graph
              id/graph/actors                       the shared graph of actor descriptions (ACTORS_GRAPH)
    event     id/event/{article_id}/{kind}-{hash12} hash of the event's defining fields
    actor     id/entity/{QID}                       linked
              id/entity/{type lower}/{slug(label)}  unlinked (same name + type = same IRI)
    mention   id/mention/{article_id}/{start}-{end}
    evidence  id/evidence/{article_id}/{start}-{end}
    role      id/role/{actor segment}/{slug(title)}[/{of-actor segment}]
    role at event  {event IRI}/role/{actor segment}/{slug(title)}[/{of-actor segment}]

Offsets are 0-based character offsets into ``Article.body``, end exclusive.
Every function is pure and deterministic, so mapping the same extraction twice
gives the same IRIs (no blank nodes anywhere).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import URIRef

from kg.model import Entity, Meeting, Position, Statement
from kg.rdf.vocab import ID

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_QID = re.compile(r"^Q[1-9][0-9]*$")
# Latin letters that NFKD does not decompose (Unicode Latin-1 Supplement and
# Latin Extended-A), folded by their usual ASCII spelling so "Łódź" -> "lodz".
_NO_DECOMPOSITION = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i", "ħ": "h", "Ħ": "H",
})
_FIELD_SEP = "\x1f"  # ASCII unit separator: cannot occur in the fields joined


def slug(text: str) -> str:
    """Return the IRI slug of ``text``.

    ASCII-folded (Unicode NFKD, combining marks dropped, plus the few Latin
    letters NFKD leaves alone: ł ø æ œ ß đ ð þ ı ħ), lower-cased, every
    run of characters other than ``a-z0-9`` (punctuation, spaces, letters with
    no ASCII decomposition) replaced by one ``-``, leading/trailing ``-``
    removed: ``slug("Taiwan’s government") == "taiwan-s-government"``,
    ``slug("Erdoğan") == "erdogan"``. A text with no ASCII letter or digit left
    (e.g. "北京") gets ``"x-"`` + the first 12 hex digits of its SHA-256, so it
    still has a stable, non-empty slug.

    Args:
        text: Any string.

    Returns:
        A non-empty string of ``[a-z0-9-]``.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    result = _NON_ALNUM.sub("-", folded.lower()).strip("-")
    if result:
        return result
    return "x-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def is_qid(qid: str) -> bool:
    """True when ``qid`` is a Wikidata item id such as ``"Q7747"``."""
    return bool(_QID.match(qid))


def article_iri(article_id: str) -> URIRef:
    """IRI of the article node: ``id/article/{article_id}``."""
    return ID[f"article/{article_id}"]


def graph_iri(article_id: str) -> URIRef:
    """IRI of the article's named graph: ``id/graph/{article_id}``."""
    return ID[f"graph/{article_id}"]


ACTORS_GRAPH = ID["graph/actors"]
"""The one named graph holding every actor's description (rdf:type, rdfs:label, owl:sameAs, roles,
gk:affiliatedWith), shared by all article graphs; see :mod:`kg.actors`. It cannot clash with an
article graph: article ids are 16 hex digits (``kg.readers.identity.article_id``)."""


def actor_segment(entity: Entity) -> str:
    """The part of the actor IRI after ``id/entity/``.

    Args:
        entity: A linked entity (``qid`` set) or an unlinked one.

    Returns:
        The QID (``"Q7747"``) when linked, else ``"{type lower}/{slug(label)}"``
        (``"person/yuri-ushakov"``).

    Raises:
        ValueError: ``entity.qid`` is set but is not a Wikidata item id.
    """
    if entity.qid:
        if not is_qid(entity.qid):
            raise ValueError(f"entity {entity.key!r}: qid {entity.qid!r} is not a Wikidata item id (Q + digits)")
        return entity.qid
    return f"{entity.type.lower()}/{slug(entity.label)}"


def actor_iri(entity: Entity) -> URIRef:
    """IRI of an actor: ``id/entity/{QID}`` when linked, else ``id/entity/{type lower}/{slug}``.

    Unlinked actors with the same type and label slug get the same IRI in every
    article, so their descriptions merge in the union graph.

    Raises:
        ValueError: ``entity.qid`` is set but is not a Wikidata item id.
    """
    return ID[f"entity/{actor_segment(entity)}"]


def mention_iri(article_id: str, start: int, end: int) -> URIRef:
    """IRI of a mention: ``id/mention/{article_id}/{start}-{end}`` (0-based, end exclusive)."""
    return ID[f"mention/{article_id}/{start}-{end}"]


def evidence_iri(article_id: str, start: int, end: int) -> URIRef:
    """IRI of an evidence sentence: ``id/evidence/{article_id}/{start}-{end}``.

    Events extracted from the same sentence share the evidence node.
    """
    return ID[f"evidence/{article_id}/{start}-{end}"]


def role_iri(actor: Entity, title: str, of: Entity | None = None) -> URIRef:
    """IRI of a role an actor holds: ``id/role/{actor segment}/{slug(title)}``.

    The actor segment is the one of its actor IRI (``Q7747`` or
    ``person/yuri-ushakov``). When the role belongs to an actor (``of``:
    Russia for "Russian President") that actor's segment is appended, so
    "President" of Russia and "President" of China held by the same person
    are two roles, each with one gk:roleOf.

    Raises:
        ValueError: A qid is set but is not a Wikidata item id.
    """
    path = f"role/{actor_segment(actor)}/{slug(title)}"
    if of is not None:
        path += f"/{actor_segment(of)}"
    return ID[path]


def actor_iri_of_qid(qid: str) -> URIRef:
    """IRI of the linked actor with Wikidata item ``qid``: ``id/entity/{QID}`` (any type: state, body, person).

    The same IRI ``actor_iri`` gives an entity with that qid, for when only the QID is known (the
    state of a gazetteer office the article does not name).

    Raises:
        ValueError: ``qid`` is not a Wikidata item id (Q + digits).
    """
    if not is_qid(qid):
        raise ValueError(f"qid {qid!r} is not a Wikidata item id (Q + digits)")
    return ID[f"entity/{qid}"]


def _segment_of_actor_iri(actor: URIRef, what: str) -> str:
    """The part of a geokg actor IRI after ``id/entity/``; ValueError naming ``what`` if it is not one."""
    prefix = str(ID["entity/"])
    if not str(actor).startswith(prefix) or str(actor) == prefix:
        raise ValueError(f"{what} {actor} is not a geokg actor IRI ({prefix}...)")
    return str(actor)[len(prefix):]


def event_role_iri(event: URIRef, actor: URIRef, title: str, of: URIRef | None = None) -> URIRef:
    """IRI of the role a person actor holds at an event's date.

    ``{event IRI}/role/{actor segment}/{slug(title)}[/{of-actor segment}]``, like ``role_iri``: the
    state or body is part of the IRI, so "President" of Russia and "President" of China held at
    the same event are two nodes, each with one gk:roleOf. The term is not part of it: the
    extraction gives one role per holder, title and state (``kg.extract.event_roles``).

    Args:
        event: The event IRI (``event_iri_of``).
        actor: The holder's actor IRI (``actor_iri``: ``id/entity/Q7747`` or ``id/entity/person/yuri-ushakov``);
            its part after ``id/entity/`` is the actor segment.
        title: The role title ("President of Russia").
        of: The actor IRI of the state or body the role belongs to (the node's gk:roleOf), or None.

    Raises:
        ValueError: ``actor`` or ``of`` is not a geokg actor IRI (does not start with ``id/entity/``).
    """
    path = f"{event}/role/{_segment_of_actor_iri(actor, 'role holder')}/{slug(title)}"
    if of is not None:
        path += f"/{_segment_of_actor_iri(of, 'role state or body')}"
    return URIRef(path)


def event_iri(article_id: str, kind: str, *fields: object) -> URIRef:
    """IRI of an event: ``id/event/{article_id}/{kind}-{hash12}``.

    ``hash12`` is the first 12 hex digits of the SHA-256 of the UTF-8 ``str()``
    of ``fields`` joined with U+001F; the same fields always give the same IRI.

    Args:
        article_id: The article the event comes from.
        kind: ``"meeting"``, ``"statement"`` or ``"position"``.
        *fields: The event's defining fields (see ``event_iri_of``).
    """
    digest = hashlib.sha256(_FIELD_SEP.join(str(f) for f in fields).encode("utf-8")).hexdigest()
    return ID[f"event/{article_id}/{kind}-{digest[:12]}"]


def event_iri_of(article_id: str, event: Meeting | Statement | Position) -> URIRef:
    """IRI of a Meeting, Statement or Position from its defining fields.

    Defining fields (attributes such as status, confidence or date are not among
    them, so a better estimate of those keeps the IRI):

    - Meeting: evidence start and end, trigger, sorted participant keys.
    - Statement: evidence start and end, trigger, speaker key, content.
    - Position: evidence start and end, holder key, stance, kind, target text,
      target key.

    Args:
        article_id: The article the event comes from.
        event: The event record.

    Returns:
        The event IRI.

    Raises:
        TypeError: ``event`` is not a Meeting, Statement or Position.
    """
    ev = event.evidence
    if isinstance(event, Meeting):
        return event_iri(article_id, "meeting", ev.start, ev.end, event.trigger, *sorted(event.participants))
    if isinstance(event, Statement):
        return event_iri(article_id, "statement", ev.start, ev.end, event.trigger, event.speaker, event.content)
    if isinstance(event, Position):
        return event_iri(article_id, "position", ev.start, ev.end, event.holder, event.stance, event.kind,
                         event.target_text, event.target or "")
    raise TypeError(f"not an event record: {type(event).__name__} (expected Meeting, Statement or Position)")


# Characters that may not appear in an IRI (RFC 3987) and that rdflib's Turtle
# writer would emit verbatim; everything else (including non-ASCII) is kept.
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def url_iri(url: str) -> URIRef:
    """The article URL as an IRI, percent-encoding characters not allowed in IRIs (space, ``<``...).

    Args:
        url: An http(s) URL or ``file:`` URI (``Article.url``).
    """
    return URIRef(_IRI_UNSAFE.sub(lambda m: quote(m.group(0)), url))
