"""The shared actors graph (kg/actors.py): one description per actor, whatever the number of articles.

Real data: dev articles 036 ("Lee departs for Beijing summit talks with Xi") and 038 ("Lee, China's
Xi discuss peace, denuclearization") both name China (wd:Q148) many times, and 038 reports "a
four-day state visit to China", a meeting China takes part in; they are ingested by the real
pipeline into an on-disk store. In the old layout, where every article graph repeated China's
description, each pattern on it matched twice. Merge rules are checked on hand-built extractions
(one sentence each).
"""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from conftest import SHARED
from kg.actors import prune_orphans
from kg.errors import StoreError
from kg.model import Article, Entity, Extraction, Mention, Role
from kg.rdf.iris import ACTORS_GRAPH, graph_iri
from kg.rdf.mapping import to_graphs
from kg.rdf.vocab import GK, ID, WD
from kg.store import open_store

DEV = SHARED / "corpus" / "dev"
CHINA_ARTICLES = ("036-lee-departs-beijing-summit-talks-xi.txt", "038-lee-china-xi-discuss-peace-denuclearization.txt")


@pytest.fixture(scope="module")
def pipeline():
    if not DEV.is_dir():
        pytest.skip(f"the corpus {DEV} is absent (it lives in ../shared)")
    from kg.pipeline import Pipeline

    return Pipeline()


@pytest.fixture
def china_store(pipeline, tmp_path):
    """An on-disk store holding dev 036 and 038, ingested by the real pipeline; yields (store, report)."""
    from kg.pipeline import ingest

    with open_store(tmp_path / "store") as store:
        report = ingest([str(DEV / f) for f in CHINA_ARTICLES], store, pipeline=pipeline,
                        quarantine=tmp_path / "quarantine")
        assert report.ok and len(report.stored) == 2, report
        yield store, report


def _count(store, sparql: str) -> int:
    return int(next(iter(store.query(sparql)))[0])


def test_an_actor_named_by_two_articles_is_described_once(china_store):
    store, _ = china_store
    labels = list(store.query("SELECT ?l WHERE { ?a owl:sameAs wd:Q148 ; rdfs:label ?l }"))
    assert [str(r.l) for r in labels] == ["China"]
    both = _count(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?m itsrdf:taIdentRef ?a } "
                         "?a owl:sameAs wd:Q148 }")
    assert both == 2  # China is mentioned in both article graphs, described in neither
    pattern = "?e gk:participant ?a . ?a owl:sameAs wd:Q148"
    rows = _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    distinct = _count(store, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {pattern} }}")
    assert rows == distinct >= 1  # each event once (the old layout counted each one twice)
    # no article graph holds a description triple: no label, link or role of an actor
    for p in ("rdfs:label", "owl:sameAs", "gk:holdsRole", "gk:affiliatedWith"):
        assert _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s {p} ?o }} "
                             f"FILTER (?g != <{ACTORS_GRAPH}>) }}") == 0, p
    assert _count(store, f"""SELECT (COUNT(*) AS ?n) WHERE {{
        GRAPH <{ACTORS_GRAPH}> {{ ?s a ?t }} GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{ACTORS_GRAPH}>) }}""") == 0


def test_every_described_actor_has_one_label_and_one_type(china_store):
    store, _ = china_store
    several = store.query(f"""SELECT ?a WHERE {{ GRAPH <{ACTORS_GRAPH}> {{ ?a rdfs:label ?l }} }}
                              GROUP BY ?a HAVING (COUNT(?l) > 1)""")
    assert list(several) == []
    types = store.query(f"""SELECT ?a WHERE {{ GRAPH <{ACTORS_GRAPH}> {{ ?a rdfs:label ?l ; a ?t }} }}
                            GROUP BY ?a HAVING (COUNT(DISTINCT ?t) != 1)""")
    assert list(types) == []


def test_re_ingest_keeps_the_actors_graph(china_store, pipeline, tmp_path):
    from kg.pipeline import ingest

    store, _ = china_store
    before = store.get_graph(ACTORS_GRAPH)
    assert len(before) > 0
    report = ingest([str(DEV / CHINA_ARTICLES[0])], store, pipeline=pipeline, quarantine=tmp_path / "q")
    assert report.ok
    assert store.triple_count(ACTORS_GRAPH) == len(before)
    assert set(store.get_graph(ACTORS_GRAPH)) == set(before)


