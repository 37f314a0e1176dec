"""Claims in the formats other tools read: schema.org ClaimReview for fact-check search, W3C Web
Annotations for span anchors, and CSV/JSON rows of any filtered claim list.

Plain functions over model instances; URLs come from an `absolute` callable (a request's
`build_absolute_uri`), so the views stay thin and the tests need no request."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from analysis.models import Evidence
from articles.models import Document, file_content
from claims.models import Claim, ClaimChange, ClaimLink, ClaimSpan
from sources.models import Actor

Absolute = Callable[[str], str]

ORGANISATION = "ClaimTracker"
# A claim a person confirmed or corrected is a review of it. A rejected claim is not: rejecting says the
# extractor misread who said what, not that the statement is false, so publishing it as a fact check
# would attribute words to someone who never said them. Machine claims are nobody's review yet.
REVIEWED_STATUSES = (Claim.Status.CONFIRMED, Claim.Status.EDITED)
REVIEW_ACTIONS = (ClaimChange.Action.CONFIRMED, ClaimChange.Action.EDITED, ClaimChange.Action.CREATED)
BEST_RATING, WORST_RATING = 5, 1
# Google requires a rating's words (alternateName); used when an editor set only the number.
RATING_WORDS = {1: "False", 2: "Mostly false", 3: "Mixed", 4: "Mostly accurate", 5: "Accurate"}
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32  # characters of prefix and suffix in a TextQuoteSelector
# Cells a spreadsheet would run as a formula (OWASP's list: = + - @, tab and carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_CHUNK = 500


def is_reviewed(claim: Claim) -> bool:
    return claim.status in REVIEWED_STATUSES


def latest_review(claim: Claim) -> ClaimChange | None:
    """The newest change in which a person confirmed, corrected or created the claim: the review's date
    and reviewer."""
    return (
        claim.changes.filter(action__in=REVIEW_ACTIONS, user__isnull=False)
        .select_related("user")
        .order_by("-version", "-pk")
        .first()
    )


def _actor(actor: Actor) -> dict[str, Any]:
    kind = "Person" if actor.kind == Actor.Kind.PERSON else "Organization"
    return {"@type": kind, "name": actor.name}


def _creative_work(document: Document) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if document.url:
        work["url"] = document.url
    if document.title:
        work["headline"] = document.title
    if document.outlet:
        work["publisher"] = {"@type": "Organization", "name": document.outlet.name}
        if document.outlet.domain:
            work["publisher"]["url"] = f"https://{document.outlet.domain}"
    if document.published_on:
        work["datePublished"] = document.published_on.isoformat()
    return work


def first_appearance(claim: Claim) -> dict[str, Any] | None:
    """Where the statement first appeared, when we know: a source link an editor set to a document or a
    page, else the earliest published report in the claim's same-claim cluster if it is another one."""
    link = (
        claim.links.active()
        .filter(kind=ClaimLink.Kind.SOURCE)
        .exclude(target_document__isnull=True, url="")
        .select_related("target_document__outlet")
        .first()
    )
    if link is not None:
        if link.target_document is not None:
            return _creative_work(link.target_document)
        return {"@type": "CreativeWork", "url": link.url}
    if claim.cluster_id is None:
        return None
    earliest = (
        Document.objects.filter(claims__cluster=claim.cluster_id, published_on__isnull=False)
        .select_related("outlet")
        .order_by("published_on", "pk")
        .first()
    )
    if earliest is None or earliest.pk == claim.document_id:
        return None
    return _creative_work(earliest)


