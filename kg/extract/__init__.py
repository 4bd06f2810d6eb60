"""The extraction stages: entities (``entities``), then one module per event kind.

``extract_events`` requires the parsed article and its linked entities and assigns an
``Extraction`` with the meetings (``meetings``), statements (``statements``) and
positions (``positions``) found in the body; each event then gets the roles its person actors
hold at the event date (``event_roles``).
"""

from __future__ import annotations

from kg.model import Entity, Extraction, ParsedArticle


def extract_events(parsed: ParsedArticle, entities: tuple[Entity, ...], gaz=None) -> Extraction:
    """Run the three event extractors over one article, then give the events their roles at the event date.

    Args:
        parsed: The parsed article.
        entities: Its entities, after linking.
        gaz: The ``kg.gazetteer.Gazetteer`` whose offices give the roles at the event date
            (``kg.extract.event_roles``); None = ``kg.gazetteer.default_gazetteer()``.

    Returns:
        Extraction holding only the entities some event or mention uses (all of them: mentions
        of every entity are kept for linking evaluation), and the events with their ``roles``.

    Raises:
        GazetteerError: ``gaz`` is None and the default gazetteer cannot be loaded.
    """
    from kg.extract.event_roles import with_event_roles
    from kg.extract.index import EntityIndex
    from kg.extract.meetings import extract_meetings
    from kg.extract.positions import extract_positions
    from kg.extract.statements import extract_statements

    if gaz is None:
        from kg.gazetteer import default_gazetteer

        gaz = default_gazetteer()
    index = EntityIndex(parsed, entities)
    published = parsed.article.published
    return Extraction(
        article=parsed.article,
        entities=entities,
        meetings=with_event_roles(extract_meetings(parsed, index), entities, published, gaz),
        statements=with_event_roles(extract_statements(parsed, index), entities, published, gaz),
        positions=with_event_roles(extract_positions(parsed, index), entities, published, gaz),
    )