def test_pruning_after_removing_an_article_keeps_shared_actors(china_store):
    from kg.canonical import CANONICAL_GRAPH, update_canonical

    store, report = china_store
    first, second = (URIRef(s.graph_iri) for s in report.stored)

    def named(g):
        return {r[0] for r in store.query(f"SELECT DISTINCT ?a WHERE {{ GRAPH <{g}> {{ ?m itsrdf:taIdentRef ?a }} }}")}

    only_first, shared = named(first) - named(second), named(first) & named(second)
    assert ID["entity/Q148"] in shared and only_first  # China is in both; 036 names actors 038 does not
    assert prune_orphans(store) == 0  # nothing is orphaned while both articles are stored
    actors_before = store.get_graph(ACTORS_GRAPH)
    store.remove_graph(first)
    update_canonical(store)  # as after a batch: the canonical meetings no longer use 036's meetings
    # The rule of kg.actors.prune_orphans: (1) the gk:holdsRole / gk:roleOf / gk:affiliatedWith triples
    # that the remaining article graph does not assert (gk:assertsRole, gk:assertsAffiliation) go;
    # (2) kept = what another graph refers to, plus the nodes reached from those by the remaining links.
    rest = store.get_graph(second)
    roles = set(rest.objects(None, GK.assertsRole))
    affiliations = {(rest.value(st, RDF.subject), rest.value(st, RDF.object))
                    for st in rest.objects(None, GK.assertsAffiliation)}
    links = {(s, p, o) for s, p, o in actors_before
             if (p == GK.holdsRole and o in roles) or (p == GK.roleOf and s in roles)
             or (p == GK.affiliatedWith and (s, o) in affiliations)}
    dropped = {t for t in actors_before if t[1] in (GK.holdsRole, GK.roleOf, GK.affiliatedWith)} - links
    assert dropped  # 036 gives roles that 038 does not
    todo = {o for g in (second, CANONICAL_GRAPH) for o in store.get_graph(g).objects()}
    keep: set = set()
    while todo:
        node = todo.pop()
        if node not in keep:
            keep.add(node)
            todo |= {o for s, _, o in links if s == node}
    gone = {a for a in only_first if a not in keep}
    assert gone  # e.g. CCTV, which only 036 quotes
    assert prune_orphans(store) > 0
    after = store.get_graph(ACTORS_GRAPH)
    assert set(after.subjects()) == set(actors_before.subjects()) & keep
    assert shared <= set(after.subjects(RDFS.label)) and not gone & set(after.subjects())
    # kept descriptions are whole, less the links 036 alone asserted
    assert set(after) == {t for t in actors_before if t[0] in keep} - dropped
    # what remains is what the remaining article needs: it still validates with it
    from kg.validate import validate_dataset

    assert all(r.conforms for _, r in validate_dataset(store.dataset))


def test_a_failed_write_leaves_both_graphs_as_they_were(china_store, monkeypatch):
    import kg.actors
    from kg.rdf.mapping import ArticleGraphs

    store, report = china_store
    iri = URIRef(report.stored[0].graph_iri)
    article, actors = set(store.get_graph(iri)), set(store.get_graph(ACTORS_GRAPH))
    x = _one_actor_extraction("a0", "Xi Jinping", "Person", "Q15031")
    parts = to_graphs(x)
    # 1. a term Oxigraph rejects, in the actors part: refused before anything is written
    broken = Graph(identifier=ACTORS_GRAPH)
    broken += parts.actors
    broken.add((URIRef("not an IRI"), RDFS.label, Literal("x")))
    bad = ArticleGraphs(parts.article, broken)
    with pytest.raises(StoreError, match="rejects the term"):
        store.write_articles([parts, bad])
    # 2. the update fails at its last operation: the drop, inserts and deletes before it are rolled back
    real = kg.actors.write_update
    monkeypatch.setattr(kg.actors, "write_update",
                        lambda articles: (real(articles)[0] + " ;\nDROP GRAPH <urn:x:absent>", 0))
    renamed = _one_actor_extraction(report.stored[0].graph_iri.rsplit("/", 1)[-1], "Xi", "Person", "Q15031")
    with pytest.raises(StoreError, match="does not exist"):
        store.write_articles([to_graphs(renamed)])
    assert set(store.get_graph(iri)) == article and set(store.get_graph(ACTORS_GRAPH)) == actors
    assert not store.has_graph(graph_iri("a0"))


