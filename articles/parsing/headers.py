"""Read the lines around an article's prose that describe it: title, section, byline, date, outlet, URL.

Each function looks at one stripped line and says what it is, so the article parser can apply them in
any order the page happens to use.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from articles.parsing.dates import find_dates, parse_date
from articles.parsing.lines import ends_sentence, normalise, word_count

MAX_TITLE_WORDS = 30
MAX_TITLE_CHARS = 300
MAX_LABEL_WORDS = 6  # sections, outlet names and title suffixes are short
MAX_BYLINE_WORDS = 25

PIPE_TITLE = re.compile(r"(?P<title>[^|]+?)\s+\|\s+(?P<section>[^|]+?)(?:\s+\|\s+(?P<outlet>[^|]+?))?")
BREADCRUMB = re.compile(r"\s[/›>»|]\s")
BYLINE = re.compile(r"by\s+(?P<credits>\S.*)", re.IGNORECASE)
CREDIT_SEPARATORS = re.compile(r"\s+[-–—|·•]\s+|\s*[,;]\s*|\s+(?:and|&)\s+", re.IGNORECASE)
DATE_WORDS = re.compile(
    r"\b(?:published|updated|last updated|posted|on|at|am|pm|a\.m\.|p\.m\.|gmt|utc|bst|cet|cest|[ecmp][sd]?t"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d{1,2}[:.]\d{2})\b",
    re.IGNORECASE,
)
STAFF_WORDS = re.compile(
    r"\s+(?:staff|staff writers?|correspondents?|reporters?|desk|newsroom)$", re.IGNORECASE
)
NAME_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "al", "el", "bin", "ibn"}
)
NAME_TOKEN = re.compile(r"[^\W\d_][\w’'.-]*")
WIRE_SERVICES = frozenset(
    normalise(name)
    for name in (
        "AP",
        "Associated Press",
        "The Associated Press",
        "Reuters",
        "AFP",
        "Agence France-Presse",
        "Bloomberg",
        "Bloomberg Opinion",
        "Bloomberg News",
        "Xinhua",
        "TASS",
        "dpa",
        "UPI",
        "EFE",
        "Anadolu Agency",
        "Kyodo",
        "Yonhap",
        "PTI",
        "ANI",
    )
)
ACRONYM_LENGTH = 4
TRAILER = re.compile(r"(?P<title>.+)\s[-–—|]\s(?P<outlet>[^-–—|]+)")
PARTNER = re.compile(
    r"(?:from our (?:media )?partners?(?: at)?"
    r"|(?:this (?:article|story|piece) )?(?:was )?(?:originally|first) (?:published|appeared) (?:in|on|by|at)"
    r"|republished (?:from|with permission from|courtesy of))\s+(?P<outlet>[^\W\d].*?)\.?",
    re.IGNORECASE,
)
URL_LINE = re.compile(
    r"(?:(?:originally\s+)?(?:published|posted)\s+(?:at|on|in)|source|original source|via"
    r"|read (?:more|the original)(?: at)?)?\s*:?\s*<?(?P<url>https?://[^\s<>]+?)>?",
    re.IGNORECASE,
)


@dataclass
class Byline:
    """Who wrote a piece, for whom, and when, as a "By …" line states it."""

    authors: list[str] = field(default_factory=list)
    agency: str = ""  # a credited wire or publisher other than the page's own ("BY X - BLOOMBERG")
    staff_of: str = ""  # a house credit ("By Al Jazeera Staff")
    published_on: dt.date | None = None


def is_title_like(text: str) -> bool:
    """Short, and not ending the way a sentence of prose does (a question mark is fine)."""
    if not text or len(text) > MAX_TITLE_CHARS or not any(char.isalpha() for char in text):
        return False
    return word_count(text) <= MAX_TITLE_WORDS and (not ends_sentence(text) or text.endswith(("?", "!", "”")))


def split_pipe_title(text: str) -> tuple[str, str, str]:
    """("Title", "Section", "Outlet") from "Title | Section News" or "Title | Section | Outlet"."""
    match = PIPE_TITLE.fullmatch(text)
    if not match or word_count(match["title"]) < 2:
        return text, "", ""
    suffixes = [match["section"], match["outlet"] or ""]
    if any(word_count(suffix) > MAX_LABEL_WORDS for suffix in suffixes):
        return text, "", ""
    return match["title"].strip(), suffixes[0].strip(), suffixes[1].strip()


def is_section_line(text: str) -> bool:
    """A short label such as "COMMENTARY / WORLD" or "World › Europe" printed above a headline."""
    letters = [char for char in text if char.isalpha()]
    if len(letters) < 3 or word_count(text) > MAX_LABEL_WORDS or ends_sentence(text):
        return False
    return bool(BREADCRUMB.search(text)) or all(char.isupper() for char in letters)


def parse_byline(text: str) -> Byline | None:
    """Authors, credited outlet and date from "By A - B - March 27, 2024" or "BY A - BLOOMBERG"."""
    match = BYLINE.fullmatch(text)
    if not match or word_count(text) > MAX_BYLINE_WORDS:
        return None
    credits = match["credits"]
    byline = Byline()
    for mention in reversed(find_dates(credits)):
        byline.published_on = parse_date(mention) or byline.published_on
        credits = f"{credits[: mention.start]} - {credits[mention.end :]}"
    for part in CREDIT_SEPARATORS.split(DATE_WORDS.sub(" ", credits)):
        part = part.strip(" .-–—")
        if part and not _read_credit(part, byline):
            return None
    return byline if byline.authors or byline.agency or byline.staff_of else None


def _read_credit(part: str, byline: Byline) -> bool:
    staff = STAFF_WORDS.search(part)
    if staff:
        byline.staff_of = byline.staff_of or outlet_casing(part[: staff.start()])
        return bool(byline.staff_of)
    if normalise(part) in WIRE_SERVICES or (" " not in part and NAME_TOKEN.fullmatch(part)):
        byline.agency = byline.agency or outlet_casing(part)
        return True
    name = person_name(part)
    if name:
        byline.authors.append(name)
    return bool(name)


def person_name(text: str) -> str:
    """`text` as a person's name ("MARC CHAMPION" becomes "Marc Champion"), or "" if it is not one."""
    name = text.title() if text.isupper() else text
    tokens = name.split()
    if not 2 <= len(tokens) <= 5 or not all(NAME_TOKEN.fullmatch(token) for token in tokens):
        return ""
    capitalised = [token for token in tokens if token[0].isupper() or _is_prefixed_surname(token)]
    if len(capitalised) < 2 or any(
        token not in capitalised and token.casefold() not in NAME_PARTICLES for token in tokens
    ):
        return ""
    return name


