import pytest
from django.db import IntegrityError

from claims.editing import undo_last_change
from claims.links import add_link, rebuild_cluster, remove_link, suggest_links
from claims.models import Claim, ClaimLink
from claims.services import store_claims_of_documents
from sources.actors import ActorResolver
from tests.claims.conftest import make_claim

pytestmark = pytest.mark.django_db


def test_a_rebuttal_is_recorded_in_the_claims_history(kremlin_claim, washington_claim, editor):
    link = add_link(
        kremlin_claim.pk,
        user=editor,
        kind="rebuttal",
        target_claim=washington_claim,
        note="US says it warned",
    )
    change = kremlin_claim.changes.get()
    assert change.action == "linked" and change.user == editor
    assert change.after["link"] == {
        "kind": "rebuttal",
        "claim": {"id": washington_claim.pk, "headline": washington_claim.headline},
        "note": "US says it warned",
    }
    assert list(washington_claim.incoming_links.active()) == [link]


def test_a_target_that_does_not_fit_the_kind_is_refused(kremlin_claim, editor):
    with pytest.raises(IntegrityError):
        add_link(kremlin_claim.pk, user=editor, kind="rebuttal", url="https://example.org/")
    assert not ClaimLink.objects.exists() and not kremlin_claim.changes.exists()


def test_evidence_may_be_a_passage_of_any_document_or_an_external_url(kremlin_claim, story_document, editor):
    passage = add_link(
        kremlin_claim.pk,
        user=editor,
        kind="evidence",
        target_document=story_document,
        target_start=0,
        target_end=6,
    )
    url = add_link(
        kremlin_claim.pk, user=editor, kind="evidence", url="https://example.org/cable", note="cable"
    )
    assert kremlin_claim.changes.get(version=2).after["link"]["passage"] == story_document.text[:6]
    assert url.url and passage.target_document == story_document


def test_removing_keeps_the_link_and_undo_brings_it_back(kremlin_claim, washington_claim, editor):
    link = add_link(kremlin_claim.pk, user=editor, kind="rebuttal", target_claim=washington_claim)
    remove_link(link.pk, user=editor)
    link.refresh_from_db()
    assert link.removed_at and link.removed_by == editor and not ClaimLink.objects.active().exists()
    undo_last_change(kremlin_claim.pk, user=editor)
    link.refresh_from_db()
    assert link.removed_at is None and kremlin_claim.changes.count() == 3


def test_undoing_a_link_removes_it(kremlin_claim, washington_claim, editor):
    add_link(kremlin_claim.pk, user=editor, kind="rebuttal", target_claim=washington_claim)
    undo_last_change(kremlin_claim.pk, user=editor)
    assert not ClaimLink.objects.active().exists() and ClaimLink.objects.count() == 1


def test_same_claim_links_form_one_cluster_that_splits_when_a_link_goes(story_document, editor):
    a, b, c = (
        make_claim(story_document, source="The Kremlin", cue="said", content="the US warning was blackmail")
        for _ in range(3)
    )
    add_link(a.pk, user=editor, kind="same", target_claim=b)
    second = add_link(c.pk, user=editor, kind="same", target_claim=b)
    clusters = set(Claim.objects.values_list("cluster", flat=True))
    assert len(clusters) == 1 and None not in clusters
    remove_link(second.pk, user=editor)
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.cluster_id == b.cluster_id is not None and c.cluster_id is None
    rebuild_cluster(a)  # idempotent
    assert Claim.objects.get(pk=a.pk).cluster_id == b.cluster_id


def test_suggestions_offer_similar_wording_first_and_store_nothing(story_document, kremlin_claim, editor):
    other = make_claim(story_document, source="Kyiv", cue="denied", content="any role in the attack")
    echo = make_claim(
        story_document, source="The Kremlin", cue="said", content="the US warning was blackmail"
    )
    suggestions = suggest_links(kremlin_claim)
    assert suggestions[0].claim == echo and suggestions[0].reason == "similar wording"
    assert other not in [s.claim for s in suggestions]
    add_link(kremlin_claim.pk, user=editor, kind="same", target_claim=echo)
    assert echo not in [s.claim for s in suggest_links(kremlin_claim)]


def test_re_extraction_keeps_machine_claims_a_person_linked(kremlin_claim, washington_claim, editor):
    add_link(kremlin_claim.pk, user=editor, kind="rebuttal", target_claim=washington_claim)
    created = store_claims_of_documents(extracted=[(kremlin_claim.document, [])], resolver=ActorResolver())
    assert created == [0]
    assert set(Claim.objects.all()) == {kremlin_claim, washington_claim}
