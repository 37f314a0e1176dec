"""A reader opens the API documentation: every operation, its parameters and the schemas, rendered by the
server under the strict CSP (no Swagger UI from a CDN, no inline script), and follows it to the JSON."""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_the_api_docs_page_shows_operations_and_schemas_with_no_csp_violation(
    page: Page, live_server, transactional_db, csp_violations
):
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_role("heading", name="ClaimTracker API")).to_be_visible()
    claims = page.locator("section.api-operation").filter(
        has=page.get_by_role("heading", name="GET /api/v1/claims/")
    )
    expect(claims.get_by_role("cell", name="said_from", exact=True)).to_be_visible()
    expect(claims.get_by_role("cell", name="explanation", exact=True)).to_be_visible()

    claims.get_by_role("link", name="ClaimPage").click()
    expect(page.locator("#schema-ClaimPage")).to_be_in_viewport()
    screenshot(page, "api-docs")

    page.get_by_role("link", name="/api/v1/openapi.json").click()
    schema = json.loads(page.locator("body").inner_text())
    assert "/api/v1/claims/" in schema["paths"]
    assert csp_violations == []
