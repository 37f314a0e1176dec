"""Paging claim lists over a million rows: what to count, and how to rank full-text matches cheaply."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property

from claims.models import Claim

CLAIMS_PER_PAGE = 30
ESTIMATE_COUNT_ABOVE = 100_000  # rows; below this an exact count is cheap


class AboutCount(int):
    """A row count taken from the planner's statistics: it pages like a count and reads "about N"."""

    def __str__(self) -> str:
        return f"about {int(self):,}"


class ClaimPaginator(Paginator):
    """COUNT(*) over a million claims costs more than the whole page: the unfiltered list of a big table
    shows PostgreSQL's estimate (kept current by autovacuum's ANALYZE), rounded and labelled "about"."""

    def __init__(self, *args, estimate: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.estimate = estimate

    @cached_property
    def count(self) -> int:
        if self.estimate:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [Claim._meta.db_table]
                )
                rows = cursor.fetchone()[0]
            if rows >= ESTIMATE_COUNT_ABOVE:
                return AboutCount(round(rows, 3 - len(str(rows))))
        return super().count


class RankedMatches:
    """Full-text matches as a paginator's object list, in two queries instead of a count plus a wide sort.

    Ranking touches every match, so it runs once, narrow: ids ordered by rank, with the number of matches
    counted in the same pass (a window count), which keeps PostgreSQL's sort a bounded top-N in memory.
    Only the page's rows are then fetched whole, joined and with their snippets. `claims` must come from
    `filter_claims` with a search (ordered by rank, annotated with the snippet)."""

    def __init__(self, claims: QuerySet[Claim], *, page: int, per_page: int) -> None:
        self.claims = claims
        self.per_page = per_page
        self.first_offset = (page - 1) * per_page
        self._ranked: dict[int, list[int]] = {}
        self._total: int | None = None

    def _rank(self, offset: int, limit: int) -> list[int]:
        if offset not in self._ranked:
            rows = list(
                self.claims.annotate(matches=Window(Count("pk"))).values_list("pk", "matches")[
                    offset : offset + limit
                ]
            )
            self._ranked[offset] = [pk for pk, _matches in rows]
            if rows:
                self._total = rows[0][1]
        return self._ranked[offset]

    def count(self) -> int:
        if self._total is None:
            self._rank(max(self.first_offset, 0), self.per_page)
        if self._total is None:  # the page asked for lies past the end: count plainly
            self._total = self.claims.count()
        return self._total

    def __getitem__(self, window: slice) -> list[Claim]:
        ids = self._rank(window.start or 0, window.stop - (window.start or 0))
        rows = self.claims.filter(pk__in=ids).in_bulk()
        return [rows[pk] for pk in ids if pk in rows]


def claims_page(claims: QuerySet[Claim], number: str | None, *, searched: bool, filtered: bool) -> Page:
    """The page `number` (as typed in the URL) of `claims`: ranked in two steps after a search, with the
    table's estimated size when nothing filters it."""
    if searched:
        try:
            requested = max(int(number or 1), 1)
        except ValueError:
            requested = 1
        matches = RankedMatches(claims, page=requested, per_page=CLAIMS_PER_PAGE)
        return Paginator(matches, CLAIMS_PER_PAGE).get_page(number)
    return ClaimPaginator(claims, CLAIMS_PER_PAGE, estimate=not filtered).get_page(number)
