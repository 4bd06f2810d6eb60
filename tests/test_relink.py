"""``kg link``: re-linking a stored graph after a gazetteer refresh, on a real on-disk store.

The seed article is ingested with the shipped gazetteer: Yuri Ushakov (no QID in the dev gold or
the shared data), the Kremlin (known, no QID) and Al Jazeera (no QID in the gold) get local
IRIs. A refresh from the Oxigraph fixture (tests/fixtures/wikidata/synthetic.ttl, which files
Ushakov under the synthetic QID Q9900000001) then lets the linker link Ushakov; ``relink``
must add exactly his owl:sameAs and the score of his mentions, and change nothing else.
"""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import OWL

from kg.cli import main as cli
from kg.gazetteer import Gazetteer, default_gazetteer
from kg.gazetteer.refresh import refresh
from kg.model import Article, Entity, Extraction, Mention, Role
from kg.rdf.iris import ACTORS_GRAPH
from kg.rdf.mapping import to_graphs
from kg.rdf.vocab import GK, ID, ITSRDF, WD
from kg.relink import is_local, relink
from kg.store import open_store
from kg.validate import validate_dataset
from test_refresh import wikidata_endpoint  # noqa: F401  (the Oxigraph server fixture)

USHAKOV = ID["entity/person/yuri-ushakov"]
KREMLIN = ID["entity/governmentbody/kremlin"]
AL_JAZEERA = ID["entity/organization/al-jazeera"]
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, request):
    """An on-disk store holding the seed article, ingested by the real pipeline."""
    from conftest import SHARED

    seed = SHARED / "seeds" / "000_e90bf088404a620c.txt"
    if not seed.is_file():
        pytest.skip(f"seed article {seed} is absent")
    from kg.pipeline import ingest

    path = tmp_path_factory.mktemp("store") / "kg"
    with open_store(path) as store:
        report = ingest([str(seed)], store, quarantine=path.parent / "quarantine")
    assert report.ok and len(report.stored) == 1
    return path, report.stored[0].graph_iri


