"""Publication dates and event dates stated relative to them.

Two functions:

* :func:`parse_published` turns a header/metadata date ("2017-11-12", "January 22, 2025",
  "Mon, 05 Jan 2026 18:30:00 +0900") into a :class:`datetime.date`.
* :func:`resolve_date` turns a date expression found in a sentence ("on Tuesday", "Jan. 4",
  "last month", "in February 2022", "Sunday (Korea time)") into an :class:`~kg.model.EventDate`,
  resolving relative expressions against the publication date.

Parsing is done by ``dateparser`` (``RELATIVE_BASE`` = publication date,
``PREFER_DATES_FROM`` = "past"/"future"). Three small rules of our own replace it where its
semantics differ from news usage (corpus README, "Gold format": "on Tuesday" in an article
of Wednesday 2025-01-22 is 2025-01-21):

1. Weekdays. A bare weekday means the most recent such day *on or before* the publication
   date (past events, the default) or the next such day *on or after* it (``future=True``);
   a weekday equal to the publication weekday is the publication day itself (dateparser
   would jump a week). "last Friday" is strictly before, "next Friday" strictly after.
   "the weekend" / "at the weekend" is the Saturday chosen the same way. The caller picks the
   direction from the event's status: ``kg.extract.meetings`` computes a meeting's status
   before its date and passes ``future=True`` for a planned one ("will meet on Monday" in an
   article of Friday 2026-01-02 is 2026-01-05; "met on Monday" is 2025-12-29).
2. Month names without a year ("Jan. 4", "4 January", "early November"). The year is the
   publication year, unless that puts the date more than :data:`YEAR_TOLERANCE_DAYS` after
   the publication date for a past event (then the previous year) or more than that many
   days before it for a future event (then the next year). dateparser would always pick the
   past (or future) year, so "Feb. 1" in an article of 2026-01-26 announcing talks would
   become 2025-02-01.
3. Weeks. The model has no week precision: "last week", "next week", "this week",
   "three weeks ago" resolve to the *month* of the day seven (or 7·n) days away from the
   publication date, precision "month".

Values of month-precision dates are the first day of the month; of year-precision dates
January 1st. Expressions anchored on another event rather than on the publication date
("a day after", "five days earlier", "the following week") and durations ("two months",
"four-day") return None.
"""

from __future__ import annotations

import calendar
import logging
import re
from datetime import date, datetime, timedelta

from kg.model import EventDate

log = logging.getLogger(__name__)

#: Days a month-and-day date without a year may lie on the "wrong" side of the publication
#: date before the other year is chosen (rule 2 above).
YEAR_TOLERANCE_DAYS = 30

_UNKNOWN = {"", "unknown", "n/a", "na", "none", "null", "-", "?"}

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS.update({"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
                  "fri": 4, "sat": 5, "sun": 6})

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_MONTH_RE = r"(?:%s)\.?" % "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_RE = r"(?:%s)\.?" % "|".join(sorted(_WEEKDAYS, key=len, reverse=True))

# Parts of day and vague position words that do not change the day or month.
_DAYPART = r"(?:morning|afternoon|evening|night|noon|midday|overnight)"
_POSITION = r"(?:early|late|mid|middle of|beginning of|start of|end of|the end of|the start of)"

_PREPOSITIONS = re.compile(r"^(?:on|in|at|by|during|from|as of|over|for|of|starting|beginning)\s+")
_PARENS = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")
_TZ_NOTE = re.compile(
    r"(?:,?\s+(?:local|[a-z.]+)\s+time|\s+(?:gmt|utc|kst|jst|cst|est|edt|pst|pdt|cet|cest|bst|msk))$")
_ANCHORED = re.compile(
    r"\b(?:after|before|earlier|later|previous|prior|following|preceding|since|until|till)\b")
_RELATIVE_WORDS = re.compile(
    r"\b(?:ago|yesterday|today|tonight|tomorrow|last|next|this|past|coming|current)\b")
_YEAR = re.compile(r"\b(1[6-9]\d\d|2\d\d\d)\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")
_WEEKS = re.compile(r"^(?:(last|next|this|the past|the coming) week|(a|one|two|three|four|\d+) weeks? ago)$")
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}


def _dateparser():
    import dateparser  # lazy: ~80 ms to import

    return dateparser


