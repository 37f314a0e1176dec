"""Reader pages of the analysis: the events, each event's comparison of explanations and its ACH matrix,
both replayable as of a date. Reading needs no account."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from analysis.ach import build_matrix, compare
from analysis.models import Event, Evidence
from claimtracker.pagecache import shared_page

# How many claims a comparison column shows per side before pointing at the matrix.
STRONGEST_SHOWN = 5


class AsOfForm(forms.Form):
    """The replay date, from the query string."""

    as_of = forms.DateField(
        required=False,
        label="As of",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the date as YYYY-MM-DD, e.g. 2024-03-23."},
    )


def _as_of(request: HttpRequest) -> tuple[AsOfForm, date | None]:
    """The as-of form and its date; a date that does not parse shows the form's error and replays
    nothing (the whole record)."""
    form = AsOfForm(request.GET)
    return form, form.cleaned_data["as_of"] if form.is_valid() else None


def _partial(request: HttpRequest) -> bool:
    """An htmx swap gets the results fragment; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@shared_page
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Every event with how many explanations and how much confirmed evidence it has."""
    events = Event.objects.annotate(
        explanation_count=Count("explanations", distinct=True),
        evidence_count=Count(
            "explanations__evidence__claim",
            filter=Q(explanations__evidence__status=Evidence.Status.CONFIRMED),
            distinct=True,
        ),
    )
    return render(request, "analysis/event_list.html", {"events": events})


@shared_page
@require_GET
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def event_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """The explanations side by side: strongest claims for and against each, the independent sources
    behind them, and who holds which; `?as_of=` replays what was known on a day."""
    event = get_object_or_404(Event, slug=slug)
    form, as_of = _as_of(request)
    context = {
        "event": event,
        "form": form,
        "comparison": compare(event, as_of=as_of, strongest=STRONGEST_SHOWN),
    }
    template = "analysis/compare.html#compare-results" if _partial(request) else "analysis/compare.html"
    return render(request, template, context)


@shared_page
@require_GET
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def event_matrix(request: HttpRequest, slug: str) -> HttpResponse:
    """The ACH matrix: claims × explanations, the ranking by weighted inconsistency, diagnosticity and the
    sensitivity check; `?as_of=` replays what was known on a day."""
    event = get_object_or_404(Event, slug=slug)
    form, as_of = _as_of(request)
    context = {"event": event, "form": form, "matrix": build_matrix(event, as_of=as_of)}
    template = "analysis/matrix.html#matrix-results" if _partial(request) else "analysis/matrix.html"
    return render(request, template, context)
