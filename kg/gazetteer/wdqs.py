"""A client for a Wikidata SPARQL endpoint (WDQS or any SPARQL 1.1 server), and the queries.

:class:`SparqlClient` runs SELECT queries with SPARQLWrapper under Wikimedia's rules
(https://meta.wikimedia.org/wiki/User-Agent_policy and
https://www.mediawiki.org/wiki/Wikidata_Query_Service/User_Manual#Query_limits): a User-Agent
"geokg/<version> (<project URL>; <contact>) SPARQLWrapper/<version>" (:func:`user_agent`; the
contact is the ``wikidata_contact`` setting, required for Wikimedia's endpoints), one request
at a time at least ``min_interval`` seconds apart, and on HTTP 429/5xx or a network error a retry
after the ``Retry-After`` header (:func:`retry_after`) or else 1, 2, 4... seconds; other 4xx
answers stop at once. The query texts use Wikidata's RDF shapes
(https://www.mediawiki.org/wiki/Wikibase/Indexing/RDF_Dump_Format): ``p:P39``/``ps:P39``
statements, ``pq:P580``/``pq:P582`` qualifiers with the ``wikibase:timePrecision`` of their
``pqv:`` values, ``wdt:P1001``, ``rdfs:label`` and ``skos:altLabel``; ``%s`` slots take a
``VALUES`` list (:func:`values`).
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
import urllib.error
import urllib.parse
from datetime import date, datetime, timezone
from importlib.metadata import PackageNotFoundError, metadata, version
from typing import Any, Callable, Iterable

import SPARQLWrapper
from SPARQLWrapper import JSON, SPARQLWrapper as Wrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

from kg.errors import GazetteerError
from kg.gazetteer.sources import parse_when

log = logging.getLogger(__name__)

# The project's home when the installed metadata names none (pyproject [project.urls] Homepage).
FALLBACK_PROJECT_URL = "https://w3id.org/geokg"
# Hosts whose User-Agent policy applies (https://meta.wikimedia.org/wiki/User-Agent_policy).
WIKIMEDIA_HOSTS = ("wikidata.org", "wikimedia.org", "wikipedia.org")
WD = "http://www.wikidata.org/entity/"
PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX pqv: <http://www.wikidata.org/prop/qualifier/value/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
OFFICES_QUERY = PREFIXES + """SELECT ?item ?st ?office ?officeLabel ?of ?start ?startPrecision ?end ?endPrecision WHERE {
  VALUES ?item { %s }
  ?item p:P39 ?st . ?st ps:P39 ?office .
  FILTER NOT EXISTS { ?st wikibase:rank wikibase:DeprecatedRank }
  OPTIONAL { ?st pq:P580 ?start . OPTIONAL { ?st pqv:P580/wikibase:timePrecision ?startPrecision } }
  OPTIONAL { ?st pq:P582 ?end . OPTIONAL { ?st pqv:P582/wikibase:timePrecision ?endPrecision } }
  OPTIONAL { ?office wdt:P1001 ?of }
  OPTIONAL { ?office rdfs:label ?officeLabel FILTER(LANG(?officeLabel) = "en") }
}"""
HOLDERS_QUERY = PREFIXES + """SELECT DISTINCT ?item WHERE {
  VALUES ?office { %s }
  ?st ps:P39 ?office . ?item p:P39 ?st . ?st pq:P580 ?start .
  FILTER NOT EXISTS { ?st wikibase:rank wikibase:DeprecatedRank }
  FILTER(?start >= "%sT00:00:00Z"^^xsd:dateTime)
}"""
# Offices of defence ministers and spokespersons (a full refresh looks for their holders): English
# label matches SEARCHED_OFFICES and not EXCLUDED_OFFICES (deputies), jurisdiction (P1001) a state.
SEARCHED_OFFICES = "defen[cs]e|spokes|press secretary"
EXCLUDED_OFFICES = "deputy|vice|assistant|under"
OFFICE_SEARCH_QUERY = PREFIXES + """SELECT DISTINCT ?office WHERE {
  VALUES ?of { %s }
  ?office wdt:P1001 ?of ; rdfs:label ?label .
  FILTER(LANG(?label) = "en" && REGEX(?label, "%s", "i") && !REGEX(?label, "%s", "i"))
}"""
LABELS_QUERY = PREFIXES + """SELECT ?item ?label ?alias WHERE {
  VALUES ?item { %s }
  { ?item rdfs:label ?label FILTER(LANG(?label) = "en") }
  UNION { ?item skos:altLabel ?alias FILTER(LANG(?alias) = "en") }
}"""
_PRECISION = {9: ("year", 4), 10: ("month", 7), 11: ("day", 10)}
QID = re.compile(r"^Q[1-9][0-9]*$")


def project_url(urls: list[str] | None = None) -> str:
    """The project's home page: the ``Homepage`` entry of pyproject ``[project.urls]``.

    Args:
        urls: ``Project-URL`` metadata values (``"Label, URL"``, core metadata 2.1); None = those of
            the installed ``geokg`` distribution.

    Returns:
        The URL labelled ``Homepage`` (the label compared case-insensitively, as PEP 753 normalises
        labels: ``homepage``, ``Home-Page``), else :data:`FALLBACK_PROJECT_URL`.
    """
    if urls is None:
        try:
            urls = metadata("geokg").get_all("Project-URL") or []
        except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
            urls = []
    for entry in urls:
        label, sep, url = entry.partition(",")
        if sep and re.sub(r"[-_.\s]", "", label).lower() == "homepage" and url.strip():
            return url.strip()
    return FALLBACK_PROJECT_URL


def is_wikimedia(endpoint: str) -> bool:
    """True when ``endpoint``'s host is a Wikimedia one (query.wikidata.org...), where the policy applies."""
    host = (urllib.parse.urlsplit(endpoint).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in WIKIMEDIA_HOSTS)


