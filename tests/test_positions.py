"""Positions (kg.extract.positions) on real sentences of the seed and the dev corpus.

Every expectation below was checked by reading the sentence (quoted in the test) against
the gold annotation of its article in ``shared/corpus/dev/*.gold.json``; the pipeline
stages are the real ones (spaCy pipeline, gazetteer, linking), loaded once per module.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, SHARED

SEED = REPO / "seeds" / "000_e90bf088404a620c.txt"
DEV = SHARED / "corpus" / "dev"


@pytest.fixture(scope="module")
def run():
    """``run(path)`` -> (article, index, positions) through the real pipeline stages."""
    from kg.pipeline import Pipeline

    try:
        pipe = Pipeline()
    except Exception as exc:  # ModelError / GazetteerError: the resources are not installed
        pytest.skip(f"pipeline resources unavailable: {exc}")
    cache: dict[Path, tuple] = {}

    def _run(path: Path):
        if path not in cache:
            from kg.extract.entities import extract_entities
            from kg.extract.index import EntityIndex
            from kg.extract.positions import extract_positions
            from kg.linking import link_entities
            from kg.nlp import parse
            from kg.readers import read_path

            article = read_path(path)[0]
            parsed = parse(article, pipe.nlp)
            entities = link_entities(extract_entities(parsed, pipe.gazetteer), article, pipe.gazetteer)
            index = EntityIndex(parsed, entities)
            cache[path] = (article, index, extract_positions(parsed, index))
        return cache[path]

    return _run


def dev(name: str) -> Path:
    if not DEV.is_dir():
        pytest.skip(f"dev corpus {DEV} is absent")
    return next(DEV.glob(f"{name}*.txt"))


def in_sentence(positions, fragment: str):
    return [p for p in positions if fragment in p.evidence.text]


def holder_qids(index, positions, stance: str) -> set[str | None]:
    return {index.entity(p.holder).qid for p in positions if p.stance == stance}


# -- the seed (required by the issue) ---------------------------------------------------------

def test_seed_russia_supports_one_china_principle(run):
    # "Ushakov emphasized that Russia “confirmed its unwavering position of support for the one
    # China principle,”": the holder is Russia (the embedded subject), not the reporter.
    _article, index, positions = run(SEED)
    found = in_sentence(positions, "position of support for the one China principle")
    russia = [p for p in found if index.entity(p.holder).qid == "Q159"]
    assert russia and russia[0].stance == "support"
    assert russia[0].kind == "reaffirm"
    assert "one China principle" in russia[0].target_text
    assert russia[0].cameo.startswith("05")


def test_seed_taiwan_rejects_chinas_claims(run):
    # "Taiwan’s government has consistently rejected China’s claims.": actor_of("government") is
    # Taiwan; the target phrase's possessor is China.
    _article, index, positions = run(SEED)
    found = in_sentence(positions, "consistently rejected China’s claims")
    assert len(found) == 1
    p = found[0]
    assert index.entity(p.holder).qid == "Q865"
    assert (p.stance, p.kind, p.cameo) == ("oppose", "reject", "120")
    assert p.target_text == "China’s claims"
    assert index.entity(p.target).qid == "Q148"


def test_seed_not_x_contrast_opposes_the_alternative(run):
    # "He clarified that Putin is seeking a long-term peace, not a short-term ceasefire." - gold:
    # Putin opposes a short-term ceasefire.
    _article, index, positions = run(SEED)
    found = in_sentence(positions, "not a short-term ceasefire")
    assert [(index.entity(p.holder).qid, p.stance) for p in found] == [("Q7747", "oppose")]
    assert found[0].target_text == "a short-term ceasefire"


def test_seed_ascription_and_two_stances_in_one_sentence(run):
    # "Putin has recently described China as an “ally.”" -> Putin supports China.
    _article, index, positions = run(SEED)
    ally = in_sentence(positions, "described China as an")
    assert [(index.entity(p.holder).qid, p.stance) for p in ally] == [("Q7747", "support")]
    assert index.entity(ally[0].target).qid == "Q148"
    # "Xi has also called for talks to end the conflict, while accusing the US of fueling it…":
    # gold has both Xi's support (urge talks) and his opposition (accuse the US).
    xi = in_sentence(positions, "called for talks to end the conflict")
    assert {(index.entity(p.holder).qid, p.stance) for p in xi} == {("Q15031", "support"), ("Q15031", "oppose")}
    accuse = next(p for p in xi if p.stance == "oppose")
    assert accuse.kind == "accuse" and index.entity(accuse.target).qid == "Q30"


def test_seed_statements_of_fact_are_no_positions(run):
    # "No specific proposals for a call between Putin and Trump have been made, Ushakov said."
    _article, _index, positions = run(SEED)
    assert in_sentence(positions, "No specific proposals for a call") == []


def test_positions_are_well_formed(run):
    article, index, positions = run(SEED)
    assert positions
    for p in positions:
        assert article.body[p.evidence.start:p.evidence.end] == p.evidence.text
        assert p.stance in ("support", "oppose")
        assert 0.0 <= p.confidence <= 1.0
        assert re.fullmatch(r"\d{2,4}", p.cameo)
        assert p.holder in index.entities
        assert p.target is None or p.target in index.entities
        assert p.target != p.holder


# -- the dev corpus ----------------------------------------------------------------------------

def test_reversal_demand_is_opposition(run):
    # "North Korea called on Friday for a halt to what it called “brutal sanctions”…" - gold:
    # north_korea oppose (demand). The article is of Friday 2017-11-03: "on Friday" is that day.
    _article, index, positions = run(dev("019"))
    found = in_sentence(positions, "called on Friday for a halt")
    nk = [p for p in found if index.entity(p.holder).qid == "Q423"]
    assert [p.stance for p in nk] == ["oppose"]
    assert nk[0].date is not None and nk[0].date.value == date(2017, 11, 3)


def test_dated_criticism(run):
    # "Britain criticised Trump on Wednesday after he retweeted…" (published Thursday 2017-11-30).
    _article, index, positions = run(dev("017"))
    found = in_sentence(positions, "Britain criticised Trump on Wednesday")
    uk = [p for p in found if index.entity(p.holder).qid == "Q145"]
    assert len(uk) == 1 and (uk[0].stance, uk[0].kind) == ("oppose", "criticize")
    assert index.entity(uk[0].target).qid == "Q22686"
    assert uk[0].date.value == date(2017, 11, 29) and uk[0].date.precision == "day"


def test_rejecting_someones_call(run):
    # "Vladimir Putin had earlier rejected Erdoğan’s calls for a ceasefire in Idlib…" - gold:
    # putin oppose; the target's possessor is Erdogan.
    _article, index, positions = run(dev("030"))
    found = in_sentence(positions, "had earlier rejected Erdoğan’s calls")
    putin = [p for p in found if index.entity(p.holder).qid == "Q7747"]
    assert [p.stance for p in putin] == ["oppose"]
    assert index.entity(putin[0].target).qid == "Q39259"


def test_negated_consent_in_a_quote_is_a_refusal(run):
    # "“We will neither watch from the sidelines nor participate in such a game,” Erdoğan said…"
    # - gold: erdogan oppose (reject); "We" is the speaker.
    _article, index, positions = run(dev("030"))
    found = in_sentence(positions, "We will neither watch from the sidelines")
    assert [(index.entity(p.holder).qid, p.stance) for p in found] == [("Q39259", "oppose")]


def test_want_is_a_demand(run):
    # "Moscow wants Kyiv to pull its troops from the entire region…" - gold: russia support (demand).
    _article, index, positions = run(dev("049"))
    found = in_sentence(positions, "Moscow wants Kyiv to pull its troops")
    assert [(index.entity(p.holder).qid, p.stance) for p in found] == [("Q159", "support")]
    # CAMEO 1.1b3 1056 "Demand de-escalation of military engagement" (106 is "Demand meeting,
    # negotiation" there; "106 demand withdrawal" is GDELT's numbering, not the codebook's)
    assert found[0].cameo == "1056"


@pytest.mark.parametrize("code, sentence, holder_qid", [
    # dev/019 "North Korea called on Friday for a halt to what it called “brutal sanctions”": 1054
    # demand easing of economic sanctions
    ("1054", "North Korea called on Friday for a halt to what it called", "Q423"),
    # dev/025 "The UK remains committed to Assad’s removal …": 1041 demand change in leadership
    ("1041", "The UK remains committed to Assad’s removal", "Q145"),
    # dev/030 "… Erdoğan’s calls for a ceasefire in Idlib": an appeal, 0256 appeal for de-escalation
    ("0256", "Vladimir Putin had earlier rejected Erdoğan’s calls for a ceasefire", "Q39259"),
    # dev/043 "… urged Pyongyang to cease provocations": to end something not named by a code, 105
    ("105", None, None),
])
def test_demands_and_appeals_are_coded_by_what_they_ask_for(run, code, sentence, holder_qid):
    if sentence is None:
        _article, index, positions = run(dev("043"))
        found = [p for p in positions if "cease provocations" in p.target_text]
        assert found and {p.cameo for p in found} == {code}
        return
    number = {"1054": "019", "1041": "025", "0256": "030"}[code]
    _article, index, positions = run(dev(number))
    found = [p for p in in_sentence(positions, sentence) if index.entity(p.holder).qid == holder_qid]
    assert [p.cameo for p in found if p.kind in ("demand", "urge")] == [code]


@pytest.mark.parametrize("phrase, appeal, ended, code", [
    ("a ceasefire in Idlib", False, False, "1056"),
    ("a ceasefire in Idlib", True, False, "0256"),
    ("Kyiv to pull its troops from the entire region", False, False, "1056"),
    ("the withdrawal of an offer to him", False, True, "105"),  # dev/016: not a military withdrawal
    ("talks on a ceasefire", False, False, "106"),  # the head asks for talks
    ("the release of the detained journalists", False, False, "1053"),
    ("mediation by the African Union", True, False, "028"),
    ("a political settlement of the conflict", False, False, "107"),
    ("humanitarian aid for Gaza", False, False, "1033"),
    ("fair trade for the United States", False, False, "100"),
    ("an end to the talks", False, True, "105"),  # ending talks is no demand to meet (106)
    ("an end to the talks", True, True, "025"),
    ("an end to the shelling of Kharkiv", False, True, "1056"),
    ("a halt to the sanctions on Iran", False, True, "1054"),
    ("an immediate cease-fire in Gaza", False, False, "1056"),  # spaCy splits "cease-fire"
])
def test_demand_cameo_table(phrase, appeal, ended, code):
    from kg import settings
    from kg.extract.demand_codes import demand_cameo
    from kg.nlp import load_pipeline

    doc = load_pipeline(settings.get("spacy_model"))(phrase)  # cached: the pipeline's own model
    head = next(t for t in doc if t.dep_ == "ROOT")
    assert demand_cameo(doc, head, appeal=appeal, ended=ended) == code


def test_wish_complement_is_not_the_subjects_stance(run):
    # "China “hopes that the U.S. side continues to scrupulously abide by the ‘one China’
    # principle…”, Xi added." - gold: china support (urge); no stance of the U.S. side.
    _article, index, positions = run(dev("001"))
    found = in_sentence(positions, "scrupulously abide by")
    assert holder_qids(index, found, "support") == {"Q148"}
    assert holder_qids(index, found, "oppose") == set()


def test_reports_of_fact_and_headline_lines_are_no_positions(run):
    _article, _index, positions = run(dev("049"))
    # "Russia and Ukraine have exchanged 157 prisoners of war each, the Russian Defense Ministry said."
    assert in_sentence(positions, "have exchanged 157 prisoners of war") == []
    # a headline line caught in the body, no final punctuation
    assert in_sentence(positions, "Russia demands Ukraine give up land in Donetsk region") == []
    # "It repeatedly refused to be drawn into the content of the videos…" (016): no comment, no stance
    _article, _index, positions = run(dev("016"))
    assert in_sentence(positions, "refused to be drawn into the content") == []


def test_valence_ignores_the_event_words_of_war_reporting():
    pytest.importorskip("vaderSentiment")
    from kg.extract.stance_context import valence

    # from 049: a report of losses is not a stance
    text = "about 55,000 Ukrainian soldiers had been killed on the battlefield"
    assert valence(text) == 0.0
    assert valence(text, events_neutral=False) < 0
    assert valence("a “hateful organization”") < 0  # 016, May on Britain First


# -- evaluative speech (rule 7): negated claims, commitments ------------------------------------

def test_negated_claim_in_reported_speech_is_opposition(run):
    # 004: "“The Americans showed no flexibility, and unfortunately did not offer any other
    # alternative proposals.”" (Peskov, quote continued from the sentence before) - gold:
    # peskov oppose (accuse). 032: "“Don’t overburden Iraq with your own issues,” Salih said" -
    # gold: salih oppose (reject).
    _article, index, positions = run(dev("004"))
    found = in_sentence(positions, "The Americans showed no flexibility")
    assert [(index.entity(p.holder).label, p.stance) for p in found] == [("Dmitry Peskov", "oppose")]
    _article, index, positions = run(dev("032"))
    found = in_sentence(positions, "Don’t overburden Iraq with your own issues")
    assert [(index.entity(p.holder).label, p.stance) for p in found] == [("Barham Salih", "oppose")]


def test_commitment_of_the_speakers_side_is_support(run):
    # 024: "We’re going to be removing our troops,” he told reporters." (Trump) - gold: trump
    # support (reaffirm: pulling US troops back from Syria). CAMEO 030, intent to cooperate.
    _article, index, positions = run(dev("024"))
    found = in_sentence(positions, "going to be removing our troops")
    assert [(index.entity(p.holder).qid, p.stance, p.cameo) for p in found] == [("Q22686", "support", "030")]


def test_reports_of_fact_with_a_negated_subject_are_no_positions(run):
    # 049: "Zelenskiy said this week that about 55,000 Ukrainian soldiers had been killed on the
    # battlefield, but gave no details…" - no gold position: a report of losses.
    _article, _index, positions = run(dev("049"))
    assert in_sentence(positions, "55,000 Ukrainian soldiers had been killed") == []


# -- holders ------------------------------------------------------------------------------------

def test_they_after_a_joint_statement_is_every_party_to_it(run):
    # 056: "The Economic Community of West African States, the U.N. and African Union echoed the
    # sentiment in a joint statement:" then "\"They call on the government of The Gambia to
    # abide by…" - gold: ecowas, un and au each support (demand).
    _article, index, positions = run(dev("056"))
    found = in_sentence(positions, "They call on the government of The Gambia")
    assert {(index.entity(p.holder).qid, p.stance) for p in found} == {
        ("Q193272", "support"), ("Q1065", "support"), ("Q7159", "support")}


def test_coordinated_demonyms_name_both_states(run):
    # 047: "While Ukrainian and Russian officials have agreed in principle with Washington’s
    # calls for a compromise, …" - gold: ukraine and russia support (agree), usa support (urge).
    _article, index, positions = run(dev("047"))
    found = in_sentence(positions, "Ukrainian and Russian officials have agreed in principle")
    assert holder_qids(index, found, "support") == {"Q212", "Q159", "Q30"}


def test_people_of_a_nation_are_not_its_state(run):
    # 016: "As British politicians lined up to condemn Trump for sharing videos…": the politicians
    # are not named and are not the United Kingdom (no gold position of the UK here).
    _article, index, positions = run(dev("016"))
    found = in_sentence(positions, "As British politicians lined up to condemn Trump")
    assert "Q145" not in holder_qids(index, found, "oppose")


# -- factuality (issue 3): negated, denied and hypothetical stances are marked ------------------

def test_negated_and_denied_stances_are_marked_denied(run):
    # 022: "Trump did not raise concerns about escalating violence in Afrin, the official said…"
    # and "The official also denied that Trump had “expressed concern about destructive and false
    # rhetoric coming from Turkey”…": the official says Trump held no such stance.
    _article, index, positions = run(dev("022"))
    for fragment in ("Trump did not raise concerns about escalating violence",
                     "The official also denied that Trump had"):
        trump = [p for p in in_sentence(positions, fragment) if index.entity(p.holder).qid == "Q22686"]
        assert [(p.stance, p.status) for p in trump] == [("oppose", "denied")]
        assert trump[0].confidence < 0.65
    # 012: "…because she has not condemned the military’s actions…" (Suu Kyi): marked, not a fact
    _article, index, positions = run(dev("012"))
    found = in_sentence(positions, "she has not condemned the military")
    assert found and all(p.status == "denied" for p in found)


def test_hypothetical_stance_is_marked_planned(run):
    # 058: "On the contrary, Putin said, Reagan would be happy that Republicans are winning…":
    # Reagan's happiness is Putin's hypothesis (gold: putin support, no position of Reagan).
    _article, index, positions = run(dev("058"))
    found = in_sentence(positions, "Reagan would be happy that Republicans")
    assert ("Q7747", "support", "occurred") in {(index.entity(p.holder).qid, p.stance, p.status) for p in found}
    assert all(p.status == "planned" for p in found if index.entity(p.holder).qid == "Q9960")


def test_position_status_is_mapped_to_gk_status():
    from dataclasses import replace

    from seed_extraction import seed_extraction

    from kg.rdf.iris import event_iri_of
    from kg.rdf.mapping import to_graph
    from kg.rdf.vocab import GK

    x = seed_extraction()
    denied = replace(x.positions[0], status="denied")
    graph = to_graph(replace(x, positions=(denied, *x.positions[1:])))
    assert graph.value(event_iri_of(x.article.article_id, denied), GK.status) == GK.Denied
    occurred = x.positions[1]
    assert graph.value(event_iri_of(x.article.article_id, occurred), GK.status) == GK.Occurred


# -- target text: the object phrase or clause complement, else no position ----------------------

@pytest.mark.parametrize("name, fragment, holder, stance, target_text", [
    # "Trump told Xi that the United States government upheld and stuck to the “one China” policy"
    # - gold: usa support "the 'one China' policy" (the object of the coordinated "stuck to")
    ("001", "upheld and stuck to", "Q30", "support", "the “one China” policy"),
    # "…given new impetus at the summit by Trump’s withdrawal from the Trans-Pacific Partnership
    # (TPP) trade agreement…" - gold: trump oppose "the Trans-Pacific Partnership (withdrawal)"
    ("012", "Trump’s withdrawal from", "Q22686", "oppose",
     "the Trans-Pacific Partnership (TPP) trade agreement, to which China is not party"),
    # "“… any official visit at all from President Trump to Britain would not be welcomed,” Khan…
    # said." - gold: khan oppose "any official visit from President Trump to Britain" (passive subject)
    ("016", "would not be welcomed", "sadiq khan", "oppose", "any official visit at all from President Trump to Britain"),
    # "He said he would not negotiate under blackmail." - gold: jaafari oppose "negotiating under
    # blackmail" (a refusal: the action refused)
    ("025", "would not negotiate under blackmail", "bashar jaafari", "oppose", "negotiate under blackmail"),
    # "Iraq’s president has hit back at comments made by Donald Trump…" - gold: salih oppose
    # "Trump's comments that US troops in Iraq would watch Iran" (the particle verb's "at"; the
    # holder is Iraq here: this fixture does not run the office stage that makes it Salih)
    ("032", "has hit back at comments", "Q796", "oppose", "comments made by Donald Trump"),
])
def test_target_text_is_the_object_phrase_or_the_refused_action(run, name, fragment, holder, stance, target_text):
    _article, index, positions = run(dev(name))
    found = [p for p in in_sentence(positions, fragment) if p.stance == stance
             and holder in (index.entity(p.holder).qid, p.holder.split(":", 1)[1])]
    assert [p.target_text for p in found] == [target_text], [(p.holder, p.target_text) for p in found]


def test_stance_without_object_or_complement_is_no_position(run):
    # "The White House defended the retweets by the Republican president, who … called for “a total
    # and complete shutdown of Muslims entering the United States”, saying that he was raising
    # security issues." - gold: white_house support, trump support (demand); "raising security
    # issues" says nothing the stance is towards, and Trump opposes nothing here.
    _article, index, positions = run(dev("016"))
    found = in_sentence(positions, "The White House defended the retweets")
    assert sorted((index.entity(p.holder).qid, p.stance) for p in found) == [("Q22686", "support"),
                                                                              ("Q35525", "support")]


def test_no_dev_position_has_an_empty_target_text(run):
    """The SHACL shape requires a non-empty gk:targetText (shapes/geokg-shapes.ttl)."""
    if not DEV.is_dir():
        pytest.skip(f"dev corpus {DEV} is absent")
    total = 0
    for path in sorted(DEV.glob("*.txt")):
        _article, _index, positions = run(path)
        total += len(positions)
        assert all(p.target_text.strip() for p in positions), [p for p in positions if not p.target_text.strip()]
    assert total > 200