def _one_actor_extraction(article_id: str, label: str, type_: str, qid: str | None,
                          roles: tuple[Role, ...] = ()) -> Extraction:
    body = f"{label} spoke."
    key = f"{type_.lower()}:{label.lower()}"
    entity = Entity(key, label, type_, (Mention(label, 0, len(label), key),), roles, qid)
    return Extraction(Article(article_id, f"file:///{article_id}.txt", "Spoke", body, date(2025, 1, 1)), (entity,))


def test_single_valued_facts_are_replaced_and_links_accumulate():
    ushakov = ID["entity/person/yuri-ushakov"]
    with open_store("memory") as store:
        first = _one_actor_extraction("b1", "Yuri Ushakov", "Person", None, (Role("adviser"),))
        second = _one_actor_extraction("b2", "YURI USHAKOV", "Person", None, (Role("aide"),))
        store.write_articles([to_graphs(first)])
        store.write_articles([to_graphs(second)])
        actors = store.get_graph(ACTORS_GRAPH)
        assert list(actors.objects(ushakov, RDFS.label)) == [Literal("YURI USHAKOV")]  # the latest write wins
        assert list(actors.objects(ushakov, RDF.type)) == [GK.Person]
        assert {str(actors.value(r, GK.roleTitle)) for r in actors.objects(ushakov, GK.holdsRole)} == {
            "adviser", "aide"}  # roles seen in any article accumulate
        store.update(f"INSERT DATA {{ GRAPH <{ACTORS_GRAPH}> {{ <{ushakov}> owl:sameAs wd:Q4115189 }} }}")
        store.write_articles([to_graphs(first)])  # re-ingest: relink's owl:sameAs is kept
        assert (ushakov, OWL.sameAs, WD.Q4115189) in store.get_graph(ACTORS_GRAPH)
        assert store.get_graph(ACTORS_GRAPH).value(ushakov, RDFS.label) == Literal("Yuri Ushakov")
        # one batch, two articles: the later one in the batch wins
        store.write_articles([to_graphs(second), to_graphs(first)])
        assert list(store.get_graph(ACTORS_GRAPH).objects(ushakov, RDFS.label)) == [Literal("Yuri Ushakov")]
        assert store.graph_iris() == sorted([ACTORS_GRAPH, graph_iri("b1"), graph_iri("b2")])


def test_void_counts_articles_not_the_actors_graph():
    from rdflib import Graph as RDFGraph

    from service.app import create_app

    void = "http://rdfs.org/ns/void#"
    with open_store("memory") as store:
        store.write_articles([to_graphs(_one_actor_extraction(a, "Yuri Ushakov", "Person", None))
                              for a in ("c1", "c2")])
        assert len(store.graph_iris()) == 3  # two articles and the actors graph
        response = create_app({"STORE": store, "TESTING": True}).test_client().get("/.well-known/void")
        assert response.status_code == 200
    g = RDFGraph().parse(data=response.data, format="turtle")
    counts = {g.value(p, URIRef(void + "class")): int(g.value(p, URIRef(void + "entities")))
              for p in g.objects(None, URIRef(void + "classPartition"))}
    assert counts[GK.Article] == 2


class _FixedExtraction:
    """Stands in for the extraction of a Pipeline (no spaCy): ``extract`` returns the given Extraction
    of the article id, as after a change of the extraction rules; the rest of ``Pipeline.process``
    (mapping, SHACL, storing) and of the batch (pruning, canonical meetings) is the real one."""

    def __init__(self, *extractions: Extraction) -> None:
        from kg.pipeline import Pipeline

        self._by_id = {x.article.article_id: x for x in extractions}
        self.process = Pipeline.process.__get__(self)

    def extract(self, article: Article) -> Extraction:
        return self._by_id[article.article_id]


