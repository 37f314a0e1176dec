"""The reader's text: a document cut into blocks (paragraphs, or one per post) and each block into segments
at every edge of every visible claim span, so overlapping and nested attributions can all be drawn and
every character on screen keeps its offset in the document text (a selection maps back to offsets)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from articles.models import Document, Post
from claims.models import ClaimSpan

ROLE_ORDER = {role: index for index, role in enumerate(ClaimSpan.Role.values)}
BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")
DEEPEST_SHADE = 3  # content covered by three or more claims gets the darkest shade


@dataclass(frozen=True)
class Cover:
    """One claim covering a segment in one role; `extent` (the length from the claim's first to its last
    character) ranks claims from innermost to outermost."""

    claim_id: int
    role: str
    extent: int


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    cover: Cover


@dataclass(frozen=True)
class Segment:
    """A run of text that the same claims cover in the same roles."""

    start: int
    text: str
    covers: tuple[Cover, ...] = ()

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def claim_ids(self) -> list[int]:
        """The covering claims, innermost first: a click opens the first."""
        ranked = sorted(self.covers, key=lambda cover: (cover.extent, -cover.claim_id))
        return list(dict.fromkeys(cover.claim_id for cover in ranked))

    @property
    def roles(self) -> list[str]:
        return sorted({cover.role for cover in self.covers}, key=ROLE_ORDER.__getitem__)

    @property
    def content_depth(self) -> int:
        """How many claims have this text as content: the shade deepens with it."""
        return len({cover.claim_id for cover in self.covers if cover.role == ClaimSpan.Role.CONTENT})

    @property
    def data_claims(self) -> str:
        return " ".join(map(str, self.claim_ids))

    @property
    def css_class(self) -> str:
        classes = ["claim-mark", *(f"role-{role}" for role in self.roles)]
        if self.content_depth > 1:
            depth = min(self.content_depth, DEEPEST_SHADE)
            classes.append(f"content-depth-{depth}{'plus' if depth == DEEPEST_SHADE else ''}")
        return " ".join(classes)

    @property
    def label(self) -> str:
        """A tooltip naming the roles, so the marks read without relying on colour."""
        parts = []
        for role in self.roles:
            count = len({cover.claim_id for cover in self.covers if cover.role == role})
            parts.append(f"{role} of {count} claims" if count > 1 else role)
        return ", ".join(parts)


@dataclass
class Block:
    """A paragraph of an article, or one post of a thread, as segments."""

    start: int
    end: int
    segments: list[Segment] = field(default_factory=list)
    post: Post | None = None


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of the paragraphs of `text`: the runs between blank lines, without empty ones."""
    ranges, start = [], 0
    for separator in BLANK_LINES.finditer(text):
        ranges.append((start, separator.start()))
        start = separator.end()
    ranges.append((start, len(text)))
    return [(start, end) for start, end in ranges if text[start:end].strip()]


def segments(text: str, start: int, end: int, spans: Sequence[Span]) -> list[Segment]:
    """`text[start:end]` cut at every span edge inside it, each piece with the spans covering it whole."""
    inside = [span for span in spans if span.start < end and span.end > start]
    edges = sorted(
        {start, end, *(edge for span in inside for edge in (span.start, span.end) if start < edge < end)}
    )
    pieces = []
    for left, right in pairwise(edges):
        covers = tuple(span.cover for span in inside if span.start <= left and span.end >= right)
        pieces.append(Segment(left, text[left:right], covers))
    return pieces


def claim_spans(spans: Iterable[ClaimSpan]) -> list[Span]:
    """Reader spans from stored claim spans, each knowing its claim's extent."""
    spans = list(spans)
    bounds: dict[int, tuple[int, int]] = {}
    for span in spans:
        low, high = bounds.get(span.claim_id, (span.start, span.end))
        bounds[span.claim_id] = (min(low, span.start), max(high, span.end))
    return [
        Span(
            span.start,
            span.end,
            Cover(span.claim_id, span.role, bounds[span.claim_id][1] - bounds[span.claim_id][0]),
        )
        for span in spans
    ]


def reading_blocks(document: Document, posts: Sequence[Post] = ()) -> list[Block]:
    """The document as the reader shows it: one block per post for a thread (`posts`, in order), else one
    per paragraph; spans of rejected claims are left out."""
    spans = claim_spans(
        ClaimSpan.objects.filter(claim__in=document.claims.visible()).only("claim_id", "role", "start", "end")
    )
    text = document.text
    if posts:
        blocks = [Block(post.text_start, post.text_end, post=post) for post in posts]
    else:
        blocks = [Block(start, end) for start, end in paragraph_ranges(text)]
    for block in blocks:
        block.segments = segments(text, block.start, block.end, spans)
    return blocks
