"""Signed-out readers' pages are kept a few seconds; nobody with a session, and nothing personal, is."""

import time

import pytest
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory
from django.urls import reverse

from claims.models import Claim
from claimtracker.middleware import _keepable
from tests.factories import document_from_text, spoken_claim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reader_cache(settings):
    settings.READER_CACHE_SECONDS = 2
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def claim() -> Claim:
    return spoken_claim(
        document_from_text("The minister spoke."), None, "the talks resume", headline="First headline"
    )


def _rename(claim: Claim, headline: str) -> None:
    Claim.objects.filter(pk=claim.pk).update(headline=headline)


def test_a_signed_out_reader_gets_the_kept_page_until_it_expires(claim):
    reader = Client()
    assert "First headline" in reader.get(reverse("claim-list")).text
    _rename(claim, "Second headline")
    assert "First headline" in Client().get(reverse("claim-list")).text
    time.sleep(2.1)
    assert "Second headline" in Client().get(reverse("claim-list")).text


def test_htmx_fragments_and_full_pages_are_kept_apart(claim):
    page = Client().get(reverse("claim-list")).text
    fragment = Client().get(reverse("claim-list"), headers={"HX-Request": "true"}).text
    assert "<html" in page and "<html" not in fragment
    assert "<html" in Client().get(reverse("claim-list")).text


def test_the_query_string_is_part_of_the_key(claim):
    assert "First headline" in Client().get(reverse("claim-list")).text
    assert "No claims match" in Client().get(reverse("claim-list"), {"q": "nothing like it"}).text


def test_anyone_with_a_session_is_served_fresh(claim, django_user_model):
    Client().get(reverse("claim-list"))
    editor = Client()
    editor.force_login(django_user_model.objects.create_user("editor", password="a long password 1"))
    _rename(claim, "Second headline")
    assert "Second headline" in editor.get(reverse("claim-list")).text


def test_a_reader_with_a_pending_message_is_served_fresh(claim):
    Client().get(reverse("claim-list"))
    _rename(claim, "Second headline")
    reader = Client()
    reader.cookies["messages"] = "anything"
    assert "Second headline" in reader.get(reverse("claim-list")).text


def test_a_page_holding_a_csrf_token_is_never_kept():
    """A form's CSRF token belongs to one browser; kept, the page would hand it to other readers. Django
    renews the cookie whenever a page uses the token, even for a browser that has it already."""
    request = RequestFactory().get("/", headers={"Cookie": "csrftoken=" + "a" * 32})
    response = CsrfViewMiddleware(lambda request: HttpResponse(get_token(request)))(request)
    assert not _keepable(response)
    assert _keepable(HttpResponse("<p>…</p>"))


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse(status=404),
        StreamingHttpResponse(iter(["a"])),
        HttpResponse(headers={"Cache-Control": "private"}),
        HttpResponse(headers={"Cache-Control": "max-age=0, no-cache, no-store, must-revalidate"}),
    ],
    ids=["not found", "streamed", "private", "never cache"],
)
def test_only_plain_pages_are_kept(response):
    assert not _keepable(response)


def test_a_page_setting_a_cookie_is_never_kept():
    response = HttpResponse()
    response.set_cookie("sessionid", "x")
    assert not _keepable(response)


def test_nothing_is_kept_when_turned_off(claim, settings):
    settings.READER_CACHE_SECONDS = 0
    Client().get(reverse("claim-list"))
    _rename(claim, "Second headline")
    assert "Second headline" in Client().get(reverse("claim-list")).text


def test_posts_pass_through(claim):
    assert Client().post(reverse("claim-list")).status_code == 405
