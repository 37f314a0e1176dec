"""Run the extractor over stored documents and keep its attributions as claims.

Idempotent per (document, extractor version): a document already extracted by this version is skipped.
A new version replaces the machine claims of earlier ones, but claims a person has confirmed, edited,
rejected, linked or otherwise changed are never overwritten or deleted, and no machine claim is added on
top of them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from articles.models import Document
from claims.dates import resolve_said_date
from claims.extraction import EXTRACTOR_VERSION
from claims.extraction.model import Attribution
from claims.extraction.pipeline import extract_attributions
from claims.headlines import build_headline
from claims.models import Claim, ClaimSpan, ExtractionRun
from sources.actors import ActorResolver

Spans = list[tuple[int, int]]


@dataclass
class ExtractionReport:
    documents: int = 0
    skipped: int = 0
    claims: int = 0


def documents_needing_extraction(documents: QuerySet[Document]) -> list[Document]:
    """Those of `documents` that this extractor version has not run on yet."""
    return list(documents.exclude(extraction_runs__extractor_version=EXTRACTOR_VERSION).order_by("pk"))


def extract_claims(
    pending: Sequence[Document], *, on_document: Callable[[Document, int], None] | None = None
) -> ExtractionReport:
    """Extract claims from `pending` (see `documents_needing_extraction`), parsing them in batches."""
    report = ExtractionReport()
    resolver = ActorResolver()
    for document, attributions in zip(pending, extract_attributions(d.text for d in pending), strict=True):
        created = store_claims(document=document, attributions=attributions, resolver=resolver)
        if created is None:
            report.skipped += 1
            continue
        report.documents += 1
        report.claims += created
        if on_document:
            on_document(document, created)
    return report


def store_claims(
    *, document: Document, attributions: list[Attribution], resolver: ActorResolver
) -> int | None:
    """Replace the document's machine claims with `attributions`; None if this version already ran."""
    with transaction.atomic():
        # The row lock makes a concurrent extraction of the same document wait, then see our run.
        Document.objects.select_for_update().filter(pk=document.pk).first()
        if ExtractionRun.objects.filter(document=document, extractor_version=EXTRACTOR_VERSION).exists():
            return None
        document.claims.filter(pk__in=document.claims.replaceable().values("pk")).delete()
        # What is left was reviewed or touched by a person: no machine claim is laid over its cue.
        kept_cues = [
            (span.start, span.end)
            for span in ClaimSpan.objects.filter(claim__document=document, role=ClaimSpan.Role.CUE)
        ]
        post_starts, posts = _posts_by_offset(document)
        kept = [a for a in attributions if not _overlaps(a.cue, kept_cues)]
        # Two inserts per document, whatever its number of claims: PostgreSQL returns the new ids.
        claims = Claim.objects.bulk_create(
            _claim_for(document, _post_at(a.cue[0][0], post_starts, posts), a, resolver) for a in kept
        )
        ClaimSpan.objects.bulk_create(
            span
            for claim, attribution in zip(claims, kept, strict=True)
            for span in _spans_of(claim, attribution)
        )
        ExtractionRun.objects.create(
            document=document, extractor_version=EXTRACTOR_VERSION, claims_created=len(claims)
        )
    return len(claims)


def _claim_for(document: Document, post, attribution: Attribution, resolver: ActorResolver) -> Claim:
    """The unsaved claim for one attribution: speaker actor, date said and headline resolved."""
    text = document.text
    speaker = resolver.resolve_speaker(
        written=attribution.speaker_text,
        name=attribution.speaker_name,
        antecedent=attribution.speaker_resolved,
    )
    said = resolve_said_date(
        [text[start:end] for start, end in attribution.date_expressions], document.published_on
    )
    content_text = " … ".join(text[start:end] for start, end in attribution.content)
    headline = build_headline(
        speaker=speaker.headline_name if speaker else attribution.speaker_text,
        cue_lemma=attribution.cue_lemma,
        gist=attribution.gist or content_text,
        said_on=said.date if said.source == Claim.DateSource.TEXT else None,
        precision=said.precision,
    )
    return Claim(
        document=document,
        post=post,
        sentence_start=attribution.sentence[0],
        sentence_end=attribution.sentence[1],
        speaker=speaker,
        speaker_text=attribution.speaker_text[:300],
        cue_lemma=attribution.cue_lemma[:60],
        kind=attribution.kind if attribution.kind in Claim.Kind.values else Claim.Kind.STATEMENT,
        polarity=attribution.polarity,
        is_direct_quote=attribution.is_direct_quote,
        content_text=content_text,
        headline=headline,
        said_on=said.date,
        said_on_source=said.source,
        said_on_text=said.text[:100],
        said_on_precision=said.precision,
        extractor_version=EXTRACTOR_VERSION,
        confidence=min(1.0, max(0.0, attribution.confidence)),
    )


def _spans_of(claim: Claim, attribution: Attribution) -> list[ClaimSpan]:
    return [
        ClaimSpan(claim=claim, role=role, start=start, end=end)
        for role, spans in (
            (ClaimSpan.Role.SOURCE, attribution.source),
            (ClaimSpan.Role.CUE, attribution.cue),
            (ClaimSpan.Role.CONTENT, attribution.content),
        )
        for start, end in spans
        if start < end
    ]


def _post_at(offset: int, post_starts: list[int], posts: list):
    """The post whose text contains `offset` in a thread; None in an article."""
    return posts[bisect_right(post_starts, offset) - 1] if posts else None


def _posts_by_offset(document: Document) -> tuple[list[int], list]:
    posts = list(document.posts.order_by("text_start"))
    return [post.text_start for post in posts], posts


def _overlaps(spans: Spans, others: Spans) -> bool:
    return any(
        start < other_end and other_start < end for start, end in spans for other_start, other_end in others
    )
