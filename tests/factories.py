"""Objects tests build directly, without parsing or extraction, when those are not what they test."""

import datetime as dt
import hashlib
from itertools import count

from articles.models import Document, SourceFile
from claims.models import Claim, ClaimSpan
from sources.models import Actor

_numbers = count(1)


def document_from_text(text: str, *, title: str = "", **fields) -> Document:
    """A one-document source file holding `text` as it is (its own offset map, a unique hash)."""
    number = next(_numbers)
    source = SourceFile.objects.create(
        original_name=f"doc-{number}.txt",
        raw=text.encode(),
        sha256=hashlib.sha256(f"{number}\0{text}".encode()).hexdigest(),
        size=len(text.encode()),
        encoding="utf-8",
        text=text,
        format="plain",
    )
    return Document.objects.create(
        source_file=source,
        position=0,
        kind=Document.Kind.ARTICLE,
        title=title or f"Document {number}",
        text=text,
        offset_map=[[0, 0, len(text)]],
        source_start=0,
        source_end=len(text),
        **fields,
    )


def claim_with_spans(
    document: Document, *, headline: str = "", fields: dict | None = None, **words: str
) -> Claim:
    """A claim whose spans, by role (source=, cue=, content=), are the first occurrences of the words."""
    text = document.text
    starts = {role: text.index(piece) for role, piece in words.items()}
    claim = Claim.objects.create(
        document=document,
        sentence_start=min(starts.values()),
        sentence_end=max(starts[role] + len(piece) for role, piece in words.items()),
        headline=headline or " ".join(words.values()),
        **(fields or {}),
    )
    ClaimSpan.objects.bulk_create(
        ClaimSpan(claim=claim, role=role, start=starts[role], end=starts[role] + len(piece))
        for role, piece in words.items()
    )
    return claim


def spoken_claim(
    document: Document, speaker: Actor | None, content: str, *, said_on: dt.date | None = None, **fields
) -> Claim:
    """A claim by `speaker` with only its content, for pages that list claims by who said them."""
    return Claim.objects.create(
        document=document,
        sentence_start=0,
        sentence_end=10,
        speaker=speaker,
        content_text=content,
        headline=fields.pop("headline", f"{speaker} said {content}"),
        said_on=said_on,
        **fields,
    )