def _is_prefixed_surname(token: str) -> bool:
    """ "al-Farsi", "bin-Salem": a lowercase particle joined to a capitalised name."""
    prefix, hyphen, rest = token.partition("-")
    return bool(hyphen) and prefix.casefold() in NAME_PARTICLES and rest[:1].isupper()


def outlet_casing(name: str) -> str:
    """Shouted outlet names in readable case, acronyms ("WSJ", "AFP") left alone."""
    name = name.strip()
    return name.title() if name.isupper() and len(name) > ACRONYM_LENGTH else name


def date_line(text: str) -> dt.date | None:
    """The date of a line that holds nothing but a date ("Published Saturday, March 23, 2024 10:05 GMT")."""
    mentions = find_dates(text)
    if not mentions:
        return None
    starts = [0, *(mention.end for mention in mentions)]
    ends = [*(mention.start for mention in mentions), len(text)]
    gaps = zip(starts, ends, strict=True)
    rest = DATE_WORDS.sub("", "".join(text[start:end] for start, end in gaps))
    return None if any(char.isalnum() for char in rest) else parse_date(mentions[0])


def trailer_outlet(text: str, title_keys: set[str]) -> str:
    """The outlet of a "Title - Outlet" line repeating one of the article's titles, or ""."""
    match = TRAILER.fullmatch(text)
    if not match or normalise(match["title"]) not in title_keys:
        return ""
    outlet = match["outlet"].strip()
    return outlet_casing(outlet) if word_count(outlet) <= MAX_LABEL_WORDS else ""


def partner_outlet(text: str) -> str:
    """The publisher a "From our partner X" / "Originally published in X" line credits, or ""."""
    match = PARTNER.fullmatch(text)
    if not match or "://" in match["outlet"] or word_count(match["outlet"]) > MAX_LABEL_WORDS:
        return ""
    return outlet_casing(match["outlet"])


def url_of_line(text: str) -> str:
    """The URL of a line that is only a URL, possibly labelled ("Originally published at: https://…")."""
    match = URL_LINE.fullmatch(text)
    return match["url"] if match else ""


def domain_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed host ("example.or[g/…" is an unclosed IPv6 literal): no domain
        return ""
    return host.removeprefix("www.")