def parse_published(text: str | None) -> date | None:
    """Parse a publication date from a header or metadata field.

    Args:
        text: "2017-11-12", "January 22, 2025", an RFC 822/ISO 8601 timestamp, or a
            placeholder such as "unknown".

    Returns:
        The calendar date as written (a time-zone offset does not move it to UTC), or None
        for an empty/placeholder value or a text dateparser cannot read as a full date
        (day, month and year). Relative texts ("2 days ago") are not accepted.
    """
    if text is None:
        return None
    cleaned = text.strip()
    if cleaned.lower() in _UNKNOWN:
        return None
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])", cleaned)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    parsed = _dateparser().parse(cleaned, settings={
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    })
    if parsed is None:
        log.debug("unparseable publication date %r", text)
        return None
    return parsed.date()


def _clean(expression: str) -> str:
    text = _PARENS.sub("", expression).strip().lower()
    text = text.strip(" ,;:.!?\"'“”‘’")
    text = re.sub(r"\s+", " ", text)
    text = _TZ_NOTE.sub("", text).strip(" ,")
    for _ in range(3):
        text = _PREPOSITIONS.sub("", text)
    text = re.sub(r"^(?:earlier|later) (?=this )", "", text)  # "earlier this month" -> "this month"
    # "Sunday, Jan. 4" / "Friday 5 December": the explicit date decides.
    text = re.sub(rf"^{_WEEKDAY_RE},?\s+(?=\d|{_MONTH_RE})", "", text)
    return text.strip()


def _weekday_rule(text: str, published: date, future: bool) -> EventDate | None:
    m = re.fullmatch(
        rf"(?:(last|next|this|coming|this coming|past|this past)\s+)?(?:{_POSITION}\s+)?"
        rf"({_WEEKDAY_RE})(?:\s+{_DAYPART})?(?:\s+(last|this|next) week)?", text)
    if m is None:
        return None
    modifier, name, week = m.group(1), m.group(2).rstrip("."), m.group(3)
    target = _WEEKDAYS[name]
    if week:  # "Friday last week": that weekday of the calendar week (Monday-Sunday) meant
        monday = published - timedelta(days=published.weekday())
        shift = {"last": -7, "this": 0, "next": 7}[week]
        return EventDate(monday + timedelta(days=shift + target), "day")
    delta_back = (published.weekday() - target) % 7
    delta_fwd = (target - published.weekday()) % 7
    if modifier in ("last", "past", "this past"):
        return EventDate(published - timedelta(days=delta_back or 7), "day")
    if modifier in ("next",):
        return EventDate(published + timedelta(days=delta_fwd or 7), "day")
    if modifier in ("coming", "this coming"):
        return EventDate(published + timedelta(days=delta_fwd), "day")
    if future:
        return EventDate(published + timedelta(days=delta_fwd), "day")
    return EventDate(published - timedelta(days=delta_back), "day")


def _weekend_rule(text: str, published: date, future: bool) -> EventDate | None:
    m = re.fullmatch(r"(?:(last|this|next|the|a|the past|the coming)\s+)?weekend", text)
    if m is None:
        return None
    saturday = 5
    back = (published.weekday() - saturday) % 7
    fwd = (saturday - published.weekday()) % 7
    if m.group(1) == "last" or m.group(1) == "the past":
        return EventDate(published - timedelta(days=back or 7), "day")
    if m.group(1) in ("next", "the coming") or future:
        return EventDate(published + timedelta(days=fwd), "day")
    return EventDate(published - timedelta(days=back), "day")


def _pick_year(month: int, day: int | None, published: date, future: bool) -> int:
    year = published.year
    if day is None:
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
    else:
        first = last = date(year, month, min(day, calendar.monthrange(year, month)[1]))
    if not future and first > published + timedelta(days=YEAR_TOLERANCE_DAYS):
        return year - 1
    if future and last < published - timedelta(days=YEAR_TOLERANCE_DAYS):
        return year + 1
    return year


