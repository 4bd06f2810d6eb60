"""Statement rules on real sentences of the seed and the dev corpus (real spaCy model).

Every expectation below was checked by reading the sentence in the article (and the
dev gold annotation, ``shared/corpus/dev/*.gold.json``, where it has one).
"""

from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, SHARED

SEED = REPO / "seeds" / "000_e90bf088404a620c.txt"
DEV = SHARED / "corpus" / "dev"


@pytest.fixture(scope="module")
def pipeline():
    from kg.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="module")
def nlp(pipeline):
    return pipeline.nlp


_CACHE: dict[Path, object] = {}


def _extract(pipeline, path: Path):
    from kg.readers import read_path

    if not path.exists():
        pytest.skip(f"{path} is absent (the corpus lives in ../shared)")
    if path not in _CACHE:
        _CACHE[path] = pipeline.extract(read_path(path)[0])
    return _CACHE[path]


def _in(extraction, sentence_start: str):
    """The statements whose evidence sentence starts with ``sentence_start``."""
    return [s for s in extraction.statements if s.evidence.text.startswith(sentence_start)]


def _speaker(extraction, statement) -> str:
    return extraction.entity(statement.speaker).label


# -- the seed --------------------------------------------------------------------------------

def test_seed_ushakov_statements_including_the_pronoun_one(pipeline):
    ex = _extract(pipeline, SEED)
    ushakov = [s for s in ex.statements if _speaker(ex, s) == "Yuri Ushakov"]
    assert len(ushakov) >= 3
    [clarified] = _in(ex, "He clarified that Putin is seeking a long-term peace")
    assert _speaker(ex, clarified) == "Yuri Ushakov"  # "He" = Ushakov, the speaker of the sentence before
    assert clarified.content == "Putin is seeking a long-term peace, not a short-term ceasefire"
    assert clarified.direct_quote is False
    [tail] = _in(ex, "No specific proposals for a call between Putin and Trump have been made, Ushakov said.")
    assert _speaker(ex, tail) == "Yuri Ushakov"
    assert tail.content == "No specific proposals for a call between Putin and Trump have been made"


def test_seed_partial_quote_is_direct_and_stripped_of_marks(pipeline):
    ex = _extract(pipeline, SEED)
    [said] = _in(ex, "Regarding the conflict in Ukraine, Ushakov said that Russia is")
    assert _speaker(ex, said) == "Yuri Ushakov"
    assert said.direct_quote is True
    assert said.content == "Russia is ready for dialogue with the new US administration on the issue"
    assert said.cameo == "010"


def test_seed_kremlin_and_ushakov_in_one_sentence(pipeline):
    # "The Kremlin reported that …, according to Kremlin foreign policy advisor Yuri Ushakov."
    ex = _extract(pipeline, SEED)
    found = _in(ex, "The Kremlin reported that the two leaders discussed")
    assert {_speaker(ex, s) for s in found} == {"Kremlin", "Yuri Ushakov"}
    for s in found:
        assert s.direct_quote is True  # the sentence quotes "mutually beneficial, mutually respectful basis"
        assert ex.entity(s.on_behalf_of).label == "Russia"


def test_seed_putin_described_china_as_an_ally_and_xi_speech(pipeline):
    ex = _extract(pipeline, SEED)
    [ally] = _in(ex, "Putin has recently described China as an")
    assert _speaker(ex, ally) == "Vladimir Putin"
    assert ally.content == "China as an ally" and ally.direct_quote is True
    # "President Xi’s recent New Year’s speech, in which he said …": he = Xi, the speech's owner
    [xi] = _in(ex, "This stance echoes President Xi’s recent New Year’s speech")
    assert _speaker(ex, xi) == "Xi Jinping"
    assert xi.direct_quote is True
    assert xi.content == "China’s reunification with Taiwan is inevitable"
    [called] = _in(ex, "Xi has also called for talks to end the conflict")
    assert _speaker(ex, called) == "Xi Jinping"


def test_seed_news_media_relaying_others_are_not_speakers(pipeline):
    ex = _extract(pipeline, SEED)
    labels = {_speaker(ex, s) for s in ex.statements}
    assert "Al Jazeera" not in labels  # "…, Al Jazeera reports."
    assert not _in(ex, "Russian President Vladimir Putin and Chinese President Xi Jinping held")


def test_seed_records_are_well_formed(pipeline):
    ex = _extract(pipeline, SEED)
    assert ex.statements
    for s in ex.statements:
        assert ex.article.body[s.evidence.start:s.evidence.end] == s.evidence.text
        assert 0.0 <= s.confidence <= 1.0
        assert s.cameo.startswith("01") and len(s.cameo) == 3
        assert s.content and "“" not in s.content and "”" not in s.content
        ex.entity(s.speaker)  # every speaker is an entity of the extraction


