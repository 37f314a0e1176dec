"""The review queue service: one editor per claim, even under concurrency; leases expire; skips come back."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from claims.editing import set_status
from claims.models import Claim, ReviewLease
from claims.review import hold, next_claim, progress, release
from tests.claims.conftest import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def kyiv_claim(story_document):
    return make_claim(story_document, source="Kyiv", cue="denied", content="any role in the attack")


@pytest.fixture
def three_claims(kremlin_claim, washington_claim, kyiv_claim):
    return [kremlin_claim, washington_claim, kyiv_claim]


def test_claims_come_in_document_order_and_a_held_claim_stays_with_its_editor(three_claims, editor):
    first = next_claim(editor)
    assert first == three_claims[0]
    assert next_claim(editor) == first
    lease = ReviewLease.objects.get(claim=first)
    assert lease.user == editor and lease.expires_at > timezone.now()


def test_two_editors_never_get_the_same_claim(three_claims, editor, other_editor):
    mine, theirs = next_claim(editor), next_claim(other_editor)
    assert mine != theirs
    assert next_claim(editor) == mine and next_claim(other_editor) == theirs


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transactions_never_get_the_same_claim(three_claims, editor, other_editor):
    """The first editor's transaction is still open (its lease not yet visible) while the second asks:
    the locked row is skipped, not shared and not waited on."""
    taken, asked = threading.Event(), threading.Event()
    got: dict[str, Claim | None] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                got["first"] = next_claim(editor)
                taken.set()
                assert asked.wait(10)
        finally:
            connection.close()

    def second() -> None:
        try:
            assert taken.wait(10)
            got["second"] = next_claim(other_editor)
        finally:
            asked.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert got["first"] == three_claims[0]
    assert got["second"] == three_claims[1]
    assert set(ReviewLease.objects.values_list("claim_id", "user_id")) == {
        (three_claims[0].pk, editor.pk),
        (three_claims[1].pk, other_editor.pk),
    }


def test_an_expired_lease_is_handed_out_again(kremlin_claim, editor, other_editor):
    assert next_claim(editor) == kremlin_claim
    assert next_claim(other_editor) is None
    ReviewLease.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert next_claim(other_editor) == kremlin_claim
    assert ReviewLease.objects.get().user == other_editor


def test_an_editor_holds_one_claim_at_a_time(three_claims, editor):
    first = next_claim(editor)
    second = next_claim(editor, skipped=[first.pk])
    assert second != first
    assert list(ReviewLease.objects.values_list("claim_id", flat=True)) == [second.pk]


def test_skipped_claims_come_back_once_nothing_else_waits_oldest_skip_first(three_claims, editor):
    kremlin, washington, kyiv = three_claims
    assert next_claim(editor, skipped=[kremlin.pk]) == washington
    assert next_claim(editor, skipped=[kremlin.pk, washington.pk]) == kyiv
    set_status(kyiv.pk, user=editor, version=kyiv.version, status=Claim.Status.CONFIRMED)
    assert next_claim(editor, skipped=[kremlin.pk, washington.pk]) == kremlin
    release(editor, kremlin.pk)
    assert next_claim(editor, skipped=[washington.pk, kremlin.pk]) == washington


def test_decided_claims_leave_the_queue(kremlin_claim, washington_claim, editor, other_editor):
    assert next_claim(editor) == kremlin_claim
    set_status(kremlin_claim.pk, user=editor, version=1, status=Claim.Status.REJECTED)
    release(editor, kremlin_claim.pk)
    assert next_claim(other_editor) == washington_claim
    set_status(washington_claim.pk, user=other_editor, version=1, status=Claim.Status.CONFIRMED)
    assert next_claim(editor) is None
    assert next_claim(other_editor) is None


def test_release_gives_the_claim_back(kremlin_claim, editor, other_editor):
    next_claim(editor)
    release(editor, kremlin_claim.pk)
    assert not ReviewLease.objects.exists()
    assert next_claim(other_editor) == kremlin_claim


def test_hold_leases_a_free_claim_but_not_one_another_editor_holds(kremlin_claim, editor, other_editor):
    lease = hold(editor, kremlin_claim.pk)
    assert lease.user == editor and lease.claim == kremlin_claim
    theirs = hold(other_editor, kremlin_claim.pk)
    assert theirs.user == editor
    assert ReviewLease.objects.get().user == editor
    set_status(kremlin_claim.pk, user=editor, version=1, status=Claim.Status.CONFIRMED)
    assert hold(other_editor, kremlin_claim.pk) is None


def test_progress_counts_extracted_claims_decided_and_waiting(three_claims, editor, story_document):
    assert (progress().done, progress().remaining) == (0, 3)
    set_status(three_claims[0].pk, user=editor, version=1, status=Claim.Status.REJECTED)
    by_hand = make_claim(story_document, source="Washington", cue="insisted", content="it had warned")
    Claim.objects.filter(pk=by_hand.pk).update(extractor_version="", status=Claim.Status.CONFIRMED)
    counts = progress()
    assert (counts.done, counts.remaining, counts.total) == (1, 2, 3)
