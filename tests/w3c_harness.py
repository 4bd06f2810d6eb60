"""Replay the W3C SPARQL 1.1 test manifests (``../shared/w3c-sparql11``) against geokg over real HTTP.

The manifests (https://www.w3.org/2009/sparql/docs/tests/) describe each test as
``ht:Request``s (W3C "HTTP Vocabulary in RDF": method, absolute path, headers, body as
``cnt:chars`` in ``cnt:characterEncoding``) and an expected ``ht:Response``
(``mf:expectedStatus`` — a status class ``hts:StatusCode2xx`` or a code such as
``hts:Created`` —, ``mf:expectedFormat``, ``mf:expectedBoolean``, response headers,
an RDF body to compare by graph isomorphism, ``mf:expectedLocation``).

:class:`LiveServer` serves ``create_app`` with waitress in a thread on a free port
(writes enabled, one bearer token), over an in-memory store the harness resets and
loads with the test's ``ut:graphData`` before the first request. :func:`replay` sends
each request with ``http.client`` byte for byte as the manifest gives it — the method,
the path (only its documented endpoint prefix mapped: ``/sparql/`` -> ``/sparql``,
``/gsp`` -> ``/store``; ``$LOCATION$`` replaced in path and body by the ``Location`` of an
earlier response), the ``Host`` of ``ht:connectionAuthority``, the manifest's headers and
body in its character encoding — adding only ``Content-Length`` and the
``Authorization: Bearer`` header that writes need. No ``Accept`` or other header is added.
"""

from __future__ import annotations

import http.client
import json
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-harness-token"

#: Named status codes used by the manifests (W3C http-statusCodes vocabulary).
STATUS_NAMES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
#: Media types that count as each mf:expectedFormat.
FORMAT_MEDIA = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"},
}
#: rdflib parser for each RDF media type.
RDFLIB_FORMAT = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
                 "application/ld+json": "json-ld"}


@dataclass
class Manifest:
    """A parsed manifest: its graph, the entries it lists (in order) and every test it defines."""

    path: Path
    graph: Graph
    entries: list[URIRef]
    defined: list[URIRef]

    @property
    def unlisted(self) -> list[URIRef]:
        """Tests defined in the file but missing from ``mf:entries``."""
        return [t for t in self.defined if t not in self.entries]


def load_manifest(path: Path, test_type: URIRef) -> Manifest:
    """Parse ``path``; ``test_type`` is the class of its tests (e.g. ``mf:ProtocolTest``)."""
    graph = Graph().parse(path, format="turtle")
    lists = list(graph.objects(None, MF.entries))
    assert len(lists) == 1, f"{path}: expected one mf:entries list, found {len(lists)}"
    entries = list(Collection(graph, lists[0]))
    defined = sorted(graph.subjects(RDF.type, test_type), key=str)
    return Manifest(path, graph, entries, defined)


def local_name(test: URIRef) -> str:
    return str(test).rsplit("#", 1)[-1]


class LiveServer:
    """geokg over HTTP: waitress in a thread on 127.0.0.1, an in-memory store, writes enabled."""

    def __init__(self, extra_config: dict | None = None) -> None:
        from waitress.server import create_server

        from kg.store import open_store
        from service.app import create_app

        self.store = open_store("memory")
        config = {"STORE": self.store, "UPDATE_ENABLED": True, "UPDATE_TOKEN": TOKEN} | (extra_config or {})
        self.app = create_app(config)
        self.server = create_server(self.app, host="127.0.0.1", port=0, threads=4)
        self.port = self.server.effective_port
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def reset(self, graph_data: list[tuple[str, Path]] = ()) -> None:
        """Empty the store, then load each (graph IRI, N-Triples file) as a named graph."""
        self.store.update("DROP ALL")
        for iri, path in graph_data:
            graph = Graph(identifier=URIRef(iri)).parse(path, format="nt")
            self.store.replace_graph(iri, graph)

    def close(self) -> None:
        """Stop the server: empty its socket map and wake its loop so the thread ends, then close."""
        sockets = dict(self.server._map)
        self.server._map.clear()  # waitress's loop runs `while map:`
        self.server.pull_trigger()
        self.thread.join(timeout=10)
        for channel in sockets.values():
            channel.close()
        self.server.task_dispatcher.shutdown()
        self.store.close()


