"""A claim's sentence cut into pieces marked source, cue or content, for every screen that shows it."""

from __future__ import annotations

from dataclasses import dataclass

from claims.models import Claim


@dataclass(frozen=True)
class Piece:
    text: str
    role: str = ""  # "source", "cue", "content", or "" for the words around them


def passage_pieces(claim: Claim, *, context: int = 0) -> list[Piece]:
    """The claim's sentence (widened by `context` characters each side) as marked pieces. Spans that reach
    past the sentence, like a quote over several sentences, widen it rather than being cut."""
    text = claim.document.text
    spans = sorted((span.start, span.end, span.role) for span in claim.claim_spans.all())
    start = max(0, min([claim.sentence_start, *(s for s, _, _ in spans)]) - context)
    end = min(len(text), max([claim.sentence_end, *(e for _, e, _ in spans)]) + context)
    pieces, cursor = [], start
    for span_start, span_end, role in spans:
        span_start = max(span_start, cursor)
        if span_start >= span_end:
            continue
        if span_start > cursor:
            pieces.append(Piece(text[cursor:span_start]))
        pieces.append(Piece(text[span_start:span_end], role))
        cursor = span_end
    if cursor < end:
        pieces.append(Piece(text[cursor:end]))
    return pieces
