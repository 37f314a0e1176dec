"""The claim panel and the editor's actions on it: every action with and without htmx, every role."""

import pytest
from django.urls import reverse

from claims.editing import edit_claim
from claims.links import add_link
from claims.models import Claim, ClaimChange, ClaimLink

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_the_panel_is_a_fragment_for_htmx_and_a_page_otherwise(client, kremlin_claim):
    fragment = client.get(reverse("claim-detail", args=[kremlin_claim.pk]), **HTMX).text
    assert fragment.lstrip().startswith('<section class="claim-panel"') and "<html" not in fragment
    page = client.get(reverse("claim-detail", args=[kremlin_claim.pk])).text
    assert "<html" in page and kremlin_claim.headline in page
    panel = client.get(reverse("claim-panel", args=[kremlin_claim.pk])).text
    assert "<html" not in panel and "Passage" in panel


def test_readers_see_no_actions_and_cannot_post_them(client, reader, kremlin_claim):
    client.force_login(reader)
    page = client.get(reverse("claim-detail", args=[kremlin_claim.pk])).text
    assert "Confirm" not in page and "Link…" not in page and "Edit" not in page
    for name, data in [
        ("claim-status", {"status": "confirmed", "version": 1}),
        ("claim-undo", {}),
        ("claim-edit", {"version": 1, "kind": "blame"}),
        ("claim-link-new", {"kind": "evidence", "url": "https://example.org"}),
    ]:
        assert client.post(reverse(name, args=[kremlin_claim.pk]), data).status_code == 403
    kremlin_claim.refresh_from_db()
    assert kremlin_claim.version == 1 and not ClaimLink.objects.exists()


def test_anonymous_posts_go_to_login(client, kremlin_claim):
    response = client.post(
        reverse("claim-status", args=[kremlin_claim.pk]), {"status": "confirmed", "version": 1}
    )
    assert response.status_code == 403  # permission_required(raise_exception=True) refuses outright
    assert Claim.objects.get().status == "machine"


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_confirming_records_who_and_answers_in_kind(editor_client, editor, kremlin_claim, headers):
    response = editor_client.post(
        reverse("claim-status", args=[kremlin_claim.pk]), {"status": "confirmed", "version": 1}, **headers
    )
    if headers:
        assert response.status_code == 200 and response["HX-Trigger"] == "claimSaved"
        assert "Undo my last change" in response.text and "eddie" in response.text
    else:
        assert response.status_code == 302 and response["Location"] == reverse(
            "claim-detail", args=[kremlin_claim.pk]
        )
    change = ClaimChange.objects.get()
    assert (change.user, change.action, Claim.objects.get().status) == (editor, "confirmed", "confirmed")


def test_a_stale_decision_is_refused_with_the_other_editors_change(
    editor_client, other_editor, kremlin_claim
):
    edit_claim(kremlin_claim.pk, user=other_editor, version=1, fields={"kind": "accusation"})
    response = editor_client.post(
        reverse("claim-status", args=[kremlin_claim.pk]), {"status": "rejected", "version": 1}, **HTMX
    )
    assert response.status_code == 409
    assert "Not saved" in response.text and "edna" in response.text
    assert "statement" in response.text and "accusation" in response.text  # before → after
    assert Claim.objects.get().status == "edited"


def test_undo_from_the_panel(editor_client, kremlin_claim):
    editor_client.post(reverse("claim-status", args=[kremlin_claim.pk]), {"status": "rejected", "version": 1})
    response = editor_client.post(reverse("claim-undo", args=[kremlin_claim.pk]), **HTMX)
    assert response.status_code == 200 and Claim.objects.get().status == "machine"
    refused = editor_client.post(reverse("claim-undo", args=[kremlin_claim.pk]), **HTMX)
    assert refused.status_code == 409 and "cannot be undone" in refused.text


def test_the_edit_form_carries_the_version_and_the_current_spans(editor_client, kremlin_claim):
    form = editor_client.get(reverse("claim-edit", args=[kremlin_claim.pk]), **HTMX).text
    assert "<html" not in form and 'name="version" value="1"' in form
    start = kremlin_claim.document.text.index("The Kremlin")
    assert f'value="source:{start}:{start + 11}"' in form
    assert "data-actor-picker" in form and "data-span-picker" in form


