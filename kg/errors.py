"""Errors raised by geokg.

Hierarchy::

    KGError                      root: every error geokg raises on purpose
    ├── ReadError                an input file/body cannot be read as an article
    ├── ConfigError              a setting has an invalid value
    ├── ModelError               the spaCy pipeline named by a setting cannot be loaded
    ├── GazetteerError           the gazetteer cannot be loaded or built
    ├── MappingError             an Extraction cannot be mapped to RDF (unknown entity key, bad value)
    ├── ValidationError          an article graph does not conform to the SHACL shapes
    └── StoreError               the store cannot be opened, read or written
        └── QueryError           a SPARQL query or update is malformed (HTTP 400)

Messages name the input, the problem and, where there are some, the valid choices.
"""

from __future__ import annotations


class KGError(Exception):
    """Root of every error geokg raises on purpose."""


class ReadError(KGError):
    """An input cannot be read as an article.

    Args:
        source: The path, URI or name of the input.
        reason: What is wrong with it ("empty file", "not UTF-8 text", "no body").
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class ConfigError(KGError):
    """A setting has an invalid value."""


class ModelError(KGError):
    """The configured spaCy pipeline cannot be loaded."""


class GazetteerError(KGError):
    """The gazetteer cannot be loaded or built."""


class MappingError(KGError):
    """An Extraction cannot be mapped to RDF.

    Args:
        article_id: The article whose extraction is being mapped.
        reason: What is wrong, naming the offending record and the valid choices.
    """

    def __init__(self, article_id: str, reason: str) -> None:
        self.article_id = article_id
        self.reason = reason
        super().__init__(f"article {article_id}: {reason}")


class ValidationError(KGError):
    """An article graph does not conform to the SHACL shapes; ``report`` holds the text report."""

    def __init__(self, source: str, report: str) -> None:
        self.source = source
        self.report = report
        super().__init__(f"{source}: does not conform to the SHACL shapes")


class StoreError(KGError):
    """The store cannot be opened, read or written."""


class QueryError(StoreError):
    """A SPARQL query or update is malformed; the message is the parser's."""
