"""The extraction stages: entities (``entities``), then one module per event kind.

``extract_events`` requires the parsed article and its linked entities and assigns an
``Extraction`` with the meetings (``meetings``), statements (``statements``) and
positions (``positions``) found in the body.
"""

from __future__ import annotations

from kg.model import Entity, Extraction, ParsedArticle


def extract_events(parsed: ParsedArticle, entities: tuple[Entity, ...]) -> Extraction:
    """Run the three event extractors over one article.

    Args:
        parsed: The parsed article.
        entities: Its entities, after linking.

    Returns:
        Extraction holding only the entities some event or mention uses (all of them: mentions
        of every entity are kept for linking evaluation), and the events.
    """
    from kg.extract.index import EntityIndex
    from kg.extract.meetings import extract_meetings
    from kg.extract.positions import extract_positions
    from kg.extract.statements import extract_statements

    index = EntityIndex(parsed, entities)
    return Extraction(
        article=parsed.article,
        entities=entities,
        meetings=extract_meetings(parsed, index),
        statements=extract_statements(parsed, index),
        positions=extract_positions(parsed, index),
    )
