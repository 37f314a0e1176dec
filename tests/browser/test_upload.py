"""The upload page in a real browser: an editor uploads two files and, with a real worker on the queue,
watches both go from queued to done without reloading; polling then stops."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from articles.models import UploadBatch
from tests.articles.queue_workers import start_worker, stop
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser

ARTICLE = (
    "Kremlin rejects warning | World News\n\n"
    "The Kremlin said on Tuesday that the warning was “blackmail”, officials told reporters.\n\n"
    "Analysts said the claim was hard to check.\n"
)


def test_an_editor_uploads_two_files_and_watches_them_finish(
    page: Page, live_server, users, tmp_path, csp_violations
):
    first, second = tmp_path / "kremlin.txt", tmp_path / "analysts.txt"
    first.write_text(ARTICLE)
    second.write_text(ARTICLE.replace("Kremlin rejects", "Moscow dismisses").replace("Tuesday", "Monday"))
    login(page, live_server, "editor")
    page.get_by_role("link", name="Upload").click()
    expect(page.get_by_role("heading", name="Upload files")).to_be_visible()
    page.wait_for_load_state()  # upload.js (deferred) has set up the drop zone
    page.locator("#upload-files").set_input_files([first, second])
    expect(page.locator(".drop-chosen")).to_have_text("2 files: kremlin.txt, analysts.txt")
    page.get_by_role("button", name="Upload and process").click()

    # No worker yet: both files wait in the queue, and the fragment polls.
    batch = UploadBatch.objects.get()
    expect(page).to_have_url(live_server.url + reverse("upload-batch", args=[batch.pk]))
    rows = page.locator("tr.upload-item")
    expect(rows).to_have_count(2)
    expect(page.locator(".upload-state")).to_have_text(["queued", "queued"])
    expect(page.locator("#batch-status")).to_have_attribute("data-finished", "false")
    page.evaluate("window.uploadMarker = 'same page'")

    worker = start_worker("browser-test", tmp_path)
    try:
        expect(page.locator(".upload-state")).to_have_text(["done", "done"], timeout=45_000)
    finally:
        stop(worker)
    expect(page.locator(".batch-summary")).to_contain_text("2 of 2 files done")
    expect(page.locator("#batch-status")).to_have_attribute("data-finished", "true")
    expect(page.locator("#batch-status")).not_to_have_attribute("hx-trigger", "every 1s")
    assert page.evaluate("window.uploadMarker") == "same page"  # updated in place, never reloaded
    screenshot(page, "upload")
    assert csp_violations == []
