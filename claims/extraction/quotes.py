"""Find direct quotations, curly or straight, including quotes that run over paragraphs."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Token

QUOTES_KEY = "claimtracker_quotes"
QUOTE_MARK = re.compile(r"[“”\"]|''")
OPENS_AFTER = set(" \t\n([{—–-/")


def _is_opening(text: str, start: int, end: int) -> bool:
    """Marks other than “ open when they follow a space (or start the text) and precede a word."""
    if text[start:end] == "“":
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    # A ” can open too when misused so: ' ”Fear. I am truly afraid …”'.
    return before in OPENS_AFTER and not after.isspace()


def _paragraph_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations, marks included.

    A quote still open at the end of its paragraph continues when the next
    paragraph opens with a quote mark (the newspaper convention for long
    quotes); otherwise it ends with the paragraph.
    """
    quotes: list[tuple[int, int]] = []
    quote_start: int | None = None
    segment_start = 0  # the latest opening mark of the current quote
    for match in QUOTE_MARK.finditer(text):
        start, end = match.span()
        opening = _is_opening(text, start, end)
        if quote_start is not None and _paragraph_end(text, segment_start) < start:
            starts_paragraph = text[text.rfind("\n", 0, start) : start].strip() == ""
            if opening and starts_paragraph:
                segment_start = start
                continue
            quotes.append((quote_start, _paragraph_end(text, segment_start)))
            quote_start = None
        if quote_start is None:
            if opening:
                quote_start = segment_start = start
        else:
            quotes.append((quote_start, end))
            quote_start = None
    if quote_start is not None:
        quotes.append((quote_start, _paragraph_end(text, segment_start)))
    return quotes


@Language.component("claimtracker_quotes")
def mark_quotes(doc: Doc) -> Doc:
    """Store the quotations as ``doc.spans["claimtracker_quotes"]`` (token spans, marks included)."""
    spans = (doc.char_span(start, end, alignment_mode="expand") for start, end in find_quotes(doc.text))
    doc.spans[QUOTES_KEY] = [span for span in spans if span is not None]
    return doc


def quote_mask(doc: Doc) -> list[bool]:
    """For each token, whether it lies strictly inside a quotation (marks excluded)."""
    mask = [False] * len(doc)
    for span in doc.spans.get(QUOTES_KEY, []):
        for index in range(span.start + 1, span.end - 1):
            mask[index] = True
    return mask


def is_inside_quote(token: Token) -> bool:
    """``quote_mask`` for a single token."""
    return any(quote.start < token.i < quote.end - 1 for quote in token.doc.spans.get(QUOTES_KEY, []))
