"""HTTP client of a SPARQL 1.1 Protocol server, for :mod:`kg.remote_store`.

Queries are POSTed form-encoded (``query=``, ``default-graph-uri=``, ``named-graph-uri=``),
updates as ``application/sparql-update`` (SPARQL 1.1 Protocol §2.1.2, §2.2.2), with urllib
from the standard library; no connection is kept between requests. The predeclared prefixes
(and a base IRI) go as one prologue line before the text; "error at L:C" positions in the
server's messages (Oxigraph's form) are shifted back by that line.

Errors: HTTP 400 -> :class:`~kg.errors.QueryError` with the server's message; 401/403 ->
StoreError asking for ``remote_user`` / ``remote_password``; an update refused with 405/415 by
the query endpoint (``remote_update`` unset, so it defaults to ``remote_query``; Oxigraph's
``/query`` answers 415) -> StoreError asking for ``remote_update``; a refused connection, other
4xx and 5xx -> StoreError naming the endpoint and the HTTP status; no answer within the timeout
-> :class:`RemoteTimeout` (a StoreError).

Timeouts: a query waits ``timeout`` seconds per socket operation (connect, each read). An update
waits ``timeout`` seconds to connect but has no read timeout: a long update the server commits
after geokg gave up would be reported as a failure although it was applied, so geokg waits for
the answer (a RemoteTimeout on an update says it may have been applied).
"""

from __future__ import annotations

import base64
import http.client
import math
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from typing import Iterator

from kg.errors import ConfigError, QueryError, StoreError
from kg.oxigraph import named_node

__all__ = ["SparqlEndpoint", "RemoteTimeout", "DEFAULT_TIMEOUT", "check_timeout"]

_POSITION = re.compile(r"error at (\d+):(\d+)")
#: ``timeout`` argument meaning "the endpoint's own timeout".
DEFAULT_TIMEOUT = "default"


class RemoteTimeout(StoreError):
    """The remote store did not answer within ``seconds``."""

    def __init__(self, message: str, seconds: float | None) -> None:
        super().__init__(message)
        self.seconds = seconds


class _ConnectTimeoutOnly:
    """Mixin for an ``http.client`` connection: the timeout covers connecting (and the TLS handshake),
    then the socket blocks without limit."""

    def connect(self) -> None:
        super().connect()
        self.sock.settimeout(None)


class _HTTPConnect(_ConnectTimeoutOnly, http.client.HTTPConnection):
    pass


class _HTTPSConnect(_ConnectTimeoutOnly, http.client.HTTPSConnection):
    pass


class _HTTPNoReadTimeout(urllib.request.HTTPHandler):
    def do_open(self, http_class, req, **kwargs):  # noqa: D102 - urllib's hook
        return super().do_open(_HTTPConnect, req, **kwargs)


class _HTTPSNoReadTimeout(urllib.request.HTTPSHandler):
    def do_open(self, http_class, req, **kwargs):  # noqa: D102 - urllib's hook
        return super().do_open(_HTTPSConnect, req, **kwargs)


#: urllib opener whose ``timeout`` is a connect timeout only (used for updates).
_NO_READ_TIMEOUT = urllib.request.build_opener(_HTTPNoReadTimeout, _HTTPSNoReadTimeout)


def check_timeout(value: float | None, setting: str = "remote_timeout") -> float | None:
    """``value`` as seconds (None or 0 = no limit -> None).

    Raises:
        ConfigError: ``value`` is negative or not a number; the message names the setting
            (``remote_timeout`` = environment variable ``KG_REMOTE_TIMEOUT``).
    """
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if math.isnan(seconds) or seconds < 0:
        raise ConfigError(f"{setting} (KG_{setting.upper()}) must be a number of seconds >= 0 (0 = no limit), "
                          f"got {value!r}")
    return seconds or None


