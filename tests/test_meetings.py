"""Meeting rules on real sentences of the seed and the dev corpus (real spaCy model).

Each expectation was checked by reading the sentence (and the dev gold where it has one).
"""

from datetime import date


from conftest import REPO, SHARED, extract_file

SEED = REPO / "seeds" / "000_e90bf088404a620c.txt"
DEV = SHARED / "corpus" / "dev"


def _labels(extraction, meeting) -> set[str]:
    return {extraction.entity(k).label for k in meeting.participants}


def _qids(extraction, meeting) -> set[str]:
    return {extraction.entity(k).qid for k in meeting.participants}


def _find(extraction, sentence_start: str):
    return [m for m in extraction.meetings if m.evidence.text.startswith(sentence_start)]


def test_seed_video_call_is_remote_on_the_tuesday_before_publication(pipeline):
    ex = extract_file(pipeline, SEED)
    [call] = _find(ex, "Russian President Vladimir Putin and Chinese President Xi Jinping held")
    assert _qids(ex, call) == {"Q7747", "Q15031"}
    assert call.status == "occurred"
    assert call.mode == "remote"
    assert call.date is not None and call.date.value == date(2025, 1, 21)
    assert call.cameo.startswith("04")
    assert ex.article.body[call.evidence.start:call.evidence.end] == call.evidence.text


def test_seed_call_that_was_never_proposed_is_not_an_occurred_meeting(pipeline):
    ex = extract_file(pipeline, SEED)
    for m in _find(ex, "No specific proposals for a call between Putin and Trump"):
        assert m.status != "occurred"
    occurred = [m for m in ex.meetings if m.status == "occurred"]
    assert len(occurred) == 1  # the only meeting the seed reports as having happened


def test_met_briefly_on_saturday_and_the_meeting_that_did_not_happen(pipeline):
    ex = extract_file(pipeline, DEV / "004-kremlin-u-blame-no-putin-trump.txt")
    reports = _find(ex, "Trump and Putin met briefly")
    [met] = [m for m in reports if m.status == "occurred"]
    assert _qids(ex, met) == {"Q7747", "Q22686"}
    assert (met.mode, met.date.value) == ("in_person", date(2017, 11, 11))
    # "… but did not hold substantive bilateral talks": the talks are recorded as denied, not as fact
    assert all(m.status == "denied" for m in reports if m is not met)
    lack = _find(ex, "The Kremlin said on Sunday that inflexibility")
    assert lack and all(m.status == "cancelled" for m in lack)


def test_phone_call_between_two_leaders(pipeline):
    ex = extract_file(pipeline, DEV / "022-us-turkey-have-released-opposing-accounts.txt")
    [call] = _find(ex, "The US and Turkey have released opposing accounts of a phone call")
    assert {"Q22686", "Q39259"} <= _qids(ex, call)
    assert call.mode == "remote" and call.status == "occurred"


def test_talks_announced_for_monday_are_planned_and_dated_forward(pipeline):
    ex = extract_file(pipeline, DEV / "036-lee-departs-beijing-summit-talks-xi.txt")  # published Sunday 2026-01-04
    planned = [m for m in _find(ex, "Lee will hold talks with Xi on Monday") if m.status == "planned"]
    assert planned
    assert _qids(ex, planned[0]) == {"Q12612463", "Q15031"}
    assert planned[0].date.value == date(2026, 1, 5)
    assert planned[0].cameo == "036"


def test_frame_phrase_gives_the_clause_subject_as_participant(pipeline):
    ex = extract_file(pipeline, DEV / "038-lee-china-xi-discuss-peace-denuclearization.txt")
    [call] = _find(ex, "During a phone call with Foreign Minister Cho Hyun on Wednesday")
    assert {"Wang Yi", "Cho Hyun"} <= _labels(ex, call)
    assert call.mode == "remote"
    assert call.date.value == date(2025, 12, 31)


def test_negation_does_not_cross_a_conjunction(pipeline):
    # "he did not stop in Pakistan, but visited its arch rival, India": the visit happened
    ex = extract_file(pipeline, DEV / "007-u-defense-chief-urges-pakistan-redouble.txt")
    [visit] = _find(ex, "While Mattis traveled to the region earlier this year")
    assert _labels(ex, visit) == {"Jim Mattis", "India"}
    assert visit.status == "occurred"


def test_a_reported_letter_is_not_a_meeting(pipeline):
    # "Trump said … he received "a very nice letter" from Putin": a statement, not a meeting (gold: none)
    ex = extract_file(pipeline, DEV / "058-putin-shrugs-off-trump-tweet-expanding.txt")
    sentence = "On Friday, Trump said in a statement that he received"
    assert any(s.text.startswith(sentence) for s in pipeline_sentences(pipeline, ex))
    assert not _find(ex, sentence)


def pipeline_sentences(pipeline, ex):
    from kg.nlp import parse

    return parse(ex.article, pipeline.nlp).sentences


def test_every_meeting_has_two_distinct_participants_and_valid_fields(pipeline):
    for path in [SEED, *sorted(DEV.glob("*.txt"))] if DEV.is_dir() else [SEED]:
        ex = extract_file(pipeline, path)
        for m in ex.meetings:
            assert len(set(m.participants)) == len(m.participants) >= 2
            assert m.status in ("occurred", "planned", "cancelled", "denied")
            assert m.mode in ("in_person", "remote")
            assert 0 <= m.confidence <= 1
            assert ex.article.body[m.evidence.start:m.evidence.end] == m.evidence.text


