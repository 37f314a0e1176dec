"""The Content-Security-Policy on every page and fragment, signing in and out, escaping of scraped text."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from articles.models import Document
from claimtracker.roles import ensure_roles
from tests.factories import document_from_text

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
PASSWORD = "correct horse battery staple"
XSS = "<script>alert(1)</script>"


def csp(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.fixture
def editor() -> User:
    user = User.objects.create_user("eddie", password=PASSWORD, first_name="Eddie", last_name="Marsh")
    user.groups.add(ensure_roles()["editor"])
    return user


@pytest.fixture
def hostile_document() -> Document:
    """A document whose title and text carry markup, as scraped pages sometimes do."""
    return document_from_text(f"The minister said {XSS} on Friday.", title=f"Breaking {XSS}")


@pytest.mark.parametrize("name", ["document-list", "claim-list", "login"])
def test_html_pages_carry_the_strict_same_origin_policy(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert csp(response) == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_htmx_fragments_carry_the_policy_too(client):
    response = client.get(reverse("claim-list"), {"q": "minister"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text  # really the fragment
    assert 'id="claim-results"' in response.text
    assert csp(response) == POLICY


def test_reader_page_carries_the_policy(client, hostile_document):
    response = client.get(reverse("document-detail", args=[hostile_document.pk]))
    assert csp(response) == POLICY


def test_base_loads_vendored_htmx_with_a_csp_safe_config_and_csrf_header(client, editor):
    client.force_login(editor)
    page = client.get(reverse("document-list")).text
    assert '<script src="/static/vendor/htmx-2.0.11.min.js" defer></script>' in page
    assert '"allowEval": false' in page
    assert '"includeIndicatorStyles": false' in page
    assert '"historyCacheSize": 0' in page
    assert "<script>" not in page and "<style" not in page and " style=" not in page


def test_the_csrf_token_on_body_is_accepted_for_htmx_posts(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get(reverse("document-list")).text
    token = re.search(r"""<body hx-headers='\{"X-CSRFToken": "(\w+)"\}'>""", page).group(1)
    assert client.post(reverse("logout"), headers={"HX-Request": "true"}).status_code == 403
    response = client.post(reverse("logout"), headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 302


def test_scraped_markup_in_a_document_renders_escaped(client, hostile_document):
    page = client.get(reverse("document-detail", args=[hostile_document.pk])).text
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    listing = client.get(reverse("document-list")).text
    assert XSS not in listing
    assert "Breaking &lt;script&gt;" in listing


def test_login_page_shows_the_form_and_keeps_next(client):
    response = client.get(reverse("login"), {"next": "/claims/"})
    assert response.status_code == 200
    assert 'name="username"' in response.text and 'name="password"' in response.text
    assert '<input type="hidden" name="next" value="/claims/">' in response.text


def test_signing_in_goes_to_next_and_the_top_bar_names_the_user_and_role(client, editor):
    response = client.post(reverse("login"), {"username": "eddie", "password": PASSWORD, "next": "/claims/"})
    assert response.status_code == 302 and response["Location"] == "/claims/"
    page = client.get(reverse("document-list")).text
    assert '<span class="user-name">Eddie Marsh</span>' in page
    assert '<span class="user-roles">editor</span>' in page
    assert f'action="{reverse("logout")}"' in page


def test_signing_in_without_next_goes_to_the_documents(client, editor):
    response = client.post(reverse("login"), {"username": "eddie", "password": PASSWORD})
    assert response["Location"] == reverse("document-list")


def test_a_wrong_password_shows_an_error_and_signs_nobody_in(client, editor):
    response = client.post(reverse("login"), {"username": "eddie", "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert "correct username and password" in response.text
    assert "_auth_user_id" not in client.session


def test_anonymous_top_bar_links_to_sign_in_with_next(client):
    page = client.get(reverse("claim-list"), {"q": "tax"}).text
    assert f'href="{reverse("login")}?next=/claims/%3Fq%3Dtax"' in page


def test_signing_out_is_a_post_that_returns_to_the_documents(client, editor):
    client.force_login(editor)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("document-list")
    assert "_auth_user_id" not in client.session


def test_messages_show_under_the_top_bar_as_a_status(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    messages = [Message(constants.SUCCESS, "Claim confirmed."), Message(constants.ERROR, "Could not <save>.")]
    page = render_to_string("base.html", {"messages": messages}, request=request)
    assert '<div class="messages" role="status" id="messages">' in page
    assert '<p class="message message-success">Claim confirmed.</p>' in page
    assert '<p class="message message-error">Could not &lt;save&gt;.</p>' in page
    assert page.index('class="topbar"') < page.index('class="messages"') < page.index("<main>")


def test_the_message_box_is_empty_without_messages_and_waits_for_failed_requests(client):
    page = client.get(reverse("document-list")).text
    assert '<div class="messages" role="status" id="messages"></div>' in page  # :empty hides it
    assert 'class="message ' not in page
