"""The read-only JSON API, version 1: claims, actors, documents, events, explanations and links.

Every operation is a GET that anyone may call, like the pages; any other method gets 405. Lists take the
same filters as the list pages, validated by the pages' own forms.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Literal

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Path, Query, Router, Schema
from pydantic import Field

from analysis.models import Event, Evidence, Explanation, Rating
from api import schemas
from api.docs import SchemaDocs
from api.pagination import PageParams, paginate
from api.params import MAX_ID, query_schema, validated
from articles.models import Document, file_content
from claims.filters import ClaimFilterForm, filter_claims
from claims.models import BIG_COLUMNS, Claim, ClaimLink
from sources.actors import search_actors
from sources.models import Actor

api = NinjaAPI(
    title="ClaimTracker API",
    version="1",
    description="Read-only access to attributed claims, their speakers, source documents, links and the "
    "competing explanations they bear on. Lists are paginated and filter like the list pages.",
    urls_namespace="api-v1",
    docs=SchemaDocs(),
    # The schema and docs views are plain functions that would answer any method; the API is read-only.
    docs_decorator=require_safe,
)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
NOT_FOUND = {404: schemas.Error, 422: schemas.ValidationErrors}
BAD_PARAMS = {422: schemas.ValidationErrors}
# Columns lists never show: whole texts and search vectors, read only by the detail that needs them.
ClaimFilters = query_schema(ClaimFilterForm, "ClaimFilters")


def _with_passages(links: QuerySet[ClaimLink]) -> QuerySet[ClaimLink]:
    """Links with the words of their target passage cut out by the database, not by loading the text."""
    return links.annotate(
        passage_text=Substr(
            "target_document__text", F("target_start") + 1, F("target_end") - F("target_start")
        )
    )


claims = Router(tags=["claims"])


@claims.get("/", response={200: schemas.ClaimPage, **BAD_PARAMS}, summary="List claims")
def claim_list(request: HttpRequest, filters: Query[ClaimFilters], paging: Query[PageParams]):
    """Claims filtered like the claim list page; rejected claims only when status=rejected."""
    criteria = validated(ClaimFilterForm, request.GET)
    found = filter_claims(
        Claim.objects.select_related("speaker", "document__outlet").defer(*BIG_COLUMNS), criteria
    )
    return paginate(request, found, paging)


@claims.get("/{id}", response={200: schemas.ClaimDetail, **NOT_FOUND}, summary="One claim")
def claim_detail(request: HttpRequest, id: Id):
    """A claim with its pieces, active links, evidence for explanations and same-claim cluster."""
    return get_object_or_404(
        Claim.objects.select_related("speaker", "document__outlet")
        .defer("search", "document__search")
        .prefetch_related(
            "claim_spans",
            Prefetch("links", queryset=_with_passages(ClaimLink.objects.active()), to_attr="active_links"),
            Prefetch("evidence", queryset=Evidence.objects.order_by("explanation", "pk")),
        ),
        pk=id,
    )


actors = Router(tags=["actors"])


class ActorSearch(Schema):
    q: str = Field("", max_length=200, description="Part of a name or alias; near spellings match too.")


def _actors() -> QuerySet[Actor]:
    return Actor.objects.select_related("part_of").annotate(
        claim_count=Count("claims", filter=~Q(claims__status=Claim.Status.REJECTED))
    )


@actors.get("/", response={200: schemas.ActorPage, **BAD_PARAMS}, summary="List actors")
def actor_list(request: HttpRequest, search: Query[ActorSearch], paging: Query[PageParams]):
    """Actors not merged into another, by name, or names most like the search first."""
    query = " ".join(search.q.replace("\x00", "").split())
    found = _actors().filter(merged_into__isnull=True)
    found = (
        search_actors(found, query).order_by("-score", "name", "pk")
        if query
        else found.order_by("name", "pk")
    )
    return paginate(request, found, paging)


@actors.get("/{id}", response={200: schemas.ActorDetail, **NOT_FOUND}, summary="One actor")
def actor_detail(request: HttpRequest, id: Id):
    """An actor with its aliases and the body it is part of; merged actors are not found."""
    return get_object_or_404(_actors().filter(merged_into__isnull=True).prefetch_related("aliases"), pk=id)


documents = Router(tags=["documents"])


class DocumentFilters(Schema):
    q: str = Field("", max_length=200, description="Full-text search in titles and text.")
    kind: Literal[tuple(Document.Kind.values)] | None = None  # type: ignore[valid-type]
    outlet: int | None = Field(None, ge=1, le=MAX_ID, description="Outlet id.")


def _documents() -> QuerySet[Document]:
    return Document.objects.select_related("outlet", "source_file").defer(
        "search", "offset_map", *file_content("source_file")
    )


@documents.get("/", response={200: schemas.DocumentPage, **BAD_PARAMS}, summary="List documents")
def document_list(request: HttpRequest, filters: Query[DocumentFilters], paging: Query[PageParams]):
    """Documents, newest file first, or best match first for a full-text search."""
    found = _documents().defer("text")
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.outlet:
        found = found.filter(outlet=filters.outlet)
    query = filters.q.replace("\x00", "").strip()
    if query:
        search = SearchQuery(query, search_type="websearch", config="english")
        found = (
            found.filter(search=search).annotate(rank=SearchRank(F("search"), search)).order_by("-rank", "pk")
        )
    else:
        found = found.order_by("-source_file__ingested_at", "source_file", "position")
    return paginate(request, found, paging)


@documents.get("/{id}", response={200: schemas.DocumentDetail, **NOT_FOUND}, summary="One document")
def document_detail(request: HttpRequest, id: Id):
    """A document's metadata, cleaned text and, for threads, where each post sits in that text."""
    return get_object_or_404(_documents().select_related("syndicated_from").prefetch_related("posts"), pk=id)


