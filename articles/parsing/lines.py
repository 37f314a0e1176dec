"""Split decoded text into lines that remember where they sit, so every parser can hand back exact spans."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from articles.parsing.model import Span

LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
# Python's isspace() already covers NBSP and the other Unicode spaces; these invisible ones it misses.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# U+3000 is the highest code point isspace() accepts.
SPACE_CHARACTERS = "".join(chr(code) for code in range(0x3001) if chr(code).isspace()) + INVISIBLE
MAX_FOLDED_CHARS = 300  # headlines and stock phrases are shorter; longer lines are never compared whole
TERMINAL_PUNCTUATION = ".!?…:;,\"”’')]"
NON_WORD = re.compile(r"[^\w\s]+")
SPACES = re.compile(r"\s+")
WORD = re.compile(r"\S+")


class Line(NamedTuple):
    """One source line: `start`/`end` bound its text without surrounding whitespace (empty when blank).

    A named tuple rather than a dataclass: files can have millions of lines, and tuples are built fastest.
    """

    number: int
    start: int
    end: int
    indent: int  # columns of leading whitespace, tabs counted as 4
    text: str
    folded: str  # `normalise(text)`, or "" for lines too long to be a headline or a stock phrase

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def split_lines(text: str) -> list[Line]:
    """Lines of `text` with CRLF, CR and LF all treated as breaks; spans index `text` itself."""
    lines: list[Line] = []
    position = 0
    pieces = LINE_BREAK.split(text)  # line, break, line, break, …, line
    line_breaks = [*pieces[1::2], ""]
    for number, (raw, line_break) in enumerate(zip(pieces[::2], line_breaks, strict=True)):
        stripped = raw.strip(SPACE_CHARACTERS)
        start, indent = position, 0
        if stripped:
            leading = len(raw) - len(raw.lstrip(SPACE_CHARACTERS))
            start += leading
            indent = len(raw[:leading].expandtabs(4)) if leading else 0
        folded = normalise(stripped) if len(stripped) <= MAX_FOLDED_CHARS else ""
        lines.append(Line(number, start, start + len(stripped), indent, stripped, folded))
        position += len(raw) + len(line_break)
    return lines


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Case and punctuation (curly quotes and dashes too) folded away: comparisons ignore typography."""
    folded = NON_WORD.sub(" ", text.casefold())
    return SPACES.sub(" ", folded).strip()


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def ends_sentence(text: str) -> bool:
    """Whether the line ends the way prose does (titles, labels and headings usually do not)."""
    return bool(text) and text[-1] in TERMINAL_PUNCTUATION
