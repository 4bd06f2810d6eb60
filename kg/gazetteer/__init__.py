"""The offline Wikidata gazetteer: countries, capitals, organisations, bodies and office holders.

Built by :mod:`kg.gazetteer.build` from ``shared/wikidata`` and the reviewed patch
``kg/data/gazetteer-patch.yaml`` into ``kg/data/gazetteer.jsonl.gz`` (shipped); read with
:meth:`Gazetteer.load` or the cached :func:`default_gazetteer`. Licences of each source:
``kg/data/LICENSES.md``.
"""

from kg.gazetteer.load import Gazetteer, Match, default_gazetteer
from kg.gazetteer.model import GAZ_TYPES, GazEntry, Office
from kg.gazetteer.normalize import key

__all__ = ["GAZ_TYPES", "GazEntry", "Gazetteer", "Match", "Office", "default_gazetteer", "key"]
