"""Entity mentions, types, roles and grouping on the seed and dev articles (real spaCy model).

Expectations were checked by reading the articles and their dev gold entity lists.
"""



from conftest import REPO, SHARED, extract_file

SEED = REPO / "seeds" / "000_e90bf088404a620c.txt"
DEV = SHARED / "corpus" / "dev"


def _by_label(ex, label):
    found = [e for e in ex.entities if e.label == label]
    assert found, f"no entity labelled {label!r}: {[e.label for e in ex.entities]}"
    return found[0]


def test_seed_titles_give_roles_and_affiliations(pipeline):
    ex = extract_file(pipeline, SEED)
    putin = _by_label(ex, "Vladimir Putin")
    assert putin.qid == "Q7747" and putin.type == "Person"
    russia = ex.entity(putin.affiliation_key)
    assert russia.qid == "Q159"
    assert any(r.title == "President" and r.of_key == russia.key for r in putin.roles)
    ushakov = _by_label(ex, "Yuri Ushakov")
    assert any(r.title.lower() == "foreign policy advisor" for r in ushakov.roles)
    kremlin = ex.entity(ushakov.affiliation_key)
    assert kremlin.type == "GovernmentBody" and kremlin.label == "Kremlin"
    assert kremlin.affiliation_key == russia.key  # the Kremlin speaks for Russia


def test_short_names_demonyms_and_capital_metonymy_group_with_the_full_entity(pipeline):
    ex = extract_file(pipeline, SEED)
    putin = _by_label(ex, "Vladimir Putin")
    assert {"Vladimir Putin", "Putin"} == {m.text for m in putin.mentions}
    russia = _by_label(ex, "Russia")
    assert "Russian" in {m.text for m in russia.mentions}
    china = _by_label(ex, "China")
    # "aligning with Beijing’s view": the capital acts for the state
    assert "Beijing" in {m.text for m in china.mentions}
    ukraine = _by_label(ex, "Ukraine")
    # "arms sales to Kyiv": the capital is the recipient, i.e. the state
    assert "Kyiv" in {m.text for m in ukraine.mentions}


def test_mentions_are_exact_spans_of_the_body_and_no_header_or_footer_entity(pipeline):
    ex = extract_file(pipeline, SEED)
    body = ex.article.body
    for e in ex.entities:
        for m in e.mentions:
            assert body[m.start:m.end] == m.text
    labels = {e.label for e in ex.entities}
    assert "Michelle Larsen" not in labels  # the "Written By" footer is not body text
    assert not any("Discuss" in label for label in labels)  # the headline is not body text


def test_a_leaders_surname_tagged_as_organisation_is_the_person(pipeline):
    # spaCy tags "Trump" ORG in "the Trump administration"; the article names Donald Trump
    ex = extract_file(pipeline, SEED)
    assert not [e for e in ex.entities if e.type == "Organization" and e.label == "Trump"]
    trump = _by_label(ex, "Donald Trump")
    assert len(trump.mentions) >= 5


def test_capital_as_a_location_stays_a_place(pipeline):
    # 036: "Lee departed for China", "a Korea-China economic forum in Beijing": Beijing is where, not who
    ex = extract_file(pipeline, DEV / "036-lee-departs-beijing-summit-talks-xi.txt")
    places = [e for e in ex.entities if e.type == "Place" and e.label == "Beijing"]
    assert places and "Beijing" in {m.text for m in places[0].mentions}


def test_adjacent_person_spans_are_one_name(pipeline):
    # spaCy splits "Aung San" + "Suu Kyi"; the gold names her Aung San Suu Kyi (Q36740)
    ex = extract_file(pipeline, DEV / "012-duterte-berates-canada-trudeau-end-philippines.txt")
    assert any(e.label == "Aung San Suu Kyi" for e in ex.entities)
    assert not any(e.label == "Aung San" for e in ex.entities)