def claim_review(claim: Claim, *, absolute: Absolute) -> dict[str, Any]:
    """schema.org ClaimReview JSON-LD with the fields Google's fact-check tools read. Only for reviewed
    claims (see REVIEWED_STATUSES); reviewRating only where an editor set one."""
    if not is_reviewed(claim):
        raise ValueError(f"claim {claim.pk} is {claim.status}: only confirmed or edited claims are reviews")
    item: dict[str, Any] = {"@type": "Claim", "appearance": _creative_work(claim.document)}
    if claim.speaker:
        item["author"] = _actor(claim.speaker)
    if claim.said_on:
        item["datePublished"] = claim.said_on.isoformat()
    first = first_appearance(claim)
    if first is not None:
        item["firstAppearance"] = first
    review = latest_review(claim)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute(reverse("claim-detail", args=[claim.pk])),
        "claimReviewed": claim.content_text or claim.headline,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": ORGANISATION},
        "datePublished": (review.at if review else claim.updated_at).date().isoformat(),
    }
    # Only a name the editor gave their account is published, never the login name.
    if review is not None and review.user.get_full_name():
        data["editor"] = {"@type": "Person", "name": review.user.get_full_name()}
    if claim.review_rating is not None:
        data["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": claim.review_rating,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.review_rating_label or RATING_WORDS[claim.review_rating],
        }
    return data


def _text_target(source: dict[str, Any], text: str, start: int, end: int) -> dict[str, Any]:
    return {
        "type": "SpecificResource",
        "source": source,
        "selector": [
            {"type": "TextPositionSelector", "start": start, "end": end},
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - QUOTE_CONTEXT) : start],
                "suffix": text[end : end + QUOTE_CONTEXT],
            },
        ],
    }


def span_annotation(claim: Claim, span: ClaimSpan, *, absolute: Absolute) -> dict[str, Any]:
    """One span as a W3C Web Annotation: tagged with its role, describing and linking its claim, and
    anchored twice: in the document's text as our app shows it, and in the decoded source file
    (identified by its bytes' SHA-256) that the document was cut from."""
    document = claim.document
    claim_url = absolute(reverse("claim-detail", args=[claim.pk]))
    source_file = document.source_file
    # The character after the span's last one, so a span ending at a piece's end stays in that piece.
    file_start, file_end = document.source_offset(span.start), document.source_offset(span.end - 1) + 1
    return {
        "id": f"{claim_url}#{span.role}-{span.start}-{span.end}",
        "type": "Annotation",
        "motivation": "tagging",
        "created": claim.created_at.isoformat(),
        "generator": {"type": "Software", "name": ORGANISATION},
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": span.role},
            {"type": "TextualBody", "purpose": "describing", "format": "text/plain", "value": claim.headline},
            {"id": claim_url, "type": "Text", "format": "text/html", "purpose": "linking"},
        ],
        "target": [
            _text_target(
                {
                    "id": absolute(reverse("document-detail", args=[document.pk])),
                    "type": "Text",
                    "format": "text/html",
                    "label": str(document),
                },
                document.text,
                span.start,
                span.end,
            ),
            _text_target(
                {
                    "id": f"urn:sha256:{source_file.sha256}",
                    "type": "Text",
                    "label": source_file.original_name,
                },
                source_file.text,
                file_start,
                file_end,
            ),
        ],
    }