# -- the dev corpus ----------------------------------------------------------------------------

def test_quoted_as_saying_by_a_news_agency_is_the_quoted_person(pipeline):
    ex = _extract(pipeline, DEV / "004-kremlin-u-blame-no-putin-trump.txt")
    found = [s for s in ex.statements if "was quoted as saying by the RIA news agency" in s.evidence.text]
    assert [_speaker(ex, s) for s in found] == ["Dmitry Peskov"]
    # the quotation runs over two sentences; the content is all of it
    assert found[0].direct_quote is True
    assert found[0].content.startswith("Unfortunately the American side did not offer any alternatives")
    assert found[0].content.endswith("which had already been rented by the Americans")
    assert not [s for s in ex.statements if _speaker(ex, s).startswith("RIA")]


def test_said_on_sunday_is_dated(pipeline):
    ex = _extract(pipeline, DEV / "004-kremlin-u-blame-no-putin-trump.txt")  # published 2017-11-12
    [kremlin] = _in(ex, "The Kremlin said on Sunday that inflexibility")
    assert _speaker(ex, kremlin) == "Kremlin"
    assert kremlin.date is not None and kremlin.date.value == date(2017, 11, 12)
    assert kremlin.content.startswith("inflexibility on the part of the United States was to blame")


def test_nested_report_gives_both_speakers(pipeline):
    ex = _extract(pipeline, DEV / "005-trump-asked-putin-if-allegations-russian.txt")
    found = _in(ex, "Putin also said he did not understand")
    assert {_speaker(ex, s) for s in found} == {"Vladimir Putin", "Dmitry Peskov"}


def test_paraphrased_as_telling(pipeline):
    ex = _extract(pipeline, DEV / "001-taiwan-most-important-issue-sino-u.txt")
    found = [s for s in ex.statements if "the ministry paraphrased Xi as telling Trump" in s.evidence.text]
    assert "Xi Jinping" in {_speaker(ex, s) for s in found}
    assert "Donald Trump" not in {_speaker(ex, s) for s in found}  # Trump is the addressee


def test_coordinated_clause_with_its_own_subject_is_a_second_act(pipeline):
    # "Duterte cursed … Obama … and he subsequently declared that he was breaking ties …"
    ex = _extract(pipeline, DEV / "012-duterte-berates-canada-trudeau-end-philippines.txt")
    found = _in(ex, "Duterte cursed Trump’s predecessor")
    assert [_speaker(ex, s) for s in found].count("Rodrigo Duterte") == 2


def test_negated_speech_act_is_a_denied_statement(pipeline):
    # "… because she has not condemned the military’s actions": marked, not reported as a fact
    ex = _extract(pipeline, DEV / "012-duterte-berates-canada-trudeau-end-philippines.txt")
    [st] = _in(ex, "There have been calls for democracy champion Suu Kyi to be stripped")
    assert (_speaker(ex, st), st.trigger, st.status) == ("Aung San Suu Kyi", "condemned", "denied")
    # the stance of the same words is denied too (kg.extract.positions): the two records agree
    [pos] = [p for p in ex.positions if p.evidence == st.evidence]
    assert (ex.entity(pos.holder).label, pos.stance, pos.status) == ("Aung San Suu Kyi", "oppose", "denied")
    # "Human rights activists had been hoping that leaders at the summit, including Trump, would
    # raise the issue …": a plural title ("leaders") names no one speaker, so no statement
    assert not _in(ex, "Human rights activists had been hoping that leaders at the summit")


def test_non_asserted_speech_acts_get_a_status(pipeline):
    ex = _extract(pipeline, DEV / "022-us-turkey-have-released-opposing-accounts.txt")
    raised = [s for s in _in(ex, "Trump did not raise concerns about escalating violence") if s.trigger == "raise"]
    assert [(_speaker(ex, s), s.status) for s in raised] == [("Donald Trump", "denied")]
    ex = _extract(pipeline, DEV / "024-us-national-security-adviser-john-bolton.txt")
    # "… Mike Pompeo, is due to begin a tour …, largely to reassure allies and clarify policy"
    [due] = [s for s in _in(ex, "Bolton and the chairman of the joint chiefs of staff") if s.trigger == "clarify"]
    assert (_speaker(ex, due), due.status) == ("Mike Pompeo", "planned")
    assert due.confidence < 0.7  # 0.15 less than an asserted act of the same kind
    ex = _extract(pipeline, DEV / "036-lee-departs-beijing-summit-talks-xi.txt")
    # "While Beijing does not officially acknowledge there is a ban …, … Wi Sung-lac said Seoul will
    # seek ways …": China's act is denied, Wi's is a fact
    found = {(_speaker(ex, s), s.status) for s in _in(ex, "While Beijing does not officially acknowledge")}
    assert found == {("China", "denied"), ("Wi Sung-lac", "occurred")}


