"""The review queue: machine claims handed out one at a time, each held by one editor for a while so two
editors working at once never get the same claim."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.models import Claim, ReviewLease

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


def next_claim(user: AbstractBaseUser, *, skipped: set[int] = frozenset()) -> Claim | None:
    """The claim `user` holds, or the first waiting one nobody else holds (in document order), now
    leased to `user`. Rows being handed out concurrently are skipped, never waited on or shared."""
    now = timezone.now()
    with transaction.atomic():
        held = (
            Claim.objects.machine()
            .filter(review_lease__user=user, review_lease__expires_at__gt=now)
            .exclude(pk__in=skipped)
            .first()
        )
        claim = held or (
            Claim.objects.machine()
            .exclude(pk__in=skipped)
            .exclude(Q(review_lease__expires_at__gt=now) & ~Q(review_lease__user=user))
            .order_by("document_id", "sentence_start", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .first()
        )
        if claim is None:
            return None
        ReviewLease.objects.filter(user=user).exclude(claim=claim).delete()
        ReviewLease.objects.update_or_create(claim=claim, defaults={"user": user, "expires_at": now + LEASE})
    return claim


def release(user: AbstractBaseUser, claim_id: int) -> None:
    """Give a held claim back to the queue (after a skip, or once decided)."""
    ReviewLease.objects.filter(user=user, claim_id=claim_id).delete()
