"""Every URL of the app, found by walking the URLconf (nothing listed by hand), against intruders.

A URL is mutating when a superuser's POST is not answered 405. Each mutating URL must refuse anonymous
people (sign-in redirect or 403), readers (403) and a POST without a CSRF token (403), and none of those
refused requests may change a single row. No URL accepts PUT, PATCH or DELETE; the API accepts only GET.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, SlugConverter, StringConverter

from analysis.models import Event, Evidence, Explanation
from articles.models import UploadBatch
from claims.links import add_link
from claims.models import Claim, ClaimLink
from claimtracker.roles import ensure_roles
from sources.merging import actor_merge
from sources.models import Actor
from tests.factories import claim_with_spans, document_from_text

# Django's own sign-in and password views are not ours to test, except signing out (a POST we rely on).
SKIPPED_PREFIXES = ("admin/", "accounts/")
KEPT_AUTH_VIEWS = {"logout"}
# Signing out needs no permission: it only ends the caller's own session. It must still carry a CSRF token.
OPEN_TO_EVERYONE = {"logout"}
KNOWN_MUTATING = {
    "claim-create",
    "claim-edit",
    "claim-status",
    "claim-undo",
    "claim-link-new",
    "claim-link-remove",
    "review-decide",
    "review-skip",
    "review-undo",
    "actor-merge",
    "actor-merge-undo",
    "event-new",
    "event-edit",
    "explanation-new",
    "explanation-edit",
    "event-propose",
    "evidence-new",
    "evidence-decision",
    "evidence-rating",
    "upload",
    "logout",
}
# Tables whose every byte must survive a refused request, not just their row count.
CHECKSUMMED = [
    "claims_claim",
    "claims_claimspan",
    "claims_claimlink",
    "claims_claimchange",
    "sources_actor",
    "sources_actormerge",
    "analysis_evidence",
    "analysis_explanation",
]


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route, its name (namespaced) and its parameters with their kinds."""

    route: str
    name: str
    params: tuple[tuple[str, str], ...]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            converters = pattern.pattern.converters
            route = prefix + str(pattern.pattern)
            params = tuple((name, type(converters[name]).__name__) for name in converters)
            yield Route(route, f"{namespace}{pattern.name}", params)


def discovered_routes() -> list[Route]:
    """Every URL pattern of the app, minus the admin and Django's auth views we keep out of scope."""
    routes = []
    for route in _walk(get_resolver().url_patterns):
        if route.route.startswith(SKIPPED_PREFIXES) and route.name not in KEPT_AUTH_VIEWS:
            continue
        routes.append(route)
    return routes


ROUTES = discovered_routes()
SUPPORTED = {IntConverter.__name__, SlugConverter.__name__, StringConverter.__name__}


@pytest.fixture
def objects(django_user_model) -> dict[str, object]:
    """One real object of each kind a URL can name: a source file's document with claims and a link,
    a merged actor pair, an event with an explanation and evidence, an upload batch."""
    superuser = django_user_model.objects.create_superuser("root", password="root-pass-long-enough")
    document = document_from_text("The Kremlin said the warning was blackmail. Kyiv denied any role.")
    claim = claim_with_spans(document, source="The Kremlin", cue="said", content="the warning was blackmail")
    other = claim_with_spans(document, source="Kyiv", cue="denied", content="any role")
    link = add_link(claim.pk, user=superuser, kind=ClaimLink.Kind.REBUTTAL, target_claim=other, note="n")
    actor = Actor.objects.create(name="Kremlin", kind=Actor.Kind.GOVERNMENT)
    duplicate = Actor.objects.create(name="The Kremlin", kind=Actor.Kind.GOVERNMENT)
    Claim.objects.filter(pk=claim.pk).update(speaker=duplicate)
    merge = actor_merge(actor=duplicate, into=actor, by=superuser)
    event = Event.objects.create(name="Crocus City Hall attack", slug="crocus")
    explanation = Explanation.objects.create(event=event, title="ISIS-K carried it out")
    evidence = Evidence.objects.create(explanation=explanation, claim=other, stance=Evidence.Stance.REBUTS)
    batch = UploadBatch.objects.create(created_by=superuser)
    return {
        "superuser": superuser,
        "document": document,
        "source_file": document.source_file,
        "claim": claim,
        "link": link,
        "actor": actor,
        "merge": merge,
        "event": event,
        "explanation": explanation,
        "evidence": evidence,
        "batch": batch,
    }


