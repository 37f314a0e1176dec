"""Pages kept for as long as the database has not changed, shared by everyone who may see the same page.

A page is kept under the state of the whole database it was read from: PostgreSQL's current snapshot
(`pg_current_snapshot()`: the next transaction id, and the writing transactions still in flight). Any
write anywhere, committed or begun, changes it, so a kept page is never older than the data; two
requests reading the same snapshot see the same rows, so they may be given the same page. Pages are also
dropped after PAGE_CACHE_SECONDS, for what depends on the clock ("today").

Only pages of views marked as shared are kept, and only GET answers fit for others (see `_keepable`):
- `@shared_page`: the same for everyone with the same permissions. Readers share it, and so do signed-in
  users, per set of permissions: it is rendered with placeholders for the three things that belong to
  one person (their name and roles in the header, their CSRF token), filled in for each request.
- `@shared_with_readers`: the same for every signed-out reader; rendered for each signed-in request.

Nothing is kept inside a transaction (a test's, say), where the snapshot does not show the
transaction's own writes; nor for anyone with a message waiting. Each web worker keeps its own pages
(the default cache, local memory).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape

PAGE_CACHE_PREFIX = "pages"
# Stand-ins for the personal parts of a shared page; random per process, so no stored text can hold one.
NAME_PLACEHOLDER = f"viewer-name-{secrets.token_hex(12)}"
ROLES_PLACEHOLDER = f"viewer-roles-{secrets.token_hex(12)}"
CSRF_PLACEHOLDER = f"csrftoken{secrets.token_hex(12)}"
SHARED_BY_PERMISSIONS = "permissions"
SHARED_WITH_READERS = "readers"
# Response headers a kept page keeps; the rest (cookies among them) belong to the request that made it.
KEPT_HEADERS = ("Content-Type", "Vary", "Content-Language", "HX-Trigger", "HX-Retarget", "HX-Reswap")


def shared_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose page shows the same to everyone with the same permissions, apart from the
    header's name and roles and the CSRF token: readers share it, and so do signed-in users."""
    view.page_sharing = SHARED_BY_PERMISSIONS
    return view


def shared_with_readers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose page is the same for every signed-out reader, but shows a signed-in user what
    is theirs (their own last change to undo, say): it is rendered for each signed-in request."""
    view.page_sharing = SHARED_WITH_READERS
    return view


@dataclass(frozen=True)
class Viewer:
    """The personal parts of a page: the real ones, or placeholders while rendering a shared page."""

    name: str
    roles: str


def viewer(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `viewer` for the header, and while a shared page renders, a placeholder for the
    CSRF token (overriding Django's own `csrf_token`)."""
    if getattr(request, "renders_shared_page", False):
        return {"viewer": Viewer(NAME_PLACEHOLDER, ROLES_PLACEHOLDER), "csrf_token": CSRF_PLACEHOLDER}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"viewer": None}
    # Lazy: a fragment without the header asks nothing.
    return {"viewer": SimpleLazyObject(lambda: _real_viewer(user))}


def _real_viewer(user) -> Viewer:
    roles = ", ".join(group.name for group in user.groups.all())
    return Viewer(user.get_full_name() or user.get_username(), roles)


class PageCacheMiddleware:
    """Serve a kept page when the database has not changed since it was rendered (see the module's doc).
    Runs after the authentication and message middleware: it needs the user, and their waiting messages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key is None or not _keepable(request, response):
            return response
        kept = KeptPage.of(response)
        caches["default"].set(key, kept, settings.PAGE_CACHE_SECONDS)
        if request.renders_shared_page:
            response.content = kept.personal_content(request, request.page_viewer)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        try:
            if not _may_keep(request, view_func):
                return None
            snapshot = _database_state()
            audience = _audience(request, snapshot)
        except (OperationalError, InterfaceError):
            return None  # no database: the view meets it too, and DatabaseUnavailableMiddleware answers
        key = _page_key(request, audience.key, snapshot)
        kept = caches["default"].get(key)
        if kept is not None:
            content = kept.personal_content(request, audience.viewer)
            return HttpResponse(content, status=kept.status, headers=dict(kept.headers))
        request.page_cache_key = key
        request.page_viewer = audience.viewer
        request.renders_shared_page = audience.viewer is not None
        return None


@dataclass(frozen=True)
class Audience:
    """Who shares a page: readers, or everyone with one set of permissions, and who is asking."""

    key: str
    viewer: Viewer | None  # the signed-in person asking; None for readers


READERS = Audience("readers", None)


@dataclass(frozen=True)
class KeptPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @classmethod
    def of(cls, response: HttpResponse) -> KeptPage:
        headers = tuple((name, response[name]) for name in KEPT_HEADERS if response.has_header(name))
        return cls(response.status_code, headers, response.content)

    def personal_content(self, request: HttpRequest, viewer: Viewer | None) -> bytes:
        """The page as `viewer` gets it: their name, roles and CSRF token filled in."""
        content = self.content
        if viewer is None:
            return content  # a readers' page has nothing to fill in
        for placeholder, value in (
            (NAME_PLACEHOLDER, escape(viewer.name)),
            (ROLES_PLACEHOLDER, escape(viewer.roles)),
            (CSRF_PLACEHOLDER, get_token(request)),  # also renews the CSRF cookie, as rendering would
        ):
            content = content.replace(placeholder.encode(), value.encode())
        return content


def _may_keep(request: HttpRequest, view_func) -> bool:
    """Whether this request's page may be kept or served kept at all."""
    sharing = getattr(view_func, "page_sharing", None)
    if (
        sharing is None
        or not settings.PAGE_CACHE_SECONDS
        or request.method != "GET"
        or connection.in_atomic_block
        or CookieStorage.cookie_name in request.COOKIES
    ):
        return False
    if not request.user.is_authenticated:
        return True
    return sharing == SHARED_BY_PERMISSIONS and SessionStorage.session_key not in request.session


def _database_state() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


def _audience(request: HttpRequest, snapshot: str) -> Audience:
    """Readers, or the user's permissions and name; those are kept per database state too, as any change
    to them is a write, which saves the queries for them on every request."""
    user = request.user
    if not user.is_authenticated:
        return READERS
    key = f"{PAGE_CACHE_PREFIX}:audience:{user.pk}:{_digest(snapshot)}"
    audience = caches["default"].get(key)
    if audience is None:
        permissions = sorted(user.get_all_permissions())  # what the page's own permission checks read
        who = [f"active={user.is_active}", f"staff={user.is_staff}", f"superuser={user.is_superuser}"]
        audience = Audience(_digest(*who, *permissions), _real_viewer(user))
        caches["default"].set(key, audience, settings.PAGE_CACHE_SECONDS)
    return audience


def _page_key(request: HttpRequest, audience: str, snapshot: str) -> str:
    """The page's URL, the htmx headers it may answer differently to, who sees it, and the database state."""
    headers = sorted((name, value) for name, value in request.META.items() if name.startswith("HTTP_HX_"))
    page = _digest(request.get_host(), request.get_full_path(), repr(headers), audience, snapshot)
    return f"{PAGE_CACHE_PREFIX}:{page}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """A page fit for others: nothing in it or on it belongs to one person. A page that used the real CSRF
    token (Django then renews the cookie, which its middleware sets later, outside this one) is not."""
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
        and "no-cache" not in control
        and "max-age=0" not in control
    )
