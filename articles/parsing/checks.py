"""The span contract of a `ParsedFile`, checked: what the ingest relies on when it cuts text out of a file."""

from __future__ import annotations

from itertools import pairwise

from articles.parsing.lines import INVISIBLE
from articles.parsing.model import DocumentKind, ParsedDocument, ParsedFile, Span


def contract_violations(parsed: ParsedFile, text: str) -> list[str]:
    """Every way `parsed` breaks the span contract for `text`; an empty list when it keeps it."""
    problems: list[str] = []
    previous_end = 0
    for index, document in enumerate(parsed.documents):
        where = f"document {index}"
        if document.span.start < previous_end:
            problems.append(f"{where} overlaps the document before it")
        previous_end = document.span.end
        problems += _document_violations(document, index, parsed.documents, text, where)
    for span in parsed.skipped:
        problems += _span_violations(span, text, "skipped line")
    return problems


def _document_violations(
    document: ParsedDocument, index: int, documents: list[ParsedDocument], text: str, where: str
) -> list[str]:
    problems = _span_violations(document.span, text, where, stripped=False)
    if document.title_span and document.title_span.text(text) != document.title:
        problems.append(f"{where}: title span does not hold the title")
    problems += _sequence_violations(document.segments, document.span, text, f"{where} segment")
    if document.standfirst and document.segments[:1] != [document.standfirst]:
        problems.append(f"{where}: the standfirst is not the first segment")
    for caption in document.captions:
        problems += _inside(caption.span, document.span, text, f"{where} caption")
        if any(_overlap(caption.span, segment) for segment in document.segments):
            problems.append(f"{where}: a caption is also a segment")
    for position, post in enumerate(document.posts):
        post_where = f"{where} post {position}"
        problems += _inside(post.span, document.span, text, post_where, stripped=False)
        problems += _sequence_violations(post.segments, post.span, text, f"{post_where} segment")
        expected_depth = 0 if post.parent is None else document.posts[post.parent].depth + 1
        if post.parent is not None and not 0 <= post.parent < position:
            problems.append(f"{post_where}: parent {post.parent} is not an earlier post")
        elif post.depth != expected_depth:
            problems.append(f"{post_where}: depth {post.depth} does not follow from its parent")
    if document.comments_on is not None and not (
        0 <= document.comments_on < index and documents[document.comments_on].kind == DocumentKind.ARTICLE
    ):
        problems.append(f"{where}: comments_on does not point at an earlier article")
    return problems


def _sequence_violations(spans: list[Span], container: Span, text: str, where: str) -> list[str]:
    problems: list[str] = []
    for before, after in pairwise(spans):
        if after.start < before.end:
            problems.append(f"{where}s overlap or are out of order at {after.start}")
    for span in spans:
        problems += _inside(span, container, text, where)
    return problems


def _inside(span: Span, container: Span, text: str, where: str, *, stripped: bool = True) -> list[str]:
    problems = _span_violations(span, text, where, stripped=stripped)
    if span.start < container.start or span.end > container.end:
        problems.append(f"{where} {span.start}..{span.end} lies outside {container.start}..{container.end}")
    return problems


def _span_violations(span: Span, text: str, where: str, *, stripped: bool = True) -> list[str]:
    if span.end > len(text):
        return [f"{where} {span.start}..{span.end} runs past the end of the text ({len(text)})"]
    piece = span.text(text)
    if stripped and (not piece or piece != piece.strip() or piece != piece.strip(INVISIBLE)):
        return [f"{where} {span.start}..{span.end} is empty or not stripped: {piece[:40]!r}"]
    return []


def _overlap(first: Span, second: Span) -> bool:
    return first.start < second.end and second.start < first.end
