"""Recognise site chrome and boilerplate: the lines a page wraps around the prose.

Most rules are about a line's shape (repeated punctuation, "Label: …", "N mins ago", "… GIF by …"); a short
list of well-known phrases covers the rest, matched on whole lines with case and punctuation folded away.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from articles.parsing.lines import Line, normalise, word_count


class Chrome(StrEnum):
    SEPARATOR = "separator"  # a rule of repeated punctuation, possibly after "The End": ends a document
    END = "end"  # "Continue Reading", "Original Source": the prose of a document is over
    BOILERPLATE = "boilerplate"
    REPOST = "repost"  # "More articles by …": names the owner of a wrapper page
    COUNT = "count"  # a bare number (a comment count, a page number)
    TEASER = "teaser"  # part of a "latest news" list: section + time ago, title, truncated lede


END_PHRASES = frozenset(
    normalise(phrase)
    for phrase in (
        "Continue Reading",
        "Read More",
        "Read the full article",
        "Read full story",
        "Original Source",
        "The End",
        "Exit mobile version",
        "Read full topic",
    )
)
BOILERPLATE_PHRASES = frozenset(
    normalise(phrase)
    for phrase in (
        "Connect with us",
        "Follow us",
        "Share",
        "Share this article",
        "Share this",
        "Print",
        "Advertisement",
        "Skip to content",
        "Skip to main content",
        "Subscribe",
        "Sign up for our newsletter",
        "Check out our Latest News and Follow us at Facebook",
        "Sign in to comment",
        "Log in to comment",
        "Leave a comment",
        "Comments are closed",
        "Load more comments",
        "Show more comments",
        "View comments",
        "To view or add a comment, sign in",
        "Powered by Discourse",
        "Report this article",
        "Like",
        "Comment",
        "Follow",
        "Sign in",
        "Join now",
        "Up Next",
        "Don't Miss",
        "Click to comment",
        "Leave a Reply",
        "Cancel reply",
    )
)
MAX_PHRASE_CHARS = 100  # longer lines cannot be one of the phrases; skip folding them
SEPARATOR = re.compile(r"(?:the end\W*)?(?P<rule>[^\w\s])(?:\s?(?P=rule)){2,}", re.IGNORECASE)
MIXED_RULE = re.compile(r"[^\w\s]{3,}")
LABELLED_CHROME = re.compile(
    r"(?:related|related topics|read more|read also|also read|see also|more on this|recommended|watch|listen"
    r"|about|about the author)\s*:\s*\S",
    re.IGNORECASE,
)
CREDIT_LINE = re.compile(r"(?:with |additional )?(?:additional )?reporting by\s+\S", re.IGNORECASE)
DISCLAIMER = re.compile(r"the (?:views|opinions) expressed\b", re.IGNORECASE)
GIF_LINE = re.compile(r".*\bGIF(?:\s+by\s+.+)?")
MAX_GIF_WORDS = 15
REPOST_OWNER = re.compile(
    r"(?:more (?:articles|posts) by|reposted by|shared by)\s+(?P<name>[^\W\d][\w .’'-]{1,80})", re.IGNORECASE
)
BARE_NUMBER = re.compile(r"\d[\d,.]*")
REACTION_COUNT = re.compile(
    r"\d[\d,.]*\s*[km]?\s+(?:likes?|reactions?|shares?|views?|reposts?|followers)", re.IGNORECASE
)
TIME_AGO = re.compile(
    r".{0,40}?\s*(?:\d+|an?|one)\s*(?:sec|second|min|minute|hr|hour|day|week|month|year)s?\s+ago",
    re.IGNORECASE,
)
COMMENTS_HEADING = re.compile(
    r"(?:\d+\s+)?(?:comments?|replies|reader comments)(?:\s*\(\d+\))?"
    r"|join the (?:conversation|discussion)",
    re.IGNORECASE,
)
# Headings of link lists ("Others also viewed", "More articles by …"): the short lines after them are links.
LIST_HEADINGS = frozenset(
    normalise(phrase)
    for phrase in (
        "Others also viewed",
        "Explore topics",
        "Insights from the community",
        "You may also like",
        "Related Articles",
        "Related Posts",
        "Most Popular",
        "Latest News",
        "Recommended",
        "Read next",
    )
)
MAX_LINK_WORDS = 20
TRUNCATED = ("...", "…")
MAX_TEASER_TEXT_LINES = 2


@lru_cache(maxsize=1 << 16)
def chrome_kind(text: str) -> Chrome | None:
    """What kind of chrome a stripped line is, judged on the line alone; None for anything else."""
    if not text:
        return None
    if not text[-1].isalnum() and (
        SEPARATOR.fullmatch(text) or (MIXED_RULE.fullmatch(text) and len(text) >= 5)
    ):
        return Chrome.SEPARATOR
    if REPOST_OWNER.fullmatch(text):
        return Chrome.REPOST
    if BARE_NUMBER.fullmatch(text):
        return Chrome.COUNT
    folded = normalise(text) if len(text) <= MAX_PHRASE_CHARS else ""
    if folded in END_PHRASES:
        return Chrome.END
    if folded in BOILERPLATE_PHRASES or folded in LIST_HEADINGS or _has_chrome_shape(text):
        return Chrome.BOILERPLATE
    return None


def _has_chrome_shape(text: str) -> bool:
    return bool(
        LABELLED_CHROME.match(text)
        or CREDIT_LINE.match(text)
        or DISCLAIMER.match(text)
        or COMMENTS_HEADING.fullmatch(text)
        or REACTION_COUNT.fullmatch(text)
        or ("GIF" in text and word_count(text) <= MAX_GIF_WORDS and GIF_LINE.fullmatch(text))
    )


def is_comments_heading(text: str) -> bool:
    return bool(COMMENTS_HEADING.fullmatch(text))


def chrome_lines(lines: list[Line]) -> dict[int, Chrome]:
    """Every chrome line of a file by line number, judged line by line plus the lists that span lines."""
    found = {line.number: kind for line in lines if (kind := chrome_kind(line.text))}
    found.update(dict.fromkeys(teaser_lines(lines), Chrome.TEASER))
    for number, kind in list(found.items()):
        if kind == Chrome.REPOST or (kind and lines[number].folded in LIST_HEADINGS):
            found.update(dict.fromkeys(_link_list_after(lines, number, found), Chrome.BOILERPLATE))
    return found


def _link_list_after(lines: list[Line], heading: int, found: dict[int, Chrome]) -> list[int]:
    """The short lines listed under a link-list heading, up to a wider gap, a rule or a line of prose."""
    links: list[int] = []
    blank_run = 0
    for number in range(heading + 1, len(lines)):
        line = lines[number]
        if line.blank:
            blank_run += 1
            if blank_run > 1:
                break
            continue
        blank_run = 0
        if found.get(number) in (Chrome.SEPARATOR, Chrome.END) or word_count(line.text) > MAX_LINK_WORDS:
            break
        links.append(number)
    return links


def repost_owner(text: str) -> str:
    """The person a "More articles by …" line names, or ""."""
    match = REPOST_OWNER.fullmatch(text)
    return match["name"].strip() if match else ""


def teaser_lines(lines: list[Line]) -> set[int]:
    """Line numbers of "latest news" teaser lists.

    An item is a "Section + N mins ago" line followed by a title and perhaps a lede; a run of two or more
    items, or a single one whose lede is cut off with an ellipsis, is a list of links, not prose.
    """
    found: set[int] = set()
    run: list[list[int]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.blank:
            index += 1
            continue
        if not _is_time_ago(line.text):
            _keep_teaser_run(run, lines, found)
            run = []
            index += 1
            continue
        item = [index]
        index += 1
        while index < len(lines) and len(item) <= MAX_TEASER_TEXT_LINES:
            if lines[index].blank:
                index += 1
                continue
            if _is_time_ago(lines[index].text):
                break
            item.append(index)
            index += 1
        run.append(item)
    _keep_teaser_run(run, lines, found)
    return found


def _is_time_ago(text: str) -> bool:
    return text[-3:].casefold() == "ago" and bool(TIME_AGO.fullmatch(text))


def _keep_teaser_run(run: list[list[int]], lines: list[Line], found: set[int]) -> None:
    truncated = any(lines[item[-1]].text.endswith(TRUNCATED) for item in run if len(item) > 1)
    if len(run) >= 2 or truncated:
        found.update(index for item in run for index in item)
