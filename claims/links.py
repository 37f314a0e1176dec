"""Links from a claim to its source, its evidence, its rebuttals and other reports of the same statement,
each recorded in the claim's history; and the candidates the link dialog suggests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import SearchQuery, TrigramSimilarity
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Document
from claims.editing import locked_claim, record_change
from claims.models import Claim, ClaimChange, ClaimCluster, ClaimLink
from sources.models import Actor

SUGGESTIONS = 8
SIMILAR_CONTENT = 0.3  # pg_trgm similarity of content above which claims are suggested as related
SAME_EVENT_DAYS = 3  # claims by others said this close in time, in documents about the same story


def link_summary(link: ClaimLink) -> dict[str, Any]:
    """What history shows of a link: its kind, target and note, as plain JSON."""
    summary: dict[str, Any] = {"kind": link.kind}
    if link.target_claim_id:
        summary["claim"] = {"id": link.target_claim_id, "headline": link.target_claim.headline}
    if link.target_actor_id:
        summary["actor"] = {"id": link.target_actor_id, "name": link.target_actor.name}
    if link.target_document_id:
        summary["document"] = {"id": link.target_document_id, "title": str(link.target_document)}
        if link.passage:
            summary["passage"] = link.passage
    for field in ("url", "note"):
        if getattr(link, field):
            summary[field] = getattr(link, field)
    return summary


def add_link(
    claim_id: int,
    *,
    user: AbstractBaseUser,
    kind: str,
    target_claim: Claim | None = None,
    target_actor: Actor | None = None,
    target_document: Document | None = None,
    target_start: int | None = None,
    target_end: int | None = None,
    url: str = "",
    note: str = "",
    version: int | None = None,
) -> ClaimLink:
    """Link the claim to a target and record it; "same claim" links also join the two claims' clusters.
    The database refuses a target that does not fit the kind (IntegrityError)."""
    with transaction.atomic():
        claim = locked_claim(claim_id, version)
        link = ClaimLink.objects.create(
            claim=claim,
            kind=kind,
            target_claim=target_claim,
            target_actor=target_actor,
            target_document=target_document,
            target_start=target_start,
            target_end=target_end,
            url=url,
            note=note,
            created_by=user,
        )
        if kind == ClaimLink.Kind.SAME:
            rebuild_cluster(claim)
        record_change(
            claim,
            user=user,
            action=ClaimChange.Action.LINKED,
            before={},
            after={"link": link_summary(link)},
            link=link,
        )
    return link


def remove_link(link_id: int, *, user: AbstractBaseUser) -> ClaimChange:
    """Mark the link removed (it stays in history and can be restored by undo)."""
    with transaction.atomic():
        link = ClaimLink.objects.active().select_related("target_claim", "target_actor").get(pk=link_id)
        link.claim = claim = locked_claim(link.claim_id, None)
        restore_link_state(link, removed=True, user=user)
        return record_change(
            claim,
            user=user,
            action=ClaimChange.Action.UNLINKED,
            before={"link": link_summary(link)},
            after={},
            link=link,
        )


def restore_link_state(link: ClaimLink, *, removed: bool, user: AbstractBaseUser) -> None:
    """Remove or bring back a link, keeping same-claim clusters in step."""
    link.removed_at, link.removed_by = (timezone.now(), user) if removed else (None, None)
    link.save(update_fields=["removed_at", "removed_by"])
    if link.kind == ClaimLink.Kind.SAME:
        rebuild_cluster(link.claim)
        if removed:
            rebuild_cluster(link.target_claim)


def rebuild_cluster(claim: Claim) -> None:
    """Give every claim connected to `claim` by active same-claim links one cluster (none if alone), and
    `claim` itself too, so a later save of it keeps the cluster."""
    component, frontier = {claim.pk}, [claim.pk]
    while frontier:
        pairs = ClaimLink.objects.active().filter(
            Q(claim__in=frontier) | Q(target_claim__in=frontier), kind=ClaimLink.Kind.SAME
        )
        found = {pk for pair in pairs.values_list("claim", "target_claim") for pk in pair} - component
        component |= found
        frontier = list(found)
    members = Claim.objects.filter(pk__in=component)
    if len(component) == 1:
        cluster_id = None
    else:
        existing = members.exclude(cluster=None).order_by("cluster").values_list("cluster", flat=True).first()
        cluster_id = existing or ClaimCluster.objects.create().pk
    members.update(cluster=cluster_id)
    claim.cluster_id = cluster_id


@dataclass(frozen=True)
class Suggestion:
    claim: Claim
    reason: str
    score: float


def suggest_links(claim: Claim, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Claims an editor may want to link: similar content (trigram similarity), the same speaker, and
    other speakers on the same story within a few days. Suggestions only: nothing is stored."""
    linked = set(
        ClaimLink.objects.active()
        .filter(claim=claim)
        .exclude(target_claim=None)
        .values_list("target_claim", flat=True)
    )
    candidates = (
        Claim.objects.visible()
        .exclude(pk__in={claim.pk, *linked})
        .select_related("speaker", "document__outlet")
    )
    found: dict[int, Suggestion] = {}

    def offer(claims, reason: str, score_of) -> None:
        for candidate in claims:
            score = score_of(candidate)
            if candidate.pk not in found or found[candidate.pk].score < score:
                found[candidate.pk] = Suggestion(candidate, reason, score)

    similar = (
        candidates.annotate(similarity=TrigramSimilarity("content_text", claim.content_text))
        .filter(similarity__gt=SIMILAR_CONTENT)
        .order_by("-similarity")[:limit]
    )
    offer(similar, "similar wording", lambda c: c.similarity)
    if claim.speaker_id:
        same_speaker = candidates.filter(speaker=claim.speaker_id).exclude(document=claim.document_id)
        offer(same_speaker.order_by("-said_on")[:limit], "same speaker", lambda c: 0.25)
    if claim.said_on:
        window = dt.timedelta(days=SAME_EVENT_DAYS)
        nearby = candidates.filter(
            said_on__range=(claim.said_on - window, claim.said_on + window),
            search=_story_query(claim),
        ).exclude(speaker=claim.speaker_id)
        offer(nearby[:limit], "same story, said within days", lambda c: 0.2)
    return sorted(found.values(), key=lambda s: -s.score)[:limit]


def _story_query(claim: Claim):
    """A full-text query of the claim's rarer content words, to find claims about the same event."""

    words = [word.strip(".,;:“”\"'()") for word in claim.content_text.split()]
    keywords = sorted({w for w in words if len(w) > 5}, key=len, reverse=True)[:6]
    return SearchQuery(
        " OR ".join(keywords) or claim.content_text[:100], search_type="websearch", config="english"
    )
