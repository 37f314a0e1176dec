"""Page-number pagination with `count`, `next` and `previous` links that keep the request's filters."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class PageParams(Schema):
    page: int = Field(1, ge=1, le=2**31, description="1 for the first page.")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")


def _page_url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(request: HttpRequest, items: QuerySet, params: PageParams) -> dict[str, Any]:
    """One page of `items` (which must be ordered stably); a page past the end is empty, not an error,
    and links back to the last page."""
    count = items.count()
    offset = (params.page - 1) * params.page_size
    last = max(1, -(-count // params.page_size))
    return {
        "count": count,
        "next": _page_url(request, params.page + 1) if offset + params.page_size < count else None,
        "previous": _page_url(request, min(params.page - 1, last)) if params.page > 1 else None,
        "results": list(items[offset : offset + params.page_size]) if offset < count else [],
    }
