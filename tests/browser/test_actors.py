"""An editor merges a duplicate actor into the real one with the actor picker, sees its claims move, and
undoes the merge from the duplicate's page."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from articles.ingest import ingest_bytes
from claims.models import Claim
from sources.actors import load_seed_actors
from sources.models import Actor, ActorAlias
from tests.browser.conftest import login, screenshot
from tests.factories import spoken_claim

pytestmark = pytest.mark.browser

ARTICLE = (
    "Putin speaks on Crocus | World News\n\n"
    "Vladimir Putin said the attackers had tried to flee towards Ukraine.\n\n"
    "V. Putin said radical Islamists carried out the attack.\n\n"
    "The Kremlin said President Putin was informed at once.\n"
)


def claim(document, speaker: Actor, content: str, said_on: dt.date) -> Claim:
    return spoken_claim(
        document,
        speaker,
        content,
        said_on=said_on,
        headline=f"{speaker.headline_name} says {content}",
        said_on_source=Claim.DateSource.TEXT,
        status=Claim.Status.CONFIRMED,
    )


def test_an_editor_merges_two_actors_sees_the_claims_move_and_undoes_it(
    page: Page, live_server, users, csp_violations
):
    document = ingest_bytes(ARTICLE.encode(), name="putin.txt").source_file.documents.get()
    load_seed_actors()  # a transactional test before this one may have flushed the migration's rows
    putin = Actor.objects.get(name="Vladimir Putin")
    kremlin = Actor.objects.get(name="Russian government")
    twin = Actor.objects.create(name="V. Putin", kind=Actor.Kind.PERSON)
    ActorAlias.objects.create(actor=twin, alias="V. Putin", key="v putin")
    claim(document, putin, "the attackers had tried to flee towards Ukraine", dt.date(2024, 3, 23))
    claim(document, twin, "radical Islamists carried out the attack", dt.date(2024, 3, 25))
    claim(document, kremlin, "President Putin was informed at once", dt.date(2024, 3, 23))

    login(page, live_server, "editor")
    page.goto(live_server.url + reverse("actor-detail", args=[twin.pk]))
    page.get_by_role("link", name="Merge into another actor…").click()

    picker = page.get_by_role("combobox", name="Merge into")
    picker.fill("vladimir pu")
    option = page.get_by_role("option", name="Vladimir Putin")
    expect(option).to_be_visible()
    picker.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    picker.press("Enter")
    expect(picker).to_have_value("Vladimir Putin")
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.get_by_role("button", name="Merge", exact=True).click()

    expect(page).to_have_url(live_server.url + reverse("actor-detail", args=[putin.pk]))
    expect(page.get_by_role("status")).to_contain_text("Merged V. Putin into Vladimir Putin: 1 claim,")
    claims = page.locator("#actor-claims .claims")
    expect(claims.get_by_role("link", name="radical Islamists")).to_be_visible()
    expect(claims.locator("li")).to_have_count(2)
    page.get_by_role("link", name="Said about them").click()
    expect(claims.get_by_role("link", name="President Putin was informed")).to_be_visible()
    page.get_by_role("link", name="What they said").click()
    expect(claims.locator("li")).to_have_count(2)
    screenshot(page, "actor")

    page.get_by_role("link", name="V. Putin", exact=True).click()
    expect(page.get_by_role("note")).to_contain_text("Merged into Vladimir Putin")
    page.get_by_role("button", name="Undo merge").click()
    expect(page.get_by_role("status")).to_contain_text("Undid the merge of V. Putin into Vladimir Putin")
    expect(page.locator("#actor-claims").get_by_role("link", name="radical Islamists")).to_be_visible()
    expect(page.get_by_role("note")).to_have_count(0)
    assert twin.claims.count() == 1 and putin.claims.count() == 1
    page.locator("#actor-claims").get_by_role("link", name="radical Islamists").click()
    expect(page).to_have_url(live_server.url + reverse("claim-detail", args=[twin.claims.get().pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("radical Islamists")
    assert csp_violations == []
