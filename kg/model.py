"""The typed records that flow through the geokg pipeline.

Every stage is a function from one frozen dataclass to the next::

    read      path/bytes        -> Article
    parse     Article           -> ParsedArticle      (only stage that touches spaCy)
    entities  ParsedArticle     -> tuple[Entity, ...]  (mentions grouped per actor)
    link      Entity            -> Entity with qid     (gazetteer lookup)
    events    ParsedArticle+Entities -> Meeting / Statement / Position
    to_rdf    Extraction        -> rdflib.Graph        (one named graph per article)
    validate  rdflib.Graph      -> ValidationReport    (pySHACL)
    store     Graph             -> named graph in the Dataset

Offsets everywhere are 0-based character offsets into ``Article.body`` with an
exclusive end, so ``article.body[start:end] == text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ActorType = Literal["Person", "Country", "Organization", "GovernmentBody", "Group", "Place"]
ACTOR_TYPES: tuple[str, ...] = ("Person", "Country", "Organization", "GovernmentBody", "Group", "Place")

Status = Literal["occurred", "planned", "cancelled", "denied"]
STATUSES: tuple[str, ...] = ("occurred", "planned", "cancelled", "denied")

Mode = Literal["in_person", "remote"]
RoleSource = Literal["gazetteer", "text"]
ROLE_SOURCES: tuple[str, ...] = ("gazetteer", "text")
Stance = Literal["support", "oppose"]
DatePrecision = Literal["day", "month", "year"]


@dataclass(frozen=True)
class Article:
    """One news article as read from a file, a feed entry or an HTTP body.

    Attributes:
        article_id: Stable identity, a hex digest derived from the URL (http/https)
            or else from headline + body; the same article always gets the same id.
        url: The http(s) URL of the article or the ``file:`` URI it was read from.
        headline: The title line.
        body: The text that all offsets refer to (header and footer lines removed).
        published: Publication date, or None when the source does not give one.
        publisher: The source/publisher name ("AFP", "Reuters"), or None.
        author: The byline, or None.
        source_format: Which reader produced it: "seed", "corpus", "html", "jsonl", "feed".
    """

    article_id: str
    url: str
    headline: str
    body: str
    published: date | None = None
    publisher: str | None = None
    author: str | None = None
    source_format: str = "text"


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body: ``text == body[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedArticle:
    """An article with its spaCy ``Doc`` over ``article.body``.

    ``doc`` is a ``spacy.tokens.Doc``; it is typed ``object`` so that modules
    which only read records need not import spaCy.
    """

    article: Article
    doc: object
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Mention:
    """One surface occurrence of an actor in the body.

    Attributes:
        text: ``body[start:end]``.
        start: 0-based character offset, inclusive.
        end: 0-based character offset, exclusive.
        entity_key: Key of the Entity (within the article) the mention refers to.
    """

    text: str
    start: int
    end: int
    entity_key: str


@dataclass(frozen=True)
class Role:
    """A role the text gives a person: "Russian President" -> title "President", of "russia" key."""

    title: str
    of_key: str | None = None  # entity_key of the country/body the role belongs to


@dataclass(frozen=True)
class Entity:
    """An actor of one article: all its mentions, its type, roles, and (after linking) its QID.

    Attributes:
        key: Article-local key, unique within the article (e.g. "person:vladimir putin").
        label: Canonical name ("Vladimir Putin", "Russia").
        type: One of ACTOR_TYPES.
        mentions: Every mention of it in the body.
        roles: Roles the text gives it.
        qid: Wikidata QID ("Q7747") once linked, else None.
        link_score: Score in [0, 1] of the chosen link, else None.
        affiliation_key: entity_key of the country/organisation it belongs to, if known.
    """

    key: str
    label: str
    type: str
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()
    qid: str | None = None
    link_score: float | None = None
    affiliation_key: str | None = None


@dataclass(frozen=True)
class Evidence:
    """The sentence an event came from: ``text == body[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class EventDate:
    """A resolved date and the precision the text states it with."""

    value: date
    precision: DatePrecision = "day"


@dataclass(frozen=True)
class EventRole:
    """The role and state a person actor of an event holds at the event date (kg/extract/event_roles.py).

    Attributes:
        actor: Entity key of the person ("person:Q12612463").
        title: The office's English label from the gazetteer ("President of South Korea"), or the
            title the text gives ("Foreign Minister").
        of: Entity key of the country or body the role belongs to when the article names it, else None.
        of_qid: Wikidata QID of that country or body when known (the gazetteer office's state, or the
            QID of ``of``), else None.
        source: "gazetteer" (an office, Wikidata P39, held on the date) or "text" (the article's title).
        start: First day of the office's term (gazetteer roles), else None.
        end: Last day of the term; None while the gazetteer says it is held, and for text roles.
    """

    actor: str
    title: str
    of: str | None = None
    of_qid: str | None = None
    source: str = "text"
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Meeting:
    """Two or more actors meeting, talking, calling, visiting, negotiating.

    ``participants`` are entity keys (>= 2, distinct). CAMEO 04x (036 for a planned meeting).
    """

    participants: tuple[str, ...]
    evidence: Evidence
    trigger: str
    status: str = "occurred"
    mode: str | None = None
    date: EventDate | None = None
    place: str | None = None  # entity key of a Place/Country, or None
    topics: tuple[str, ...] = ()
    confidence: float = 0.5
    cameo: str = "040"
    roles: tuple[EventRole, ...] = ()  # roles of its person actors at the event date


@dataclass(frozen=True)
class Statement:
    """A reported speech act of a named speaker (entity key). CAMEO 01x."""

    speaker: str
    content: str
    evidence: Evidence
    trigger: str
    direct_quote: bool = False
    on_behalf_of: str | None = None
    date: EventDate | None = None
    confidence: float = 0.5
    cameo: str = "010"
    status: str = "occurred"  # STATUSES; a denied or hypothetical speech act is not "occurred"
    roles: tuple[EventRole, ...] = ()  # roles of its person actors at the event date


@dataclass(frozen=True)
class Position:
    """An actor's stance towards a target. CAMEO 05x (support) or 11x/12x (oppose)."""

    holder: str
    stance: str
    kind: str
    target_text: str
    evidence: Evidence
    target: str | None = None  # entity key when the target is an actor
    date: EventDate | None = None
    confidence: float = 0.5
    cameo: str = "051"
    status: str = "occurred"  # STATUSES: "denied" (negated/denied stance), "planned" (hypothetical/conditional)
    roles: tuple[EventRole, ...] = ()  # roles of its person actors at the event date


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article, ready to be mapped to RDF."""

    article: Article
    entities: tuple[Entity, ...]
    meetings: tuple[Meeting, ...] = ()
    statements: tuple[Statement, ...] = ()
    positions: tuple[Position, ...] = ()

    def entity(self, key: str) -> Entity:
        """Return the entity with ``key``; raises KeyError if absent."""
        for e in self.entities:
            if e.key == key:
                return e
        raise KeyError(key)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one article graph against the SHACL shapes."""

    conforms: bool
    text: str
    results_count: int = 0
    focus_nodes: tuple[str, ...] = field(default_factory=tuple)
