"""What a parser returns: plain dataclasses whose spans point into the decoded source text.

Parsers never copy or rewrite text; they return `Span`s (character offsets into the decoded file, end
exclusive). The ingest service assembles document text from those spans and keeps the mapping back,
so every stored character can be traced to its place in the original file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range [start, end) of character offsets into the decoded source text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def text(self, source: str) -> str:
        return source[self.start : self.end]


class DocumentKind(StrEnum):
    ARTICLE = "article"
    FORUM_THREAD = "forum_thread"
    COMMENT_THREAD = "comment_thread"


class Provenance(StrEnum):
    """How a fact about a document (its date, its outlet) was found."""

    STATED = "stated"  # the text gives it (byline, dateline, "From our partner X")
    INFERRED = "inferred"  # worked out from the text (the latest full date it reports, self-references)
    UNKNOWN = "unknown"


@dataclass
class ParsedCaption:
    """A photo caption kept apart from the prose, with its credit ("Khalil Ashawi/Reuters") split off."""

    span: Span  # the whole caption line, credit included
    credit: str = ""


@dataclass
class ParsedPost:
    """A forum post or a comment. `segments` are the kept lines of its text, in order."""

    span: Span  # everything the post occupies in the source, markers and likes line included
    segments: list[Span]
    parent: int | None = None  # index into ParsedDocument.posts
    depth: int = 0
    likes: int | None = None
    author: str = ""


@dataclass
class ParsedDocument:
    kind: DocumentKind
    span: Span  # the document's whole extent in the source, header and chrome inside it included
    title: str = ""
    title_span: Span | None = None
    # Prose in reading order. Each span is one paragraph or one line; the assembler joins spans that sit on
    # consecutive source lines with "\n" and others with "\n\n". For threads, posts carry the text instead.
    segments: list[Span] = field(default_factory=list)
    standfirst: Span | None = None  # also the first of `segments` when present
    section: str = ""
    authors: list[str] = field(default_factory=list)
    url: str = ""
    outlet_name: str = ""  # the publisher as the text names it ("The Japan Times", "WSJ", "Tehran Times")
    outlet_domain: str = ""
    # STATED when the text credits the outlet (trailer, byline, partner line); INFERRED when it was worked out
    # from the file's self-references ("told Al Jazeera") and shared by articles with the same headline style.
    outlet_provenance: Provenance = Provenance.UNKNOWN
    syndicated_from: str = ""  # the original publisher when republished ("Bloomberg")
    published_on: dt.date | None = None
    published_provenance: Provenance = Provenance.UNKNOWN
    captions: list[ParsedCaption] = field(default_factory=list)
    posts: list[ParsedPost] = field(default_factory=list)
    comments_on: int | None = None  # for a comment thread: index of the article it belongs to
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedFile:
    format: str  # which parser recognised the file: "article_dump", "discourse_thread", "unstructured"
    documents: list[ParsedDocument]
    reposted_by: str = ""  # a wrapper page's owner ("More articles by Udo von Massenbach")
    skipped: list[Span] = field(default_factory=list)  # chrome and boilerplate left out, for auditing
    warnings: list[str] = field(default_factory=list)
