"""Discourse-style forum threads as copied from the page: a topic title, often an "Originally published at:"
link to the story being discussed, then posts, each closed by its "N Likes" line.
"""

from __future__ import annotations

import re

from articles.parsing.chrome import chrome_kind
from articles.parsing.dates import date_in_url
from articles.parsing.headers import domain_of, url_of_line
from articles.parsing.lines import Line, normalise
from articles.parsing.model import DocumentKind, ParsedDocument, ParsedFile, ParsedPost, Provenance, Span

LIKES = re.compile(r"(?P<count>\d[\d,]*)\s+likes?", re.IGNORECASE)
ORIGIN_LABEL = normalise("Originally published at")
MIN_LIKES_LINES = 2
MAX_LINES_PER_POST = 20  # on average; real threads have far shorter posts


def looks_like_discourse(lines: list[Line]) -> bool:
    """Posts closed by "N Likes" lines: two or more, frequent enough to close every few lines (not a
    like counter or two in a page footer), or a single one under an "Originally published at:" link.
    """
    content = sum(1 for line in lines if not line.blank)
    likes = sum(1 for line in lines if LIKES.fullmatch(line.text))
    if likes >= MIN_LIKES_LINES:
        return likes * MAX_LINES_PER_POST >= content
    return likes == 1 and any(normalise(line.text).startswith(ORIGIN_LABEL) for line in lines)


def parse_discourse(lines: list[Line]) -> ParsedFile:
    """One forum thread: the opening post (post 0) and the replies, in order, each with its likes."""
    content = [line for line in lines if not line.blank]
    thread = ParsedDocument(
        kind=DocumentKind.FORUM_THREAD,
        span=Span(content[0].start, content[-1].end) if content else Span(0, 0),
    )
    if content and _is_topic_title(content[0].text):
        thread.title, thread.title_span = content[0].text, content[0].span
        content = content[1:]
    post_lines: list[Line] = []
    for line in content:
        post_lines.append(line)
        likes = LIKES.fullmatch(line.text)
        if likes:
            thread.posts.append(_post(thread, post_lines, int(likes["count"].replace(",", ""))))
            post_lines = []
    if any(_is_post_text(line) for line in post_lines):
        thread.posts.append(_post(thread, post_lines, None))
    if thread.url and not thread.published_on:
        thread.published_on = date_in_url(thread.url)
        thread.published_provenance = Provenance.STATED if thread.published_on else Provenance.UNKNOWN
    return ParsedFile(format="discourse_thread", documents=[thread])


def _is_topic_title(text: str) -> bool:
    return not (url_of_line(text) or LIKES.fullmatch(text) or chrome_kind(text))


def _is_post_text(line: Line) -> bool:
    return not (LIKES.fullmatch(line.text) or chrome_kind(line.text))


def _post(thread: ParsedDocument, lines: list[Line], likes: int | None) -> ParsedPost:
    """A post from its lines; the opening post gives up its story link to the thread."""
    text_lines = [line for line in lines if _is_post_text(line)]
    if not thread.posts:
        origin = next((line for line in text_lines if url_of_line(line.text)), None)
        if origin:
            thread.url = url_of_line(origin.text)
            thread.outlet_domain = domain_of(thread.url)
            text_lines = [line for line in text_lines if line is not origin] or [origin]
    return ParsedPost(
        span=Span(lines[0].start, lines[-1].end), segments=[line.span for line in text_lines], likes=likes
    )
