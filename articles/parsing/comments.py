"""Comment trees written as indented lists: "1." / "2." for top-level comments, "•", "-", "*" for replies.

A line starting with a list marker opens a comment; its indentation gives its place in the tree (a comment
is the reply of the nearest comment above it that is indented less). Lines without a marker continue the
open comment when they are indented or follow it without a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from articles.parsing.lines import SPACE_CHARACTERS, Line
from articles.parsing.model import ParsedPost, Span

MARKER = re.compile(r"(?:\d{1,4}[.)]|[•\-*–·◦▪‣●○])\s+(?=\S)")
MIN_COMMENTS = 2


def marker_length(text: str) -> int | None:
    """Characters taken by a stripped line's list marker and the spaces after it, or None without one."""
    match = MARKER.match(text)
    if not match:
        return None
    # Zero-width characters after the spaces ("- \u200bYes") are not the comment's text either.
    return len(text) - len(text[match.end() :].lstrip(SPACE_CHARACTERS))


@dataclass(frozen=True)
class TreeRegion:
    """Lines [first, stop) holding a comment tree."""

    first: int
    stop: int
    marker_indents: frozenset[int]

    @property
    def looks_like_comments(self) -> bool:
        """Replies nested under comments, or a list indented away from the prose: not a list in an article."""
        return len(self.marker_indents) > 1 or min(self.marker_indents) > 0


def tail_tree(lines: list[Line], start: int, stop: int, ignored: Callable[[int], bool]) -> TreeRegion | None:
    """The comment tree running to the end of lines [start, stop), if they end with one.

    `ignored` says which lines are chrome: they neither continue nor break a tree.
    """
    first: int | None = None
    indents: list[int] = []  # one per comment of the current run
    previous = -2
    for index in range(start, stop):
        line = lines[index]
        if line.blank or ignored(index):
            continue
        if marker_length(line.text) is not None:
            if first is None:
                first, indents = index, []
            indents.append(line.indent)
        elif first is not None and not (line.indent > 0 or previous == index - 1):
            first = None
        previous = index
    if first is None or len(indents) < MIN_COMMENTS:
        return None
    return TreeRegion(first, stop, frozenset(indents))


def parse_tree(lines: list[Line], region: TreeRegion, ignored: Callable[[int], bool]) -> list[ParsedPost]:
    """The comments of `region` in source order, with parents and depths from their indentation."""
    posts: list[ParsedPost] = []
    open_comments: list[tuple[int, int]] = []  # (indent, post index) from the root down to the latest comment
    for index in range(region.first, region.stop):
        line = lines[index]
        if line.blank or ignored(index):
            continue
        length = marker_length(line.text)
        if length is None:
            post = posts[-1]
            post.segments.append(line.span)
            post.span = Span(post.span.start, line.end)
            continue
        while open_comments and open_comments[-1][0] >= line.indent:
            open_comments.pop()
        parent = open_comments[-1][1] if open_comments else None
        posts.append(
            ParsedPost(
                span=line.span,
                segments=[Span(line.start + length, line.end)],
                parent=parent,
                depth=len(open_comments),
            )
        )
        open_comments.append((line.indent, len(posts) - 1))
    return posts
