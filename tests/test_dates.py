"""kg.dates on real phrases of the dev corpus and the seed, checked against the gold dates.

Each case names the article, a snippet that must occur in its body (so the phrase is real),
the date expression of that snippet, whether the event is future (planned) and the date the
gold annotation gives for the item whose evidence holds the snippet (read by hand).
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SHARED
from kg.dates import parse_published, resolve_date
from kg.model import EventDate
from kg.readers import read_path

DEV = SHARED / "corpus" / "dev"
SEED = SHARED / "seeds" / "000_e90bf088404a620c.txt"

# (file prefix, snippet in body, expression, future, expected date) - the expected dates are
# the gold "date" of the meeting/statement whose evidence contains the snippet.
GOLD_DAY_CASES = [
    ("seed", "video conference on Tuesday", "on Tuesday", False, date(2025, 1, 21)),
    ("004", "Vietnam on Saturday", "on Saturday", False, date(2017, 11, 11)),
    ("004", "The Kremlin said on Sunday", "on Sunday", False, date(2017, 11, 12)),
    ("005", "at a weekend summit", "a weekend", False, date(2017, 11, 11)),
    ("001", "Donald Trump on Thursday", "on Thursday", False, date(2017, 11, 9)),
    ("002", "on Monday as they wrapped", "on Monday", False, date(2017, 11, 6)),
    ("012", "met Duterte on Monday", "on Monday", False, date(2017, 11, 13)),
    ("017", "Britain criticised Trump on Wednesday", "on Wednesday", False, date(2017, 11, 29)),
    ("024", "in Ankara over Syria on Tuesday", "on Tuesday", True, date(2019, 1, 8)),
    ("024", "Jerusalem on Sunday", "on Sunday", False, date(2019, 1, 6)),
    ("024", "on Monday to denounce", "on Monday", False, date(2019, 1, 7)),
    ("024", "on 14 December 2018", "on 14 December 2018", False, date(2018, 12, 14)),
    ("024", "tweeted on 19 December", "on 19 December", False, date(2018, 12, 19)),
    ("030", "in Tehran on Friday", "on Friday", False, date(2018, 9, 7)),
    ("030", "said on Saturday", "on Saturday", False, date(2018, 9, 8)),
    ("032", "aired on Sunday evening", "on Sunday evening", False, date(2019, 2, 3)),
    ("036", "with Xi on Monday", "on Monday", True, date(2026, 1, 5)),
    ("036", "On Tuesday, Lee is scheduled", "On Tuesday", True, date(2026, 1, 6)),
    ("036", "CCTV on Friday", "on Friday", False, date(2026, 1, 2)),
    ("038", "beginning Sunday", "beginning Sunday", True, date(2026, 1, 4)),
    ("038", "Cho Hyun on Wednesday", "on Wednesday", False, date(2025, 12, 31)),
    ("038", "Wi Sung-lac said Friday", "Friday", False, date(2026, 1, 2)),
    ("043", "emergency meeting Sunday", "Sunday", False, date(2026, 1, 4)),
    ("045", "on April 25, 2019", "on April 25, 2019", False, date(2019, 4, 25)),
    ("047", "on Feb. 1", "on Feb. 1", True, date(2026, 2, 1)),
    ("047", "He added Sunday", "Sunday", False, date(2026, 1, 25)),
    ("047", "official said Monday", "Monday", False, date(2026, 1, 26)),
    ("049", "said on Thursday", "on Thursday", False, date(2026, 2, 5)),
    ("054", "Geneva on Monday", "on Monday", False, date(2026, 2, 9)),
]

# Month/year precision cases (no gold date: the gold only dates meetings and statements by day);
# the expected values were checked against the sentences: the seed's "no-limits" partnership
# was declared in February 2022; 036 (published 2026-01-04) says Lee took office "in June last
# year" (June 2025) and met Xi at APEC "in early November" (November 2025).
MONTH_CASES = [
    ("seed", "in February 2022", "in February 2022", EventDate(date(2022, 2, 1), "month")),
    ("036", "in June last year", "in June last year", EventDate(date(2025, 6, 1), "month")),
    ("036", "in early November", "in early November", EventDate(date(2025, 11, 1), "month")),
]


def _article(prefix: str):
    if not DEV.is_dir() or not SEED.is_file():
        pytest.skip(f"the shared corpus is absent ({DEV} not found)")
    if prefix == "seed":
        return read_path(SEED)[0]
    (path,) = sorted(DEV.glob(f"{prefix}-*.txt"))
    return read_path(path)[0]


@pytest.mark.corpus
@pytest.mark.parametrize(("prefix", "snippet", "expression", "future", "expected"), GOLD_DAY_CASES)
def test_gold_dates_of_real_phrases(prefix, snippet, expression, future, expected):
    article = _article(prefix)
    assert snippet in article.body
    assert resolve_date(expression, article.published, future=future) == EventDate(expected, "day")


@pytest.mark.corpus
@pytest.mark.parametrize(("prefix", "snippet", "expression", "expected"), MONTH_CASES)
def test_month_precision_phrases(prefix, snippet, expression, expected):
    article = _article(prefix)
    assert snippet in article.body
    assert resolve_date(expression, article.published) == expected


@pytest.mark.corpus
def test_monday_of_the_announced_summit_in_038_lies_ahead():
    # 038 is published Friday 2026-01-02 and announces the Lee–Xi summit "on Monday" (gold date of
    # that summit: 2026-01-05); the same words for a meeting that took place mean 2025-12-29.
    article = _article("038")
    assert article.published == date(2026, 1, 2)
    assert "summit talks between Lee and Xi on Monday" in article.body
    assert resolve_date("on Monday", article.published, future=True) == EventDate(date(2026, 1, 5))
    assert resolve_date("on Monday", article.published) == EventDate(date(2025, 12, 29))
    # the publication weekday and "today" are the publication day in both directions
    for future in (False, True):
        assert resolve_date("on Friday", article.published, future=future) == EventDate(date(2026, 1, 2))
        assert resolve_date("today", article.published, future=future) == EventDate(date(2026, 1, 2))


@pytest.mark.corpus
def test_relative_expression_without_publication_date_is_none():
    # 058 has "Published: unknown"; its "tweet Thursday" cannot be resolved.
    article = _article("058")
    assert article.published is None
    assert "tweet Thursday" in article.body
    assert resolve_date("Thursday", article.published) is None


def test_weekday_semantics():
    wednesday = date(2025, 1, 22)
    assert resolve_date("on Tuesday", wednesday) == EventDate(date(2025, 1, 21))
    assert resolve_date("Wednesday", wednesday) == EventDate(wednesday)
    assert resolve_date("Wednesday", wednesday, future=True) == EventDate(wednesday)
    assert resolve_date("on Tuesday", wednesday, future=True) == EventDate(date(2025, 1, 28))
    assert resolve_date("Thursday", wednesday) == EventDate(date(2025, 1, 16))
    assert resolve_date("last Wednesday", wednesday) == EventDate(date(2025, 1, 15))
    assert resolve_date("next Wednesday", wednesday) == EventDate(date(2025, 1, 29))
    assert resolve_date("Saturday night", wednesday) == EventDate(date(2025, 1, 18))
    assert resolve_date("Sunday (Korea time)", wednesday) == EventDate(date(2025, 1, 19))
    assert resolve_date("Sunday, local time", wednesday) == EventDate(date(2025, 1, 19))


def test_relative_words():
    sunday = date(2017, 11, 12)
    assert resolve_date("yesterday", sunday) == EventDate(date(2017, 11, 11))
    assert resolve_date("today", sunday) == EventDate(sunday)
    assert resolve_date("tomorrow", sunday) == EventDate(date(2017, 11, 13))
    assert resolve_date("next month", sunday) == EventDate(date(2017, 12, 1), "month")
    assert resolve_date("last month", sunday) == EventDate(date(2017, 10, 1), "month")
    assert resolve_date("earlier this month", sunday) == EventDate(date(2017, 11, 1), "month")
    assert resolve_date("two months ago", sunday) == EventDate(date(2017, 9, 1), "month")
    assert resolve_date("last year", sunday) == EventDate(date(2016, 1, 1), "year")
    # weeks have no precision of their own: the month of the day a week away
    assert resolve_date("last week", date(2017, 11, 3)) == EventDate(date(2017, 10, 1), "month")
    assert resolve_date("next week", date(2026, 1, 2)) == EventDate(date(2026, 1, 1), "month")


def test_absolute_and_yearless_dates():
    assert resolve_date("2019", None) == EventDate(date(2019, 1, 1), "year")
    assert resolve_date("in February 2022", None) == EventDate(date(2022, 2, 1), "month")
    assert resolve_date("April 25, 2019", None) == EventDate(date(2019, 4, 25))
    # no year: the publication year, unless that is > 30 days after publication (past events)
    assert resolve_date("Jan. 4", date(2026, 1, 26)) == EventDate(date(2026, 1, 4))
    assert resolve_date("Dec. 2", date(2017, 1, 3)) == EventDate(date(2016, 12, 2))
    assert resolve_date("Feb. 1", date(2026, 1, 26)) == EventDate(date(2026, 2, 1))
    # future events: next year when the date would be > 30 days before publication
    assert resolve_date("Jan. 4", date(2017, 11, 12), future=True) == EventDate(date(2018, 1, 4))
    assert resolve_date("Jan. 4", None) is None


def test_unresolvable_expressions():
    published = date(2019, 1, 7)
    for expression in ("five days earlier", "a day after", "the following week", "two months",
                       "four-day", "recent days", "", "5"):
        assert resolve_date(expression, published) is None, expression
    assert resolve_date("yesterday", None) is None


def test_parse_published():
    assert parse_published("2017-11-12") == date(2017, 11, 12)
    assert parse_published("January 22, 2025") == date(2025, 1, 22)
    assert parse_published("unknown") is None
    assert parse_published("") is None
    assert parse_published(None) is None
    assert parse_published("no date here") is None
    # the calendar date as written, not moved to UTC
    assert parse_published("Wed, 22 Jan 2025 06:15:00 +0800") == date(2025, 1, 22)
    assert parse_published("2026-01-04T23:30:00+09:00") == date(2026, 1, 4)
    # relative texts are not publication dates
    assert parse_published("2 days ago") is None
