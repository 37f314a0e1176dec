"""Site-wide middleware: an honest answer when the database is gone, and a test-only hold on POSTs.

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

from django.core.exceptions import MiddlewareNotUsed
from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.html import format_html

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = "The database is unavailable; nothing was saved. Try again in a moment."

HOLD_POSTS_ENV = "CLAIMTRACKER_TEST_HOLD_POSTS"


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
