"""When a claim was said: DATE expressions resolved against the document's publication date.

"on March 8", "on Saturday", "last year" and "days later, on March 19" resolve relative to the date the
document was published. Without an expression the publication date is used and marked as such; when the
document has no date, relative expressions stay unresolved rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from dateparser.date import DateDataParser

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EXPLICIT_YEAR = re.compile(r"\b(1[89]|20)\d{2}\b")
PRECISIONS = {"day": "day", "week": "week", "month": "month", "year": "year"}


@dataclass(frozen=True)
class SaidDate:
    date: dt.date | None
    source: str  # "text", "publication" or "unknown" (Claim.DateSource)
    text: str = ""  # the expression that gave the date
    precision: str = ""  # day, week, month or year


@cache
def _parser_for(base: dt.date | None) -> DateDataParser:
    settings = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": []}
    if base:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time(12))
    return DateDataParser(languages=["en"], settings=settings)


def resolve_expression(expression: str, base: dt.date | None) -> tuple[dt.date, str] | None:
    """The date and precision an expression names, or None. Leading words that are not part of the
    date ("days later, on March 19") are dropped one by one until the rest parses."""
    if base is None and not EXPLICIT_YEAR.search(expression):
        return None  # "on Saturday" with no publication date: which Saturday is unknowable
    words = expression.replace(",", " ").split()
    for start in range(len(words)):
        candidate = " ".join(words[start:])
        data = _parser_for(base).get_date_data(candidate)
        if data.date_obj is None:
            continue
        date, period = data.date_obj.date(), data.period or "day"
        date = _same_day_for_own_weekday(candidate, date, base)
        if period == "year":
            date = date.replace(month=1, day=1)
        elif period == "month":
            date = date.replace(day=1)
        if base and date > base:
            return None  # nobody said it after the article was published
        return date, PRECISIONS.get(period, "day")
    return None


def resolve_said_date(expressions: list[str], published_on: dt.date | None) -> SaidDate:
    for expression in expressions:
        resolved = resolve_expression(expression, published_on)
        if resolved:
            return SaidDate(resolved[0], "text", expression, resolved[1])
    if published_on:
        return SaidDate(published_on, "publication", "", "day")
    return SaidDate(None, "unknown")


def _same_day_for_own_weekday(expression: str, date: dt.date, base: dt.date | None) -> dt.date:
    """dateparser takes "Saturday" in a text dated Saturday as the Saturday before; news means that day."""
    lowered = expression.lower()
    if base and date == base - dt.timedelta(days=7) and WEEKDAYS[base.weekday()] in lowered:
        return base
    return date
