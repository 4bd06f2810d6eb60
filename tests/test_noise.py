"""Page noise (kg.extract.noise) on real bodies of the corpus, and what the pipeline does with it.

Every expected span was read in the article body (../shared/corpus/dev, eval): the Reuters
and Yonhap datelines and bylines, the Reuters photo gallery and page tail of dev/049, the Al
Jazeera caption and story list of dev/054, the Geneva Solutions cookie banner of eval/055.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED
from kg.extract.noise import KINDS, hides_mention, merged, noise_spans, trim

DEV = SHARED / "corpus" / "dev"
EVAL = SHARED / "corpus" / "eval"
SEED = SHARED / "seeds" / "000_e90bf088404a620c.txt"
A049 = DEV / "049-ukraine-russia-end-second-round-peace.txt"


def _article(path: Path):
    from kg.readers import read_path

    if not path.is_file():
        pytest.skip(f"{path} is absent (the corpus lives in ../shared)")
    return read_path(path)[0]


def _found(body: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for start, end, kind in noise_spans(body):
        out.setdefault(kind, []).append(body[start:end])
    return out


def test_spans_are_sorted_disjoint_trimmed_and_typed() -> None:
    body = _article(A049).body
    spans = noise_spans(body)
    assert spans and all(kind in KINDS for _, _, kind in spans)
    assert all(a < b <= c for (a, b, _), (c, _, _) in zip(spans, spans[1:]))
    assert all(body[a:b] == body[a:b].strip() for a, b, _ in spans)


def test_reuters_dateline_is_only_the_prefix() -> None:
    body = _article(DEV / "001-taiwan-most-important-issue-sino-u.txt").body
    assert noise_spans(body) == [(0, 19, "dateline")]
    assert body[:19] == "BEIJING (Reuters) -"
    assert _found(_article(DEV / "049-ukraine-russia-end-second-round-peace.txt").body)["dateline"] == [
        "KYIV, Feb 5 (Reuters) -"]
    assert _found(_article(EVAL / "050-russia-yet-receive-satisfactory-proposals-start.txt").body)[
        "dateline"] == ["Feb 10 (Reuters) -"]


def test_yonhap_header_byline_and_sign_off() -> None:
    found = _found(_article(DEV / "036-lee-departs-beijing-summit-talks-xi.txt").body)
    assert found["dateline"] == ["SEOUL, Jan. 4 (Yonhap) --"]
    assert found["byline"] == ["By Kim Eun-jung", "ejkim@yna.co.kr(END)"]
    assert found["editor-note"] == ["(LEAD)", "(LEAD)", "(ATTN: UPDATES headline, lead with departure; ADDS photo)"]
    assert found["headline"] == ["Lee-China", "Lee departs for Beijing for summit talks with Xi Jinping"]


def test_reuters_byline_gallery_captions_and_page_tail() -> None:
    body = _article(A049).body
    found = _found(body)
    assert found["byline"] == ["Reporting by Olena Harmash; Editing by Daniel Flynn, Sharon Singleton, Rod Nickel"]
    assert [c[:22] for c in found["caption"]] == ["Item 1 of 5 Ukrainian ", "**[1/5]** Ukrainian pr"]
    # the related-stories tail: every line after "Our Standards: …" is noise, most of it links
    intervals = merged(noise_spans(body), body)
    tail = body.index("Japan's Takaichi aims for blizzard of votes")
    assert any(a <= tail and b == len(body) for a, b in intervals)
    assert "Our Standards: The Thomson Reuters Trust Principles., opens new tab" in found["banner"]
    assert "Thailand votes in three-way race as risk of instability looms" in found["links"]
    assert len(found["links"]) >= 20
    # the story's own key points at the top are not noise
    assert not any("Russia demands Ukraine give up land" in t for ts in found.values() for t in ts)


def test_al_jazeera_caption_and_story_list() -> None:
    found = _found(_article(DEV / "054-deadly-drone-attacks-civilians-continue-sudans.txt").body)
    assert len(found["caption"]) == 1 and found["caption"][0].endswith("[File: Hussein Malla/AP Photo]")
    assert [t[:13] for t in found["links"][:3]] == ["* list 1 of 3", "* list 2 of 3", "* list 3 of 3"]
    assert "Your browser does not support the audio element." in found["banner"]


def test_fused_caption_keeps_its_sentence_but_not_the_credit() -> None:
    body = _article(DEV / "045-north-korean-russian-leadership-hint-closer.txt").body
    assert _found(body) == {"caption": ["(left)", "(Korea Herald DB)"]}


def test_cookie_banner_and_what_is_not_a_byline() -> None:
    found = _found(_article(EVAL / "055-geneva-gears-up-iran-ukraine-talks.txt").body)
    assert found["banner"][0].startswith("With your agreement, we and our 118 partners")
    assert found["byline"] == ["_Camille Pagella and Kasmira Jefford contributed reporting to this article._"]
    for path in ("047-talks-us-ukraine-were-constructive-but.txt", "024-us-national-security-adviser-john-bolton.txt"):
        body = _article(DEV / path).body
        assert "byline" not in _found(body), path  # "By contrast, …", "By Sunday, however, …"


def test_the_seed_body_has_no_noise() -> None:
    assert noise_spans(_article(SEED).body) == []


def test_trim_and_mentions() -> None:
    body = _article(DEV / "001-taiwan-most-important-issue-sino-u.txt").body
    intervals = merged(noise_spans(body), body)
    first = body.index("Taiwan is the most important")
    assert trim(intervals, body, 0, 60) == (first, 60)
    assert trim(intervals, body, 0, 19) is None
    assert hides_mention(body, 0, 7, "BEIJING")
    assert not hides_mention(body, 9, 16, "Reuters")  # the credited agency is the article's source
    body49 = _article(A049).body
    start = body49.index("Thailand votes")
    assert hides_mention(body49, start, start + 8, "Thailand")


# -- through the pipeline ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def pipeline():
    from kg.pipeline import Pipeline

    return Pipeline()


@pytest.mark.parametrize("path", [
    DEV / "001-taiwan-most-important-issue-sino-u.txt",
    DEV / "036-lee-departs-beijing-summit-talks-xi.txt",
    DEV / "043-cheong-wa-dae-urges-n-korea.txt",
    A049,
    DEV / "054-deadly-drone-attacks-civilians-continue-sudans.txt",
])
def test_no_sentence_and_no_event_comes_from_noise(pipeline, path: Path) -> None:
    from kg.nlp import parse

    article = _article(path)
    body = article.body
    intervals = merged(noise_spans(body), body)

    def touches_noise(start: int, end: int) -> bool:  # inline noise inside a sentence is allowed
        return any(a < end and start < b and not (start < a and b < end) for a, b in intervals)

    parsed = parse(article, pipeline.nlp)
    assert parsed.sentences and not any(touches_noise(s.start, s.end) for s in parsed.sentences)
    assert all(body[s.start:s.end] == s.text for s in parsed.sentences)
    extraction = pipeline.extract(article)
    events = [*extraction.meetings, *extraction.statements, *extraction.positions]
    assert events and not any(touches_noise(e.evidence.start, e.evidence.end) for e in events)
    for entity in extraction.entities:
        for m in entity.mentions:
            assert not hides_mention(body, m.start, m.end, m.text), (m.text, m.start)


def test_lead_sentences_start_after_the_dateline(pipeline) -> None:
    from kg.nlp import parse

    article = _article(DEV / "036-lee-departs-beijing-summit-talks-xi.txt")
    first = parse(article, pipeline.nlp).sentences[0].text
    assert first.startswith("President Lee Jae Myung departed for China on Sunday for summit talks")
    article = _article(DEV / "001-taiwan-most-important-issue-sino-u.txt")
    assert parse(article, pipeline.nlp).sentences[0].text.startswith("Taiwan is the most important")


def test_049_links_list_links_no_entities_but_the_source_stays(pipeline) -> None:
    extraction = pipeline.extract(_article(A049))
    qids = {e.qid for e in extraction.entities if e.qid}
    # Thailand, Haiti, Honduras, Malaysia, Australia, India are named only in the related-stories list
    assert qids.isdisjoint({"Q869", "Q790", "Q783", "Q833", "Q408", "Q668"})
    assert {"Q212", "Q159", "Q130879"} <= qids  # Ukraine, Russia, and Reuters credited in the dateline