events = Router(tags=["events"])
Slug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
CONFIRMED = Q(evidence__status=Evidence.Status.CONFIRMED) & ~Q(evidence__claim__status=Claim.Status.REJECTED)


@events.get("/", response={200: schemas.EventPage, **BAD_PARAMS}, summary="List events")
def event_list(request: HttpRequest, paging: Query[PageParams]):
    """Contested events, most recent first."""
    found = Event.objects.annotate(explanation_count=Count("explanations")).order_by(
        F("occurred_on").desc(nulls_last=True), "name", "pk"
    )
    return paginate(request, found, paging)


@events.get("/{slug}", response={200: schemas.EventDetail, **NOT_FOUND}, summary="One event")
def event_detail(request: HttpRequest, slug: Slug):
    """An event with its competing explanations and how much confirmed evidence each has."""
    explanations = Explanation.objects.annotate(
        supporting=Count("evidence", filter=CONFIRMED & Q(evidence__stance=Evidence.Stance.SUPPORTS)),
        rebutting=Count("evidence", filter=CONFIRMED & Q(evidence__stance=Evidence.Stance.REBUTS)),
    ).order_by("position", "pk")
    return get_object_or_404(
        Event.objects.annotate(explanation_count=Count("explanations")).prefetch_related(
            Prefetch("explanations", queryset=explanations)
        ),
        slug=slug,
    )


explanations = Router(tags=["explanations"])


@explanations.get("/{id}", response={200: schemas.ExplanationDetail, **NOT_FOUND}, summary="One explanation")
def explanation_detail(request: HttpRequest, id: Id):
    """An explanation's confirmed evidence, each row with its analysts' ratings counted by consistency
    (who rated stays private)."""
    explanation = get_object_or_404(Explanation.objects.select_related("event"), pk=id)
    evidence = list(
        explanation.evidence.filter(status=Evidence.Status.CONFIRMED)
        .exclude(claim__status=Claim.Status.REJECTED)
        .select_related("claim")
        .defer("claim__search")
        .order_by("stance", F("claim__said_on").asc(nulls_last=True), "claim_id")
    )
    per_claim: dict[int, dict[str, int]] = defaultdict(dict)
    ratings = (
        Rating.objects.filter(explanation=explanation, claim__in=[row.claim_id for row in evidence])
        .values_list("claim_id", "consistency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total: dict[str, int] = defaultdict(int)
    for claim_id, consistency, n in ratings:
        per_claim[claim_id][consistency] = n
        total[consistency] += n
    return {
        "id": explanation.pk,
        "event": explanation.event.slug,
        "title": explanation.title,
        "summary": explanation.summary,
        "position": explanation.position,
        "evidence": [
            {
                "claim": row.claim_id,
                "headline": row.claim.headline,
                "stance": row.stance,
                "ratings": per_claim[row.claim_id],
            }
            for row in evidence
        ],
        "ratings": total,
    }


links = Router(tags=["links"])


class LinkFilters(Schema):
    kind: Literal[tuple(ClaimLink.Kind.values)] | None = None  # type: ignore[valid-type]
    claim: int | None = Field(None, ge=1, le=MAX_ID, description="Links from this claim.")
    target_claim: int | None = Field(None, ge=1, le=MAX_ID, description="Links to this claim.")
    target_actor: int | None = Field(None, ge=1, le=MAX_ID)
    target_document: int | None = Field(None, ge=1, le=MAX_ID)


@links.get("/", response={200: schemas.LinkPage, **BAD_PARAMS}, summary="List links")
def link_list(request: HttpRequest, filters: Query[LinkFilters], paging: Query[PageParams]):
    """Active links from claims not rejected, by claim, kind and time made."""
    found = _with_passages(ClaimLink.objects.active().exclude(claim__status=Claim.Status.REJECTED)).order_by(
        "claim", "kind", "created_at", "pk"
    )
    for field, value in filters.dict(exclude_none=True).items():
        found = found.filter(**{field: value})
    return paginate(request, found, paging)


api.add_router("/claims/", claims)
api.add_router("/actors/", actors)
api.add_router("/documents/", documents)
api.add_router("/events/", events)
api.add_router("/explanations/", explanations)
api.add_router("/links/", links)
