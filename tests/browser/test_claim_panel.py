"""The claim panel in a real browser: linking a rebuttal and the conflict between two editors, without
full page reloads."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from articles.ingest import ingest_bytes
from claims.links import add_link
from claims.models import ClaimLink
from tests.browser.conftest import login, screenshot, settled
from tests.claims.conftest import STORY, make_claim


@pytest.fixture
def story(transactional_db):
    document = ingest_bytes(STORY.encode(), name="story.txt").source_file.documents.get()
    kremlin = make_claim(document, source="The Kremlin", cue="said", content="the US warning was blackmail")
    washington = make_claim(
        document, source="Washington", cue="insisted", content="it had warned Moscow in private"
    )
    return kremlin, washington


def _mark_page(page: Page) -> None:
    """A marker that only survives if the page is never reloaded."""
    page.evaluate("window.__sameDocument = true")


def _still_same_page(page: Page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def test_an_editor_links_a_rebuttal_found_by_search(page: Page, live_server, users, story):
    kremlin, washington = story
    add_link(
        kremlin.pk, user=users["editor"], kind="evidence", url="https://example.org/cable", note="the cable"
    )
    login(page, live_server, "editor")
    page.goto(live_server.url + reverse("claim-detail", args=[kremlin.pk]))
    _mark_page(page)
    page.get_by_role("link", name="Link…").click()
    expect(page.get_by_role("searchbox", name="Another claim")).to_be_visible()
    settled(page)
    page.get_by_role("searchbox", name="Another claim").fill("warned private")
    page.get_by_label(washington.headline).check()
    page.get_by_label("Note").fill("Washington says it warned")
    screenshot(page, "link-dialog")
    page.get_by_role("button", name="Save link").click()

    links = page.locator(".links")
    expect(links.locator(".link-rebuttal")).to_contain_text(washington.headline)
    expect(page.locator(".history .change-linked").first).to_contain_text("Eddie Marsh")
    assert _still_same_page(page)
    assert ClaimLink.objects.filter(kind="rebuttal", target_claim=washington).exists()
    screenshot(page, "claim")


def test_the_second_of_two_editors_saving_one_claim_sees_the_first_ones_change(
    browser: Browser, live_server, users, story
):
    kremlin, _ = story
    pages = []
    for username in ("editor", "analyst"):
        page = browser.new_context().new_page()
        login(page, live_server, username)
        page.goto(live_server.url + reverse("claim-detail", args=[kremlin.pk]))
        page.get_by_role("link", name="Edit").click()
        expect(page.get_by_label("Kind")).to_be_visible()
        settled(page)
        pages.append(page)
    first, second = pages
    _mark_page(second)

    first.get_by_label("Kind").select_option("accusation")
    first.get_by_role("button", name="Save").click()
    expect(first.locator(".claim-panel .meta")).to_contain_text("accusation")

    second.get_by_label("Kind").select_option("denial")
    second.get_by_role("button", name="Save").click()
    notice = second.get_by_role("alert")
    expect(notice).to_contain_text("Not saved")
    expect(notice).to_contain_text("Eddie Marsh")
    expect(notice).to_contain_text("accusation")
    assert _still_same_page(second)
    screenshot(second, "conflict")
    kremlin.refresh_from_db()
    assert kremlin.kind == "accusation"
