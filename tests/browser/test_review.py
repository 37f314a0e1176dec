"""The review queue in a real browser: an editor works it with the keyboard alone, cards swap in place."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from articles.ingest import ingest_bytes
from claims.editing import set_status
from claims.models import Claim
from claimtracker.roles import ensure_roles
from tests.browser.conftest import PASSWORD, login, screenshot, settled
from tests.claims.conftest import STORY, make_claim

pytestmark = pytest.mark.browser


@pytest.fixture
def queue(users) -> list[Claim]:
    document = ingest_bytes(STORY.encode(), name="story.txt").source_file.documents.get()
    return [
        make_claim(document, source="The Kremlin", cue="said", content="the US warning was blackmail"),
        make_claim(document, source="Washington", cue="insisted", content="it had warned Moscow in private"),
        make_claim(document, source="Kyiv", cue="denied", content="any role in the attack"),
    ]


def heading(page: Page):
    return page.locator("#review-heading")


def shows(page: Page, headline: str) -> None:
    """The card with `headline` is in place, settled (htmx has taken over its controls, which review.js
    waits for before pressing them) and focused."""
    card = page.locator("#review-card")
    expect(heading(page)).to_have_text(headline)
    expect(card).not_to_have_class(re.compile(r"\bhtmx-added\b"))
    expect(card).to_be_focused()


def test_an_editor_works_the_queue_with_the_keyboard_alone(page: Page, live_server, queue, csp_violations):
    kremlin, washington, kyiv = queue
    login(page, live_server, "editor")
    page.goto(live_server.url + reverse("review-queue"))
    expect(heading(page)).to_have_text(kremlin.headline)
    expect(page.locator(".review-count")).to_contain_text("done 0 · remaining 3")
    page.evaluate("window.reviewMarker = 'same page'")
    screenshot(page, "review")

    page.keyboard.press("a")
    shows(page, washington.headline)
    expect(page).to_have_url(live_server.url + reverse("review-claim", args=[washington.pk]))
    expect(page.locator(".review-count")).to_contain_text("done 1 · remaining 2")
    expect(page.locator("#review-announce")).to_contain_text(washington.headline)

    page.keyboard.press("s")
    shows(page, kyiv.headline)
    page.keyboard.press("r")  # nothing else waits now, so the skipped claim comes back
    shows(page, washington.headline)
    expect(page.locator(".review-count")).to_contain_text("done 2 · remaining 1")

    page.keyboard.press("k")
    shows(page, kyiv.headline)
    expect(page.locator(".review-decision")).to_contain_text("Rejected")
    expect(page).to_have_url(live_server.url + reverse("review-claim", args=[kyiv.pk]))
    page.keyboard.press("k")
    shows(page, kremlin.headline)
    expect(page.locator(".review-decision")).to_contain_text("Accepted")
    page.keyboard.press("j")
    shows(page, kyiv.headline)
    page.keyboard.press("j")
    shows(page, washington.headline)
    expect(page).to_have_url(live_server.url + reverse("review-queue"))

    help_dialog = page.get_by_role("dialog", name="Review keys")
    page.keyboard.press("?")
    expect(help_dialog).to_be_visible()
    page.keyboard.press("a")  # keys other than ? wait while help is open
    page.keyboard.press("?")
    expect(help_dialog).to_be_hidden()

    assert page.evaluate("window.reviewMarker") == "same page"

    page.go_back()  # htmx fetches the page again (no history cache): the keys still work
    expect(page).to_have_url(live_server.url + reverse("review-claim", args=[kyiv.pk]))
    expect(heading(page)).to_have_text(kyiv.headline)
    page.keyboard.press("k")
    expect(heading(page)).to_have_text(kremlin.headline)
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {kremlin.pk: "confirmed", washington.pk: "machine", kyiv.pk: "rejected"}
    assert csp_violations == []


def test_typing_in_a_field_or_holding_a_modifier_is_not_a_key(page: Page, live_server, queue):
    login(page, live_server, "editor")
    page.goto(live_server.url + reverse("review-queue"))
    expect(heading(page)).to_have_text(queue[0].headline)
    page.evaluate(
        "document.querySelector('#review-card')"
        ".append(Object.assign(document.createElement('input'), {id: 'probe'}))"
    )
    probe = page.locator("#probe")
    probe.press("a")
    expect(probe).to_have_value("a")
    probe.blur()
    for chord in ("Control+a", "Alt+r", "Meta+s"):
        page.keyboard.press(chord)
    page.keyboard.press("a")
    shows(page, queue[1].headline)
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {queue[0].pk: "confirmed", queue[1].pk: "machine", queue[2].pk: "machine"}


def test_two_editors_at_once_see_different_claims(browser: Browser, live_server, queue):
    second = User.objects.create_user("edna", password=PASSWORD, first_name="Edna", last_name="Vale")
    second.groups.add(ensure_roles()["editor"])
    pages = []
    for username in ("editor", "edna"):
        page = browser.new_context().new_page()
        login(page, live_server, username)
        page.goto(live_server.url + reverse("review-queue"))
        pages.append(page)
    first, other = (heading(page) for page in pages)
    expect(first).to_have_text(queue[0].headline)
    expect(other).to_have_text(queue[1].headline)

    pages[0].keyboard.press("a")
    expect(first).to_have_text(queue[2].headline)
    expect(pages[0]).to_have_url(re.compile(rf"/review/{queue[2].pk}/$"))
    for page in pages:
        page.context.close()


def test_a_conflict_is_shown_in_the_card_and_the_queue_does_not_advance(
    page: Page, live_server, queue, users
):
    login(page, live_server, "editor")
    page.goto(live_server.url + reverse("review-queue"))
    expect(heading(page)).to_have_text(queue[0].headline)
    set_status(queue[0].pk, user=users["analyst"], version=1, status=Claim.Status.REJECTED)
    page.keyboard.press("a")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Someone changed this claim after you opened it")
    expect(alert).to_contain_text("Ana Lyst rejected")
    shows(page, queue[0].headline)
    expect(page.locator(".review-decision")).to_contain_text("Rejected")


def test_e_corrects_the_claim_in_the_card_and_the_card_shows_the_correction(page: Page, live_server, queue):
    kremlin = queue[0]
    login(page, live_server, "editor")
    page.goto(live_server.url + reverse("review-queue"))
    expect(heading(page)).to_have_text(kremlin.headline)
    page.evaluate("window.reviewMarker = 'same page'")
    page.keyboard.press("e")
    card = page.locator("#review-card")
    expect(card.get_by_label("Kind")).to_be_visible()
    settled(page)
    card.get_by_label("Kind").select_option("accusation")
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".meta .kind")).to_have_text("accusation")
    expect(card.locator(".status")).to_have_text("edited")
    assert page.evaluate("window.reviewMarker") == "same page"
    kremlin.refresh_from_db()
    assert (kremlin.kind, kremlin.status, kremlin.changes.get().user.username) == (
        "accusation",
        "edited",
        "editor",
    )
