"""Pages are kept while the database is unchanged and shared by those who may see the same: readers, and
signed-in users with the same permissions, each with their own name and CSRF token filled in."""

import re
import time
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory
from django.urls import reverse

from claims.models import Claim
from claimtracker.pagecache import _keepable
from claimtracker.roles import ensure_roles
from tests.factories import document_from_text, spoken_claim

# Kept pages depend on committed data: these tests commit, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long password 1"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def claim() -> Claim:
    return spoken_claim(
        document_from_text("The minister spoke."), None, "the talks resume", headline="First headline"
    )


def _signed_in(django_user_model, username: str, *, role: str | None = "editor", **names) -> Client:
    user = django_user_model.objects.create_user(username, password=PASSWORD, **names)
    if role:
        user.groups.add(ensure_roles()[role])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@contextmanager
def _queries(naming: str = ""):
    """The queries naming `naming` (all, by default) that the block ran."""
    seen: list[str] = []

    def record(execute, sql, params, many, context):
        if naming in sql:
            seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def _claim_queries():
    """The queries reading claims that the block ran: none when a kept page was served."""
    return _queries("claims_claim")


def _rename(claim: Claim, headline: str) -> None:
    Claim.objects.filter(pk=claim.pk).update(headline=headline)


def test_a_reader_gets_the_kept_page_until_the_data_changes(claim):
    assert "First headline" in Client().get(reverse("claim-list")).text
    with _claim_queries() as read:
        assert "First headline" in Client().get(reverse("claim-list")).text
    assert not read
    _rename(claim, "Second headline")
    assert "Second headline" in Client().get(reverse("claim-list")).text


def test_a_kept_page_expires(claim, settings):
    settings.PAGE_CACHE_SECONDS = 0.5
    Client().get(reverse("claim-list"))
    time.sleep(0.6)
    with _claim_queries() as read:
        Client().get(reverse("claim-list"))
    assert read


def test_htmx_fragments_and_full_pages_are_kept_apart(claim):
    page = Client().get(reverse("claim-list")).text
    fragment = Client().get(reverse("claim-list"), headers={"HX-Request": "true"}).text
    assert "<html" in page and "<html" not in fragment
    assert "<html" in Client().get(reverse("claim-list")).text


def test_the_query_string_is_part_of_the_key(claim):
    assert "First headline" in Client().get(reverse("claim-list")).text
    assert "No claims match" in Client().get(reverse("claim-list"), {"q": "nothing like it"}).text


def test_the_same_permissions_share_a_page_each_with_their_own_name_and_token(claim, django_user_model):
    eddie = _signed_in(django_user_model, "eddie", first_name="Eddie", last_name="Marsh")
    emma = _signed_in(django_user_model, "emma", first_name="Emma", last_name="<b>Stone</b>")
    assert "Eddie Marsh" in eddie.get(reverse("claim-list")).text
    with _claim_queries() as read:
        page = emma.get(reverse("claim-list")).text
    assert not read  # Eddie's page, rendered once
    assert "First headline" in page
    assert '<span class="user-name">Emma &lt;b&gt;Stone&lt;/b&gt;</span>' in page
    assert '<span class="user-roles">editor</span>' in page
    assert "Eddie" not in page
    token = re.search(r'"X-CSRFToken": "(\w+)"', page).group(1)
    assert emma.post(reverse("logout"), headers={"X-CSRFToken": token}).status_code == 302


def test_users_with_other_permissions_get_their_own_page(claim, django_user_model):
    editor = _signed_in(django_user_model, "eddie")
    nobody = _signed_in(django_user_model, "nora", role=None)
    assert ">Review</a>" in editor.get(reverse("claim-list")).text
    page = nobody.get(reverse("claim-list")).text
    assert ">Review</a>" not in page
    assert '<span class="user-roles"></span>' in page


def test_new_permissions_show_at_once(claim, django_user_model):
    nobody = _signed_in(django_user_model, "nora", role=None)
    assert ">Review</a>" not in nobody.get(reverse("claim-list")).text
    django_user_model.objects.get(username="nora").groups.add(ensure_roles()["editor"])
    page = nobody.get(reverse("claim-list")).text
    assert ">Review</a>" in page
    assert '<span class="user-roles">editor</span>' in page


def test_a_signed_in_user_sees_their_change_at_once(claim, django_user_model):
    editor = _signed_in(django_user_model, "eddie")
    editor.get(reverse("claim-list"))
    _rename(claim, "Second headline")
    assert "Second headline" in editor.get(reverse("claim-list")).text


def test_a_page_shared_with_readers_is_rendered_for_each_signed_in_user(claim, django_user_model):
    """The claim panel offers an editor the undo of their own last change: only readers share it."""
    Client().get(reverse("claim-detail", args=[claim.pk]))
    with _claim_queries() as read:
        Client().get(reverse("claim-detail", args=[claim.pk]))
    assert not read
    editor = _signed_in(django_user_model, "eddie")
    editor.get(reverse("claim-detail", args=[claim.pk]))
    with _claim_queries() as read:
        editor.get(reverse("claim-detail", args=[claim.pk]))
    assert read


def test_pages_not_marked_shared_are_left_alone():
    """Not even the database's state is asked for them."""
    with _queries() as queries:
        assert Client().get(reverse("healthz")).text == "ok"
        Client().get(reverse("healthz"))
    assert queries == ["SELECT 1", "SELECT 1"]


def test_someone_with_a_message_waiting_is_served_fresh(claim, django_user_model):
    Client().get(reverse("claim-list"))
    reader = Client()
    reader.cookies["messages"] = "anything"
    with _claim_queries() as read:
        reader.get(reverse("claim-list"))
    assert read
    editor = _signed_in(django_user_model, "eddie")
    editor.get(reverse("claim-list"))
    session = editor.session
    session["_messages"] = "[]"  # where messages too big for their cookie wait
    session.save()
    with _claim_queries() as read:
        editor.get(reverse("claim-list"))
    assert read


@pytest.mark.django_db(transaction=False)
def test_nothing_is_kept_inside_a_transaction(claim):
    """A test's transaction, say: PostgreSQL's snapshot does not show the transaction's own writes."""
    Client().get(reverse("claim-list"))
    _rename(claim, "Second headline")
    assert "Second headline" in Client().get(reverse("claim-list")).text


def test_nothing_is_kept_when_turned_off(claim, settings):
    settings.PAGE_CACHE_SECONDS = 0
    Client().get(reverse("claim-list"))
    with _claim_queries() as read:
        Client().get(reverse("claim-list"))
    assert read


def test_posts_pass_through(claim):
    assert Client().post(reverse("claim-list")).status_code == 405


def test_a_page_holding_a_real_csrf_token_is_never_kept():
    """A form's CSRF token belongs to one browser; kept, the page would hand it to others. Asking for it
    marks the request (Django then renews the cookie, even for a browser that has it already)."""
    request = RequestFactory().get("/", headers={"Cookie": "csrftoken=" + "a" * 32})
    CsrfViewMiddleware(lambda request: HttpResponse()).process_request(request)
    assert _keepable(request, HttpResponse("<p>…</p>"))
    response = HttpResponse(get_token(request))
    assert not _keepable(request, response)


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
    assert not _keepable(RequestFactory().get("/"), response)


def test_a_page_setting_a_cookie_is_never_kept():
    response = HttpResponse()
    response.set_cookie("sessionid", "x")
    assert not _keepable(RequestFactory().get("/"), response)
