"""Signing in and out in a real browser, htmx loaded from our static files, and no CSP violations."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from articles.ingest import ingest_file
from articles.models import Document
from claims.services import documents_needing_extraction, extract_claims
from tests.browser.conftest import PASSWORD, login, screenshot
from tests.conftest import seed_file

pytestmark = pytest.mark.browser


def test_signing_in_shows_name_and_role_and_signing_out_returns_to_documents(page: Page, live_server, users):
    page.goto(live_server.url + reverse("document-list"))
    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    screenshot(page, "login")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(live_server.url + "/")
    topbar = page.locator(".topbar")
    expect(topbar.locator(".user-name")).to_have_text("Eddie Marsh")
    expect(topbar.locator(".user-roles")).to_have_text("editor")
    screenshot(page, "signed-in-topbar")

    topbar.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(topbar.get_by_role("link", name="Sign in")).to_be_visible()
    expect(topbar.locator(".user-name")).to_have_count(0)


def test_a_wrong_password_shows_the_error_and_keeps_next(page: Page, live_server, users):
    page.goto(live_server.url + reverse("login") + "?next=" + reverse("claim-list"))
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("enter a correct username and password")
    expect(page.locator(".topbar .user-name")).to_have_count(0)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url + reverse("claim-list"))
    expect(page.locator(".topbar .user-name")).to_have_text("Rita Reed")


def test_htmx_comes_from_our_static_and_no_page_violates_the_csp(
    page: Page, live_server, users, csp_violations
):
    ingest_file(seed_file("004"))
    extract_claims(documents_needing_extraction(Document.objects.all()))
    document = Document.objects.first()
    login(page, live_server, "analyst")

    for url in (
        reverse("document-list"),
        reverse("document-list") + "?q=blackmail",
        reverse("document-detail", args=[document.pk]),
        reverse("claim-list"),
        reverse("claim-detail", args=[document.claims.first().pk]),
    ):
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.htmx") == "object", url
    assert page.evaluate("htmx.version").startswith("2.0.")
    htmx_src = page.locator("script[src*='htmx']").get_attribute("src")
    assert re.fullmatch(r"/static/vendor/htmx-2\.0\.\d+\.min\.js", htmx_src)
    # The meta htmx-config was read: no injected <style>, no eval, no scripts from swapped fragments.
    config = page.evaluate(
        "({eval: htmx.config.allowEval, scripts: htmx.config.allowScriptTags,"
        " styles: htmx.config.includeIndicatorStyles, history: htmx.config.historyCacheSize})"
    )
    assert config == {"eval": False, "scripts": False, "styles": False, "history": 0}
    assert csp_violations == []


def test_the_admin_works_under_the_csp(page: Page, live_server, users, csp_violations):
    ingest_file(seed_file("004"))
    document = Document.objects.first()
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto(live_server.url + reverse("admin:articles_document_change", args=[document.pk]))
    expect(page.get_by_role("heading", name="Change document")).to_be_visible()
    page.goto(live_server.url + reverse("admin:articles_document_changelist"))
    page.wait_for_load_state("load")
    assert csp_violations == []