def user_agent(endpoint: str, contact: str | None = None) -> str:
    """The User-Agent for ``endpoint``: "geokg/<v> (<project URL>; <contact>) SPARQLWrapper/<v>".

    Args:
        endpoint: The SPARQL endpoint URL the requests go to.
        contact: An e-mail address or URL of the operator; None = the ``wikidata_contact``
            setting (``KG_WIKIDATA_CONTACT``). Without one the comment holds the project URL only.

    Raises:
        GazetteerError: no contact for a Wikimedia endpoint (its User-Agent policy requires a way
            to contact the operator), or a contact with parentheses, semicolons or control
            characters (they would break the header's comment).
    """
    from kg import settings

    contact = " ".join(str(settings.get("wikidata_contact", contact) or "").split())
    if contact and (any(c in contact for c in "();") or not contact.isprintable()):
        raise GazetteerError(f"wikidata_contact {contact!r}: must be an e-mail address or URL, without "
                             "parentheses or semicolons")
    if not contact and is_wikimedia(endpoint):
        raise GazetteerError(
            f"{endpoint}: Wikimedia's User-Agent policy (https://meta.wikimedia.org/wiki/User-Agent_policy) "
            "requires a way to contact you; set KG_WIKIDATA_CONTACT (or --contact) to your e-mail address or URL")
    try:
        own = version("geokg")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
        own = "0"
    comment = "; ".join(p for p in (project_url(), contact) if p)
    return f"geokg/{own} ({comment}) SPARQLWrapper/{SPARQLWrapper.__version__}"


