"""An event's claims by the date they were said, laid out for a server-rendered SVG: a date axis spanning
the claims and the event, one column per day, claims of one day stacked. Plain functions, no drawing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from analysis.models import Event, Evidence, Explanation
from analysis.proposals import claims_in_scope
from claims.models import Claim

WIDTH = 960
MARGIN_LEFT, MARGIN_RIGHT = 24, 24
AXIS_Y = 40  # the axis line; day labels above it, claims stacked below
DOT = 12  # a claim's square
GAP = 4
MIN_HEIGHT = 120


def timeline_claims(
    event: Event, *, explanation: Explanation | None = None, speaker_id: int | None = None
) -> QuerySet[Claim]:
    """The event's dated claims, oldest first: all in its scope, or the evidence under one explanation
    (proposed or confirmed, never dismissed), optionally of one speaker."""
    if explanation is not None:
        claims = Claim.objects.visible().filter(
            evidence__explanation=explanation,
            evidence__status__in=[Evidence.Status.PROPOSED, Evidence.Status.CONFIRMED],
        )
    else:
        claims = claims_in_scope(event)
    if speaker_id is not None:
        claims = claims.filter(speaker_id=speaker_id)
    return (
        claims.filter(said_on__isnull=False)
        .select_related("speaker", "document__outlet")
        .order_by("said_on", "document_id", "sentence_start", "pk")
        .distinct()
    )


def axis_range(dates: list[dt.date], event_day: dt.date | None) -> tuple[dt.date, dt.date]:
    """First and last day the axis shows: every claim and the event, at least two days apart."""
    days = [*dates, *([event_day] if event_day else [])]
    if not days:
        today = dt.date.today()
        return today - dt.timedelta(days=1), today
    start, end = min(days), max(days)
    return (start, end) if end > start else (start - dt.timedelta(days=1), end)


def x_for(day: dt.date, start: dt.date, end: dt.date, width: int = WIDTH) -> float:
    """The horizontal centre of a day's column."""
    columns = (end - start).days + 1
    column = (width - MARGIN_LEFT - MARGIN_RIGHT) / columns
    return round(MARGIN_LEFT + column * ((day - start).days + 0.5), 1)


def tick_days(start: dt.date, end: dt.date, *, most: int = 16) -> list[dt.date]:
    """Days to label: every day, or every n-th so at most `most` labels fit; the first always."""
    span = (end - start).days + 1
    step = max(1, -(-span // most))
    return [start + dt.timedelta(days=offset) for offset in range(0, span, step)]


@dataclass(frozen=True)
class Mark:
    claim: Claim
    x: float
    y: float
    stack: int  # 0 for the first claim of its day

    @property
    def left(self) -> float:
        return self.x - DOT / 2

    @property
    def top(self) -> float:
        return self.y - DOT / 2

    @property
    def size(self) -> int:
        return DOT


@dataclass(frozen=True)
class Tick:
    day: dt.date
    x: float


@dataclass(frozen=True)
class Layout:
    start: dt.date
    end: dt.date
    width: int
    height: int
    marks: list[Mark]
    ticks: list[Tick]
    event_x: float | None

    @property
    def axis_y(self) -> int:
        return AXIS_Y

    @property
    def axis_end(self) -> int:
        return self.width - MARGIN_RIGHT


def stack(claims: list[Claim]) -> list[tuple[Claim, int]]:
    """Each claim with its place in its day's stack (0, 1, 2 …), in the given order."""
    seen: dict[dt.date, int] = {}
    placed = []
    for claim in claims:
        placed.append((claim, seen.get(claim.said_on, 0)))
        seen[claim.said_on] = seen.get(claim.said_on, 0) + 1
    return placed


def layout(claims: list[Claim], event_day: dt.date | None, *, width: int = WIDTH) -> Layout:
    """Where every claim, day label and the event marker go."""
    start, end = axis_range([claim.said_on for claim in claims], event_day)
    marks = [
        Mark(
            claim,
            x_for(claim.said_on, start, end, width),
            AXIS_Y + GAP * 2 + place * (DOT + GAP) + DOT / 2,
            place,
        )
        for claim, place in stack(claims)
    ]
    tallest = max((mark.stack for mark in marks), default=0) + 1
    height = max(MIN_HEIGHT, AXIS_Y + GAP * 3 + tallest * (DOT + GAP))
    return Layout(
        start=start,
        end=end,
        width=width,
        height=height,
        marks=marks,
        ticks=[Tick(day, x_for(day, start, end, width)) for day in tick_days(start, end)],
        event_x=x_for(event_day, start, end, width) if event_day else None,
    )
