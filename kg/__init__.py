"""geokg: geopolitical events from news articles to a linked, queryable RDF knowledge graph.

The pipeline library. It never imports Flask (see ``kg/README.md``).
"""

__version__ = "0.1.0"
