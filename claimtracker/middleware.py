"""Site-wide middleware: a short cache of readers' pages, an honest answer when the database is gone, and
a test-only hold on POSTs.

A request whose database connection breaks (PostgreSQL restarted, the network dropped) has had its
transaction rolled back by PostgreSQL, so nothing of it was saved: say exactly that with a 503, as a
fragment for htmx (static/js/app.js shows it in the page's message box) and as a page otherwise, instead of
a 500 traceback page. Django closes the broken connection at the end of the request, so the next request
connects afresh.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.cache import get_cache_key, learn_cache_key
from django.utils.html import format_html

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = "The database is unavailable; nothing was saved. Try again in a moment."

HOLD_POSTS_ENV = "CLAIMTRACKER_TEST_HOLD_POSTS"


READER_CACHE_PREFIX = "reader-pages"


class ReaderCacheMiddleware:
    """Pages as signed-out readers get them, kept READER_CACHE_SECONDS (a few seconds) per URL and per the
    headers the page varies on (htmx's among them): a story in the news brings many readers to the same
    few pages, and each is rendered once per interval instead of once per reader.

    Anyone with a session (every editor and analyst) or a pending message is always served fresh, so
    what someone just changed is what they see. Only plain 200 answers are kept: none that holds a CSRF
    token or sets a cookie, streams, or says private / no-store. The kept page carries no max-age, so
    browsers ask again rather than showing an old page after signing in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.READER_CACHE_SECONDS
        personal = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name} & request.COOKIES.keys()
        if not seconds or request.method not in ("GET", "HEAD") or personal:
            return self.get_response(request)
        cache = caches["default"]
        key = get_cache_key(request, READER_CACHE_PREFIX, "GET", cache=cache)
        if key is not None and (kept := cache.get(key)) is not None:
            return kept
        response = self.get_response(request)
        if _keepable(response):
            cache.set(
                learn_cache_key(request, response, seconds, READER_CACHE_PREFIX, cache=cache),
                response,
                seconds,
            )
        return response


def _keepable(response: HttpResponse) -> bool:
    """A page fit for any reader: nothing in it or on it belongs to this one."""
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies  # among them the CSRF cookie, renewed whenever a page holds its token
        and "private" not in control
        and "no-store" not in control
        and "no-cache" not in control
        and "max-age=0" not in control
    )


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into a 503 that says nothing was saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
        message = format_html('<p class="message message-error">{}</p>', DATABASE_UNAVAILABLE)
        if not request.htmx:
            # A page of its own: base.html would ask the database who the user is.
            message = format_html(
                '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Database unavailable'
                '</title><link rel="stylesheet" href="{}"></head><body><main><h1>Database unavailable</h1>'
                '<div class="messages" role="status" id="messages">{}</div>'
                '<p><a href="{}">Reload the page</a> to try again.</p></main></body></html>',
                static("css/app.css"),
                message,
                request.get_full_path(),
            )
        response = HttpResponse(message, status=503)
        response["Retry-After"] = "5"
        return response


class HoldPostsForTestsMiddleware:
    """Tests only, active when CLAIMTRACKER_TEST_HOLD_POSTS names a file: each POST runs in one transaction
    that, after the view ran, stays open while that file exists (at most a minute), so a test can kill the
    web worker at a known point, with the request's writes made but not committed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not os.environ.get(HOLD_POSTS_ENV):
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.gate = Path(os.environ[HOLD_POSTS_ENV])

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self.get_response(request)
        try:
            connection.close_if_health_check_failed()  # a kept connection may be to a server since gone
            connection.ensure_connection()
        except (OperationalError, InterfaceError):
            return self.get_response(request)  # no database: let the view meet it and answer 503
        with transaction.atomic():
            response = self.get_response(request)
            deadline = time.monotonic() + 60
            while self.gate.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        return response
