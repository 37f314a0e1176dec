"""Merging two actors that are one ("ISKP" and "Islamic State Khorasan Province"), and undoing it.

A merge moves the merged actor's claims, the links that name it and its aliases to the target, records
each moved claim in its history, and keeps the merged actor (pointing at the target) so nothing is lost.
Undo moves exactly what the merge recorded back, while nothing has touched those rows since.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.models import Claim, ClaimChange, ClaimLink
from sources.models import Actor, ActorAlias, ActorMerge


class MergeRefused(Exception):
    """The merge or its undo would not be what the editor expects; the message says why."""


def _speaker(actor: Actor) -> dict:
    return {"speaker": {"id": actor.pk, "name": actor.name}}


def _move_claims(
    claim_ids: list[int], *, source: Actor, target: Actor, user: AbstractBaseUser, undoes: list[ClaimChange]
) -> list[ClaimChange]:
    """Re-attribute locked claims from `source` to `target` in one UPDATE, each with a history row."""
    versions = dict(Claim.objects.select_for_update().filter(pk__in=claim_ids).values_list("pk", "version"))
    Claim.objects.filter(pk__in=claim_ids).update(
        speaker=target, version=F("version") + 1, updated_at=timezone.now()
    )
    undone = {change.claim_id: change for change in undoes}
    return ClaimChange.objects.bulk_create(
        ClaimChange(
            claim_id=claim_id,
            user=user,
            action=ClaimChange.Action.SPEAKER_MERGED,
            before=_speaker(source),
            after=_speaker(target),
            version=versions[claim_id] + 1,
            undoes=undone.get(claim_id),
        )
        for claim_id in claim_ids
    )


def _locked_actors(*pks: int) -> dict[int, Actor]:
    return {actor.pk: actor for actor in Actor.objects.select_for_update().filter(pk__in=pks).order_by("pk")}


def actor_merge(*, actor: Actor, into: Actor, by: AbstractBaseUser) -> ActorMerge:
    """Merge `actor` into `into` in one transaction. Raises MergeRefused for a merge into itself, into
    a merged actor, or of an actor already merged."""
    if actor.pk == into.pk:
        raise MergeRefused("An actor cannot be merged into itself.")
    with transaction.atomic():
        locked = _locked_actors(actor.pk, into.pk)
        actor, into = locked[actor.pk], locked[into.pk]
        if actor.merged_into_id is not None:
            raise MergeRefused(f"{actor} is already merged into {actor.merged_into}.")
        if into.merged_into_id is not None:
            raise MergeRefused(
                f"{into} is itself merged into {into.merged_into}; merge into that actor instead."
            )
        claim_ids = sorted(Claim.objects.filter(speaker=actor).values_list("pk", flat=True))
        changes = _move_claims(claim_ids, source=actor, target=into, user=by, undoes=[])
        link_ids = sorted(ClaimLink.objects.filter(target_actor=actor).values_list("pk", flat=True))
        ClaimLink.objects.filter(pk__in=link_ids).update(target_actor=into)
        alias_ids = sorted(actor.aliases.values_list("pk", flat=True))
        ActorAlias.objects.filter(pk__in=alias_ids).update(actor=into)
        actor.merged_into = into
        actor.save(update_fields=["merged_into"])
        return ActorMerge.objects.create(
            merged=actor,
            into=into,
            merged_by=by,
            claim_ids=claim_ids,
            change_ids=[change.pk for change in changes],
            alias_ids=alias_ids,
            link_ids=link_ids,
        )


def actor_merge_undo(*, merge: ActorMerge, by: AbstractBaseUser) -> ActorMerge:
    """Move back exactly what `merge` moved. Refused (MergeRefused) once it is undone, once the merged
    actor was merged again, or when any moved claim, alias or link has changed since."""
    with transaction.atomic():
        merge = ActorMerge.objects.select_for_update().get(pk=merge.pk)
        locked = _locked_actors(merge.merged_id, merge.into_id)
        actor, into = locked[merge.merged_id], locked[merge.into_id]
        if merge.undone_at is not None:
            raise MergeRefused(f"This merge was already undone on {merge.undone_at:%d %b %Y}.")
        if actor.merged_into_id != into.pk:
            raise MergeRefused(
                f"{actor} has been merged differently since; only the latest merge can be undone."
            )
        changes = list(ClaimChange.objects.filter(pk__in=merge.change_ids))
        current = dict(
            Claim.objects.select_for_update().filter(pk__in=merge.claim_ids).values_list("pk", "version")
        )
        moved_on = sum(1 for change in changes if current.get(change.claim_id) != change.version)
        if moved_on or Claim.objects.filter(pk__in=merge.claim_ids).exclude(speaker=into).exists():
            raise MergeRefused(
                f"{moved_on or 'Some'} of the claims this merge moved have been changed since, so undoing it"
                " would overwrite later work. Change their speaker on each claim instead."
            )
        if ActorAlias.objects.filter(pk__in=merge.alias_ids, actor=into).count() != len(merge.alias_ids):
            raise MergeRefused(f"Aliases this merge moved to {into} have been changed since.")
        if ClaimLink.objects.filter(pk__in=merge.link_ids, target_actor=into).count() != len(merge.link_ids):
            raise MergeRefused(f"Links this merge moved to {into} have been changed since.")
        _move_claims(merge.claim_ids, source=into, target=actor, user=by, undoes=changes)
        ClaimLink.objects.filter(pk__in=merge.link_ids).update(target_actor=actor)
        ActorAlias.objects.filter(pk__in=merge.alias_ids).update(actor=actor)
        actor.merged_into = None
        actor.save(update_fields=["merged_into"])
        merge.undone_at, merge.undone_by = timezone.now(), by
        merge.save(update_fields=["undone_at", "undone_by"])
        return merge
