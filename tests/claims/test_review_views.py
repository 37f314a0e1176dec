"""The review queue screen: every action with and without htmx, the trail, conflicts and who may review."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.editing import edit_claim, set_status
from claims.models import Claim, ReviewLease
from claims.review import hold

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def claims(kremlin_claim, washington_claim):
    return kremlin_claim, washington_claim


@pytest.fixture
def editor_client(client, editor) -> Client:
    client.force_login(editor)
    return client


def decide(client: Client, claim: Claim, decision: str, *, version: int | None = None, htmx: bool = False):
    claim.refresh_from_db()
    data = {"decision": decision, "version": claim.version if version is None else version}
    return client.post(reverse("review-decide", args=[claim.pk]), data, headers=HTMX if htmx else {})


def card_of(response) -> str:
    text = response.text
    assert text.lstrip().startswith('<section id="review-card"'), text[:200]
    assert "<html" not in text
    return text


def test_the_queue_shows_the_first_waiting_claim_with_its_passage_and_the_counts(
    editor_client, claims, editor
):
    kremlin, _ = claims
    page = editor_client.get(reverse("review-queue")).text
    assert (
        '<h1 id="review-heading" class="review-headline">The Kremlin said the US warning was blackmail</h1>'
        in page
    )
    assert "done <strong>0</strong></span> · <span>remaining <strong>2</strong>" in page
    start = kremlin.spans("source")[0][0]
    assert f'<mark class="role-source" title="source" data-offset="{start}">The Kremlin</mark>' in page
    assert "— the text says “The Kremlin”" in page and "<dt>Cue</dt><dd>said</dd>" in page
    assert reverse("document-detail", args=[kremlin.document_id]) + f"#claim-{kremlin.pk}" in page
    for key in "aerskj?":
        assert f"<kbd>{key}</kbd>" in page
    assert '<dialog id="review-help"' in page and "js/review.js" in page
    assert ReviewLease.objects.get().user == editor


def test_an_htmx_request_gets_only_the_card(editor_client, claims):
    response = editor_client.get(reverse("review-queue"), headers=HTMX)
    assert "The Kremlin said" in card_of(response)
    assert "HX-Request" in response["Vary"]
    assert 'hx-trigger="claimSaved from:body"' in response.text


def test_htmx_restoring_history_gets_the_whole_page(editor_client, claims):
    response = editor_client.get(
        reverse("review-queue"), headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.text


def test_anonymous_people_are_sent_to_sign_in(client, claims):
    kremlin, _ = claims
    for response in (
        client.get(reverse("review-queue")),
        client.get(reverse("review-claim", args=[kremlin.pk])),
        client.post(reverse("review-decide", args=[kremlin.pk]), {"decision": "accept", "version": 1}),
    ):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_readers_are_refused(client, claims, reader):
    kremlin, _ = claims
    client.force_login(reader)
    assert client.get(reverse("review-queue")).status_code == 403
    assert client.get(reverse("review-claim", args=[kremlin.pk])).status_code == 403
    for name in ("review-decide", "review-skip", "review-undo"):
        response = client.post(reverse(name, args=[kremlin.pk]), {"decision": "accept", "version": 1})
        assert response.status_code == 403, name
    kremlin.refresh_from_db()
    assert kremlin.status == "machine" and not ReviewLease.objects.exists()


def test_accepting_confirms_releases_and_moves_on(editor_client, claims, editor):
    kremlin, washington = claims
    editor_client.get(reverse("review-queue"))
    response = decide(editor_client, kremlin, "accept")
    assert response.status_code == 302 and response.url == reverse("review-queue")
    kremlin.refresh_from_db()
    assert kremlin.status == "confirmed" and kremlin.changes.get().user == editor
    assert editor_client.session["review_trail"] == [kremlin.pk]
    page = editor_client.get(response.url).text
    assert washington.headline in page
    assert "done <strong>1</strong></span> · <span>remaining <strong>1</strong>" in page
    assert list(ReviewLease.objects.values_list("claim_id", flat=True)) == [washington.pk]


def test_rejecting_with_htmx_swaps_in_the_next_card_and_pushes_its_address(editor_client, claims):
    kremlin, washington = claims
    response = decide(editor_client, kremlin, "reject", htmx=True)
    assert response.status_code == 200
    assert washington.headline in card_of(response)
    assert response["HX-Push-Url"] == reverse("review-claim", args=[washington.pk])
    kremlin.refresh_from_db()
    assert kremlin.status == "rejected"


def test_an_unknown_decision_or_missing_version_is_a_bad_request(editor_client, claims):
    kremlin, _ = claims
    assert decide(editor_client, kremlin, "maybe").status_code == 400
    response = editor_client.post(reverse("review-decide", args=[kremlin.pk]), {"decision": "accept"})
    assert response.status_code == 400
    assert editor_client.get(reverse("review-decide", args=[kremlin.pk])).status_code == 405


@pytest.mark.parametrize("htmx", [False, True])
def test_a_conflict_shows_the_other_change_with_409_and_does_not_advance(
    editor_client, claims, other_editor, htmx
):
    kremlin, _ = claims
    other_editor.first_name, other_editor.last_name = "Edna", "Vale"
    other_editor.save()
    set_status(kremlin.pk, user=other_editor, version=1, status=Claim.Status.REJECTED)
    response = decide(editor_client, kremlin, "accept", version=1, htmx=htmx)
    assert response.status_code == 409
    text = card_of(response) if htmx else response.text
    assert "Someone changed this claim after you opened it" in text
    assert "<strong>Edna Vale</strong> rejected" in text
    assert (
        '<th scope="row">status</th><td class="before">machine-extracted</td>'
        '<td aria-hidden="true">→</td><td class="after">rejected</td>'
    ) in text
    assert kremlin.headline in text and "HX-Push-Url" not in response
    kremlin.refresh_from_db()
    assert kremlin.status == "rejected" and kremlin.version == 2
    assert "review_trail" not in editor_client.session


@pytest.mark.parametrize("htmx", [False, True])
def test_a_skipped_claim_waits_until_nothing_else_does(editor_client, claims, htmx):
    kremlin, washington = claims
    editor_client.get(reverse("review-queue"))
    response = editor_client.post(reverse("review-skip", args=[kremlin.pk]), headers=HTMX if htmx else {})
    if htmx:
        assert washington.headline in card_of(response)
        assert response["HX-Push-Url"] == reverse("review-claim", args=[washington.pk])
    else:
        assert response.url == reverse("review-queue")
        assert washington.headline in editor_client.get(response.url).text
    assert editor_client.session["review_skipped"] == [kremlin.pk]
    assert washington.headline in editor_client.get(reverse("review-queue")).text
    response = decide(editor_client, washington, "accept", htmx=True)
    assert kremlin.headline in card_of(response)


def test_the_empty_queue_says_so_with_the_counts(editor_client, claims, editor):
    for claim in claims:
        set_status(claim.pk, user=editor, version=1, status=Claim.Status.CONFIRMED)
    page = editor_client.get(reverse("review-queue")).text
    assert "Nothing left to review" in page
    assert "2 claims decided." in page
    assert f'href="{reverse("claim-list")}"' in page
    response = editor_client.get(reverse("review-queue"), headers=HTMX)
    assert "Nothing left to review" in card_of(response)


def test_k_and_j_walk_the_trail_of_decided_claims_then_return_to_the_queue(editor_client, claims):
    kremlin, washington = claims
    decide(editor_client, kremlin, "accept")
    response = decide(editor_client, washington, "reject", htmx=True)
    kremlin_url, washington_url = (reverse("review-claim", args=[claim.pk]) for claim in claims)
    assert "Nothing left to review" in response.text
    assert (
        f'href="{washington_url}" hx-get="{washington_url}"' in response.text
        and 'data-key="k"' in response.text
    )

    back = card_of(editor_client.get(washington_url, headers=HTMX))
    assert "Rejected — rejected by eddie" in back
    assert f'href="{kremlin_url}"' in back and f'href="{reverse("review-queue")}"' in back

    first = editor_client.get(kremlin_url).text
    assert "Accepted — confirmed by eddie" in first
    assert '<span class="review-key" aria-disabled="true">Previous <kbd>k</kbd></span>' in first
    forward = (
        f'href="{washington_url}" hx-get="{washington_url}" hx-target="#review-card" hx-swap="outerHTML"'
    )
    assert f'{forward} hx-push-url="true" data-key="j"' in first
    assert 'class="review-accept" data-key="a" disabled' in first


def test_changing_a_decision_in_the_trail_moves_to_the_next_claim_in_it(editor_client, claims):
    kremlin, washington = claims
    decide(editor_client, kremlin, "accept")
    decide(editor_client, washington, "accept")
    response = decide(editor_client, kremlin, "reject", htmx=True)
    kremlin.refresh_from_db()
    assert kremlin.status == "rejected"
    assert washington.headline in card_of(response)
    assert response["HX-Push-Url"] == reverse("review-claim", args=[washington.pk])
    assert editor_client.session["review_trail"] == [kremlin.pk, washington.pk]
    response = decide(editor_client, kremlin, "accept")
    assert response.url == reverse("review-claim", args=[washington.pk])


@pytest.mark.parametrize("htmx", [False, True])
def test_undo_takes_back_ones_own_last_decision(editor_client, claims, htmx):
    kremlin, _ = claims
    decide(editor_client, kremlin, "accept")
    page = editor_client.get(reverse("review-claim", args=[kremlin.pk])).text
    assert "Undo “confirmed”" in page
    response = editor_client.post(reverse("review-undo", args=[kremlin.pk]), headers=HTMX if htmx else {})
    kremlin.refresh_from_db()
    assert kremlin.status == "machine"
    if htmx:
        assert 'data-key="s"' in card_of(response)
        assert response["HX-Push-Url"] == reverse("review-claim", args=[kremlin.pk])
    else:
        assert response.url == reverse("review-claim", args=[kremlin.pk])


def test_undo_is_offered_and_allowed_only_to_who_made_the_last_change(client, claims, other_editor, editor):
    kremlin, _ = claims
    set_status(kremlin.pk, user=editor, version=1, status=Claim.Status.CONFIRMED)
    client.force_login(other_editor)
    page = client.get(reverse("review-claim", args=[kremlin.pk])).text
    assert "Accepted — confirmed by eddie" in page and "Undo" not in page
    response = client.post(reverse("review-undo", args=[kremlin.pk]), headers=HTMX)
    assert response.status_code == 409
    assert "Only the latest change to a claim can be undone" in card_of(response)
    kremlin.refresh_from_db()
    assert kremlin.status == "confirmed"


def test_opening_a_claim_another_editor_holds_says_who_holds_it(editor_client, claims, other_editor):
    kremlin, washington = claims
    hold(other_editor, kremlin.pk)
    page = editor_client.get(reverse("review-claim", args=[kremlin.pk])).text
    assert "edna is reviewing this claim until" in page
    assert ReviewLease.objects.get(claim=kremlin).user == other_editor
    assert washington.headline in editor_client.get(reverse("review-queue")).text


def test_edit_loads_the_claim_edit_form_into_the_card(editor_client, claims):
    kremlin, _ = claims
    page = editor_client.get(reverse("review-queue")).text
    edit_url = reverse("claim-edit", args=[kremlin.pk])
    assert f'hx-get="{edit_url}" hx-target="#review-card" hx-swap="innerHTML" data-key="e"' in page


def test_scraped_text_in_the_card_stays_inert(editor_client, story_document, editor):
    from tests.claims.conftest import make_claim

    claim = make_claim(story_document, source="The Kremlin", cue="said", content="the US warning")
    Claim.objects.filter(pk=claim.pk).update(headline="<script>alert(1)</script>", speaker_text="<b>x</b>")
    page = editor_client.get(reverse("review-queue")).text
    assert "<script>alert(1)</script>" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_claim_edited_outside_the_trail_leads_on_to_the_queue(editor_client, claims, editor):
    kremlin, _ = claims
    edit_claim(kremlin.pk, user=editor, version=1, fields={"kind": Claim.Kind.ACCUSATION})
    page = card_of(editor_client.get(reverse("review-claim", args=[kremlin.pk]), headers=HTMX))
    assert "Edited — edited by eddie" in page
    queue_url = reverse("review-queue")
    assert f'href="{queue_url}" hx-get="{queue_url}"' in page and 'data-key="j"' in page
    assert 'data-key="s"' not in page and not ReviewLease.objects.exists()
