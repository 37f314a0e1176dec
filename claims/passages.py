"""A claim's sentence cut into pieces marked source, cue or content, for every screen that shows it."""

from __future__ import annotations

from dataclasses import dataclass

from claims.models import Claim


@dataclass(frozen=True)
class Piece:
    text: str
    role: str = ""  # "source", "cue", "content", or "" for the words around them
    start: int | None = None  # offset of the first character in the document text; None for "…"


def passage_pieces(claim: Claim, *, context: int = 0) -> list[Piece]:
    """The claim's sentence (widened by `context` characters each side) as marked pieces. Spans that reach
    past the sentence, like a quote over several sentences, widen it rather than being cut."""
    text = claim.document.text
    spans = sorted((span.start, span.end, span.role) for span in claim.claim_spans.all())
    first = min([claim.sentence_start, *(s for s, _, _ in spans)])
    last = max([claim.sentence_end, *(e for _, e, _ in spans)])
    start, end = (
        _word_boundary_before(text, first - context, first),
        _word_boundary_after(text, last + context, last),
    )
    pieces, cursor = [Piece("…")] if start > 0 else [], start
    for span_start, span_end, role in spans:
        span_start = max(span_start, cursor)
        if span_start >= span_end:
            continue
        if span_start > cursor:
            pieces.append(Piece(text[cursor:span_start], start=cursor))
        pieces.append(Piece(text[span_start:span_end], role, start=span_start))
        cursor = span_end
    if cursor < end:
        pieces.append(Piece(text[cursor:end], start=cursor))
    if end < len(text):
        pieces.append(Piece("…"))
    return pieces


def _word_boundary_before(text: str, position: int, limit: int) -> int:
    """Where context may start: at `position` or just after, never inside a word."""
    if position <= 0:
        return 0
    while position < limit and not text[position - 1].isspace():
        position += 1
    return position


def _word_boundary_after(text: str, position: int, limit: int) -> int:
    """Where context may end: at `position` or just before, never inside a word."""
    if position >= len(text):
        return len(text)
    while position > limit and not text[position].isspace():
        position -= 1
    return position


def source_span(claim: Claim) -> tuple[int, int]:
    """Where the claim's sentence stands in the decoded source file, as [start, end) offsets."""
    document = claim.document
    start = document.source_offset(claim.sentence_start)
    end = document.source_offset(max(claim.sentence_start, claim.sentence_end - 1)) + 1
    return start, max(start, end)
