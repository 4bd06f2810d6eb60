"""A hand-built ``Extraction`` of the seed article, for the RDF mapping and SHACL tests.

The body is the seed file ``seeds/000_e90bf088404a620c.txt`` between the
"Published" header and the "Written By" footer. Every sentence, mention and
offset below is located in that body with ``str.index`` (never typed as a
number), and the events are what the sentences say, read by hand:

- Putin and Xi "held a wide-ranging video conference on Tuesday": a remote
  meeting; the article is dated January 22, 2025 (a Wednesday), so Tuesday is
  2025-01-21.
- "Ushakov said that Russia is “ready for dialogue ...”": a statement by
  Ushakov, the Kremlin's foreign policy advisor, reported speech with a quote.
- Russia "confirmed its unwavering position of support for the one China
  principle": a supporting position.
- "Taiwan’s government has consistently rejected China’s claims": an opposing
  position with target China.

QIDs: Putin Q7747, Xi Q15031, Russia Q159, China Q148 as in
``shared/wikidata`` (world leaders CSV, rigour territories); Trump Q22686.
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SHARED
from kg.model import (
    Article,
    Entity,
    EventDate,
    Evidence,
    Extraction,
    Meeting,
    Mention,
    Position,
    Role,
    Statement,
)

SEED = SHARED / "seeds" / "000_e90bf088404a620c.txt"
ARTICLE_ID = "e90bf088404a620c"

MEETING_SENTENCE = (
    "Russian President Vladimir Putin and Chinese President Xi Jinping held a wide-ranging video conference "
    "on Tuesday, focusing on strengthening bilateral relations and exploring potential avenues for engagement "
    "with the newly inaugurated US President, Donald Trump, Al Jazeera reports."
)
STATEMENT_SENTENCE = (
    "Regarding the conflict in Ukraine, Ushakov said that Russia is “ready for dialogue with the new US "
    "administration” on the issue."
)
SUPPORT_SENTENCE = (
    "Ushakov emphasized that Russia “confirmed its unwavering position of support for the one China principle,” "
    "aligning with Beijing’s view of the democratically governed island as its own territory."
)
REJECT_SENTENCE = "Taiwan’s government has consistently rejected China’s claims."

PUTIN = "person:vladimir putin"
XI = "person:xi jinping"
TRUMP = "person:donald trump"
USHAKOV = "person:yuri ushakov"
RUSSIA = "country:russia"
CHINA = "country:china"
KREMLIN = "governmentbody:kremlin"
TAIWAN_GOV = "governmentbody:government of taiwan"


def seed_body() -> str:
    """The seed article body (header and footer removed); skips when ../shared is absent."""
    if not SEED.is_file():
        pytest.skip(f"seed article {SEED} is absent")
    text = SEED.read_text(encoding="utf-8")
    return text[text.index("Russian President Vladimir Putin"):text.index("\n\nWritten By")]


def seed_article(body: str | None = None) -> Article:
    """The seed Article (published 2025-01-22 by AFP, byline Michelle Larsen)."""
    return Article(
        article_id=ARTICLE_ID,
        url=SEED.as_uri(),
        headline="Putin, Xi Discuss Strengthening Ties, Potential US Engagement After Trump Inauguration",
        body=seed_body() if body is None else body,
        published=date(2025, 1, 22),
        publisher="AFP",
        author="Michelle Larsen",
        source_format="seed",
    )


def evidence(body: str, sentence: str) -> Evidence:
    """Evidence for ``sentence`` at its (only) place in ``body``."""
    start = body.index(sentence)
    return Evidence(sentence, start, start + len(sentence))


def mention(body: str, text: str, key: str, within: str | None = None) -> Mention:
    """Mention of ``text``: its first occurrence, inside sentence ``within`` when given."""
    offset = body.index(within) if within else 0
    start = body.index(text, offset)
    return Mention(text, start, start + len(text), key)


def seed_entities(body: str) -> tuple[Entity, ...]:
    """The actors of the seed article with some of their mentions."""
    return (
        Entity(PUTIN, "Vladimir Putin", "Person",
               (mention(body, "Vladimir Putin", PUTIN),
                mention(body, "Putin", PUTIN, within="He clarified that Putin")),
               (Role("President", RUSSIA),), qid="Q7747", link_score=0.97),
        Entity(XI, "Xi Jinping", "Person", (mention(body, "Xi Jinping", XI),),
               (Role("President", CHINA),), qid="Q15031", link_score=0.95),
        Entity(TRUMP, "Donald Trump", "Person", (mention(body, "Donald Trump", TRUMP),),
               qid="Q22686", link_score=0.9),
        Entity(USHAKOV, "Yuri Ushakov", "Person",
               (mention(body, "Yuri Ushakov", USHAKOV),
                mention(body, "Ushakov", USHAKOV, within=STATEMENT_SENTENCE)),
               (Role("foreign policy advisor", KREMLIN),), affiliation_key=KREMLIN),
        Entity(RUSSIA, "Russia", "Country",
               (mention(body, "Russia", RUSSIA, within=STATEMENT_SENTENCE),
                mention(body, "Russia", RUSSIA, within=SUPPORT_SENTENCE)),
               qid="Q159", link_score=0.99),
        Entity(CHINA, "China", "Country", (mention(body, "China", CHINA, within=REJECT_SENTENCE),),
               qid="Q148", link_score=0.99),
        Entity(KREMLIN, "Kremlin", "GovernmentBody", (mention(body, "Kremlin", KREMLIN, within="The Kremlin reported"),)),
        Entity(TAIWAN_GOV, "Government of Taiwan", "GovernmentBody",
               (mention(body, "Taiwan’s government", TAIWAN_GOV),)),
    )


def seed_meeting(body: str, **changes) -> Meeting:
    """The Putin-Xi video conference of Tuesday 2025-01-21."""
    fields = dict(
        participants=(PUTIN, XI),
        evidence=evidence(body, MEETING_SENTENCE),
        trigger="held",
        status="occurred",
        mode="remote",
        date=EventDate(date(2025, 1, 21), "day"),
        topics=("bilateral relations",),
        confidence=0.9,
        cameo="040",
    )
    fields.update(changes)
    return Meeting(**fields)


def seed_statement(body: str, **changes) -> Statement:
    """Ushakov (for the Kremlin): Russia is ready for dialogue with the new US administration."""
    fields = dict(
        speaker=USHAKOV,
        content="Russia is “ready for dialogue with the new US administration” on the issue",
        evidence=evidence(body, STATEMENT_SENTENCE),
        trigger="said",
        direct_quote=False,
        on_behalf_of=KREMLIN,
        confidence=0.8,
        cameo="010",
    )
    fields.update(changes)
    return Statement(**fields)


def seed_positions(body: str) -> tuple[Position, ...]:
    """Russia supports the one China principle; Taiwan's government rejects China's claims."""
    return (
        Position(holder=RUSSIA, stance="support", kind="support", target_text="the one China principle",
                 evidence=evidence(body, SUPPORT_SENTENCE), confidence=0.75, cameo="051"),
        Position(holder=TAIWAN_GOV, stance="oppose", kind="reject", target_text="China’s claims",
                 evidence=evidence(body, REJECT_SENTENCE), target=CHINA, confidence=0.7, cameo="120"),
    )


def seed_extraction(**changes) -> Extraction:
    """The full hand-built extraction; keyword arguments replace Extraction fields."""
    article = seed_article()
    body = article.body
    fields = dict(
        article=article,
        entities=seed_entities(body),
        meetings=(seed_meeting(body),),
        statements=(seed_statement(body),),
        positions=seed_positions(body),
    )
    fields.update(changes)
    return Extraction(**fields)

