"""The review queue: machine claims handed out one at a time, each held by one editor for a while so two
editors working at once never get the same claim."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from claims.models import Claim, ClaimQuerySet, ReviewLease

LEASE = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Progress:
    done: int
    remaining: int

    @property
    def total(self) -> int:
        return self.done + self.remaining


def progress() -> Progress:
    """Extracted claims a person has decided on, and those still waiting."""
    extracted = Claim.objects.exclude(extractor_version="")
    return Progress(done=extracted.reviewed().count(), remaining=extracted.machine().count())


def _free_for(user: AbstractBaseUser, now: dt.datetime) -> ClaimQuerySet:
    """Waiting claims nobody else holds: no lease, an expired one, or the user's own."""
    return Claim.objects.machine().filter(
        Q(review_lease__isnull=True) | Q(review_lease__expires_at__lte=now) | Q(review_lease__user=user)
    )


def _lock_first(claims: ClaimQuerySet) -> Claim | None:
    """The first of `claims` no other transaction is handing out right now, row-locked until commit."""
    return claims.select_for_update(skip_locked=True, of=("self",)).first()


def next_claim(user: AbstractBaseUser, *, skipped: Sequence[int] = ()) -> Claim | None:
    """The claim `user` holds, or the first waiting one nobody else holds (in document order), now
    leased to `user`. Claims in `skipped` come only once nothing else waits, oldest skip first, so a
    skip postpones a claim rather than hiding it. Rows being handed out concurrently are skipped,
    never waited on or shared."""
    now = timezone.now()
    skipped = list(skipped)
    with transaction.atomic():
        held = (
            Claim.objects.machine()
            .filter(review_lease__user=user, review_lease__expires_at__gt=now)
            .exclude(pk__in=skipped)
            .first()
        )
        free = _free_for(user, now)
        claim = held or _lock_first(
            free.exclude(pk__in=skipped).order_by("document_id", "sentence_start", "pk")
        )
        if claim is None and skipped:
            skip_order = Case(
                *(When(pk=pk, then=Value(order)) for order, pk in enumerate(skipped)),
                output_field=IntegerField(),
            )
            claim = _lock_first(free.filter(pk__in=skipped).order_by(skip_order))
        if claim is None:
            return None
        _lease(user, claim, now)
    return claim


def hold(user: AbstractBaseUser, claim_id: int) -> ReviewLease | None:
    """Lease a waiting claim the editor opened directly (by its address, or going back to it), unless
    another editor holds it; the claim's live lease either way, None when it no longer waits."""
    now = timezone.now()
    with transaction.atomic():
        claim = Claim.objects.machine().select_for_update(of=("self",)).filter(pk=claim_id).first()
        if claim is None:
            return None
        lease = ReviewLease.objects.filter(claim=claim, expires_at__gt=now).select_related("user").first()
        if lease is not None and lease.user_id != user.pk:
            return lease
        return _lease(user, claim, now)


def _lease(user: AbstractBaseUser, claim: Claim, now: dt.datetime) -> ReviewLease:
    """Give `claim` to `user` for LEASE from now; an editor holds one claim at a time."""
    ReviewLease.objects.filter(user=user).exclude(claim=claim).delete()
    lease, _ = ReviewLease.objects.update_or_create(
        claim=claim, defaults={"user": user, "expires_at": now + LEASE}
    )
    return lease


def release(user: AbstractBaseUser, claim_id: int) -> None:
    """Give a held claim back to the queue (after a skip, or once decided)."""
    ReviewLease.objects.filter(user=user, claim_id=claim_id).delete()