@pytest.fixture(scope="module")
def refreshed_gazetteer(wikidata_endpoint, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("gaz") / "gazetteer.jsonl.gz"
    refresh(wikidata_endpoint, None, out, qids=["Q9900000001"], min_interval=0, as_of=date(2026, 12, 1))
    return out


def _quads(store, graph_iri):
    """The article graph's triples with the actors graph's (where owl:sameAs is written, kg/actors.py)."""
    return set(store.get_graph(graph_iri)) | set(store.get_graph(ACTORS_GRAPH))


def test_relink_adds_same_as_without_changing_iris(seed_store, refreshed_gazetteer):
    path, graph_iri = seed_store
    with open_store(path) as store:
        before = _quads(store, graph_iri)
        assert (USHAKOV, None, None) in store.get_graph(ACTORS_GRAPH)
        assert (None, ITSRDF.taIdentRef, USHAKOV) in store.get_graph(graph_iri)
        assert relink(store, default_gazetteer()).added == []  # the shipped gazetteer links nothing new
        assert _quads(store, graph_iri) == before

        report = relink(store, Gazetteer.load(refreshed_gazetteer))
        after = _quads(store, graph_iri)
    assert [(c.actor, c.type, c.label, c.qid, c.score) for c in report.added] == [
        (str(USHAKOV), "Person", "Yuri Ushakov", "Q9900000001", 1.0)]
    assert report.written == [graph_iri] and report.invalid == [] and report.conflicts == {}
    assert report.candidates == 3  # Ushakov, the Kremlin, Al Jazeera
    assert before <= after  # nothing removed, no IRI renamed
    added = after - before
    mentions = {s for s, p, o in before if p == ITSRDF.taIdentRef and o == USHAKOV}
    assert len(mentions) >= 2  # "Yuri Ushakov", "Ushakov", ...
    # the score 1.0 comes back from Oxigraph in canonical form, "1"^^xsd:decimal
    assert added == {(USHAKOV, OWL.sameAs, WD.Q9900000001)} | {
        (m, GK.linkScore, Literal("1", datatype=XSD_DECIMAL)) for m in mentions}
    assert not any(p == OWL.sameAs and s in (KREMLIN, AL_JAZEERA) for s, p, o in after)


def test_relink_result_persists_conforms_and_is_idempotent(seed_store, refreshed_gazetteer):
    path, graph_iri = seed_store
    with open_store(path) as store:
        relink(store, Gazetteer.load(refreshed_gazetteer))
    with open_store(path, read_only=True) as store:
        assert (USHAKOV, OWL.sameAs, WD.Q9900000001) in store.get_graph(ACTORS_GRAPH)  # shared description
        assert (USHAKOV, OWL.sameAs, None) not in store.get_graph(graph_iri)
        assert all(report.conforms for _, report in validate_dataset(store.dataset))
    with open_store(path) as store:
        again = relink(store, Gazetteer.load(refreshed_gazetteer))
    assert again.added == [] and again.written == [] and again.candidates == 2


def test_cli_link(seed_store, refreshed_gazetteer):
    path, _ = seed_store
    result = CliRunner().invoke(cli, ["link", "--store", str(path), "--gazetteer", str(refreshed_gazetteer)])
    assert result.exit_code == 0, result.output
    assert f"gazetteer: {refreshed_gazetteer} (build date 2026-12-01)" in result.output
    result = CliRunner().invoke(cli, ["link", "--store", str(path), "--gazetteer", str(refreshed_gazetteer),
                                      "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "0 links to add in 0 of 1 graphs (2 unlinked actors checked); 0 not written" in result.output
    result = CliRunner().invoke(cli, ["link", "--store", str(path), "--gazetteer", str(path.parent / "nope.gz")])
    assert result.exit_code == 2 and "cannot read the gazetteer" in result.output


def _bush_graph(article_id: str, day: date):
    body = "President Bush said so."
    key = "person:bush"
    ent = Entity(key, "Bush", "Person", (Mention("Bush", 10, 14, key),), (Role("President"),))
    return to_graphs(Extraction(Article(article_id, f"file:///{article_id}.txt", "Bush", body, day), (ent,)))


def test_a_local_iri_linked_to_two_qids_is_a_conflict():
    # "President Bush" is George H. W. Bush (Q23505) in 1991 and George W. Bush (Q207) in 2005
    # (offices in kg/data/gazetteer-patch.yaml); both articles use the local IRI person/bush.
    bush = ID["entity/person/bush"]
    with open_store("memory") as store:
        for article_id, day in (("a1991", date(1991, 3, 1)), ("a2005", date(2005, 3, 1))):
            store.write_articles([_bush_graph(article_id, day)])
        assert is_local(bush) and not is_local(ID["entity/Q207"])
        report = relink(store, default_gazetteer())
        assert report.conflicts == {str(bush): ["Q207", "Q23505"]}
        assert report.added == [] and report.written == []
        alone = open_store("memory")
        alone.write_articles([_bush_graph("a2005", date(2005, 3, 1))])
        assert [c.qid for c in relink(alone, default_gazetteer()).added] == ["Q207"]
        alone.close()


def _local_persons_graph(article_id: str, day: date, names: tuple[str, ...]):
    """One article naming each of ``names`` as "President {name}" (unlinked: local IRIs person/{slug})."""
    body = " ".join(f"President {n} spoke." for n in names)
    entities, at = [], 0
    for n in names:
        start = body.index(f"President {n}", at) + len("President ")
        key = f"person:{n.lower()}"
        entities.append(Entity(key, n, "Person", (Mention(n, start, start + len(n), key),), (Role("President"),)))
        at = start
    return to_graphs(Extraction(Article(article_id, f"file:///{article_id}.txt", "Presidents", body, day),
                                tuple(entities)))


def test_a_link_is_withheld_everywhere_when_one_graph_naming_the_actor_does_not_conform():
    # Bush is named by two 2005 articles; the stored graph of the second is made non-conforming (a
    # second schema:headline, against gks:ArticleShape). The owl:sameAs of Bush would be shared by
    # both, so it is written for neither; Putin, named only by the first, is linked.
    bush, putin = ID["entity/person/bush"], ID["entity/person/putin"]
    day = date(2005, 3, 1)
    with open_store("memory") as store:
        store.write_articles([_local_persons_graph("c1", day, ("Bush", "Putin")),
                              _local_persons_graph("c2", day, ("Bush",))])
        store.update(f"INSERT DATA {{ GRAPH <{ID['graph/c2']}> {{ <{ID['article/c2']}> schema:headline \"Again\" }} }}")
        before = set(store.get_graph(ACTORS_GRAPH))
        dry = relink(store, default_gazetteer(), dry_run=True)
        assert set(store.get_graph(ACTORS_GRAPH)) == before
        report = relink(store, default_gazetteer())
        actors = store.get_graph(ACTORS_GRAPH)
        c1 = store.get_graph(ID["graph/c1"])
    for r in (dry, report):
        assert [(c.graph, c.actor, c.qid) for c in r.added] == [(str(ID["graph/c1"]), str(putin), "Q7747")]
        assert [g for g, _ in r.invalid] == [str(ID["graph/c2"])] and "headline" in r.invalid[0][1]
        assert r.withheld == {str(bush): ("Q207", [str(ID["graph/c2"])])}
    assert report.written == [str(ID["graph/c1"])]
    assert (putin, OWL.sameAs, WD.Q7747) in actors and (bush, OWL.sameAs, None) not in actors
    bush_mentions = set(c1.subjects(ITSRDF.taIdentRef, bush))
    assert bush_mentions and not any((m, GK.linkScore, None) in c1 for m in bush_mentions)
    assert any((m, GK.linkScore, None) in c1 for m in c1.subjects(ITSRDF.taIdentRef, putin))
    text = report.text()
    assert f"withheld: {bush} owl:sameAs wd:Q207 not written in any graph: {ID['graph/c2']}" in text
    assert "1 link added in 1 of 2 graphs (3 unlinked actors checked); 1 not written, 1 withheld" in text