class SparqlEndpoint:
    """The query and update endpoints of one SPARQL 1.1 server.

    Args:
        query_url: Query endpoint URL (absolute http or https).
        update_url: Update endpoint URL.
        prefixes: Prefixes declared before every query and update text.
        timeout: Seconds to wait for each socket operation of a query (connect, each read), and to
            connect for an update (module docstring); None or 0 = no limit.
        auth: (user, password) for HTTP basic authentication, or None.

    Raises:
        StoreError: a URL that is not an absolute http(s) URL (named after its setting).
        ConfigError: a negative ``timeout`` (named after the setting ``remote_timeout``).
    """

    def __init__(self, query_url: str, update_url: str, prefixes: dict[str, str], *,
                 timeout: float | None = 30.0, auth: tuple[str, str] | None = None) -> None:
        for name, url in (("remote_query", query_url), ("remote_update", update_url)):
            parts = urllib.parse.urlsplit(url or "")
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise StoreError(f"{name} must be an http(s) URL of a SPARQL endpoint, got {url!r}")
        self.query_url, self.update_url, self.timeout = query_url, update_url, check_timeout(timeout)
        self._prefixes = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items())
        self._headers = {"User-Agent": "geokg (remote store)"}
        if auth:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"

    def _prologue(self, base_iri: str | None) -> str:
        return (f"BASE {named_node(base_iri)} " if base_iri else "") + self._prefixes + "\n"

    def query(self, sparql: str, accept: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, base_iri: str | None = None,
              timeout: float | None | str = DEFAULT_TIMEOUT) -> http.client.HTTPResponse:
        """POST a query; return the open response (close it, e.g. ``with response:``).

        Args:
            sparql: The query text.
            accept: The Accept header (the result formats wanted).
            default_graphs, named_graphs: Protocol ``default-graph-uri`` / ``named-graph-uri`` values.
            base_iri: Base IRI for relative IRIs in the query, or None.
            timeout: Seconds per socket operation; None = no limit; DEFAULT_TIMEOUT = the endpoint's.

        Raises:
            QueryError: HTTP 400, or a dataset IRI that is not an IRI.
            RemoteTimeout, StoreError: see the module docstring.
        """
        fields = [("query", self._prologue(base_iri) + sparql)]
        fields += [("default-graph-uri", named_node(g).value) for g in default_graphs or []]
        fields += [("named-graph-uri", named_node(g).value) for g in named_graphs or []]
        return self._post(self.query_url, urllib.parse.urlencode(fields).encode("ascii"),
                          "application/x-www-form-urlencoded", accept, "query",
                          self.timeout if timeout == DEFAULT_TIMEOUT else timeout)

    def update(self, sparql: str, what: str, base_iri: str | None = None) -> None:
        """POST an update and wait for its answer, without a read timeout (module docstring).

        Raises:
            QueryError: HTTP 400 (malformed update).
            RemoteTimeout: no connection within the timeout (the message says the update may have
                been applied and that re-running the ingest converges).
            StoreError: see the module docstring; ``what`` names the write in messages.
        """
        body = (self._prologue(base_iri) + sparql).encode("utf-8")
        try:
            response = self._post(self.update_url, body, "application/sparql-update; charset=utf-8", "*/*", what,
                                  self.timeout, opener=_NO_READ_TIMEOUT)
            with self.reading(what, url=self.update_url), response:
                response.read()
        except RemoteTimeout as exc:
            raise RemoteTimeout(f"{exc}; the update may have been applied; re-run the ingest to converge",
                                exc.seconds) from None

    def read(self, response: http.client.HTTPResponse, what: str) -> bytes:
        """The whole body of ``response`` (then closed)."""
        with self.reading(what), response:
            return response.read()

    def read_lines(self, response: http.client.HTTPResponse, limit: int, deadline: float | None,
                   timeout: float | None) -> tuple[list[bytes], bool]:
        """At most ``limit`` lines (0 = all) of ``response``, read before ``deadline`` (``time.monotonic``;
        ``timeout`` is the seconds it stands for, for the message).

        Returns:
            (the lines, whether more followed: the rest is not read, and the response is closed).

        Raises:
            RemoteTimeout: the deadline passed.
        """
        lines: list[bytes] = []
        with self.reading("query", timeout), response:
            while True:
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError
                line = response.readline()
                if not line:
                    return lines, False
                if limit and len(lines) == limit:
                    return lines, True
                lines.append(line)

    @contextmanager
    def reading(self, what: str, timeout: float | None | str = DEFAULT_TIMEOUT, *,
                url: str | None = None) -> Iterator[None]:
        """Map errors while reading an answer of ``url`` (default the query endpoint): timeouts to
        RemoteTimeout, the rest to StoreError."""
        url = url or self.query_url
        try:
            yield
        except (TimeoutError, socket.timeout):
            raise self._timeout(url, what, self.timeout if timeout == DEFAULT_TIMEOUT else timeout) from None
        except (OSError, http.client.HTTPException, SyntaxError, ValueError) as exc:
            raise StoreError(f"{what}: the answer of the remote SPARQL store {url} "
                             f"cannot be read: {exc}") from None

    def _post(self, url: str, body: bytes, content_type: str, accept: str, what: str,
              timeout: float | None, opener: urllib.request.OpenerDirector | None = None) -> http.client.HTTPResponse:
        request = urllib.request.Request(url, data=body, method="POST", headers={
            **self._headers, "Content-Type": content_type, "Accept": accept})
        try:
            if opener is not None:
                return opener.open(request, timeout=timeout)
            return urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, url, what, self._update_hint(exc.code, url, content_type)) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise self._timeout(url, what, timeout) from None
            raise StoreError(f"{what}: cannot reach the remote SPARQL store at {url}: {exc.reason}") from None
        except (TimeoutError, socket.timeout):
            raise self._timeout(url, what, timeout) from None
        except (OSError, http.client.HTTPException) as exc:
            raise StoreError(f"{what}: the remote SPARQL store at {url} failed: {exc}") from None

    @staticmethod
    def _timeout(url: str, what: str, timeout: float | None) -> RemoteTimeout:
        return RemoteTimeout(f"{what}: the remote SPARQL store at {url} did not answer within {timeout or 0:g} s "
                             "(setting remote_timeout, or query_timeout in the service)", timeout)

    def _update_hint(self, status: int, url: str, content_type: str) -> str:
        """Advice for an update refused (405/415) by a URL that is also the query endpoint, else ""."""
        if (status in (405, 415) and content_type.startswith("application/sparql-update")
                and url == self.query_url):
            example = urllib.parse.urljoin(url, "update")
            return (f"; set KG_REMOTE_UPDATE (remote_update) to the server's update endpoint, e.g. {example} "
                    f"(it defaults to the query endpoint {url})")
        return ""

    @staticmethod
    def _http_error(exc: urllib.error.HTTPError, url: str, what: str, hint: str = "") -> StoreError:
        try:
            detail = exc.read(4000).decode("utf-8", "replace").strip()
        except OSError:
            detail = ""
        finally:
            exc.close()
        detail = _POSITION.sub(lambda m: f"error at {max(1, int(m[1]) - 1)}:{m[2]}", detail) or str(exc.reason)
        if exc.code == 400:
            return QueryError(detail)
        if exc.code in (401, 403):
            return StoreError(f"{what}: the remote SPARQL store at {url} refused the request (HTTP {exc.code}); "
                              f"set remote_user / remote_password: {detail}")
        return StoreError(f"{what} failed at the remote SPARQL store {url} (HTTP {exc.code}): {detail}{hint}")