def annotation_collection(
    claims: Iterable[Claim], *, collection_url: str, label: str, absolute: Absolute
) -> dict[str, Any]:
    """The claims' spans as one AnnotationCollection with a single page (Web Annotation Protocol)."""
    items = [
        span_annotation(claim, span, absolute=absolute)
        for claim in claims
        for span in sorted(claim.claim_spans.all(), key=lambda span: (span.start, span.role))
    ]
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {
            "id": f"{collection_url}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def exportable_claims(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """What a download holds (the filtered list), with everything a row needs fetched a chunk at a time."""
    return claims.select_related("speaker").prefetch_related(
        Prefetch(
            "document",
            queryset=Document.objects.select_related("outlet", "source_file").defer(
                *file_content("source_file")
            ),
        ),
        "claim_spans",
        Prefetch("links", queryset=ClaimLink.objects.active()),
        Prefetch("evidence", queryset=Evidence.objects.filter(status=Evidence.Status.CONFIRMED)),
    )


def _link_target(link: ClaimLink) -> str:
    if link.target_claim_id:
        return f"claim:{link.target_claim_id}"
    if link.target_document_id:
        passage = f":{link.target_start}:{link.target_end}" if link.target_start is not None else ""
        return f"document:{link.target_document_id}{passage}"
    if link.target_actor_id:
        return f"actor:{link.target_actor_id}"
    return f"url:{link.url}"


def claim_row(claim: Claim, *, absolute: Absolute) -> dict[str, Any]:
    """One claim as a flat record for downloads; spans carry their words, links and explanations their
    targets' ids."""
    document = claim.document
    text = document.text
    spans = sorted(claim.claim_spans.all(), key=lambda span: (span.start, span.role))
    return {
        "id": claim.pk,
        "url": absolute(reverse("claim-detail", args=[claim.pk])),
        "headline": claim.headline,
        "speaker": {"id": claim.speaker_id, "name": claim.speaker.name} if claim.speaker else None,
        "speaker_text": claim.speaker_text,
        "cue": claim.cue_lemma,
        "kind": claim.kind,
        "polarity": claim.polarity,
        "direct_quote": claim.is_direct_quote,
        "content": claim.content_text,
        "said_on": claim.said_on,
        "said_on_source": claim.said_on_source,
        "said_on_precision": claim.said_on_precision,
        "status": claim.status,
        "review_rating": claim.review_rating,
        "review_rating_label": claim.review_rating_label,
        "document": {
            "id": document.pk,
            "title": document.title,
            "url": document.url,
            "outlet": document.outlet.name if document.outlet else "",
            "published_on": document.published_on,
        },
        "source_file": document.source_file.original_name,
        "source_offset": document.source_offset(claim.sentence_start),
        "spans": [
            {"role": span.role, "start": span.start, "end": span.end, "text": text[span.start : span.end]}
            for span in spans
        ],
        "links": [{"kind": link.kind, "target": _link_target(link)} for link in claim.links.all()],
        "explanations": [
            {"id": evidence.explanation_id, "stance": evidence.stance}
            for evidence in sorted(claim.evidence.all(), key=lambda evidence: evidence.explanation_id)
        ],
    }


CSV_COLUMNS = [
    "id",
    "url",
    "headline",
    "speaker_name",
    "speaker_id",
    "speaker_text",
    "cue",
    "kind",
    "polarity",
    "direct_quote",
    "content",
    "said_on",
    "said_on_source",
    "said_on_precision",
    "status",
    "review_rating",
    "review_rating_label",
    "document_id",
    "document_title",
    "document_url",
    "outlet",
    "published_on",
    "source_file",
    "source_offset",
    "spans",
    "links",
    "explanations",
]


def csv_safe(value: Any) -> Any:
    """A cell no spreadsheet runs as a formula: text starting like one gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cells(row: dict[str, Any]) -> list[Any]:
    """A `claim_row` flattened to CSV_COLUMNS; spans as role:start:end, links as kind→target, explanations
    as stance:id, each list joined with spaces."""
    speaker, document = row["speaker"] or {}, row["document"]
    flat = row | {
        "speaker_name": speaker.get("name", ""),
        "speaker_id": speaker.get("id", ""),
        "document_id": document["id"],
        "document_title": document["title"],
        "document_url": document["url"],
        "outlet": document["outlet"],
        "published_on": document["published_on"] or "",
        "said_on": row["said_on"] or "",
        "review_rating": "" if row["review_rating"] is None else row["review_rating"],
        "spans": " ".join(f"{span['role']}:{span['start']}:{span['end']}" for span in row["spans"]),
        "links": " ".join(f"{link['kind']}→{link['target']}" for link in row["links"]),
        "explanations": " ".join(f"{item['stance']}:{item['id']}" for item in row["explanations"]),
    }
    return [csv_safe(flat[column]) for column in CSV_COLUMNS]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(claims: QuerySet[Claim], *, absolute: Absolute) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for claim in claims.iterator(chunk_size=EXPORT_CHUNK):
        yield writer.writerow(csv_cells(claim_row(claim, absolute=absolute)))


def json_chunks(claims: QuerySet[Claim], *, absolute: Absolute, query: str) -> Iterator[str]:
    """{"query": …, "exported_at": …, "claims": [...]} written a claim at a time."""
    head = {"query": query, "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    yield json.dumps(head)[:-1] + ', "claims": ['
    separator = "\n"
    for claim in claims.iterator(chunk_size=EXPORT_CHUNK):
        yield separator + json.dumps(claim_row(claim, absolute=absolute), cls=DjangoJSONEncoder)
        separator = ",\n"
    yield "\n]}\n"
