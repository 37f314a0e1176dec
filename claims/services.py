"""Run the extractor over stored documents and keep its attributions as claims.

Idempotent per (document, extractor version): a document already extracted by this version is skipped.
A new version replaces the machine claims of earlier ones, but claims a person has confirmed, edited,
rejected, linked or otherwise changed are never overwritten or deleted, and no machine claim is added on
top of them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import batched

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet

from articles.models import Document, Post
from claims.dates import resolve_said_date
from claims.extraction import EXTRACTOR_VERSION
from claims.extraction.model import Attribution
from claims.headlines import build_headline
from claims.models import Claim, ClaimSpan, ExtractionRun
from sources.actors import ActorResolver, Speaker
from sources.models import Actor

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
    pending: Sequence[Document], *, on_batch: Callable[[ExtractionReport], None] | None = None
) -> ExtractionReport:
    """Extract claims from `pending` (see `documents_needing_extraction`), parsing them in batches and
    storing each batch in one transaction; `on_batch` hears what each stored batch did."""
    # Imported here, not at the top: web processes import this module (uploads enqueue extraction), and
    # only processes that extract should pay for loading spaCy.
    from claims.extraction.pipeline import BATCH_SIZE, extract_attributions

    report = ExtractionReport()
    resolver = ActorResolver()
    extracted = zip(pending, extract_attributions(d.text for d in pending), strict=True)
    for batch in batched(extracted, BATCH_SIZE):
        stored = ExtractionReport()
        for created in store_claims_of_documents(extracted=batch, resolver=resolver):
            if created is None:
                stored.skipped += 1
            else:
                stored.documents += 1
                stored.claims += created
        report.documents += stored.documents
        report.skipped += stored.skipped
        report.claims += stored.claims
        if on_batch:
            on_batch(stored)
    return report


def store_claims_of_documents(
    *, extracted: Sequence[tuple[Document, list[Attribution]]], resolver: ActorResolver
) -> list[int | None]:
    """Replace each document's machine claims with its attributions, all in one transaction, with the
    same queries for one document as for many: the claims made for each, or None where this version
    already ran."""
    ids = [document.pk for document, _ in extracted]
    with transaction.atomic():
        # The row locks, taken in id order, make a concurrent extraction of the same documents wait, then
        # see our runs.
        list(Document.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        done, with_claims = _extraction_state(ids)
        todo: dict[int, tuple[Document, list[Attribution]]] = {}
        for document, attributions in extracted:
            if document.pk not in done:
                todo.setdefault(document.pk, (document, attributions))
        if not todo:
            return [None] * len(extracted)
        # What is left was reviewed or touched by a person: no machine claim is laid over its cue.
        kept_cues = _keep_reviewed_claims([pk for pk in todo if pk in with_claims])
        kept = [
            (document, [a for a in attributions if not _overlaps(a.cue, kept_cues.get(document.pk, []))])
            for document, attributions in todo.values()
        ]
        posts = _posts_by_offset(list(todo))
        speakers = resolver.resolve_speakers(
            [
                Speaker(a.speaker_text, a.speaker_name, a.speaker_resolved)
                for _document, attributions in kept
                for a in attributions
            ]
        )
        # Three inserts for the batch, whatever its number of claims: PostgreSQL returns the new ids.
        pairs = [(document, attribution) for document, attributions in kept for attribution in attributions]
        claims = Claim.objects.bulk_create(
            _claim_for(document, _post_at(document, attribution.cue[0][0], posts), attribution, speaker)
            for (document, attribution), speaker in zip(pairs, speakers, strict=True)
        )
        _insert_spans(
            (claim.pk, role, start, end)
            for claim, (_document, attribution) in zip(claims, pairs, strict=True)
            for role, start, end in _spans_of(attribution)
        )
        created = {document.pk: len(attributions) for document, attributions in kept}
        ExtractionRun.objects.bulk_create(
            ExtractionRun(
                document=document, extractor_version=EXTRACTOR_VERSION, claims_created=created[document.pk]
            )
            for document, _ in kept
        )
    # A document given twice is extracted once; the second time counts as done, as it would in a later call.
    return [created.pop(document.pk, None) for document, _ in extracted]


def _extraction_state(ids: list[int]) -> tuple[set[int], set[int]]:
    """Of the documents `ids`: those this version already ran on, and those with any claims (only these
    can have claims to replace or keep)."""
    rows = list(
        Document.objects.filter(pk__in=ids)
        .annotate(
            done=Exists(
                ExtractionRun.objects.filter(document=OuterRef("pk"), extractor_version=EXTRACTOR_VERSION)
            ),
            has_claims=Exists(Claim.objects.filter(document=OuterRef("pk"))),
        )
        .values_list("pk", "done", "has_claims")
    )
    done = {pk for pk, is_done, _ in rows if is_done}
    return done, {pk for pk, _, has_claims in rows if has_claims}


def _keep_reviewed_claims(ids: list[int]) -> dict[int, Spans]:
    """Delete the replaceable machine claims of the documents `ids`; the cue spans of the claims left,
    by document."""
    if not ids:
        return {}
    Claim.objects.filter(pk__in=Claim.objects.filter(document__in=ids).replaceable().values("pk")).delete()
    kept: dict[int, Spans] = {}
    for document_id, start, end in ClaimSpan.objects.filter(
        claim__document__in=ids, role=ClaimSpan.Role.CUE
    ).values_list("claim__document", "start", "end"):
        kept.setdefault(document_id, []).append((start, end))
    return kept


def _claim_for(
    document: Document, post: Post | None, attribution: Attribution, speaker: Actor | None
) -> Claim:
    """The unsaved claim for one attribution: date said and headline resolved."""
    text = document.text
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


def _spans_of(attribution: Attribution) -> list[tuple[str, int, int]]:
    """The attribution's pieces by role, as (role, start, end)."""
    return [
        (role, start, end)
        for role, spans in (
            (ClaimSpan.Role.SOURCE.value, attribution.source),
            (ClaimSpan.Role.CUE.value, attribution.cue),
            (ClaimSpan.Role.CONTENT.value, attribution.content),
        )
        for start, end in spans
        if start < end
    ]


