"""The audit log (claim history, actor merges) cannot be edited or deleted, by the app, the admin or SQL,
and an administrator's changes through the workspace are logged like anyone's."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.ingest import ingest_bytes
from claims.models import Claim, ClaimChange, ExtractionRun
from claims.services import extract_claims
from sources.merging import actor_merge, actor_merge_undo
from sources.models import Actor, ActorMerge
from tests.factories import claim_with_spans, document_from_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim() -> Claim:
    document = document_from_text("The Kremlin said the US warning was blackmail.")
    return claim_with_spans(
        document, source="The Kremlin", cue="said", content="the US warning was blackmail"
    )


@pytest.fixture
def merge(admin_user, claim) -> ActorMerge:
    kremlin = Actor.objects.create(name="Kremlin", kind=Actor.Kind.GOVERNMENT)
    duplicate = Actor.objects.create(name="The Kremlin", kind=Actor.Kind.GOVERNMENT)
    Claim.objects.filter(pk=claim.pk).update(speaker=duplicate)
    return actor_merge(actor=duplicate, into=kremlin, by=admin_user)


def confirm(client, claim: Claim):
    return client.post(reverse("claim-status", args=[claim.pk]), {"status": "confirmed", "version": 1})


def test_a_superuser_confirming_a_claim_in_the_workspace_is_recorded_with_their_name(
    admin_client, admin_user, claim
):
    assert confirm(admin_client, claim).status_code == 302
    change = ClaimChange.objects.get(claim=claim)
    assert change.user == admin_user
    assert change.action == ClaimChange.Action.CONFIRMED
    assert change.after == {"status": "confirmed"}


def test_a_superuser_merging_actors_is_recorded_with_their_name(admin_client, admin_user, claim):
    kremlin = Actor.objects.create(name="Kremlin", kind=Actor.Kind.GOVERNMENT)
    duplicate = Actor.objects.create(name="The Kremlin", kind=Actor.Kind.GOVERNMENT)
    Claim.objects.filter(pk=claim.pk).update(speaker=duplicate)
    response = admin_client.post(reverse("actor-merge", args=[duplicate.pk]), {"into": kremlin.pk})
    assert response.status_code == 302
    assert ActorMerge.objects.get().merged_by == admin_user
    assert ClaimChange.objects.get(claim=claim).user == admin_user


@pytest.mark.parametrize("model", [ClaimChange, ActorMerge], ids=lambda m: m.__name__)
def test_the_admin_refuses_even_a_superuser_any_change_or_deletion(admin_client, admin_user, claim, model):
    if model is ClaimChange:
        confirm(admin_client, claim)
        row = ClaimChange.objects.get()
    else:
        kremlin = Actor.objects.create(name="Kremlin", kind=Actor.Kind.GOVERNMENT)
        other = Actor.objects.create(name="Moscow", kind=Actor.Kind.GOVERNMENT)
        row = actor_merge(actor=other, into=kremlin, by=admin_user)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    before = list(model.objects.values())

    page = admin_client.get(reverse(f"{prefix}_change", args=[row.pk]))
    assert page.status_code == 200  # shown, read-only
    assert 'name="_save"' not in page.text and "deletelink" not in page.text
    assert admin_client.post(reverse(f"{prefix}_change", args=[row.pk]), {}).status_code == 403
    assert admin_client.get(reverse(f"{prefix}_delete", args=[row.pk])).status_code == 403
    assert admin_client.post(reverse(f"{prefix}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse(f"{prefix}_add")).status_code == 403
    listing = admin_client.get(reverse(f"{prefix}_changelist"))
    assert "delete_selected" not in listing.text
    admin_client.post(
        reverse(f"{prefix}_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert list(model.objects.values()) == before


def test_the_database_refuses_to_update_or_delete_claim_history(admin_client, claim):
    confirm(admin_client, claim)
    change = ClaimChange.objects.get()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ClaimChange.objects.filter(pk=change.pk).update(after={"status": "rejected"})
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        change.delete()
    assert ClaimChange.objects.get().after == {"status": "confirmed"}


def test_the_database_refuses_to_delete_a_merge_or_rewrite_it_but_lets_undo_mark_it_once(admin_user, merge):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ActorMerge.objects.filter(pk=merge.pk).delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ActorMerge.objects.filter(pk=merge.pk).update(claim_ids=[])

    undone = actor_merge_undo(merge=merge, by=admin_user)
    assert undone.undone_by == admin_user
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ActorMerge.objects.filter(pk=merge.pk).update(undone_at=None, undone_by=None)
    assert ActorMerge.objects.get().undone_at is not None


def test_re_extraction_keeps_claims_with_history_and_drops_only_untouched_machine_claims(admin_client):
    text = (
        "Moscow attack\n\nThe Kremlin said the US warning was blackmail. Kyiv denied any role in the attack."
    )
    document = ingest_bytes(text.encode(), name="story.txt").source_file.documents.get()
    extract_claims([document])
    claims = list(document.claims.order_by("pk"))
    assert len(claims) >= 2
    confirm(admin_client, claims[0])
    ExtractionRun.objects.filter(document=document).delete()  # as if a new extractor version came

    extract_claims([document])

    assert Claim.objects.filter(pk=claims[0].pk).exists()
    assert ClaimChange.objects.filter(claim=claims[0]).count() == 1
    assert not Claim.objects.filter(pk__in=[c.pk for c in claims[1:]]).exists()  # replaced, not kept
