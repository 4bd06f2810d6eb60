"""Tests of ``kg.evaluate``: the scoring rules of corpus/README.md on the real gold of dev/004.

dev/004 ("Kremlin: U.S. to blame for no Putin-Trump bilateral meeting in Vietnam") has one
occurred meeting (Trump-Putin on the APEC sidelines) and one cancelled one, 6 statements,
7 positions and 8 gold QIDs (Putin, Trump, Russia, USA, Vietnam, Syria, Clinton, Reuters).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from kg.errors import ReadError
from kg.evaluate import evaluate, evaluate_cli, load_gold, load_gold_dir
from kg.evaluate import predicted as pred_mod
from kg.evaluate.gold import GoldArticle
from kg.evaluate.predicted import (PredictedActor, PredictedArticle, PredictedMeeting, PredictedPosition,
                                   PredictedStatement, read_predicted)
from kg.evaluate.report import render
from kg.evaluate.score import (entity_matches, max_matching, score_article, sentences_overlap, words)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV = SHARED / "corpus" / "dev"
NAME_004 = "004-kremlin-u-blame-no-putin-trump.txt"
GOLD_004 = DEV / "004-kremlin-u-blame-no-putin-trump.gold.json"

GK = Namespace("https://w3id.org/geokg/ontology#")
SCHEMA = Namespace("http://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
ID = Namespace("https://w3id.org/geokg/id/")
WD = Namespace("http://www.wikidata.org/entity/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # open namespace: pytest's collection probes globals

needs_corpus = pytest.mark.skipif(not GOLD_004.is_file(),
                                  reason=f"the shared corpus is absent ({GOLD_004} not found)")


@pytest.fixture(scope="module")
def gold() -> GoldArticle:
    if not GOLD_004.is_file():
        pytest.skip(f"the shared corpus is absent ({GOLD_004} not found)")
    return load_gold(GOLD_004)


# -- building predictions by hand -----------------------------------------------------------

def actor(gold: GoldArticle, entity_id: str) -> PredictedActor:
    """The extracted actor a perfect extractor gives for a gold entity: its name and QID."""
    e = gold.entity(entity_id)
    return PredictedActor(f"https://w3id.org/geokg/id/entity/{entity_id}", frozenset({e.name}),
                          frozenset({e.qid}) if e.qid else frozenset())


def perfect(gold: GoldArticle) -> PredictedArticle:
    """A prediction built from the gold itself (every meeting keeps its gold status)."""
    return PredictedArticle(
        url=f"file:///corpus/{gold.name}",
        meetings=[PredictedMeeting(f"m{i}", tuple(actor(gold, p) for p in m.participants), m.evidence,
                                   m.status, None if m.mode == "unknown" else m.mode, m.date)
                  for i, m in enumerate(gold.meetings)],
        statements=[PredictedStatement(f"s{i}", (actor(gold, s.speaker),), s.evidence)
                    for i, s in enumerate(gold.statements)],
        positions=[PredictedPosition(f"p{i}", (actor(gold, p.holder),), p.evidence, p.stance)
                   for i, p in enumerate(gold.positions)],
        qids={q: q for q in gold.qids})


# -- scoring functions -----------------------------------------------------------------------

@needs_corpus
def test_gold_004_loads_as_read(gold):
    assert gold.name == NAME_004
    assert [m.status for m in gold.meetings] == ["occurred", "cancelled"]
    assert (len(gold.statements), len(gold.positions)) == (6, 7)
    assert gold.qids == {"Q7747", "Q22686", "Q159", "Q30", "Q881", "Q858", "Q6294", "Q130879"}


@needs_corpus
def test_perfect_prediction_scores_one_everywhere(gold):
    r = score_article(perfect(gold), gold)
    for kind in ("meetings", "statements", "positions", "linking"):
        c = r.kinds[kind].counts
        assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0), kind
    # the cancelled gold meeting is in neither total; its extracted copy is "not scored"
    assert (r.kinds["meetings"].counts.gold, r.kinds["meetings"].unscored) == (1, 1)
    # the occurred meeting is dated 2017-11-11 (Saturday) and in person
    assert (r.date.correct, r.date.n, r.mode.correct, r.mode.n) == (1, 1, 1, 1)


@needs_corpus
@pytest.mark.parametrize("kind", ["meetings", "statements", "positions", "linking"])
def test_removing_one_item_lowers_recall_by_one_over_n(gold, kind):
    full = perfect(gold)
    if kind == "linking":
        first = sorted(full.qids)[0]
        less = dataclasses.replace(full, qids={q: q for q in full.qids if q != first})
    else:
        items = getattr(full, kind)
        less = dataclasses.replace(full, **{kind: items[1:]})  # meetings[0] is the occurred one
    n = score_article(full, gold).kinds[kind].counts.gold
    c = score_article(less, gold).kinds[kind].counts
    assert c.recall == pytest.approx(1.0 - 1.0 / n)
    assert c.precision == (1.0 if c.predicted else 0.0)  # dev/004 has one occurred meeting: none left


@needs_corpus
def test_wrong_speaker_is_not_a_true_positive(gold):
    full = perfect(gold)
    kremlin_said = full.statements[0]  # gold: the Kremlin said on Sunday that inflexibility ...
    wrong = dataclasses.replace(kremlin_said, speakers=(actor(gold, "peskov"),))
    r = score_article(dataclasses.replace(full, statements=[wrong, *full.statements[1:]]), gold)
    res = r.kinds["statements"]
    assert res.counts.tp == len(gold.statements) - 1
    assert res.false_positives == [wrong]
    assert res.false_negatives == [gold.statements[0]]


@needs_corpus
def test_position_with_wrong_stance_is_not_a_true_positive(gold):
    full = perfect(gold)
    flipped = dataclasses.replace(full.positions[0], stance="support")  # gold: Kremlin opposes
    r = score_article(dataclasses.replace(full, positions=[flipped, *full.positions[1:]]), gold)
    assert r.kinds["positions"].counts.tp == len(gold.positions) - 1


@needs_corpus
def test_meeting_with_one_matching_participant_is_not_a_true_positive(gold):
    sentence = gold.meetings[0].evidence
    xi = PredictedActor("xi", frozenset({"Xi Jinping"}), frozenset({"Q15031"}))
    one = PredictedMeeting("m", (actor(gold, "putin"), xi), sentence, "occurred")
    r = score_article(PredictedArticle("u", meetings=[one]), gold)
    assert (r.kinds["meetings"].counts.tp, r.kinds["meetings"].counts.predicted) == (0, 1)
    # two extracted actors that both match Putin are still one participant
    putin_again = PredictedActor("p2", frozenset({"Putin"}))
    twice = PredictedMeeting("m", (actor(gold, "putin"), putin_again), sentence, "occurred")
    assert score_article(PredictedArticle("u", meetings=[twice]), gold).kinds["meetings"].counts.tp == 0


@needs_corpus
def test_planned_meeting_does_not_count(gold):
    m = gold.meetings[0]
    parts = tuple(actor(gold, p) for p in m.participants)
    for status, expected in (("planned", (0, 0, 1)), (None, (1, 1, 0)), ("occurred", (1, 1, 0))):
        r = score_article(PredictedArticle("u", meetings=[PredictedMeeting("m", parts, m.evidence, status)]), gold)
        res = r.kinds["meetings"]
        assert (res.counts.tp, res.counts.predicted, res.unscored) == expected, status


@needs_corpus
def test_denied_or_planned_statement_does_not_count(gold):
    # the gold lists speech acts reported as made; a denied or hypothetical one is left out of
    # the score on the extracted side, as for meetings, and counted as "not scored"
    s = gold.statements[0]
    speaker = (actor(gold, s.speaker),)
    for status, expected in (("denied", (0, 0, 1)), ("planned", (0, 0, 1)), (None, (1, 1, 0)),
                             ("occurred", (1, 1, 0))):
        st = PredictedStatement("s", speaker, s.evidence, status)
        r = score_article(PredictedArticle("u", statements=[st]), gold)
        res = r.kinds["statements"]
        assert (res.counts.tp, res.counts.predicted, res.unscored) == expected, status
    from kg.evaluate.score import EvalResult

    both = [PredictedStatement("a", speaker, s.evidence, "denied"), PredictedStatement("b", speaker, s.evidence)]
    result = EvalResult(articles=[score_article(PredictedArticle("u", statements=both), gold)])
    assert result.unscored_statements == 1
    assert "not scored: 1 extracted statement(s) with status denied/planned" in render(result)
    assert result.to_dict()["unscored_statements"] == 1


@needs_corpus
def test_each_gold_meeting_is_matched_once(gold):
    m = gold.meetings[0]
    parts = tuple(actor(gold, p) for p in m.participants)
    dupes = [PredictedMeeting(f"m{i}", parts, m.evidence, "occurred") for i in range(2)]
    c = score_article(PredictedArticle("u", meetings=dupes), gold).kinds["meetings"].counts
    assert (c.tp, c.predicted, c.gold) == (1, 2, 1)


def test_max_matching_finds_the_maximum_not_the_greedy_pairing():
    # greedy would give left 0 -> right 0 and leave left 1 unmatched
    assert max_matching([[0, 1], [0]]) == {0: 1, 1: 0}


GOLD_SENTENCE = ("Trump and Putin met briefly on the sidelines of the Asia-Pacific Economic Cooperation "
                 "summit in Vietnam on Saturday and agreed on a joint statement supporting a political "
                 "solution for Syria, but did not hold substantive bilateral talks.")


def test_words_are_lowercased_word_tokens():
    assert words("Russia’s President Vladimir Putin") == ["russia", "s", "president", "vladimir", "putin"]


def test_sentence_overlap_by_containment():
    assert sentences_overlap("Trump and Putin met briefly", GOLD_SENTENCE)
    assert sentences_overlap(GOLD_SENTENCE, "trump AND putin  met\nbriefly")  # case and white space
    # the body has two spaces where the gold evidence has one (dev/004, first sentence)
    assert sentences_overlap("the lack of a bilateral meeting  between Russia’s President",
                             "for the lack of a bilateral meeting between Russia’s President Vladimir Putin")
    assert not sentences_overlap(None, GOLD_SENTENCE)
    assert not sentences_overlap("", GOLD_SENTENCE)


@pytest.mark.parametrize("shorter, expected", [
    # 5 words, 3 of them (trump, putin, vietnam) in the gold sentence: 60% -> overlap
    ("Trump greeted Putin warmly, Vietnam", True),
    # 5 words, 2 of them (trump, putin): 40% -> no overlap
    ("Trump greeted Putin warmly yesterday", False),
    # 10 words, 6 shared (trump, putin, met, summit, in, vietnam; not at/one/last/week): 60% -> overlap
    ("Trump Putin met at one summit in Vietnam last week", True),
    # 7 words, 4 shared (trump, putin, met, vietnam): 57% -> no overlap
    ("Trump Putin met yesterday near Hanoi Vietnam", False),
])
def test_sentence_overlap_threshold_is_sixty_percent_of_the_shorter(shorter, expected):
    assert sentences_overlap(shorter, GOLD_SENTENCE) is expected
    assert sentences_overlap(GOLD_SENTENCE, shorter) is expected  # symmetric


@needs_corpus
def test_qid_match_beats_label_mismatch(gold):
    putin = gold.entity("putin")
    assert entity_matches(PredictedActor("a", frozenset({"Vladimir Vladimirovich Putin"}), frozenset({"Q7747"})), putin)
    # both carry a QID and they differ: no match even though the label is the gold name
    assert not entity_matches(PredictedActor("b", frozenset({"Vladimir Putin"}), frozenset({"Q1"})), putin)
    # no extracted QID: label against name and mentions, case-insensitive, white space normalised
    assert entity_matches(PredictedActor("c", frozenset({"  vladimir   PUTIN "})), putin)
    assert entity_matches(PredictedActor("d", frozenset({"Russia’s President Vladimir Putin"})), putin)
    assert not entity_matches(PredictedActor("e", frozenset({"Vladimir"})), putin)
    # gold without QID (Peskov): the extracted QID is ignored, the label decides
    assert entity_matches(PredictedActor("f", frozenset({"Peskov"}), frozenset({"Q1"})), gold.entity("peskov"))


# -- gold loader --------------------------------------------------------------------------------

@needs_corpus
def test_every_dev_gold_file_loads():
    files = sorted(DEV.glob("*.gold.json"))
    assert len(files) >= 25  # guard the count: dev holds 25 gold files
    golds = load_gold_dir(DEV)
    assert len(golds) == len(files)
    seed = next(g for g in golds if g.path.name == "000-seed.gold.json")
    assert seed.name == "000_e90bf088404a620c.txt"
    assert seed.article_path == (SHARED / "seeds" / "000_e90bf088404a620c.txt").resolve()


@needs_corpus
@pytest.mark.parametrize("damage, field", [
    (lambda d: d["meetings"][0].pop("evidence"), "meetings[0].evidence"),
    (lambda d: d["meetings"][0]["participants"].append("nobody"), "meetings[0].participants[2]"),
    (lambda d: d["statements"][1].update(speaker=None), "statements[1].speaker"),
    (lambda d: d["positions"][0].update(stance="neutral"), "positions[0].stance"),
    (lambda d: d["entities"][1].update(wikidata="7747"), "entities[1].wikidata"),
    (lambda d: d["meetings"][0].update(date="11 Nov 2017"), "meetings[0].date"),
    (lambda d: d.pop("positions"), "positions"),
])
def test_malformed_gold_is_refused_naming_file_and_field(tmp_path, damage, field):
    data = json.loads(GOLD_004.read_text(encoding="utf-8"))
    damage(data)
    bad = tmp_path / "bad.gold.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReadError) as err:
        load_gold(bad)
    assert str(bad) in str(err.value) and field in str(err.value)


def test_gold_that_is_not_json_is_refused(tmp_path):
    bad = tmp_path / "x.gold.json"
    bad.write_text('{"article": "x.txt", ', encoding="utf-8")
    with pytest.raises(ReadError, match="x.gold.json.*not JSON"):
        load_gold(bad)


# -- end to end on a hand-built Dataset ---------------------------------------------------------

def build_dataset(gold: GoldArticle, store: str = "default") -> Dataset:
    """An article graph in the fixed vocabulary: a Putin-Trump meeting, a Kremlin statement, mentions."""
    ds = Dataset(store=store, default_union=True)
    aid = "e2e004"
    g = ds.graph(ID[f"graph/{aid}"])
    art = ID[f"article/{aid}"]
    g.add((art, RDF.type, GK.Article))
    g.add((art, SCHEMA.url, URIRef(f"file:///data/corpus/dev/{NAME_004}")))
    putin, trump, kremlin = ID["entity/Q7747"], ID["entity/Q22686"], ID["entity/governmentbody/kremlin"]
    for node, label, qid in ((putin, "Vladimir Putin", "Q7747"), (trump, "Donald Trump", "Q22686"),
                             (kremlin, "Kremlin", None)):
        g.add((node, RDF.type, GK.Person if qid else GK.GovernmentBody))
        g.add((node, RDFS.label, Literal(label)))
        if qid:
            g.add((node, OWL.sameAs, WD[qid]))

    def evidence(text: str, start: int) -> URIRef:
        ev = ID[f"evidence/{aid}/{start}-{start + len(text)}"]
        g.add((ev, NIF.anchorOf, Literal(text)))
        g.add((ev, NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.add((ev, NIF.endIndex, Literal(start + len(text), datatype=XSD.nonNegativeInteger)))
        return ev

    meeting = ID[f"event/{aid}/meeting-000000000001"]
    g.add((meeting, RDF.type, GK.Meeting))
    g.add((meeting, PROV.wasDerivedFrom, art))
    g.add((meeting, GK.participant, putin))
    g.add((meeting, GK.participant, trump))
    g.add((meeting, GK.status, GK.Occurred))
    g.add((meeting, GK.mode, GK.InPerson))
    g.add((meeting, SEM_TS, Literal("2017-11-11", datatype=XSD.date)))
    g.add((meeting, GK.evidence, evidence(gold.meetings[0].evidence, 250)))
    said = ID[f"event/{aid}/statement-000000000002"]
    g.add((said, RDF.type, GK.Statement))
    g.add((said, PROV.wasDerivedFrom, art))
    g.add((said, GK.speaker, kremlin))
    g.add((said, GK.evidence, evidence(gold.statements[0].evidence, 0)))
    for start, text, node in ((130, "Putin", putin), (200, "Donald Trump", trump)):
        m = ID[f"mention/{aid}/{start}-{start + len(text)}"]
        g.add((m, NIF.anchorOf, Literal(text)))
        g.add((m, ITSRDF.taIdentRef, node))
        g.add((m, PROV.wasDerivedFrom, art))
    return ds


SEM_TS = URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasTimeStamp")


def _kgstore(ds: Dataset):
    """The same graphs in a ``kg.store.KGStore`` (in memory): the store ``kg evaluate`` really reads."""
    store_mod = pytest.importorskip("kg.store", reason="kg.store is not written yet")
    store = store_mod.open_store("memory")
    for graph in ds.graphs():
        if len(graph):
            store.replace_graph(graph.identifier, graph)
    return store


@needs_corpus
@pytest.mark.parametrize("backend", ["default", "Oxigraph", "kgstore"])  # rdflib memory, oxrdflib, KGStore
def test_evaluate_end_to_end_on_a_dataset(gold, tmp_path, backend):
    shutil.copy(GOLD_004, tmp_path / GOLD_004.name)
    if backend == "kgstore":
        store = _kgstore(build_dataset(gold))
    else:
        store = build_dataset(gold, backend)
    result = evaluate(tmp_path, store)
    assert result.warnings == []
    [art] = result.articles
    assert art.url == f"file:///data/corpus/dev/{NAME_004}"
    t = result.totals
    assert (t["meetings"].tp, t["meetings"].predicted, t["meetings"].gold) == (1, 1, 1)
    assert (t["statements"].tp, t["statements"].predicted) == (1, 1)
    assert (t["linking"].tp, t["linking"].predicted, t["linking"].gold) == (2, 2, 8)
    assert (result.date_accuracy.correct, result.mode_accuracy.correct) == (1, 1)
    json.dumps(result.to_dict())  # JSON friendly


@needs_corpus
def test_read_predicted_groups_rows_per_event(gold):
    arts = read_predicted(build_dataset(gold))
    [a] = arts.values()
    [m] = a.meetings
    assert sorted(p.display for p in m.participants) == ["Donald Trump", "Vladimir Putin"]
    assert (m.status, m.mode, m.date) == ("occurred", "in_person", "2017-11-11")
    assert [s.speakers[0].display for s in a.statements] == ["Kremlin"]
    assert pred_mod.qid_of("http://www.wikidata.org/entity/Q7747") == "Q7747"


@needs_corpus
def test_details_list_false_positives_and_negatives_readably(gold, tmp_path):
    shutil.copy(GOLD_004, tmp_path / GOLD_004.name)
    text = render(evaluate(tmp_path, build_dataset(gold)), details=True)
    assert f"== {NAME_004}" in text
    # Peskov's first quote was not extracted: shown with the speaker and the sentence's first 80 chars
    first80 = "“Unfortunately the American side did not offer any alternatives despite all effo"
    assert f"    FN  Dmitry Peskov | {first80}…" in text
    assert "    FN  Kremlin [oppose → U.S. inflexibility blamed for the lack of a bilateral meeting] | " in text
    [linking_fn] = [line for line in text.splitlines() if line.startswith("    FN  Q")]
    assert "Q6294 (Hillary Clinton)" in linking_fn and "Q7747" not in linking_fn  # Putin was linked


# -- evaluate_cli ---------------------------------------------------------------------------------

@needs_corpus
def test_evaluate_cli_ingests_the_gold_articles_and_reports_missing_ones(gold, tmp_path, monkeypatch):
    shutil.copy(GOLD_004, tmp_path / GOLD_004.name)
    shutil.copy(DEV / NAME_004, tmp_path / NAME_004)
    missing = json.loads(GOLD_004.read_text(encoding="utf-8"))
    missing["article"] = "../elsewhere/999-gone.txt"
    (tmp_path / "999-gone.gold.json").write_text(json.dumps(missing), encoding="utf-8")
    ingested: list[str] = []

    class Report:
        failed, quarantined = [], []

    def fake_ingest(paths, store, progress):
        ingested.extend(paths)
        return Report()

    import kg.evaluate as ev
    monkeypatch.setattr(ev, "_open_store", lambda location, read_only=False: build_dataset(gold))
    monkeypatch.setattr(ev, "_ingest", fake_ingest)
    text, code = evaluate_cli(tmp_path, None, details=False)
    assert code == 0
    assert ingested == [str((tmp_path / NAME_004).resolve())]
    assert "999-gone.gold.json: article file" in text and "is missing" in text
    assert "meetings" in text and "meeting date accuracy: 1/1" in text
    out, code = evaluate_cli(tmp_path, None, details=False, as_json=True)
    assert code == 0 and json.loads(out)["totals"]["meetings"]["tp"] == 1


def test_evaluate_cli_reports_a_bad_gold_dir(tmp_path):
    text, code = evaluate_cli(tmp_path / "nope", None, details=False)
    assert code == 2 and "nope" in text and "not a folder" in text


def test_evaluate_cli_reports_a_missing_store(tmp_path):
    pytest.importorskip("kg.store", reason="kg.store is not written yet")
    if not GOLD_004.is_file():
        pytest.skip(f"the shared corpus is absent ({GOLD_004} not found)")
    shutil.copy(GOLD_004, tmp_path / GOLD_004.name)
    text, code = evaluate_cli(tmp_path, str(tmp_path / "no-store"), details=False)
    assert code == 2 and "no-store" in text
    assert not (tmp_path / "no-store").exists()  # opened read-only: nothing created
