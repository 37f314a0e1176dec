import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from analysis.models import Event, Evidence, Explanation, Rating
from articles.ingest import ingest_bytes
from articles.models import Document
from claims.models import Claim
from tests.browser.conftest import login, screenshot


@pytest.fixture
def event(users):
    ingest_bytes(
        b"Attack | World\n\nGunmen attacked the Crocus City Hall near Moscow on Friday night.\n", name="c.txt"
    )
    document = Document.objects.get()
    event = Event.objects.create(
        name="Crocus City Hall attack", slug="crocus", occurred_on=dt.date(2024, 3, 22)
    )
    isis = Explanation.objects.create(event=event, title="ISIS-K carried it out")
    Explanation.objects.create(event=event, title="Ukraine was involved")
    for day, text in [
        (8, "The embassy warned of extremist plans"),
        (19, "Putin called the warnings blackmail"),
        (23, "ISKP claimed responsibility"),
    ]:
        claim = Claim.objects.create(
            document=document,
            sentence_start=0,
            sentence_end=30,
            content_text=text,
            headline=text,
            said_on=dt.date(2024, 3, day),
            said_on_precision="day",
        )
    Evidence.objects.create(explanation=isis, claim=claim, stance="supports", rule="actor:ISIS-K")
    return event


def test_a_reader_filters_the_timeline_by_explanation_in_place(
    page: Page, live_server, event, csp_violations
):
    login(page, live_server, "reader")
    page.goto(live_server.url + reverse("event-timeline", args=[event.slug]))
    expect(page.locator("svg.timeline-chart a.tl-claim")).to_have_count(3)
    expect(page.locator(".timeline-list li")).to_have_count(3)
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Explanation").select_option(label="evidence for: ISIS-K carried it out")
    expect(page.locator("svg.timeline-chart a.tl-claim")).to_have_count(1)
    expect(page.locator(".timeline-list li")).to_have_count(1)
    expect(page.locator(".timeline-list")).to_contain_text("ISKP claimed responsibility")
    assert page.evaluate("window.notReloaded") is True
    assert "explanation=" in page.url
    screenshot(page, "timeline")
    assert csp_violations == []


def test_an_analyst_confirms_a_proposal_and_rates_it(page: Page, live_server, event, csp_violations):
    login(page, live_server, "analyst")
    page.goto(live_server.url + reverse("event-evidence", args=[event.slug]))
    row = page.locator(".evidence-row").first
    row.get_by_role("button", name="Confirm as supports").click()
    expect(page.locator(".evidence-row.evidence-confirmed")).to_have_count(1)
    confirmed = page.locator(".evidence-row.evidence-confirmed")
    confirmed.get_by_label("C", exact=True).check()
    confirmed.get_by_label("Credibility").select_option("high")
    confirmed.get_by_label("Note").fill("matches the Amaq statement")
    confirmed.get_by_role("button", name="Save rating").click()
    expect(
        page.locator(".evidence-row.evidence-confirmed").get_by_role("button", name="Update rating")
    ).to_be_visible()
    rating = Rating.objects.get()
    assert (rating.consistency, rating.credibility, rating.note) == (
        "C",
        "high",
        "matches the Amaq statement",
    )
    screenshot(page, "evidence")
    assert csp_violations == []