def _adviser_extraction(article_id: str, titles: tuple[str, ...], affiliated: bool) -> Extraction:
    """"Yuri Ushakov of the Kremlin spoke.": Ushakov with roles ``titles``, affiliated with the Kremlin or not."""
    body = "Yuri Ushakov of the Kremlin spoke."
    kremlin = Entity("gov:kremlin", "Kremlin", "GovernmentBody", (Mention("Kremlin", 20, 27, "gov:kremlin"),))
    ushakov = Entity("person:ushakov", "Yuri Ushakov", "Person", (Mention("Yuri Ushakov", 0, 12, "person:ushakov"),),
                     tuple(Role(t) for t in titles), affiliation_key="gov:kremlin" if affiliated else None)
    return Extraction(Article(article_id, f"file:///{article_id}.txt", "Spoke", body, date(2025, 1, 1)),
                      (ushakov, kremlin))


def test_re_ingest_retracts_the_roles_and_affiliations_the_article_no_longer_gives(tmp_path):
    from kg.pipeline import ingest_articles

    ushakov, kremlin = ID["entity/person/yuri-ushakov"], ID["entity/governmentbody/kremlin"]
    adviser, aide = ID["role/person/yuri-ushakov/adviser"], ID["role/person/yuri-ushakov/aide"]
    first = _adviser_extraction("d1", ("adviser",), True)
    second = _adviser_extraction("d2", ("adviser", "aide"), False)
    fixed = _adviser_extraction("d1", (), False)  # d1 again, after an extraction fix: no role, no affiliation

    def batch(*xs):
        report = ingest_articles([x.article for x in xs], store, pipeline=_FixedExtraction(*xs),
                                 quarantine=tmp_path / "q")
        assert report.ok, report
        return store.get_graph(ACTORS_GRAPH)

    with open_store("memory") as store:
        actors = batch(first, second)
        assert set(actors.objects(ushakov, GK.holdsRole)) == {adviser, aide}
        assert (ushakov, GK.affiliatedWith, kremlin) in actors
        d1 = store.get_graph(graph_iri("d1"))
        assert set(d1.objects(None, GK.assertsRole)) == {adviser}  # the provenance, in the article graph
        [statement] = d1.objects(None, GK.assertsAffiliation)
        assert (d1.value(statement, RDF.subject), d1.value(statement, RDF.object)) == (ushakov, kremlin)

        actors = batch(fixed)
        # the affiliation only d1 gave is gone; "adviser", which d2 also gives, stays
        assert (ushakov, GK.affiliatedWith, None) not in actors
        assert set(actors.objects(ushakov, GK.holdsRole)) == {adviser, aide}
        assert (kremlin, RDFS.label, Literal("Kremlin")) in actors  # still mentioned by both articles

        store.remove_graph(graph_iri("d2"))
        assert prune_orphans(store) > 0
        actors = store.get_graph(ACTORS_GRAPH)
        assert (ushakov, GK.holdsRole, None) not in actors  # no article gives him a role any more
        assert (adviser, None, None) not in actors and (aide, None, None) not in actors  # role nodes pruned
        assert actors.value(ushakov, RDFS.label) == Literal("Yuri Ushakov")  # d1 still mentions him
        assert prune_orphans(store) == 0


def test_a_role_two_articles_assert_survives_the_removal_of_one():
    ushakov = ID["entity/person/yuri-ushakov"]
    adviser = ID["role/person/yuri-ushakov/adviser"]
    with open_store("memory") as store:
        store.write_articles([to_graphs(_adviser_extraction(a, ("adviser",), True)) for a in ("e1", "e2")])
        store.remove_graph(graph_iri("e1"))
        assert prune_orphans(store) == 0  # e2 asserts the same role and affiliation
        actors = store.get_graph(ACTORS_GRAPH)
        assert (ushakov, GK.holdsRole, adviser) in actors and actors.value(adviser, GK.roleTitle) == Literal("adviser")
        assert (ushakov, GK.affiliatedWith, ID["entity/governmentbody/kremlin"]) in actors
        store.remove_graph(graph_iri("e2"))
        prune_orphans(store)
        assert len(store.get_graph(ACTORS_GRAPH)) == 0