def _insert_spans(rows: Iterable[tuple[int, str, int, int]]) -> None:
    """Insert claim spans given as (claim id, role, start, end), all in one statement.

    Not `bulk_create`: a model instance for each span (three or so per claim) with its values prepared one
    by one took about a quarter of the time of storing a batch. These four columns are plain integers and
    a role, passed as one array each.
    """
    columns = [list(column) for column in zip(*rows, strict=True)]
    if not columns:
        return
    meta, quote = ClaimSpan._meta, connection.ops.quote_name
    names = ", ".join(quote(meta.get_field(name).column) for name in ("claim", "role", "start", "end"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({names})"
            " SELECT * FROM unnest(%s::bigint[], %s::text[], %s::integer[], %s::integer[])",
            columns,
        )


def _post_at(document: Document, offset: int, posts: dict[int, tuple[list[int], list[Post]]]) -> Post | None:
    """The post whose text contains `offset` in a thread; None in an article."""
    if document.pk not in posts:
        return None
    starts, document_posts = posts[document.pk]
    return document_posts[bisect_right(starts, offset) - 1]


def _posts_by_offset(ids: list[int]) -> dict[int, tuple[list[int], list[Post]]]:
    """The posts of the documents `ids` (threads have them), by document: their starts and themselves."""
    posts: dict[int, tuple[list[int], list[Post]]] = {}
    for post in Post.objects.filter(document__in=ids).order_by("document", "text_start"):
        starts, document_posts = posts.setdefault(post.document_id, ([], []))
        starts.append(post.text_start)
        document_posts.append(post)
    return posts


def _overlaps(spans: Spans, others: Spans) -> bool:
    return any(
        start < other_end and other_start < end for start, end in spans for other_start, other_end in others
    )