def test_an_occurred_act_of_the_same_speaker_wins_in_its_sentence(pipeline):
    # dev/025 "De Mistura said he would report the outcome … and would not stop trying.": the
    # planned "report" is part of what he said, not a second statement
    ex = _extract(pipeline, DEV / "025-un-sponsored-talks-geneva-designed-end.txt")
    found = _in(ex, "De Mistura said he would report the outcome of the talks")
    assert [(_speaker(ex, s), s.trigger, s.status) for s in found] == [("Staffan de Mistura", "said", "occurred")]


def test_statement_status_reaches_the_graph(pipeline):
    from rdflib import Namespace

    from kg.rdf.mapping import to_graph

    gk = Namespace("https://w3id.org/geokg/ontology#")
    ex = _extract(pipeline, DEV / "012-duterte-berates-canada-trudeau-end-philippines.txt")
    g = to_graph(ex)
    denied = {str(o) for s in g.subjects(gk.status, gk.Denied) if (s, None, gk.Statement) in g
              for o in g.objects(s, gk.content)}
    assert any("military" in c for c in denied)


def test_unnamed_sources_are_no_speakers(pipeline):
    ex = _extract(pipeline, DEV / "007-u-defense-chief-urges-pakistan-redouble.txt")
    assert not _in(ex, "A U.S. defense official, speaking on condition of anonymity, said")
    ex = _extract(pipeline, DEV / "047-talks-us-ukraine-were-constructive-but.txt")
    assert not [s for s in ex.statements if "Krasnodar officials said" in s.evidence.text]


def test_pronoun_chain_and_title_apposition(pipeline):
    ex = _extract(pipeline, DEV / "024-us-national-security-adviser-john-bolton.txt")
    # "the secretary of state, Mike Pompeo," earlier in the article
    [pompeo] = _in(ex, "The secretary of state said that the US would maintain")
    assert _speaker(ex, pompeo) == "Mike Pompeo"
    # Trump tweeted … he is reported to have declared … he appeared to agree … he told reporters
    told = [s for s in ex.statements if s.evidence.text.endswith("he told reporters.")
            and "We are pulling back" in s.content]
    assert [_speaker(ex, s) for s in told] == ["Donald Trump"]


def test_it_said_is_not_guessed_when_the_body_is_unknown(pipeline):
    # "…,” the North Korean mission to the United Nations in Geneva said" then "…, it said.":
    # "it" is the mission, not North Korea (the country speaks earlier in the article).
    ex = _extract(pipeline, DEV / "019-north-korea-calls-halt-brutal-sanctions.txt")
    for s in _in(ex, "The sanctions regime “threatens and impedes"):
        assert _speaker(ex, s) != "North Korea"


def test_headline_and_bullet_lines_are_skipped(pipeline):
    ex = _extract(pipeline, DEV / "049-ukraine-russia-end-second-round-peace.txt")
    assert not [s for s in ex.statements if "Russia demands Ukraine give up land" in s.evidence.text]


def test_lead_after_a_fused_editor_header_counts(pipeline):
    # "(LEAD) … (ATTN: UPDATES throughout …) By Kim Eun-jung SEOUL, Jan. 2 (Yonhap) -- President
    # Lee … plan to discuss …, National Security Adviser Wi Sung-lac said Friday." (one sentence)
    # The parse stage trims the header and dateline off the sentence (kg.extract.noise).
    ex = _extract(pipeline, DEV / "038-lee-china-xi-discuss-peace-denuclearization.txt")
    lead = [s for s in ex.statements
            if s.evidence.text.startswith("President Lee Jae Myung and Chinese President Xi Jinping plan to discuss")]
    assert [_speaker(ex, s) for s in lead] == ["Wi Sung-lac"]
    assert lead[0].date is not None and lead[0].date.value == date(2026, 1, 2)  # "said Friday"


# -- the word lists ----------------------------------------------------------------------------

