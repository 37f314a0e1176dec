"""What the API answers: one response schema per resource, read from model instances by attribute.

The OpenAPI document is generated from these classes, so the schema can never drift from the responses.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db import models
from ninja import Schema
from pydantic import Field

from analysis.models import Evidence, Rating
from articles.models import Document
from claims.models import Claim, ClaimLink, ClaimSpan
from sources.models import Actor


class Page(Schema):
    """One page of a list: `next` and `previous` are absolute URLs with the same filters, or null."""

    count: int = Field(description="How many items match, on all pages.")
    next: str | None
    previous: str | None


class Error(Schema):
    detail: str


class FieldError(Schema):
    type: str = Field(description="A short error code, e.g. `int_parsing` or `invalid`.")
    loc: list[str | int] = Field(description="Where the bad value is, e.g. `['query', 'said_from']`.")
    msg: str


class ValidationErrors(Schema):
    detail: list[FieldError]


class ConsistencyCounts(Schema):
    """How many analyst ratings put a claim in each ACH consistency class; never who rated."""

    CC: int = 0
    C: int = 0
    N: int = 0
    I: int = 0  # noqa: E741 - the ACH code for "inconsistent"
    II: int = 0


CONSISTENCY_CODES = [code for code, _ in Rating.Consistency.choices]


def one_of(choices: type[models.TextChoices]) -> Any:
    """The choices' values as an inline enum: many models name theirs `Kind`, and the schema should not
    carry four components of that name."""
    return Literal[tuple(choices.values)]


ClaimKind = one_of(Claim.Kind)
ClaimPolarity = one_of(Claim.Polarity)
ClaimStatus = one_of(Claim.Status)
ClaimDateSource = one_of(Claim.DateSource)
SpanRole = one_of(ClaimSpan.Role)
LinkKind = one_of(ClaimLink.Kind)
EvidenceStance = one_of(Evidence.Stance)
EvidenceStatus = one_of(Evidence.Status)
ActorKind = one_of(Actor.Kind)
DocumentKind = one_of(Document.Kind)


class ActorRef(Schema):
    id: int
    name: str


class OutletRef(Schema):
    id: int
    name: str


class DocumentRef(Schema):
    id: int
    title: str
    outlet: OutletRef | None
    url: str
    published_on: datetime.date | None


class ClaimItem(Schema):
    id: int
    headline: str
    content_text: str
    kind: ClaimKind
    polarity: ClaimPolarity
    is_direct_quote: bool
    status: ClaimStatus
    speaker: ActorRef | None
    speaker_text: str = Field(description="The source as the text names it.")
    document: DocumentRef
    said_on: datetime.date | None
    said_on_source: ClaimDateSource
    said_on_precision: str = Field(description="day, week, month or year; empty when unknown.")
    confidence: float | None
    cluster: int | None = Field(description="Same-claim cluster: reports of one statement.")

    @staticmethod
    def resolve_cluster(claim: Claim) -> int | None:
        return claim.cluster_id


class Span(Schema):
    role: SpanRole
    start: int = Field(description="Character offset into the document text.")
    end: int
    text: str


class Passage(Schema):
    document: int
    start: int
    end: int
    text: str


class Link(Schema):
    id: int
    claim: int = Field(description="The claim the link starts from.")
    kind: LinkKind
    target_claim: int | None
    target_actor: int | None
    target_document: int | None
    passage: Passage | None = Field(description="The linked words of target_document, if any.")
    url: str
    note: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_claim(link: ClaimLink) -> int:
        return link.claim_id

    @staticmethod
    def resolve_target_claim(link: ClaimLink) -> int | None:
        return link.target_claim_id

    @staticmethod
    def resolve_target_actor(link: ClaimLink) -> int | None:
        return link.target_actor_id

    @staticmethod
    def resolve_target_document(link: ClaimLink) -> int | None:
        return link.target_document_id

    @staticmethod
    def resolve_passage(link: ClaimLink) -> dict[str, Any] | None:
        if link.target_start is None:
            return None
        return {
            "document": link.target_document_id,
            "start": link.target_start,
            "end": link.target_end,
            "text": link.passage_text,
        }


class ClaimEvidence(Schema):
    explanation: int
    stance: EvidenceStance
    status: EvidenceStatus

    @staticmethod
    def resolve_explanation(evidence: Evidence) -> int:
        return evidence.explanation_id


class ClaimDetail(ClaimItem):
    sentence_start: int
    sentence_end: int
    sentence: str = Field(description="The sentence the claim was found in.")
    said_on_text: str = Field(description="The words that gave the date.")
    cue_lemma: str
    post: int | None
    spans: list[Span]
    links: list[Link] = Field(description="Active links from this claim.")
    evidence: list[ClaimEvidence] = Field(description="Explanations this claim bears on.")

    @staticmethod
    def resolve_post(claim: Claim) -> int | None:
        return claim.post_id

    @staticmethod
    def resolve_sentence(claim: Claim) -> str:
        return claim.document.text[claim.sentence_start : claim.sentence_end]

    @staticmethod
    def resolve_spans(claim: Claim) -> list[dict[str, Any]]:
        text = claim.document.text
        return [
            {"role": span.role, "start": span.start, "end": span.end, "text": text[span.start : span.end]}
            for span in claim.claim_spans.all()
        ]

    @staticmethod
    def resolve_links(claim: Claim) -> list[ClaimLink]:
        """The active links, prefetched with their passage words (see `_with_passages`)."""
        return claim.active_links


class ClaimPage(Page):
    results: list[ClaimItem]


class LinkPage(Page):
    results: list[Link]


class ActorItem(Schema):
    id: int
    name: str
    short_name: str
    kind: ActorKind
    affiliation: str
    part_of: ActorRef | None
    claim_count: int = Field(description="Claims this actor made that an editor has not rejected.")


class ActorDetail(ActorItem):
    aliases: list[str]

    @staticmethod
    def resolve_aliases(actor: Actor) -> list[str]:
        return [alias.alias for alias in actor.aliases.all()]


class ActorPage(Page):
    results: list[ActorItem]


class DocumentItem(Schema):
    id: int
    title: str
    kind: DocumentKind
    section: str
    authors: list[str]
    outlet: OutletRef | None
    url: str
    published_on: datetime.date | None
    source_file: str = Field(description="The name of the file the document was ingested from.")

    @staticmethod
    def resolve_source_file(document: Document) -> str:
        return document.source_file.original_name


class PostSummary(Schema):
    position: int
    parent: int | None = Field(description="Position of the post this one replies to.")
    depth: int
    author: str
    likes: int | None
    text_start: int = Field(description="Character offsets of the post in the document text.")
    text_end: int


class DocumentDetail(DocumentItem):
    standfirst: str
    text: str
    syndicated_from: OutletRef | None
    comments_on: int | None
    post_count: int
    posts: list[PostSummary]

    @staticmethod
    def resolve_comments_on(document: Document) -> int | None:
        return document.comments_on_id

    @staticmethod
    def resolve_post_count(document: Document) -> int:
        return len(document.posts.all())

    @staticmethod
    def resolve_posts(document: Document) -> list[dict[str, Any]]:
        posts = document.posts.all()
        positions = {post.pk: post.position for post in posts}
        return [
            {
                "position": post.position,
                "parent": positions.get(post.parent_id),
                "depth": post.depth,
                "author": post.author,
                "likes": post.likes,
                "text_start": post.text_start,
                "text_end": post.text_end,
            }
            for post in posts
        ]


class DocumentPage(Page):
    results: list[DocumentItem]


class EventItem(Schema):
    id: int
    slug: str
    name: str
    place: str
    occurred_on: datetime.date | None
    explanation_count: int


class EventPage(Page):
    results: list[EventItem]


class ExplanationItem(Schema):
    id: int
    title: str
    summary: str
    position: int
    supporting: int = Field(description="Confirmed evidence that supports it.")
    rebutting: int = Field(description="Confirmed evidence that rebuts it.")


class EventDetail(EventItem):
    description: str
    explanations: list[ExplanationItem]


class EvidenceRow(Schema):
    claim: int
    headline: str
    stance: EvidenceStance
    ratings: ConsistencyCounts


class ExplanationDetail(Schema):
    id: int
    event: str = Field(description="The event's slug.")
    title: str
    summary: str
    position: int
    evidence: list[EvidenceRow] = Field(description="Confirmed evidence from claims not rejected.")
    ratings: ConsistencyCounts = Field(description="All analysts' ratings of that evidence, counted.")