def test_saving_an_edit_changes_fields_spans_and_speaker_and_shows_the_history(editor_client, kremlin_claim):
    text = kremlin_claim.document.text
    cue, content = text.index("said"), text.index("blackmail")
    response = editor_client.post(
        reverse("claim-edit", args=[kremlin_claim.pk]),
        {
            "version": 1,
            "kind": "labelling",
            "polarity": "assert",
            "said_on": "2024-03-19",
            "headline": kremlin_claim.headline,
            "span": ["source:4:11", f"cue:{cue}:{cue + 4}", f"content:{content}:{content + 9}"],
            "speaker": "",
            "speaker_text": "Kremlin",
            "speaker_new": "",
        },
        **HTMX,
    )
    assert response.status_code == 200, response.text
    claim = Claim.objects.select_related("speaker").get()
    assert claim.kind == "labelling" and claim.status == "edited" and claim.content_text == "blackmail"
    assert claim.speaker.name == "Russian government"  # "Kremlin" typed is an alias of the seed actor
    assert claim.said_on.isoformat() == "2024-03-19"
    assert "labelling" in response.text and "blackmail" in response.text  # the history lines


def test_an_edit_after_someone_elses_save_is_refused_and_shows_their_change(
    editor_client, other_editor, kremlin_claim
):
    edit_claim(kremlin_claim.pk, user=other_editor, version=1, fields={"polarity": "deny"})
    response = editor_client.post(
        reverse("claim-edit", args=[kremlin_claim.pk]),
        {"version": 1, "kind": "blame", "polarity": "assert", "headline": kremlin_claim.headline},
        **HTMX,
    )
    assert response.status_code == 409
    assert "edna" in response.text and "denies" in response.text and "Reopen the claim" in response.text
    claim = Claim.objects.get()
    assert claim.kind == "statement" and claim.polarity == "deny"


def test_bad_spans_are_refused_with_the_reason(editor_client, kremlin_claim):
    response = editor_client.post(
        reverse("claim-edit", args=[kremlin_claim.pk]),
        {"version": 1, "kind": "statement", "polarity": "assert", "headline": "x", "span": ["content:0:4"]},
        **HTMX,
    )
    assert response.status_code == 422 and "needs at least a cue" in response.text
    assert Claim.objects.get().version == 1


def test_the_link_form_suggests_without_storing_and_links_a_rebuttal(
    editor_client, editor, kremlin_claim, washington_claim, story_document
):
    from tests.claims.conftest import make_claim

    echo = make_claim(
        story_document, source="The Kremlin", cue="said", content="the US warning was blackmail"
    )
    form = editor_client.get(reverse("claim-link-new", args=[kremlin_claim.pk]), **HTMX).text
    assert "Suggested" in form and f'value="{echo.pk}"' in form
    assert not ClaimLink.objects.exists()
    found = editor_client.get(
        reverse("claim-link-search", args=[kremlin_claim.pk]), {"q": "warned private"}
    ).text
    assert washington_claim.headline in found
    response = editor_client.post(
        reverse("claim-link-new", args=[kremlin_claim.pk]),
        {"kind": "rebuttal", "target_claim": washington_claim.pk, "note": "US: it warned"},
        **HTMX,
    )
    assert response.status_code == 200 and "rebutted by" in response.text and "US: it warned" in response.text
    link = ClaimLink.objects.get()
    assert (link.claim, link.target_claim, link.created_by) == (kremlin_claim, washington_claim, editor)
    target_page = editor_client.get(reverse("claim-detail", args=[washington_claim.pk])).text
    assert "rebuts" in target_page and kremlin_claim.headline in target_page


def test_evidence_by_passage_finds_its_document_and_bad_links_are_refused(editor_client, kremlin_claim):
    response = editor_client.post(
        reverse("claim-link-new", args=[kremlin_claim.pk]),
        {"kind": "evidence", "passage": "had warned Moscow in private"},
        **HTMX,
    )
    assert response.status_code == 200 and "“had warned Moscow in private”" in response.text
    refused = editor_client.post(
        reverse("claim-link-new", args=[kremlin_claim.pk]),
        {"kind": "evidence", "url": "javascript:alert(1)"},
        **HTMX,
    )
    assert refused.status_code == 422 and ClaimLink.objects.count() == 1
    assert (
        editor_client.post(
            reverse("claim-link-new", args=[kremlin_claim.pk]), {"kind": "rebuttal"}, **HTMX
        ).status_code
        == 422
    )


def test_removing_a_link_from_the_panel(editor_client, editor, kremlin_claim, washington_claim):
    link = add_link(kremlin_claim.pk, user=editor, kind="rebuttal", target_claim=washington_claim)
    response = editor_client.post(reverse("claim-link-remove", args=[link.pk]), **HTMX)
    assert response.status_code == 200 and "No links yet" in response.text
    assert ClaimLink.objects.get().removed_at is not None
    assert editor_client.post(reverse("claim-link-remove", args=[link.pk])).status_code == 404