def _token(nlp, sentence: str, word: str):
    doc = nlp(sentence)
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize("sentence, word, expected", [
    ("Xi has also called for talks to end the conflict.", "called", True),
    ("He has previously called the allegations of collusion a hoax.", "called", True),
    ("Trump called Abe on Tuesday evening.", "called", False),
    ("Trudeau raised concerns about the killings.", "raised", True),
    ("The government raised taxes last year.", "raised", False),
    ("Bessent maintained his belief that the invasion was illegal.", "maintained", True),
    ("Seoul seeks to maintain a strong alliance with Washington.", "maintain", False),
    ("Papadopoulos pleaded guilty in October.", "pleaded", False),
    ("Ushakov emphasized that Russia is ready.", "emphasized", True),
    # dev/053, dev/038, dev/002: "observe a pause", "recall the history", a phone call
    ("Ukraine is ready to observe such a pause if Russia commits.", "observe", False),
    ("Lee's visit to the site aims to honor the sacrifices of activists and recall the history.", "recall", False),
    ("Abe recalled how his grandfather began the tradition of golf diplomacy.", "recalled", True),
    ("But when he tried to call Abe to wave him off, the premier was already on a plane.", "call", False),
    ("Timofeev works for a Moscow-based think-tank called the Russian International Affairs Council.",
     "called", False),
    ("Israel will be unable to call itself a democracy.", "call", False),
    ("The delegation called for Myanmar to allow an investigation into the alleged atrocities.", "called", True),
])
def test_is_reporting_verb(nlp, sentence, word, expected):
    from kg.extract.reporting import is_reporting_verb

    assert is_reporting_verb(_token(nlp, sentence, word)) is expected


def test_news_media_and_cameo_codes():
    from kg.extract.reporting import REPORTING_VERBS, cameo_of, is_news_media

    assert is_news_media("Reuters") and is_news_media("Yonhap News Agency") and is_news_media("Al Jazeera")
    assert not is_news_media("Sudan Doctors Network") and not is_news_media("Kremlin")
    assert cameo_of("deny") == "016" and cameo_of("warn") == "012" and cameo_of("say") == "010"
    assert {"say", "tell", "tweet", "according"} - REPORTING_VERBS == {"according"}


def test_find_quotes_curly_straight_and_open_paragraph():
    from kg.extract.quotes import find_quotes

    body = ('“We are done,” he said. She called it "a good suggestion".\n'
            '“Idlib is a ticking bomb. It must be defused\n“Any attack will trigger migration,” he said.')
    texts = [q.text(body) for q in find_quotes(body)]
    assert texts == ["We are done", "a good suggestion", "Idlib is a ticking bomb. It must be defused",
                     "Any attack will trigger migration"]
    assert [q.closed for q in find_quotes(body)] == [True, True, False, True]


def test_title_and_inverted_attribution(pipeline):
    ex = _extract(pipeline, DEV / "054-deadly-drone-attacks-civilians-continue-sudans.txt")
    # "UN High Commissioner for Human Rights Volker Turk" earlier; then "The UN human rights chief said"
    [chief] = _in(ex, "The UN human rights chief said he has witnessed")
    assert _speaker(ex, chief) in ("Volker Türk", "Volker Turk", "Turk")
    ex = _extract(pipeline, DEV / "007-u-defense-chief-urges-pakistan-redouble.txt")
    afzal = [s for s in ex.statements if "said Madiha Afzal, with the Brookings Institution" in s.evidence.text]
    assert [_speaker(ex, s) for s in afzal] == ["Madiha Afzal"]
    assert afzal[0].direct_quote is True


def test_denial_is_cameo_016(pipeline):
    ex = _extract(pipeline, DEV / "024-us-national-security-adviser-john-bolton.txt")
    [denied] = [s for s in _in(ex, "The White House denied there had been a policy shift")
                if _speaker(ex, s) == "White House"]
    assert denied.cameo == "016"
    assert denied.content == "there had been a policy shift"


@pytest.mark.parametrize("sentence, word, expected", [
    ("Ushakov said that Russia is ready.", "said", True),
    ("She has not condemned the military's actions.", "condemned", False),
    ("Trump declined to condemn Russia for the strikes.", "condemn", False),
    ("The Blue House has yet to confirm the delegation's size.", "confirm", False),
    ("Leaders would raise the issue of the killings.", "raise", False),
    ("Pompeo is due to begin a tour, largely to reassure allies and clarify policy.", "clarify", False),
    ("Putin didn't hesitate to criticize the Electoral College.", "criticize", True),
])
def test_is_asserted(nlp, sentence, word, expected):
    from kg.extract.reporting import is_asserted

    assert is_asserted(_token(nlp, sentence, word)) is expected


