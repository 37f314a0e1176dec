"""Article dumps: one or more articles copied from web pages into one text file, perhaps with comments.

Articles end at rules of repeated punctuation ("++++++++++", "The End++++"), at "Continue Reading" /
"Original Source" lines, and where a new headline starts: a "Title | Section" line after a blank line, or a
short unpunctuated line set apart by two blank lines on each side. An article's first line is its title;
the lines before its prose may give a section, a byline, a date, a standfirst and captions; an indented
comment tree at its end becomes a comment thread of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import pairwise

from articles.parsing.captions import caption_credit, caption_key
from articles.parsing.chrome import Chrome, chrome_lines, is_comments_heading, repost_owner
from articles.parsing.comments import TreeRegion, marker_length, parse_tree, tail_tree
from articles.parsing.dates import date_in_url, latest_date
from articles.parsing.headers import (
    date_line,
    domain_of,
    is_section_line,
    is_title_like,
    parse_byline,
    partner_outlet,
    person_name,
    split_pipe_title,
    trailer_outlet,
    url_of_line,
)
from articles.parsing.lines import Line, ends_sentence, normalise, word_count
from articles.parsing.model import (
    DocumentKind,
    ParsedCaption,
    ParsedDocument,
    ParsedFile,
    Provenance,
    Span,
)
from articles.parsing.outlets import infer_outlet

BOUNDARIES = (Chrome.SEPARATOR, Chrome.END)
OUTSIDE_ARTICLES = (*BOUNDARIES, Chrome.TEASER)
HEADLINE_GAP = 2  # blank lines around a headline that stands on its own
STANDFIRST_GAP = 2  # blank lines after a standfirst that is set apart from the prose
MIN_STANDFIRST_WORDS, MAX_STANDFIRST_WORDS = 6, 60
MIN_UNPUNCTUATED_STANDFIRST_WORDS = 8
MIN_UNTITLED_WORDS = 20  # less than this without a headline is a stray fragment, not an article
PIPE_STYLE, PLAIN_STYLE = "pipe", "plain"
ARCHIVE_CREDIT = re.compile(r"file\b", re.IGNORECASE)


def parse_article_dump(text: str, lines: list[Line]) -> ParsedFile | None:
    """The articles and comment threads of `text`, or None when it holds nothing that reads as one."""
    reader = _DumpReader(text, lines)
    reader.read()
    if not any(document.title or document.posts for document in reader.documents):
        return None  # no headline and no comment tree: nothing here has the shape of a dump
    has_articles = any(document.kind == DocumentKind.ARTICLE for document in reader.documents)
    return ParsedFile(
        format="article_dump" if has_articles else "comment_tree",
        documents=reader.documents,
        reposted_by=reader.reposted_by(),
        warnings=reader.warnings,
    )


class _DumpReader:
    """Splits a file into chunks of one article each, reads them, then infers what the file shares."""

    def __init__(self, text: str, lines: list[Line]) -> None:
        self.text = text
        self.lines = lines
        self.chrome = chrome_lines(lines)
        self.documents: list[ParsedDocument] = []
        self.title_styles: dict[int, str] = {}  # article index -> how its headline is written
        self.warnings: list[str] = []

    def read(self) -> None:
        for start, stop in self._chunks():
            self._read_chunk(start, stop)
        self._infer_outlets()
        for document in self.documents:
            if document.kind == DocumentKind.ARTICLE:
                _infer_date(document, self.text)

    def reposted_by(self) -> str:
        for number, kind in sorted(self.chrome.items()):
            owner = person_name(repost_owner(self.lines[number].text)) if kind == Chrome.REPOST else ""
            if owner:
                return owner
        return ""

    # Splitting the file into chunks of one article (and its comments) each.

    def _chunks(self) -> Iterator[tuple[int, int]]:
        """Line ranges holding one article each (with its comments), split where articles visibly end."""
        start, title_keys, has_body = 0, set[str](), False
        for number, line in enumerate(self.lines):
            kind = self.chrome.get(number)
            if kind in BOUNDARIES:
                yield start, number
                start, title_keys, has_body = number + 1, set(), False
            elif line.blank or kind or line.folded in title_keys:
                continue
            elif not title_keys:
                title_keys = _title_keys(line.text)
            elif trailer_outlet(line.text, title_keys):  # "Title - Outlet" closes the article it names
                yield start, number + 1
                start, title_keys, has_body = number + 1, set(), False
            elif has_body and self._opens_article(number):
                yield start, number
                start, title_keys, has_body = number, _title_keys(line.text), False
            else:
                has_body = has_body or not is_title_like(line.text)  # prose, not a label or a byline
        yield start, len(self.lines)

    def _opens_article(self, number: int) -> bool:
        text = self.lines[number].text
        if not is_title_like(text) or marker_length(text) is not None or _is_header_line(text):
            return False
        if split_pipe_title(text)[1] and self._gap_before(number) >= 1:
            return True
        return self._gap_before(number) >= HEADLINE_GAP and self._gap_after(number) >= HEADLINE_GAP

    def _gap_before(self, number: int) -> int:
        gap = 0
        while number - gap - 1 >= 0 and self.lines[number - gap - 1].blank and gap < HEADLINE_GAP:
            gap += 1
        return HEADLINE_GAP if number - gap == 0 else gap

    def _gap_after(self, number: int) -> int:
        gap = 0
        last = len(self.lines) - 1
        while number + gap + 1 <= last and self.lines[number + gap + 1].blank and gap < HEADLINE_GAP:
            gap += 1
        return HEADLINE_GAP if number + gap == last else gap

    # Reading one chunk.

    def _read_chunk(self, start: int, stop: int) -> None:
        content = [n for n in range(start, stop) if not self.lines[n].blank and n not in self.chrome]
        if not content:
            return
        first = content[0]
        first_text = self.lines[first].text
        if marker_length(first_text) is not None or not is_title_like(first_text):
            self._read_untitled(first, stop, content)
            return
        title_keys = _title_keys(first_text)

        def ignored(number: int) -> bool:
            return number in self.chrome or self.lines[number].folded in title_keys

        tree = tail_tree(self.lines, first + 1, stop, ignored)
        if tree and not (tree.looks_like_comments or self._comments_announced(tree, first, title_keys)):
            tree = None
        article = _ArticleReader(self, first, tree.first if tree else stop, title_keys).read()
        if article:
            has_suffix = bool(split_pipe_title(first_text)[1])
            self.title_styles[len(self.documents)] = PIPE_STYLE if has_suffix else PLAIN_STYLE
            self.documents.append(article)
        if tree:
            thread = self._comment_thread(tree, ignored)
            if article is None:  # a headline over nothing but comments names the thread
                thread.title, thread.title_span = first_text, self.lines[first].span
                thread.span = Span(self.lines[first].start, thread.span.end)
            self.documents.append(thread)
        elif article is None:
            self._skip_stray(content)

    def _read_untitled(self, first: int, stop: int, content: list[int]) -> None:
        tree = tail_tree(self.lines, first, stop, self.chrome.__contains__)
        if tree and tree.first == first:
            self.documents.append(self._comment_thread(tree, self.chrome.__contains__))
            return
        if sum(word_count(self.lines[n].text) for n in content) < MIN_UNTITLED_WORDS:
            self._skip_stray(content)
            return
        article = _ArticleReader(self, first, stop, set(), titled=False).read()
        if article:
            article.warnings.append("no headline found; stored without a title")
            self.documents.append(article)

    def _skip_stray(self, content: list[int]) -> None:
        first_line = content[0] + 1
        self.warnings.append(f"skipped {len(content)} stray line(s) from line {first_line}: no article there")

    def _comments_announced(self, tree: TreeRegion, first: int, title_keys: set[str]) -> bool:
        """Whether the line above a flat list says comments follow (a repeated headline, "12 Comments")."""
        above = next((n for n in range(tree.first - 1, first, -1) if not self.lines[n].blank), None)
        if above is None:
            return False
        text = self.lines[above].text
        return self.lines[above].folded in title_keys or is_comments_heading(text)

    def _comment_thread(self, tree: TreeRegion, ignored: Callable[[int], bool]) -> ParsedDocument:
        posts = parse_tree(self.lines, tree, ignored)
        article_index = _last_article(self.documents)
        return ParsedDocument(
            kind=DocumentKind.COMMENT_THREAD,
            span=Span(posts[0].span.start, posts[-1].span.end),
            posts=posts,
            comments_on=article_index,
        )

    # File-wide inference.

    def _infer_outlets(self) -> None:
        """Give unattributed articles the publisher the file keeps referring to as itself."""
        articles = list(self.title_styles)
        texts = [self.documents[index].span.text(self.text) for index in articles]
        inferred = infer_outlet(texts)
        if not inferred:
            return
        styles = {self.title_styles[articles[position]] for position in inferred.referring_documents}
        for index in articles:
            document = self.documents[index]
            if not document.outlet_name and self.title_styles[index] in styles:
                document.outlet_name = inferred.name
                document.outlet_provenance = Provenance.INFERRED


class _ArticleReader:
    """Reads lines [first, stop) of a chunk as one article whose headline is line `first` (when titled)."""

    def __init__(
        self, dump: _DumpReader, first: int, stop: int, title_keys: set[str], *, titled: bool = True
    ) -> None:
        self.lines = dump.lines
        self.chrome = dump.chrome
        self.first, self.stop = first, stop
        self.title_keys = title_keys
        self.titled = titled
        self.document = ParsedDocument(kind=DocumentKind.ARTICLE, span=self.lines[first].span)
        self.caption_keys: set[str] = set()

    def read(self) -> ParsedDocument | None:
        document = self.document
        body_from = self.first
        if self.titled:
            self._read_title()
            body_from = self.first + 1
        items = [
            n
            for n in range(body_from, self.stop)
            if not self.lines[n].blank and n not in self.chrome and not self._repeats_title(n)
        ]
        in_header = self.titled
        for position, number in enumerate(items):
            text = self.lines[number].text
            if self._read_metadata(text) or self._read_caption(number):
                continue
            if in_header and self._read_header_line(text):
                continue
            if in_header and document.standfirst is None and self._is_standfirst(items, position):
                document.standfirst = self.lines[number].span
            else:
                in_header = False
            document.segments.append(self.lines[number].span)
        if not document.segments and not document.captions:
            return None
        self._settle_metadata()
        last = max(n for n in range(self.first, self.stop) if self._belongs(n))
        document.span = Span(self.lines[self.first].start, self.lines[last].end)
        return document

    def _read_title(self) -> None:
        line = self.lines[self.first]
        title, section, outlet = split_pipe_title(line.text)
        self.document.title = title
        self.document.title_span = Span(line.start, line.start + len(title))
        self.document.section = section
        if outlet:
            self._set_outlet(outlet)

    def _belongs(self, number: int) -> bool:
        """Whether a line is part of the article: anything but blanks and what separates articles."""
        return not self.lines[number].blank and self.chrome.get(number) not in OUTSIDE_ARTICLES

    def _repeats_title(self, number: int) -> bool:
        return self.lines[number].folded in self.title_keys

    def _read_metadata(self, text: str) -> bool:
        """Outlet credits and URLs, wherever they stand."""
        outlet = trailer_outlet(text, self.title_keys) or partner_outlet(text)
        if outlet:
            self._set_outlet(outlet)
            return True
        url = url_of_line(text)
        if url:
            self.document.url = self.document.url or url
            self.document.outlet_domain = self.document.outlet_domain or domain_of(url)
        return bool(url)

    def _read_caption(self, number: int) -> bool:
        line = self.lines[number]
        credit = caption_credit(line.text)
        if credit is None:
            return False
        key = caption_key(line.text)
        if key not in self.caption_keys:  # a caption printed twice is kept once
            self.caption_keys.add(key)
            self.document.captions.append(ParsedCaption(span=line.span, credit=credit))
        return True

    def _read_header_line(self, text: str) -> bool:
        """Section labels, bylines and date lines, which only mean that above the prose."""
        document = self.document
        byline = parse_byline(text)
        if byline:
            document.authors.extend(name for name in byline.authors if name not in document.authors)
            document.syndicated_from = document.syndicated_from or byline.agency
            if byline.staff_of:
                self._set_outlet(byline.staff_of)
            if byline.published_on:
                _set_stated_date(document, byline.published_on)
            return True
        if is_section_line(text):
            document.section = document.section or text
            return True
        published_on = date_line(text)
        if published_on:
            _set_stated_date(document, published_on)
        return published_on is not None

    def _is_standfirst(self, items: list[int], position: int) -> bool:
        """A short paragraph before the prose, unpunctuated or set apart (by header lines or a wider gap)."""
        if position + 1 >= len(items):
            return False
        line = self.lines[items[position]]
        words = word_count(line.text)
        if not MIN_STANDFIRST_WORDS <= words <= MAX_STANDFIRST_WORDS:
            return False
        if not ends_sentence(line.text) and words >= MIN_UNPUNCTUATED_STANDFIRST_WORDS:
            return True
        following = self.lines[items[position + 1]].text
        gap = items[position + 1] - items[position] - 1
        return gap > max(_usual_gap(items[position + 1 :]), STANDFIRST_GAP - 1) or _is_header_line(following)

    def _set_outlet(self, name: str) -> None:
        if not self.document.outlet_name:
            self.document.outlet_name = name
            self.document.outlet_provenance = Provenance.STATED

    def _settle_metadata(self) -> None:
        document = self.document
        if normalise(document.syndicated_from) == normalise(document.outlet_name):
            document.syndicated_from = ""
        if document.url and not document.published_on:
            published_on = date_in_url(document.url)
            if published_on:
                _set_stated_date(document, published_on)


def _is_header_line(text: str) -> bool:
    return bool(
        caption_credit(text) is not None or parse_byline(text) or is_section_line(text) or date_line(text)
    )


def _usual_gap(items: list[int]) -> int:
    """The commonest number of lines between consecutive items (the smaller on a tie; 1 if unknown)."""
    gaps = Counter(after - before - 1 for before, after in pairwise(items))
    if not gaps:
        return 1
    most = max(gaps.values())
    return min(gap for gap, count in gaps.items() if count == most)


def _set_stated_date(document: ParsedDocument, published_on: dt.date) -> None:
    if document.published_provenance != Provenance.STATED:
        document.published_on = published_on
        document.published_provenance = Provenance.STATED


def _infer_date(document: ParsedDocument, text: str) -> None:
    """Without a stated date, the latest full date an article mentions is the best guess at its own.

    Captions of archive pictures ("[File: …]") are left out: their dates are the picture's, not the story's.
    """
    if document.published_on:
        return
    captions = [caption.span for caption in document.captions if not ARCHIVE_CREDIT.match(caption.credit)]
    spans = [*document.segments, *captions]
    published_on = latest_date(span.text(text) for span in spans)
    if published_on:
        document.published_on = published_on
        document.published_provenance = Provenance.INFERRED


def _title_keys(headline: str) -> set[str]:
    """Forms a repeated headline may take: the whole line, or just the title without its " | Section".

    Never holds "", so lines too long to be folded never count as repeats.
    """
    return {normalise(headline), normalise(split_pipe_title(headline)[0])} - {""}


def _last_article(documents: list[ParsedDocument]) -> int | None:
    for index in range(len(documents) - 1, -1, -1):
        if documents[index].kind == DocumentKind.ARTICLE:
            return index
    return None