def _month_rule(text: str, published: date | None, future: bool) -> EventDate | None:
    """Month (and day) without a four-digit year, possibly "last/next/this" or "... last year"."""
    m = re.fullmatch(
        rf"(?:(last|next|this|the)\s+)?(?:{_POSITION}[\s-]+)?(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
        rf"({_MONTH_RE})(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?)?(?:,?\s+(last|this|next) year)?", text)
    if m is None:
        return None
    if published is None:
        return None
    modifier, day_before, month_name, day_after, year_word = m.groups()
    month = _MONTHS[month_name.rstrip(".")]
    day_text = day_before or day_after
    day = int(day_text) if day_text else None
    if year_word:
        year = published.year + {"last": -1, "this": 0, "next": 1}[year_word]
    elif modifier == "last":
        year = published.year if month < published.month else published.year - 1
    elif modifier == "next":
        year = published.year if month > published.month else published.year + 1
    elif modifier == "this":
        year = published.year
    else:
        year = _pick_year(month, day, published, future)
    if day is None:
        return EventDate(date(year, month, 1), "month")
    try:
        return EventDate(date(year, month, day), "day")
    except ValueError:
        return None


def _weeks_rule(text: str, published: date) -> EventDate | None:
    m = _WEEKS.fullmatch(text)
    if m is None:
        return None
    if m.group(1):
        offset = {"last": -7, "the past": -7, "next": 7, "the coming": 7, "this": 0}[m.group(1)]
    else:
        n = m.group(2)
        offset = -7 * (int(n) if n.isdigit() else _NUMBER_WORDS[n])
    moved = published + timedelta(days=offset)
    return EventDate(moved.replace(day=1), "month")


def _normalise(value: date, precision: str) -> EventDate:
    if precision == "month":
        return EventDate(value.replace(day=1), "month")
    if precision == "year":
        return EventDate(date(value.year, 1, 1), "year")
    return EventDate(value, "day")


def _dateparser_rule(text: str, published: date | None, future: bool) -> EventDate | None:
    has_year = bool(_YEAR.search(text))
    relative = bool(_RELATIVE_WORDS.search(text))
    if not (has_year or relative or _NUMERIC_DATE.search(text)):
        return None  # durations ("two months", "four-day") and bare numbers
    if published is None and not has_year:
        return None
    if re.fullmatch(r"\d+", text) and not has_year:
        return None
    base = datetime.combine(published or date(2000, 1, 1), datetime.min.time())
    from dateparser.date import DateDataParser  # lazy, see _dateparser

    parser = DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "future" if future else "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    })
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    period = data.period or "day"
    if period == "week":
        return EventDate(data.date_obj.date().replace(day=1), "month")
    if period == "time":
        period = "day"
    return _normalise(data.date_obj.date(), period)


def resolve_date(expression: str, published: date | None, future: bool = False) -> EventDate | None:
    """Resolve a date expression from a sentence against the publication date.

    Args:
        expression: The date words of a sentence: "on Tuesday", "Saturday night", "Jan. 4",
            "in February 2022", "last month", "2019", "Sunday (Korea time)", "two months ago".
            Leading prepositions, parenthesised notes and time-zone notes are ignored.
        published: The article's publication date; relative expressions need it.
        future: True when the event lies ahead (planned: "will meet on Tuesday"), so that
            weekdays and months resolve forwards; False (default) for past events.

    Returns:
        ``EventDate(value, precision)`` with precision "day", "month" (value = 1st of the
        month) or "year" (value = January 1st); None when nothing parses, when the
        expression is relative and ``published`` is None, or when it is anchored on another
        event ("five days earlier"). See the module docstring for the rules.
    """
    if not expression:
        return None
    text = _clean(expression)
    if not text or _ANCHORED.search(text):
        return None
    if published is not None:
        for rule in (_weekday_rule, _weekend_rule):
            result = rule(text, published, future)
            if result is not None:
                return result
        weeks = _weeks_rule(text, published)
        if weeks is not None:
            return weeks
    elif re.fullmatch(rf"(?:\S+\s+)?{_WEEKDAY_RE}(?:\s+\S+)?|.*\bweekend", text):
        return None
    if not _YEAR.search(text):
        month = _month_rule(text, published, future)
        if month is not None:
            return month
        if published is None and re.search(rf"\b{_MONTH_RE}(?:\s|$)", text):
            return None  # a month without a year needs the publication year
    else:
        text = re.sub(rf"^{_POSITION}[\s-]+", "", text)  # "early November 2019" -> month
    return _dateparser_rule(text, published, future)
