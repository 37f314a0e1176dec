"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live_server.

Everything under tests/browser is marked `browser` (`pytest -m browser` runs only these,
`-m "not browser"` skips them). `make screenshots` runs them with SCREENSHOTS=1, and `screenshot()`
then writes docs/screenshots/.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect

from claimtracker.roles import ensure_roles

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # Playwright's own download can't work here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"
BROWSER_DIR = Path(__file__).resolve().parent

# Chromium reports CSP violations on the console; the init script also turns every
# `securitypolicyviolation` event into a console error, so both land in the `csp_violations` list.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright hook: launch Debian's chromium instead of a Playwright-downloaded one."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install chromium` (or run `make test`)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def users(transactional_db) -> dict[str, User]:
    """One user per role, named after it (password PASSWORD), plus a superuser `admin`."""
    groups = ensure_roles()
    people = {}
    for role, (first, last) in {
        "reader": ("Rita", "Reed"),
        "editor": ("Eddie", "Marsh"),
        "analyst": ("Ana", "Lyst"),
    }.items():
        user = User.objects.create_user(role, password=PASSWORD, first_name=first, last_name=last)
        user.groups.add(groups[role])
        people[role] = user
    people["admin"] = User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    return people


def login(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through our login form and wait until the top bar shows who is signed in."""
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".topbar .user-name")).to_be_visible()


def settled(page: Page) -> None:
    """Wait until htmx has finished swapping and wiring up new content (its hx-* attributes work only
    then: typing into a just-swapped search box before that triggers nothing)."""
    page.wait_for_function("() => !document.querySelector('.htmx-added, .htmx-settling, .htmx-swapping')")


def screenshot(page: Page, name: str) -> Path | None:
    """Save docs/screenshots/<name>.png, only when SCREENSHOTS is set (normal runs leave the repo alone)."""
    if not os.environ.get("SCREENSHOTS"):
        return None
    path = SCREENSHOT_DIR / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, caret="initial")  # hiding the caret injects a style
    return path


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    """Every CSP violation (and uncaught page error) the page reports, across navigations."""
    seen: list[str] = []
    page.add_init_script(_REPORT_VIOLATIONS)

    def on_console(message) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            seen.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    return seen