@pytest.mark.parametrize("sentence, word, status, cue", [
    # dev/012, dev/022: negated
    ("She has not condemned the military’s actions.", "condemned", "denied", "negated"),
    ("Trump did not raise concerns about escalating violence in Afrin, the official said.", "raise",
     "denied", "negated"),
    ("What he didn't mention is that Clinton won the popular vote.", "mention", "denied", "negated"),
    ("She has never said that.", "said", "denied", "negated"),
    ('"In this case, I can neither confirm nor deny it," Peskov said.', "confirm", "denied", "negated"),
    ('"In this case, I can neither confirm nor deny it," Peskov said.', "deny", "denied", "negated"),
    ("The Blue House has yet to confirm the delegation's size.", "confirm", "denied", "negated"),
    ("He will not comment on the report.", "comment", "denied", "negated"),  # the negation wins
    # refused (CAMEO 011, decline comment)
    ("Wi, however, declined to say whether a commitment would be included.", "say", "denied", "refused"),
    ("Trump declined to condemn Russia for the strikes.", "condemn", "denied", "refused"),
    # modal, future, intended, conditional (dev/025, dev/038, dev/024)
    ("De Mistura said he would report the outcome of the talks to the UN Security Council.", "report",
     "planned", "modal"),
    ("Wi said Seoul will explain its position.", "explain", "planned", "modal"),
    ("Pompeo is due to begin a tour, largely to reassure allies and clarify policy.", "clarify",
     "planned", "intended"),
    ("If Trump says the talks failed, Kyiv will respond.", "says", "planned", "conditional"),
    # occurred: a modal inside a quotation is not the reporting verb's; a finite conjunct has its
    # own tense; "I can tell you" performs the act
    ("“It must be put into effect everywhere without delay”, Macron said in a telephone call.", "said",
     "occurred", None),
    ("President Lee will make a state visit to China next week for summit talks with Xi, "
     "Cheong Wa Dae said Tuesday.", "said", "occurred", None),
    ("Xi said the Chinese economy would become increasingly open to foreign firms, and welcomed "
     "U.S. companies to participate.", "welcomed", "occurred", None),
    ("“I can tell you we’re in a much better position,” he told senior U.S. diplomats.", "tell",
     "occurred", None),
    ("“I can tell you we’re in a much better position,” he told senior U.S. diplomats.", "told",
     "occurred", None),
])
def test_factuality(nlp, sentence, word, status, cue):
    from kg.extract.reporting import Factuality, factuality

    assert factuality(_token(nlp, sentence, word)) == Factuality(status, cue)


def test_asked_about_is_no_speech_act(nlp):
    from kg.extract.reporting import factuality

    # dev/005: "… Peskov, asked how Trump had raised the question …, said: …"
    doc = nlp("Kremlin spokesman Dmitry Peskov, asked how Trump had raised the question about alleged "
              "Russian meddling, said: “In fact, Trump asked whether that information could be true.”")
    raised = next(t for t in doc if t.text == "raised")
    assert factuality(raised) is None


def test_refused_speech_act_is_cameo_011():
    from kg.extract.reporting import cameo_of

    assert cameo_of("condemn", "refused") == "011"
    assert cameo_of("deny", "negated") == "016" and cameo_of("say", "modal") == "010"


# -- pronouns and the gender the text states (EntityIndex.agrees) ------------------------------

def _statements_of(pipeline, body: str):
    from kg.model import Article

    ex = pipeline.extract(Article("t", "file:///t.txt", "t", body, date(2026, 1, 6)))
    return ex, {s.evidence.text.split()[0]: _speaker(ex, s) for s in ex.statements}


@pytest.mark.parametrize("body, pronoun, expected", [
    # "Mr."/"Ms." and a gendered title: "She" is not the man just named, but the woman before him
    ("Foreign Ministry spokeswoman Hua Chunying spoke to reporters on Monday. Foreign Minister Wang Yi "
     "also praised the talks, Mr. Wang's office said. She said the meeting had been productive.",
     "She", "Hua Chunying"),
    ("Ms. Hua spoke to reporters on Monday. Mr. Wang praised the talks. She said the meeting had been "
     "productive.", "She", "Hua"),
    # "his wife Peng Liyuan": "He" is Xi, not Peng, the last subject
    ("Chinese President Xi Jinping and his wife Peng Liyuan visited the school on Monday. Peng praised "
     "the students. He said the visit had been moving.", "He", "Xi Jinping"),
    # no gender stated: the last subject, as before
    ("Foreign Ministry spokeswoman Hua Chunying spoke to reporters on Monday. Foreign Minister Wang Yi "
     "also praised the talks. She said the meeting had been productive.", "She", "Wang Yi"),
])
def test_a_pronoun_is_not_a_person_of_the_other_gender(pipeline, body, pronoun, expected):
    _ex, by_first_word = _statements_of(pipeline, body)
    assert by_first_word[pronoun] == expected
