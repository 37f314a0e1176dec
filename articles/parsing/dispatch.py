"""Pick the parser that recognises a file, and account for every line none of its documents keeps."""

from __future__ import annotations

from bisect import bisect_right

from articles.parsing.chrome import chrome_kind
from articles.parsing.discourse import looks_like_discourse, parse_discourse
from articles.parsing.dump import parse_article_dump
from articles.parsing.lines import Line, split_lines
from articles.parsing.model import DocumentKind, ParsedDocument, ParsedFile, Span

UNSTRUCTURED_WARNING = "no recognisable structure; stored as one document"
ONLY_CHROME_WARNING = "only boilerplate found; nothing stored"


def parse_text(text: str, *, filename: str = "") -> ParsedFile:
    """Parse decoded file content into documents whose spans index `text`.

    The format is recognised from the content alone, since a page can be saved under any name; `filename`
    is accepted for callers' logs and does not steer the parse.
    """
    lines = split_lines(text)
    if all(line.blank for line in lines):
        parsed = ParsedFile(format="unstructured", documents=[], warnings=["empty file: nothing to parse"])
    elif looks_like_discourse(lines):
        parsed = parse_discourse(lines)
    else:
        parsed = parse_article_dump(text, lines) or _unstructured(lines)
    parsed.skipped = _unused_lines(lines, parsed.documents)
    return parsed


def _unstructured(lines: list[Line]) -> ParsedFile:
    """All prose lines as one untitled article; chrome that is unmistakable still stays out."""
    content = [line for line in lines if not line.blank]
    kept = [line for line in content if not chrome_kind(line.text)]
    if not kept:
        return ParsedFile(format="unstructured", documents=[], warnings=[ONLY_CHROME_WARNING])
    document = ParsedDocument(
        kind=DocumentKind.ARTICLE,
        span=Span(kept[0].start, kept[-1].end),
        segments=[line.span for line in kept],
    )
    return ParsedFile(format="unstructured", documents=[document], warnings=[UNSTRUCTURED_WARNING])


def _unused_lines(lines: list[Line], documents: list[ParsedDocument]) -> list[Span]:
    """Non-blank lines that no title, segment, caption or post keeps: the chrome, metadata and duplicates."""
    starts = [line.start for line in lines]
    used: set[int] = set()
    for document in documents:
        spans = [*document.segments, *(caption.span for caption in document.captions)]
        spans += [segment for post in document.posts for segment in post.segments]
        if document.title_span:
            spans.append(document.title_span)
        used.update(bisect_right(starts, span.start) - 1 for span in spans)
    return [line.span for line in lines if not line.blank and line.number not in used]