class SparqlClient:
    """SELECT queries with SPARQLWrapper, spaced out and retried (see the module docstring).

    Args:
        endpoint: The SPARQL query endpoint URL.
        user_agent: The User-Agent header.
        timeout: Seconds to wait for one response.
        max_retries: Retries of one query after a 429/5xx/network error (then GazetteerError).
        min_interval: Seconds between the starts of two requests.
        backoff: First wait without Retry-After, in seconds; doubled on each retry.
        max_wait: Longest single wait, in seconds.
        sleep: ``time.sleep`` (replaceable in tests).
        clock: ``time.monotonic`` (replaceable in tests).
    """

    def __init__(self, endpoint: str, user_agent: str, *, timeout: float = 60, max_retries: int = 5,
                 min_interval: float = 1.0, backoff: float = 1.0, max_wait: float = 600,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.endpoint, self.user_agent, self.timeout = endpoint, user_agent, timeout
        self.max_retries, self.min_interval, self.backoff, self.max_wait = max_retries, min_interval, backoff, max_wait
        self.sleep, self.clock = sleep, clock
        self.requests = self.retries = 0
        self._last: float | None = None

    def select(self, query: str) -> list[dict[str, Any]]:
        """Return the bindings of a SELECT query (SPARQL 1.1 JSON results, ``results.bindings``).

        Raises:
            GazetteerError: the query is refused (4xx), or still fails after ``max_retries`` retries.
        """
        for attempt in range(self.max_retries + 1):
            if self._last is not None:
                wait = self._last + self.min_interval - self.clock()
                if wait > 0:
                    self.sleep(wait)
            self._last = self.clock()
            self.requests += 1
            wrapper = Wrapper(self.endpoint, agent=self.user_agent)
            wrapper.setQuery(query)
            wrapper.setReturnFormat(JSON)
            wrapper.setTimeout(int(self.timeout))
            try:
                return wrapper.queryAndConvert()["results"]["bindings"]
            except urllib.error.HTTPError as exc:
                if exc.code != 429 and exc.code < 500:
                    raise GazetteerError(f"{self.endpoint}: HTTP {exc.code} {exc.reason} (User-Agent "
                                         f"{self.user_agent!r}; see meta.wikimedia.org/wiki/User-Agent_policy)") from None
                reason, after = f"HTTP {exc.code}", retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            except EndPointInternalError:
                reason, after = "HTTP 500", None
            except SPARQLWrapperException as exc:
                raise GazetteerError(f"{self.endpoint}: query refused: {str(exc).splitlines()[0]}") from None
            except (urllib.error.URLError, OSError) as exc:  # connection refused, timeout, reset
                reason, after = f"network error ({getattr(exc, 'reason', exc)})", None
            except (ValueError, KeyError) as exc:
                raise GazetteerError(f"{self.endpoint}: not a SPARQL JSON result ({exc})") from None
            if attempt == self.max_retries:
                raise GazetteerError(f"{self.endpoint}: {reason}, still failing after {self.max_retries} retries")
            wait = min(self.max_wait, after if after is not None else self.backoff * 2 ** attempt)
            log.warning("%s: %s; retry %d/%d in %.1f s", self.endpoint, reason, attempt + 1, self.max_retries, wait)
            self.retries += 1
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def qid_of(binding: dict[str, Any], name: str) -> str | None:
    """The QID of variable ``name`` of a JSON result row when it is a ``wd:Q…`` IRI, else None."""
    value = binding.get(name, {}).get("value", "")
    qid = value.rsplit("/", 1)[-1] if value.startswith(WD) else ""
    return qid if QID.match(qid) else None


def when_of(binding: dict[str, Any], name: str, end: bool) -> tuple[date, str] | None | str:
    """(date, precision) of time variable ``name`` (its precision in ``<name>Precision``).

    Wikidata precision 11 is a day, 10 a month, 9 a year (the first day of the period, or with
    ``end`` its last day, as :func:`kg.gazetteer.sources.parse_when`); no precision = a day.

    Returns:
        (date, "day"|"month"|"year"); None when the variable is unbound; "bad" when the
        precision is coarser than a year or the value is not a date (a negative year...).
    """
    if name not in binding:
        return None
    precision = int(binding.get(name + "Precision", {}).get("value", 11))
    if precision not in _PRECISION:
        return "bad"
    return parse_when(binding[name]["value"][:_PRECISION[precision][1]], end=end) or "bad"


def batches(items: list[str], size: int) -> Iterable[list[str]]:
    """``items`` in consecutive lists of at most ``size``."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def values(qids: list[str]) -> str:
    """The body of a ``VALUES`` list of items: "wd:Q1 wd:Q2"."""
    return " ".join(f"wd:{q}" for q in qids)
