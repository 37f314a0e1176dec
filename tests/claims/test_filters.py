import json

import pytest
from django.urls import reverse

from analysis.models import Event, Evidence, Explanation
from claims.filters import ClaimFilterForm, filter_claims
from claims.models import Claim
from tests.claims.conftest import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def crocus():
    event = Event.objects.create(name="Crocus City Hall attack", slug="crocus")
    return {
        "isis": Explanation.objects.create(event=event, title="ISIS-K carried it out", position=1),
        "ukraine": Explanation.objects.create(event=event, title="Ukraine was involved", position=2),
    }


@pytest.fixture
def kyiv_claim(story_document):
    return make_claim(story_document, source="Kyiv", cue="denied", content="any role in the attack")


@pytest.fixture
def evidence(crocus, kremlin_claim, washington_claim, kyiv_claim):
    """Kremlin supports "Ukraine", Kyiv rebuts it; Washington's link to "ISIS-K" is only proposed."""
    Evidence.objects.create(
        explanation=crocus["ukraine"], claim=kremlin_claim, stance="supports", status="confirmed"
    )
    Evidence.objects.create(
        explanation=crocus["ukraine"], claim=kyiv_claim, stance="rebuts", status="confirmed"
    )
    Evidence.objects.create(
        explanation=crocus["isis"], claim=kyiv_claim, stance="supports", status="confirmed"
    )
    Evidence.objects.create(explanation=crocus["isis"], claim=washington_claim, stance="supports")
    return crocus


def _filtered(query: dict) -> list[int]:
    form = ClaimFilterForm(query)
    assert form.is_valid(), form.errors
    return sorted(filter_claims(Claim.objects.all(), form.cleaned_data).values_list("pk", flat=True))


def test_an_explanation_keeps_claims_with_confirmed_evidence_for_it(evidence, kremlin_claim, kyiv_claim):
    assert _filtered({"explanation": evidence["ukraine"].pk}) == sorted([kremlin_claim.pk, kyiv_claim.pk])
    assert _filtered({"explanation": evidence["isis"].pk}) == [kyiv_claim.pk]  # the proposal does not count


def test_a_stance_narrows_to_supporting_or_rebutting_evidence(evidence, kremlin_claim, kyiv_claim):
    ukraine = evidence["ukraine"].pk
    assert _filtered({"explanation": ukraine, "stance": "supports"}) == [kremlin_claim.pk]
    assert _filtered({"explanation": ukraine, "stance": "rebuts"}) == [kyiv_claim.pk]
    # Without an explanation, a stance on any explanation counts, and each claim is listed once.
    assert _filtered({"stance": "supports"}) == sorted([kremlin_claim.pk, kyiv_claim.pk])


def test_an_unknown_explanation_or_stance_is_refused_by_the_form(evidence):
    assert not ClaimFilterForm({"explanation": 999999}).is_valid()
    assert not ClaimFilterForm({"stance": "maybe"}).is_valid()


def test_the_list_offers_explanations_grouped_by_event_and_names_the_chosen_one(
    client, evidence, kremlin_claim
):
    page = client.get(
        reverse("claim-list"), {"explanation": evidence["ukraine"].pk, "stance": "supports"}
    ).text
    assert '<optgroup label="Crocus City Hall attack">' in page
    assert f'<option value="{evidence["ukraine"].pk}" selected>Ukraine was involved</option>' in page
    assert "Explanation: Ukraine was involved <small>(Crocus City Hall attack)</small>, supports" in page
    assert "1 claim" in page and kremlin_claim.headline in page


def test_an_unknown_explanation_in_the_url_is_ignored_with_a_message(client, evidence, kremlin_claim):
    page = client.get(reverse("claim-list"), {"explanation": "999999"}).text
    assert "were not understood and were ignored: explanation" in page
    assert "3 claims" in page


def test_downloads_honour_the_explanation_filter(client, evidence, kyiv_claim):
    response = client.get(reverse("claim-export-json"), {"explanation": evidence["isis"].pk})
    claims = json.loads(b"".join(response.streaming_content))["claims"]
    assert [claim["id"] for claim in claims] == [kyiv_claim.pk]
    assert claims[0]["explanations"] == [
        {"id": evidence["isis"].pk, "stance": "supports"},
        {"id": evidence["ukraine"].pk, "stance": "rebuts"},
    ]


def test_rejected_claims_are_listed_only_when_asked_for(client, kremlin_claim, washington_claim):
    washington_claim.status = Claim.Status.REJECTED
    washington_claim.save()
    page = client.get(reverse("claim-list")).text
    assert kremlin_claim.headline in page and washington_claim.headline not in page
    page = client.get(reverse("claim-list"), {"status": "rejected"}).text
    assert washington_claim.headline in page and kremlin_claim.headline not in page
