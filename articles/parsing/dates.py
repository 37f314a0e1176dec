"""Find full dates (day, month and year) in text.

dateparser happily reads dates into junk, so candidates are found by regex first and only those exact
substrings are handed to it. Candidates are ordered by their regex fields, so a file with thousands of dates
costs one dateparser call per date actually used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import dateparser

MONTH_NAMES = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
ORDINAL = r"(?:st|nd|rd|th)?"
DATE_PATTERNS = (
    re.compile(rf"\b{MONTH_NAMES}\s+(?P<day>\d{{1,2}}){ORDINAL},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(
        rf"\b(?P<day>\d{{1,2}}){ORDINAL}\s+(?:of\s+)?{MONTH_NAMES},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE
    ),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)
URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?:/|$)")
MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
DATEPARSER_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
EARLIEST_YEAR, LATEST_YEAR = 1800, 2100


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date written out in full: where it is (offsets into the searched text) and its y/m/d fields."""

    start: int
    end: int
    key: tuple[int, int, int]
    text: str


def find_dates(text: str) -> list[DateMention]:
    """Full dates mentioned in `text`, in order of appearance; impossible fields are left out."""
    mentions = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            key = _fields(match)
            if key:
                mentions.append(DateMention(match.start(), match.end(), key, match.group()))
    mentions.sort(key=lambda mention: mention.start)
    return _without_overlaps(mentions)


def parse_date(mention: DateMention) -> dt.date | None:
    return _parse_candidate(mention.text)


def latest_date(texts: Iterable[str]) -> dt.date | None:
    """The latest full date any of `texts` mentions (the best guess at when a report was written)."""
    mentions = [mention for text in texts for mention in find_dates(text)]
    for mention in sorted(mentions, key=lambda mention: mention.key, reverse=True):
        parsed = parse_date(mention)
        if parsed:
            return parsed
    return None


def date_in_url(url: str) -> dt.date | None:
    """The /yyyy/mm/dd/ date many sites put in article URLs."""
    match = URL_DATE.search(url)
    if not match:
        return None
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def _fields(match: re.Match[str]) -> tuple[int, int, int] | None:
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else MONTH_NUMBERS[month_text[:3].casefold()]
    year, day = int(match["year"]), int(match["day"])
    if EARLIEST_YEAR <= year <= LATEST_YEAR and 1 <= month <= 12 and 1 <= day <= 31:
        return year, month, day
    return None


def _without_overlaps(mentions: list[DateMention]) -> list[DateMention]:
    kept: list[DateMention] = []
    for mention in mentions:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


@lru_cache(maxsize=4096)
def _parse_candidate(candidate: str) -> dt.date | None:
    parsed = dateparser.parse(candidate, languages=["en"], settings=DATEPARSER_SETTINGS)
    return parsed.date() if parsed else None
