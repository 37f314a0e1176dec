"""The reader in a real browser: claims open in the side panel, and an editor marks a new claim by selecting
text, all without a page load."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from articles.ingest import ingest_file
from claims.models import Claim
from sources.models import Actor
from tests.browser.conftest import login, screenshot
from tests.conftest import seed_file
from tests.factories import claim_with_spans as add_claim

pytestmark = pytest.mark.browser

# Selects document characters [start, end) of the reading area, the way a reader's drag would.
SELECT_OFFSETS = """([start, end]) => {
  const root = document.getElementById("reading");
  const point = (offset, isEnd) => {
    for (const element of root.querySelectorAll("[data-offset]")) {
      const from = Number(element.dataset.offset), node = element.firstChild;
      if (node && offset >= from && (offset < from + node.length || (isEnd && offset === from + node.length)))
        return [node, offset - from];
    }
    throw new Error(`no text at ${offset}`);
  };
  const range = document.createRange();
  range.setStart(...point(start, false));
  range.setEnd(...point(end, true));
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""

PUTIN_SENTENCE = (
    "The first is that Russian President Vladimir Putin had dismissed the United States' earlier warning"
)
SOURCE, CUE = "He", "labelled"
CONTENT = (
    "American intelligence that Islamists were planning an assault on a large Russian venue as blackmail"
)


@pytest.fixture
def document():
    return ingest_file(seed_file("000")).source_file.documents.first()


def select(page: Page, document, words: str, *, after: str = "") -> None:
    start = document.text.index(words, document.text.index(after) if after else 0)
    page.evaluate(SELECT_OFFSETS, [start, start + len(words)])


def test_an_editor_marks_a_claim_by_selecting_text_and_sees_it_without_a_reload(
    page: Page, live_server, users, document, csp_violations
):
    Actor.objects.get_or_create(name="Vladimir Putin", defaults={"kind": "person"})
    login(page, live_server, "editor")
    page.goto(live_server.url + reverse("document-detail", args=[document.pk]))
    page.evaluate("window.readerMarker = 'same page'")
    draft = page.locator("#claim-draft")
    toolbar = draft.locator(".span-toolbar")

    select(page, document, SOURCE, after=f"{SOURCE} {CUE}")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name="Source").click()
    select(page, document, CUE)
    page.keyboard.press("2")
    select(page, document, CONTENT)
    page.keyboard.press("3")
    chips = draft.locator(".span-chip")
    expect(chips).to_have_count(3)
    expect(chips.nth(0)).to_contain_text("source")
    expect(chips.nth(2)).to_contain_text("American intelligence")
    expect(toolbar).to_be_hidden()

    draft.get_by_role("combobox", name="Speaker").fill("Putin")
    draft.get_by_role("option", name="Vladimir Putin").click()
    draft.get_by_label("Kind").select_option("labelling")
    draft.get_by_role("button", name="Save claim").click()

    panel = page.locator("#claim-panel")
    expect(panel.get_by_role("heading", level=1)).to_contain_text("Putin")
    claim = Claim.objects.get()
    expect(page.locator(f'#reading mark[data-claims~="{claim.pk}"]')).to_have_count(3)
    expect(chips).to_have_count(0)
    assert page.evaluate("window.readerMarker") == "same page"
    text = document.text
    assert sorted((span.role, text[span.start : span.end]) for span in claim.claim_spans.all()) == [
        ("content", CONTENT),
        ("cue", CUE),
        ("source", SOURCE),
    ]
    assert (claim.speaker.name, claim.kind, claim.created_by.username) == (
        "Vladimir Putin",
        "labelling",
        "editor",
    )
    assert csp_violations == []
    screenshot(page, "reader-new-claim")  # last: the screenshot's own caret style counts as a violation


def test_a_click_on_a_highlight_opens_its_claim_and_overlaps_are_listed_first(
    page: Page, live_server, users, document, csp_violations
):
    outer = add_claim(
        document,
        headline="Putin dismissed the US warning",
        source="Russian President Vladimir Putin",
        cue="had dismissed",
        content="the United States' earlier warning that the attack was coming",
    )
    inner = add_claim(
        document,
        headline="The US warned the attack was coming",
        source="United States",
        content="the attack was coming",
    )
    page.goto(live_server.url + reverse("document-detail", args=[document.pk]))
    index = page.locator("#claim-index")
    expect(index).to_contain_text("2 claims in this article")

    page.locator(f'#reading mark[data-claims="{outer.pk}"]', has_text="had dismissed").click()
    panel = page.locator("#claim-panel")
    expect(panel.get_by_role("heading", level=1)).to_have_text(outer.headline)
    expect(index).to_be_hidden()

    page.locator("#reading mark", has_text="the attack was coming").first.click()
    expect(index).to_be_visible()
    expect(index.get_by_role("heading")).to_have_text("2 claims cover this passage")
    expect(index.locator("li[data-claim]:visible")).to_have_count(2)
    expect(index.locator("li.innermost")).to_have_text(inner.headline)
    expect(index.get_by_role("link", name=inner.headline)).to_be_focused()
    index.get_by_role("link", name=inner.headline).click()
    expect(panel.get_by_role("heading", level=1)).to_have_text(inner.headline)

    page.keyboard.press("Escape")
    expect(index.get_by_role("heading")).to_have_text("2 claims in this article")
    expect(index.locator("li[data-claim]:visible")).to_have_count(2)
    expect(panel).to_be_empty()

    page.locator(f'#reading mark[data-claims="{outer.pk}"]', has_text="had dismissed").click()
    expect(panel.get_by_role("heading", level=1)).to_have_text(outer.headline)
    assert csp_violations == []
    screenshot(page, "reader")


def test_rejecting_in_the_panel_takes_the_highlight_off_the_text_without_a_reload(
    page: Page, live_server, users, document
):
    claim = add_claim(
        document,
        headline="Putin dismissed the US warning",
        source="Russian President Vladimir Putin",
        cue="had dismissed",
        content="the United States' earlier warning",
    )
    login(page, live_server, "editor")
    page.goto(live_server.url + reverse("document-detail", args=[document.pk]) + f"#claim-{claim.pk}")
    page.evaluate("window.readerMarker = 'same page'")
    panel = page.locator("#claim-panel")
    expect(panel.get_by_role("heading", level=1)).to_have_text(claim.headline)  # opened by the link
    marks = page.locator(f'#reading mark[data-claims~="{claim.pk}"]')
    expect(marks).to_have_count(3)
    panel.get_by_role("button", name="Reject").click()
    expect(panel.locator(".status")).to_have_text("rejected")
    expect(marks).to_have_count(0)
    expect(page.locator("#claim-index")).to_be_hidden()  # the panel stays open over the redrawn list
    assert page.evaluate("window.readerMarker") == "same page"
