"""A reader without an account compares the explanations of an event, opens the ACH matrix and replays
it as of an earlier date, which swaps the results in place."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.analysis.test_compare_views import build_crocus
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_reader_compares_explanations_opens_the_matrix_and_replays_it_as_of_a_date(
    page: Page, live_server, transactional_db, csp_violations
):
    event = build_crocus(get_user_model())

    page.goto(live_server.url + reverse("event-compare", args=[event.slug]))
    columns = page.locator(".ach-column")
    expect(columns).to_have_count(4)
    expect(page.get_by_role("heading", name="Ukraine was involved")).to_be_visible()
    ukraine = columns.nth(1)
    expect(ukraine.get_by_role("link", name="FSB says attackers headed to Ukraine")).to_be_visible()
    expect(ukraine.get_by_role("link", name="passage").first).to_be_visible()
    screenshot(page, "compare")

    page.get_by_role("link", name="ACH matrix").click()
    expect(page).to_have_url(re.compile(r"/matrix/$"))
    ranking = page.locator(".ach-ranking li")
    expect(ranking).to_have_count(4)
    expect(ranking.first).to_contain_text("ISIS-K carried it out")
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_contain_text("4 evidence claims against 4 explanations")
    screenshot(page, "matrix")

    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Replay as of").fill("2024-03-22")
    page.get_by_role("button", name="Replay").click()
    expect(table.locator("caption")).to_contain_text(
        "1 evidence claim against 4 explanations, as known on 22 March"
    )
    expect(page).to_have_url(re.compile(r"as_of=2024-03-22"))
    expect(page.locator(".ach-replaying")).to_contain_text("Replaying what was known on 22 March 2024")
    expect(page.get_by_role("link", name="Kyiv calls the claim absurd")).to_have_count(0)

    page.get_by_role("link", name="28 Mar").click()
    expect(table.locator("caption")).to_contain_text(
        "3 evidence claims against 4 explanations, as known on 28 March"
    )
    expect(page.get_by_role("link", name="Kyiv calls the claim absurd")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    assert csp_violations == []
