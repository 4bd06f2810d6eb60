"""The query page ``/`` and the resource pages ``/id/...`` on the hand-written seed-article fixture
(tests/fixtures/store/seed-article.trig: two paragraphs of the seed, four events).

Expected facts come from the fixture, read independently with rdflib (never from the pages' code):
Putin (Q7747) and Xi Jinping (Q15031) meet in meeting-000000000001, whose evidence is the sentence
"... held a wide-ranging video conference on Tuesday ..."; the article has four events.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDFS

from conftest import REPO, SEED_ARTICLE_ID, SEED_GRAPH, as_stored, fixture_dataset

ID = "https://w3id.org/geokg/id/"
PUTIN = ID + "entity/Q7747"
MEETING = f"{ID}event/{SEED_ARTICLE_ID}/meeting-000000000001"
ARTICLE = f"{ID}article/{SEED_ARTICLE_ID}"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


class Page(HTMLParser):
    """The parts of an HTML page the tests look at: links, script/link URLs, h1, JSON script blocks."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.assets: list[str] = []  # src of <script>, href of <link>, src of <img>
        self.h1 = ""
        self.json: dict[str, object] = {}
        self._href: str | None = None
        self._text: list[str] = []
        self._in_h1 = False
        self._json_id: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self._href, self._text = attrs["href"], []
        if tag in ("script", "img") and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") != "alternate":
            self.assets.append(attrs["href"])
        if tag == "script" and attrs.get("type") == "application/json":
            self._json_id, self._text = attrs["id"], []
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None
        if tag == "script" and self._json_id:
            self.json[self._json_id] = json.loads("".join(self._text))
            self._json_id = None
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        self._text.append(data)
        if self._in_h1:
            self.h1 += data


def html_page(client, path: str) -> tuple[Page, str]:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    return Page(text), text


def fixture_graph() -> Graph:
    """The fixture's article graph, as stored."""
    return as_stored(fixture_dataset().graph(URIRef(SEED_GRAPH)))


def fixture_triples() -> Graph:
    """The fixture's article graph and its actors graph together, as stored."""
    from kg.rdf.iris import ACTORS_GRAPH

    out = fixture_graph()
    for triple in as_stored(fixture_dataset().graph(ACTORS_GRAPH)):
        out.add(triple)
    return out


# -- the query page -----------------------------------------------------------------------------
def test_query_page_has_the_editor_on_this_endpoint(client):
    page, text = html_page(client, "/")
    assert page.assets == ["/static/geokg.css", "/static/yasgui/yasgui.min.css",
                           "/static/yasgui/yasgui.min.js", "/static/geokg-query.js"]
    assert 'id="yasgui"' in text and 'data-endpoint="/sparql"' in text
    assert f'data-id-base="{ID}"' in text and 'data-id-prefix="/id/"' in text


def test_query_page_embeds_the_example_files(client):
    page, text = html_page(client, "/")
    embedded = page.json["geokg-examples"]
    files = sorted((REPO / "docs" / "examples").glob("*.rq"))
    assert [e["query"] for e in embedded] == [f.read_text(encoding="utf-8") for f in files]
    for example in embedded:
        assert f'data-example="{example["name"]}">{example["title"]}</button>' in text
    assert page.json["geokg-prefixes"]["gk"] == "https://w3id.org/geokg/ontology#"


def test_query_page_needs_no_other_origin(client):
    """Offline: every asset is served here, and the bundled CSS pulls nothing in."""
    page, _ = html_page(client, "/")
    assert page.assets and all(a.startswith("/") and not a.startswith("//") for a in page.assets)
    for asset in page.assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.mimetype == ("text/css" if asset.endswith(".css") else "text/javascript")
        if asset.endswith(".css"):
            css = response.get_data(as_text=True)
            assert "@import" not in css and "url(http" not in css and "url(//" not in css
    js = client.get("/static/geokg-query.js").get_data(as_text=True)
    assert "http://" not in js and "https://" not in js


def test_the_yasgui_bundle_has_its_license():
    license_text = (REPO / "service" / "static" / "yasgui" / "LICENSE").read_text(encoding="utf-8")
    assert "@zazuko/yasgui 4.6.2" in license_text and "MIT License" in license_text