@dataclass
class Reply:
    """An HTTP response: status, headers (lower-case names) and body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def send(port: int, method: str, path: str, headers: list[tuple[str, str]], body: bytes | None) -> Reply:
    """One raw HTTP/1.1 request: exactly ``headers`` (plus Content-Length for a body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        conn.close()


@dataclass
class Replay:
    """What happened to one test: a list of (request description, failure or None)."""

    steps: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return [f"{what}: {failure}" for what, failure in self.steps if failure]


def graph_data(manifest: Manifest, test: URIRef) -> list[tuple[str, Path]]:
    """The test's ``ut:graphData``: (graph IRI from rdfs:label, data file next to the manifest)."""
    g = manifest.graph
    out = []
    for node in g.objects(test, UT.graphData):
        source = g.value(node, UT.graph)
        out.append((str(g.value(node, RDFS.label)), manifest.path.parent / str(source).rsplit("/", 1)[-1]))
    return sorted(out)


def replay(server: LiveServer, manifest: Manifest, test: URIRef, prefixes: dict[str, str]) -> Replay:
    """Send every request of ``test`` in order and check each response; returns the outcome."""
    g = manifest.graph
    action = g.value(test, MF.action)
    authority = str(g.value(action, HT.connectionAuthority))
    variables: dict[str, str] = {}
    result = Replay()
    for number, request in enumerate(Collection(g, g.value(action, HT.requests)), start=1):
        method = str(g.value(request, HT.methodName))
        path = _substitute(str(g.value(request, HT.absolutePath)), variables)
        for prefix, replacement in prefixes.items():
            if path.startswith(prefix):
                path = replacement + path[len(prefix):]
                break
        headers = [("Host", authority)] + _headers(g, g.value(request, HT.headers))
        headers.append(("Authorization", f"Bearer {TOKEN}"))
        body = None
        body_node = g.value(request, HT.body)
        if body_node is not None:
            encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = _substitute(str(g.value(body_node, CNT.chars)), variables).encode(encoding.lower())
        reply = send(server.port, method, path, headers, body)
        what = f"request {number} ({method} {path})"
        failure = check_response(g, g.value(request, HT.resp), reply, method, variables)
        result.steps.append((what, failure))
    return result


def _substitute(text: str, variables: dict[str, str]) -> str:
    for name, value in variables.items():
        text = text.replace(name, value)
    return text


def _headers(g: Graph, node) -> list[tuple[str, str]]:
    if node is None:
        return []
    return [(str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue))) for h in Collection(g, node)]


def check_response(g: Graph, expected, reply: Reply, method: str, variables: dict[str, str]) -> str | None:
    """None when ``reply`` matches the manifest's ``ht:Response`` ``expected``, else what differs."""
    allowed = [str(s)[len(HTS):] for s in g.objects(expected, MF.expectedStatus)]
    if not any(_status_matches(name, reply.status) for name in allowed):
        return f"status {reply.status}, expected {' or '.join(allowed)}; body {reply.body[:300]!r}"
    fmt = g.value(expected, MF.expectedFormat)
    if fmt is not None and reply.media_type not in FORMAT_MEDIA[str(fmt)]:
        return f"media type {reply.media_type!r} is not a {fmt} format"
    if fmt is not None and str(fmt) == "RDF":
        Graph().parse(data=reply.body, format=RDFLIB_FORMAT[reply.media_type])
    boolean = g.value(expected, MF.expectedBoolean)
    if boolean is not None and boolean_result(reply) is not boolean.toPython():
        return f"boolean result {boolean_result(reply)}, expected {boolean.toPython()}"
    for name, value in _headers(g, g.value(expected, HT.headers)):
        got = reply.headers.get(name.lower())
        if got is None or _normal_header(got) != _normal_header(value):
            return f"response header {name}: {got!r}, expected {value!r}"
    location = g.value(expected, MF.expectedLocation)
    if location is not None:
        if "location" not in reply.headers:
            return "no Location header"
        variables[str(location)] = reply.headers["location"]
    body = g.value(expected, HT.body)
    if body is not None and method != "HEAD":
        media = _normal_header(next((v for n, v in _headers(g, g.value(expected, HT.headers))
                                     if n.lower() == "content-type"), "text/turtle")).split(";")[0]
        want = Graph().parse(data=str(g.value(body, CNT.chars)), format=RDFLIB_FORMAT[media])
        got = Graph().parse(data=reply.body, format=RDFLIB_FORMAT[reply.media_type])
        if not isomorphic(want, got):
            return f"graph not isomorphic to the expected one; got:\n{reply.body.decode('utf-8', 'replace')}"
    if method == "HEAD" and reply.body:
        return "HEAD response has a body"
    return None


def _status_matches(name: str, status: int) -> bool:
    if name.startswith("StatusCode") and name.endswith("xx"):
        return str(status)[0] == name[len("StatusCode")]
    return STATUS_NAMES[name] == status


def _normal_header(value: str) -> str:
    """A media type header with its case and spaces normalised ("text/turtle; charset=utf-8")."""
    parts = [p.strip().lower() for p in value.split(";")]
    return "; ".join(p.replace(" ", "") for p in parts if p)


def boolean_result(reply: Reply) -> bool | None:
    """The boolean of an ASK result in SPARQL JSON or XML."""
    if reply.media_type == "application/sparql-results+json":
        return json.loads(reply.body)["boolean"]
    if reply.media_type == "application/sparql-results+xml":
        node = ET.fromstring(reply.body).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return None if node is None else node.text.strip() == "true"
    return None


#: Pass counts per manifest, filled by the tests and printed by conftest's terminal summary.
RESULTS: dict[str, dict[str, int]] = {}


def record(manifest_label: str, passed: bool) -> None:
    counts = RESULTS.setdefault(manifest_label, {"passed": 0, "failed": 0})
    counts["passed" if passed else "failed"] += 1


def summary_lines() -> list[str]:
    return [f"{label}: {c['passed']} passed, {c['failed']} failed" for label, c in sorted(RESULTS.items())]
