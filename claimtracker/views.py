"""Views that belong to the site rather than to one app."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache  # asks the database every time, for a signed-out caller too
def healthz(request: HttpRequest) -> HttpResponse:
    """ "ok" once the database answers: for load balancers, and the benchmark's trivial-view baseline."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