def test_index_answers_json_to_api_clients(client):
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "/sparql" in response.get_json()["endpoints"]


# -- resource pages as HTML -----------------------------------------------------------------------
def test_actor_page_links_its_events_and_wikidata(client):
    page, text = html_page(client, "/id/entity/Q7747")
    assert page.h1 == "Vladimir Putin"
    links = dict(page.links)
    assert links["http://www.wikidata.org/entity/Q7747"] == "wd:Q7747"
    assert links["/id/role/Q7747/president/Q159"] == "President"
    meeting = links[f"/id/event/{SEED_ARTICLE_ID}/meeting-000000000001"]
    assert meeting.startswith("Meeting of") and "Vladimir Putin" in meeting and "Xi Jinping" in meeting
    assert "gk:participant" in text and "2025-01-21" in text
    assert links[f"/id/article/{SEED_ARTICLE_ID}"].startswith("Putin, Xi Discuss Strengthening Ties")
    assert "“Vladimir Putin” × 1" in text  # its one mention in the fixture


def test_event_page_shows_participants_sentence_and_article(client):
    page, _ = html_page(client, f"/id/event/{SEED_ARTICLE_ID}/meeting-000000000001")
    assert page.h1.startswith("Meeting of") and "Vladimir Putin" in page.h1 and "Xi Jinping" in page.h1
    links = dict(page.links)
    assert links["/id/entity/Q7747"] == "Vladimir Putin" and links["/id/entity/Q15031"] == "Xi Jinping"
    evidence = links[f"/id/evidence/{SEED_ARTICLE_ID}/0-282"]
    assert "held a wide-ranging video conference on Tuesday" in evidence
    assert links[f"/id/article/{SEED_ARTICLE_ID}"].startswith("Putin, Xi Discuss")


def test_article_page_lists_its_events(client):
    page, text = html_page(client, f"/id/article/{SEED_ARTICLE_ID}")
    graph = fixture_graph()
    assert page.h1 == str(graph.value(URIRef(ARTICLE), URIRef("http://schema.org/headline")))
    events = {str(s) for s in graph.subjects(PROV_DERIVED, URIRef(ARTICLE))
              if "/event/" in str(s)}
    assert len(events) == 4
    linked = {ID + href[len("/id/"):] for href, _ in page.links if href.startswith("/id/event/")}
    assert linked == events
    assert "<details><summary>Russian President Vladimir Putin" in text  # the body, folded
    assert "Position of Taiwan: oppose “China’s claims”" in text