def test_undated_follow_up_meeting_takes_the_lead_meetings_day(pipeline):
    # 007: "Mattis met Pakistan's … leaders on Monday" (2017-12-04); later "In his discussion with
    # Mattis, Pakistani Prime Minister Shahid Khaqan Abbasi said …" gives no day (gold: 2017-12-04)
    ex = extract_file(pipeline, DEV / "007-u-defense-chief-urges-pakistan-redouble.txt")
    [talk] = _find(ex, "In his discussion with Mattis")
    assert _labels(ex, talk) == {"Jim Mattis", "Shahid Khaqan Abbasi"}
    assert talk.date.value == date(2017, 12, 4)


def test_passive_meeting_with_agents_and_a_definite_reference_back(pipeline):
    # 043: "… held an emergency meeting Sunday …. The meeting was convened by Deputy National
    # Security Adviser Lim Jong-deuk and attended by officials from the defense ministry and the JCS"
    ex = extract_file(pipeline, DEV / "043-cheong-wa-dae-urges-n-korea.txt")
    [meeting] = _find(ex, "The meeting was convened by")
    assert "Lim Jong-deuk" in _labels(ex, meeting)
    assert len(meeting.participants) >= 2
    assert meeting.date.value == date(2026, 1, 4)


def test_a_title_names_the_person_who_holds_it(pipeline):
    # 001: "… Trump taking a precedent-breaking call from Taiwan's president": Tsai Ing-wen
    ex = extract_file(pipeline, DEV / "001-taiwan-most-important-issue-sino-u.txt")
    calls = [m for m in ex.meetings if m.mode == "remote" and "Q233984" in _qids(ex, m)]
    assert any("Q22686" in _qids(ex, m) for m in calls)


def _extract_text(pipeline, body: str, published: date):
    from kg.readers.identity import make_article

    return pipeline.extract(make_article(url="https://example.org/constructed", headline=None,
                                         body=body, published=published))


def _place(extraction, meeting) -> str | None:
    return extraction.entity(meeting.place).label if meeting.place else None


def test_summit_talks_on_monday_under_an_agenda_are_planned_and_lie_ahead(pipeline):
    # 038, published Friday 2026-01-02: "Asked about the agenda of summit talks between Lee and Xi
    # on Monday, Wi replied, "There will be discussions …"": the summit is the planned one of
    # Monday 2026-01-05 (the gold date of the Lee–Xi summit), not the Monday before publication.
    ex = extract_file(pipeline, DEV / "038-lee-china-xi-discuss-peace-denuclearization.txt")
    [talks] = _find(ex, "Asked about the agenda of summit talks between Lee and Xi on Monday")
    assert _qids(ex, talks) == {"Q12612463", "Q15031"}
    assert talks.status == "planned"
    assert talks.date.value == date(2026, 1, 5)
    # Xi's earlier trip to South Korea (gold: no date, place Gyeongju) no longer inherits that Monday
    [trip] = _find(ex, "The state visit comes less than two months after Xi made his first trip")
    assert trip.status == "occurred" and trip.date is None
    assert _place(ex, trip) == "Gyeongju"


def test_weekday_of_a_planned_meeting_lies_ahead_of_an_occurred_one(pipeline):
    friday = date(2026, 1, 2)
    will = _extract_text(pipeline, "Vladimir Putin will meet Xi Jinping on Monday.", friday)
    [planned] = will.meetings
    assert planned.status == "planned" and planned.date.value == date(2026, 1, 5)
    met = _extract_text(pipeline, "Vladimir Putin met Xi Jinping on Monday.", friday)
    [occurred] = met.meetings
    assert occurred.status == "occurred" and occurred.date.value == date(2025, 12, 29)
    today = _extract_text(pipeline, "Vladimir Putin is scheduled to meet Xi Jinping on Friday.", friday)
    [same_day] = today.meetings
    assert same_day.status == "planned" and same_day.date.value == friday


def test_place_of_a_round_of_talks_in_a_city(pipeline):
    # 049: "Ukraine and Russia concluded a second round of U.S.-brokered talks in Abu Dhabi on
    # Thursday": "in Abu Dhabi" hangs from "talks", the noun the trigger "round" is of (gold place)
    ex = extract_file(pipeline, DEV / "049-ukraine-russia-end-second-round-peace.txt")
    [talks] = [m for m in _find(ex, "Ukraine and Russia concluded a second round") if m.status == "occurred"]
    assert _qids(ex, talks) >= {"Q212", "Q159"}
    assert _place(ex, talks) == "Abu Dhabi"
    # 047: "Talks between envoys from Ukraine, Russia and the United States in recent days in Abu Dhabi"
    ex = extract_file(pipeline, DEV / "047-talks-us-ukraine-were-constructive-but.txt")
    [envoys] = _find(ex, "Talks between envoys from Ukraine, Russia and the United States")
    assert _place(ex, envoys) == "Abu Dhabi"


def test_place_phrase_of_the_meeting_but_not_of_its_topic(pipeline):
    day = date(2026, 2, 5)
    ex = _extract_text(pipeline, "Ukraine and Russia held a third round of talks in Geneva on Tuesday.", day)
    [talks] = ex.meetings
    assert _place(ex, talks) == "Geneva"
    ex = _extract_text(pipeline, "Vladimir Putin met Xi Jinping on the sidelines of a summit in Kazan.", day)
    [met] = ex.meetings
    assert _place(ex, met) == "Kazan"
    ex = _extract_text(pipeline, "Vladimir Putin held talks with Xi Jinping on the situation in Syria.", day)
    [topic] = ex.meetings
    assert topic.place is None
