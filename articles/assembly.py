"""Build a document's cleaned text from source spans, remembering where each piece came from."""

from __future__ import annotations

import re

from articles.parsing.model import Span

SINGLE_LINE_BREAK = re.compile(r"[ \t\u00a0]*(\r\n|\r|\n)[ \t\u00a0]*")


class TextAssembler:
    """Concatenates source spans into one text and records `[text_offset, source_offset, length]` per piece.

    Pieces on consecutive source lines join with one newline, anything further apart with a blank line,
    so paragraphs survive and a comment's wrapped lines stay together.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._parts: list[str] = []
        self.length = 0
        self.offset_map: list[list[int]] = []
        self._previous_end: int | None = None

    def append(self, span: Span, *, new_block: bool = False) -> tuple[int, int]:
        """Add `span`; with `new_block` force a blank line before it. Returns its range in the text."""
        if self._previous_end is not None:
            separator = "\n\n" if new_block else self._separator(self._previous_end, span.start)
            self._parts.append(separator)
            self.length += len(separator)
        piece = self.source[span.start : span.end]
        start = self.length
        self.offset_map.append([start, span.start, len(piece)])
        self._parts.append(piece)
        self.length += len(piece)
        self._previous_end = span.end
        return start, self.length

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def _separator(self, previous_end: int, next_start: int) -> str:
        gap = self.source[previous_end:next_start]
        return "\n" if SINGLE_LINE_BREAK.fullmatch(gap) else "\n\n"