def test_named_graph_page_and_rdf(client):
    page, text = html_page(client, f"/id/graph/{SEED_ARTICLE_ID}")
    assert f"{len(fixture_graph())} triples" in text
    response = client.get(f"/id/graph/{SEED_ARTICLE_ID}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert isomorphic(Graph().parse(data=response.data, format="turtle"), fixture_graph())


def test_html_is_escaped_and_only_http_links_are_made(kgstore, client):
    evil = URIRef(ID + "entity/person/evil")
    graph = Graph()
    graph.add((evil, RDFS.label, Literal("<script>alert(1)</script>")))
    graph.add((evil, OWL.sameAs, URIRef("javascript:alert(2)")))
    kgstore.replace_graph(ID + "graph/evil", graph)
    _, text = html_page(client, "/id/entity/person/evil")
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert 'href="javascript:' not in text


# -- resource pages as RDF ----------------------------------------------------------------------
def cbd(iri: str) -> Graph:
    """The fixture's triples about ``iri`` (no blank nodes in the fixture, so its CBD)."""
    out = Graph()
    for triple in fixture_triples().triples((URIRef(iri), None, None)):
        out.add(triple)
    return out


@pytest.mark.parametrize("accept, fmt, rdflib_format", [
    (None, "text/turtle", "turtle"),
    ("*/*", "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("text/html;q=0.5, application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_resource_description_by_accept(client, accept, fmt, rdflib_format):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/id/entity/Q7747", headers=headers)
    assert response.status_code == 200 and response.mimetype == fmt
    assert response.headers["Vary"] == "Accept"
    got = Graph().parse(data=response.data, format=rdflib_format)
    assert len(got) == 4 and isomorphic(got, cbd(PUTIN))  # type, label, sameAs, holdsRole


def test_format_parameter_wins_over_accept(client):
    response = client.get(f"/id/event/{SEED_ARTICLE_ID}/meeting-000000000001?format=nt",
                          headers={"Accept": BROWSER})
    assert response.mimetype == "application/n-triples"
    assert isomorphic(Graph().parse(data=response.data, format="nt"), cbd(MEETING))
    assert client.get("/id/entity/Q7747?format=html").mimetype == "text/html"


def test_description_follows_blank_nodes(kgstore, client):
    """Concise Bounded Description: blank node objects are described too, referrers are not."""
    thing = URIRef(ID + "entity/organization/blank-test")
    graph = Graph()
    inner = BNode()
    graph.add((thing, RDFS.label, Literal("Blank test")))
    graph.add((thing, RDFS.seeAlso, inner))
    graph.add((inner, RDFS.label, Literal("inside")))
    graph.add((URIRef(PUTIN), RDFS.seeAlso, thing))
    kgstore.replace_graph(ID + "graph/blank-test", graph)
    got = Graph().parse(data=client.get("/id/entity/organization/blank-test").data, format="turtle")
    assert len(got) == 3 and Literal("inside") in set(got.objects())
    assert (URIRef(PUTIN), None, None) not in got


def test_errors_are_json(client):
    for path, status in (("/id/entity/Q1", 404), ("/id/entity/Q7747?format=pdf", 406)):
        response = client.get(path)
        assert response.status_code == status and response.mimetype == "application/json"
        assert response.get_json()["error"]["status"] == status
    response = client.get("/id/entity/Q7747", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_head_has_no_body(client):
    response = client.head("/id/entity/Q7747", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle" and response.data == b""


def test_local_links(app):
    from service.pages import local_href

    with app.test_request_context("/"):
        assert local_href(PUTIN) == "/id/entity/Q7747"
        assert local_href("http://www.wikidata.org/entity/Q7747") == "http://www.wikidata.org/entity/Q7747"
        assert local_href("file:///seeds/000_e90bf088404a620c.txt") is None
        assert local_href("javascript:alert(1)") is None


def test_pages_on_the_shared_actors_graph():
    """Two articles in the store layout of kg/actors.py, both naming Vladimir Putin: his page lists the
    events of both, his RDF description has one label, and the actors graph has its own page."""
    from datetime import date

    from kg.model import Article, Entity, Evidence, Extraction, Mention, Statement
    from kg.rdf.iris import ACTORS_GRAPH
    from kg.rdf.mapping import to_graphs
    from kg.store import open_store
    from service.app import create_app

    def article(article_id: str, body: str) -> Extraction:
        key = "person:vladimir putin"
        putin = Entity(key, "Vladimir Putin", "Person", (Mention("Vladimir Putin", 0, 14, key),), qid="Q7747")
        said = Statement(key, body[len("Vladimir Putin said "):-1], Evidence(body, 0, len(body)), "said")
        return Extraction(Article(article_id, f"file:///{article_id}.txt", "Putin", body, date(2025, 1, 1)),
                          (putin,), statements=(said,))

    with open_store("memory") as store:
        store.write_articles([to_graphs(article("p1", "Vladimir Putin said talks went well.")),
                              to_graphs(article("p2", "Vladimir Putin said nothing was agreed."))])
        client = create_app({"STORE": store, "TESTING": True}).test_client()
        page, text = html_page(client, "/id/entity/Q7747")
        assert page.h1 == "Vladimir Putin"
        assert len({href for href, _ in page.links if href.startswith("/id/event/")}) == 2
        assert "“Vladimir Putin” × 2" in text  # one mention in each article
        got = Graph().parse(data=client.get("/id/entity/Q7747?format=turtle").data, format="turtle")
        assert list(got.objects(URIRef(PUTIN), RDFS.label)) == [Literal("Vladimir Putin")]
        assert len(got) == 3  # type, label, sameAs: stored once, in the actors graph
        _, graph_page = html_page(client, "/id/graph/actors")
        assert f"{store.triple_count(ACTORS_GRAPH)} triples" in graph_page