# The path segment before a parameter names the kind of object it takes.
SEGMENT_OBJECT = {
    "documents": "document",
    "files": "source_file",
    "document": "document",
    "claims": "claim",
    "review": "claim",
    "links": "link",
    "actors": "actor",
    "merges": "merge",
    "events": "event",
    "explanations": "explanation",
    "evidence": "evidence",
    "upload": "batch",
}


def build_url(route: Route, objects: dict[str, object]) -> str:
    """The route with each parameter filled by the matching real object (its pk, or an event's slug)."""

    def fill(match: re.Match) -> str:
        _converter, name = (match.group(1) or "", match.group(2))
        before = route.route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        kind = SEGMENT_OBJECT.get(before)
        assert kind, f"{route.name}: no test object for the parameter after {before!r}; add it here"
        obj = objects[kind]
        return str(obj.slug if name == "slug" else obj.pk)

    assert all(converter in SUPPORTED for _name, converter in route.params), route
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route.route)


def database_state() -> dict[str, object]:
    """Row counts of every model (sessions aside: signing in writes one) and checksums of the evidence."""
    state: dict[str, object] = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }
    with connection.cursor() as cursor:
        for table in CHECKSUMMED:
            cursor.execute(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t")
            state[table] = cursor.fetchone()[0]
    return state


class _Rollback(Exception):
    pass


def _post_rolled_back(url: str, superuser: User) -> int:
    """The status of a superuser's empty POST, whose effects are then rolled back."""
    client = Client()
    client.force_login(superuser)
    try:
        with transaction.atomic():
            status = client.post(url).status_code
            raise _Rollback
    except _Rollback:
        return status


def serves_nothing(url: str, superuser: User) -> bool:
    """Whether the URL only names where something lives (the API root answers 404 to GET and POST)."""
    client = Client()
    client.force_login(superuser)
    return client.get(url).status_code == 404 and _post_rolled_back(url, superuser) == 404


def answers_post(url: str, superuser: User) -> bool:
    """Whether the view takes a POST at all: a superuser's POST is not answered 405."""
    return not serves_nothing(url, superuser) and _post_rolled_back(url, superuser) != 405


def _user(username: str, role: str) -> User:
    user = User.objects.create_user(username, password=f"{username}-pass-long-enough")
    user.groups.add(ensure_roles()[role])
    return user


def refused_to_anonymous(response) -> bool:
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_urlconf_walk_finds_the_pages_the_api_and_signing_out():
    names = {route.name for route in ROUTES}
    assert {"document-list", "claim-status", "actor-merge", "evidence-decision", "logout"} <= names
    assert any(route.is_api for route in ROUTES)
    assert not any(route.route.startswith("admin/") for route in ROUTES)
    assert "login" not in names


@pytest.mark.django_db
def test_the_mutating_urls_found_include_every_known_one(objects):
    mutating = {
        route.name for route in ROUTES if answers_post(build_url(route, objects), objects["superuser"])
    }
    assert mutating >= KNOWN_MUTATING
    assert not any(route.is_api and route.name in mutating for route in ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_url_refuses_intruders_and_changes_nothing(route, objects):
    url = build_url(route, objects)
    admin = Client()
    admin.force_login(objects["superuser"])
    if serves_nothing(url, objects["superuser"]):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(admin, method)(url).status_code == 404, f"{method.upper()} {url}"
        return
    for method in ("put", "patch", "delete"):
        assert getattr(admin, method)(url).status_code == 405, f"{method.upper()} {url}"
    if not answers_post(url, objects["superuser"]):
        return  # read-only: nothing more to refuse
    assert not route.is_api, f"the API is read-only, yet {url} takes a POST"
    reader = Client()
    reader.force_login(_user("rita", "reader"))
    # An analyst may do everything an editor may and more: without a token even they are refused.
    analyst = Client(enforce_csrf_checks=True)
    analyst.force_login(_user("ann", "analyst"))
    before = database_state()

    if route.name not in OPEN_TO_EVERYONE:
        response = Client().post(url)
        assert refused_to_anonymous(response), f"anonymous POST {url}: {response.status_code}"
        assert database_state() == before

        response = reader.post(url)
        assert response.status_code == 403, f"reader POST {url}: {response.status_code}"
        assert database_state() == before

    response = analyst.post(url)
    assert response.status_code == 403, f"POST {url} without a CSRF token: {response.status_code}"
    assert "CSRF verification failed" in response.text
    assert database_state() == before
