"""The analyst's screens: events and explanations with their proposal rules, the evidence queue where
proposals are confirmed, dismissed and rated, and the reader's timeline of an event's claims."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from analysis.forms import AddEvidenceForm, DecisionForm, EventForm, ExplanationForm, RatingForm
from analysis.models import Event, Evidence, Explanation, Rating
from analysis.proposals import evidence_add, evidence_decide, propose_evidence, rating_save
from analysis.timeline import layout, timeline_claims
from claims.filters import filter_claims
from claims.models import Claim
from claims.passages import passage_pieces
from claimtracker.pagecache import shared_page
from claimtracker.search import highlighted
from sources.actors import actor_from_picker
from sources.models import Actor

SEARCH_RESULTS = 10


def _event(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug)


# Events and explanations ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("analysis.add_event", raise_exception=True)
def event_new(request: HttpRequest) -> HttpResponse:
    """A new event; its explanations come next."""
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.created_by = request.user
        event.save()
        return redirect("event-evidence", slug=event.slug)
    return render(request, "analysis/event_form.html", {"form": form, "event": None})


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("analysis.change_event", raise_exception=True)
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        event = form.save()
        return redirect("event-evidence", slug=event.slug)
    return render(request, "analysis/event_form.html", {"form": form, "event": event})


def _explanation_form(request: HttpRequest, explanation: Explanation) -> HttpResponse:
    """Create or edit an explanation: title, summary, order, keywords, and actors (kept by their boxes,
    one more added with the actor picker)."""
    form = ExplanationForm(request.POST or None, instance=explanation)
    actors = list(explanation.actors.all()) if explanation.pk else []
    problem = ""
    if request.method == "POST" and form.is_valid():
        kept = [actor for actor in actors if str(actor.pk) in request.POST.getlist("keep_actor")]
        try:
            added = actor_from_picker(request.POST, "add_actor", create=False)
        except ValidationError as error:
            problem = "; ".join(error.messages)
        else:
            explanation = form.save(commit=False)
            explanation.keywords = form.cleaned_data["keywords_text"]
            if explanation.pk is None:
                explanation.created_by = request.user
            explanation.save()
            explanation.actors.set([*kept, *([added] if added else [])])
            return redirect("event-evidence", slug=explanation.event.slug)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "event": explanation.event, "explanation": explanation, "actors": actors}
    return render(request, "analysis/explanation_form.html", context | {"problem": problem}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("analysis.add_explanation", raise_exception=True)
def explanation_new(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    return _explanation_form(request, Explanation(event=event, position=event.explanations.count()))


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("analysis.change_explanation", raise_exception=True)
def explanation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _explanation_form(request, get_object_or_404(Explanation.objects.select_related("event"), pk=pk))


@require_POST
@login_required
@permission_required("analysis.add_evidence", raise_exception=True)
def event_propose(request: HttpRequest, slug: str) -> HttpResponse:
    """Run the proposal rules for the event; new proposals land in the queue."""
    event = _event(slug)
    count = propose_evidence(event)
    messages.success(request, f"{count} new proposal{'s' if count != 1 else ''}.")
    return redirect("event-evidence", slug=event.slug)


# The evidence queue -----------------------------------------------------------------------------


def _evidence_rows(queryset, user) -> list[Evidence]:
    """Evidence with what its row shows: claim, passage, speaker, and the analyst's own rating."""
    rows = list(
        queryset.select_related(
            "explanation", "claim__speaker", "claim__document__outlet", "decided_by"
        ).prefetch_related("claim__claim_spans")
    )
    ratings = {
        (rating.explanation_id, rating.claim_id): rating
        for rating in Rating.objects.filter(analyst_id=user.pk, claim_id__in=[row.claim_id for row in rows])
    }
    for row in rows:
        row.pieces = passage_pieces(row.claim)
        row.my_rating = ratings.get((row.explanation_id, row.claim_id))
        row.rating_form = RatingForm(instance=row.my_rating, prefix=f"rating-{row.pk}")
    return rows


def _row(request: HttpRequest, evidence: Evidence, *, status: int = 200, form=None) -> HttpResponse:
    """One evidence row, as the htmx fragment it swaps in place."""
    (row,) = _evidence_rows(Evidence.objects.filter(pk=evidence.pk), request.user)
    if form is not None:
        row.rating_form = form
    return render(request, "analysis/evidence_queue.html#evidence-row", {"row": row}, status=status)


@require_GET
@login_required
@vary_on_headers("HX-Request")
def event_evidence(request: HttpRequest, slug: str) -> HttpResponse:
    """The analyst's queue for one event: proposals to confirm or dismiss, confirmed evidence to rate,
    and a search to add any claim by hand. An htmx search gets only its results."""
    event = _event(slug)
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        results = list(
            filter_claims(
                Claim.objects.visible().select_related("speaker", "document__outlet"), {"q": query}
            )[:SEARCH_RESULTS]
        )
        for claim in results:
            claim.snippet = highlighted(claim.snippet)
    add_form = AddEvidenceForm(event=event, initial={"stance": "supports"})
    if request.htmx and "q" in request.GET:
        return render(
            request,
            "analysis/evidence_queue.html#evidence-search-results",
            {"event": event, "results": results, "query": query, "add_form": add_form},
        )
    evidence = Evidence.objects.filter(explanation__event=event).order_by(
        "explanation__position", "explanation_id", "claim__said_on", "claim_id"
    )
    explanations = event.explanations.annotate(
        proposed=Count("evidence", filter=Q(evidence__status=Evidence.Status.PROPOSED)),
        confirmed=Count("evidence", filter=Q(evidence__status=Evidence.Status.CONFIRMED)),
    ).prefetch_related(Prefetch("actors", queryset=Actor.objects.order_by("name")))
    context = {
        "event": event,
        "explanations": explanations,
        "proposed": _evidence_rows(evidence.filter(status=Evidence.Status.PROPOSED), request.user),
        "confirmed": _evidence_rows(evidence.filter(status=Evidence.Status.CONFIRMED), request.user),
        "dismissed": list(
            evidence.filter(status=Evidence.Status.DISMISSED).select_related("explanation", "claim")
        ),
        "query": query,
        "results": results,
        "add_form": add_form,
    }
    return render(request, "analysis/evidence_queue.html", context)


def _back_to_queue(evidence: Evidence) -> HttpResponse:
    url = reverse("event-evidence", kwargs={"slug": evidence.explanation.event.slug})
    return redirect(f"{url}#evidence-{evidence.pk}")


@require_POST
@login_required
@permission_required("analysis.change_evidence", raise_exception=True)
def evidence_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a proposal as supporting or rebutting, or dismiss it (the button pressed says which)."""
    evidence = get_object_or_404(Evidence.objects.select_related("explanation__event"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponse("action must be supports, rebuts or dismiss", status=400)
    status, stance = DecisionForm.ACTIONS[form.cleaned_data["action"]]
    evidence_decide(evidence=evidence, status=status, stance=stance, by=request.user)
    return _row(request, evidence) if request.htmx else _back_to_queue(evidence)


@require_POST
@login_required
@permission_required("analysis.add_rating", raise_exception=True)
def evidence_rating(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the analyst's own rating of confirmed evidence (a second save updates it)."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("explanation__event"), pk=pk, status=Evidence.Status.CONFIRMED
    )
    mine = Rating.objects.filter(
        explanation_id=evidence.explanation_id, claim_id=evidence.claim_id, analyst=request.user
    ).first()
    form = RatingForm(request.POST, instance=mine, prefix=f"rating-{evidence.pk}")
    if not form.is_valid():
        if request.htmx:
            return _row(request, evidence, status=422, form=form)
        return HttpResponse("the rating needs a consistency and valid weights", status=400)
    rating_save(evidence=evidence, analyst=request.user, **form.cleaned_data)
    return _row(request, evidence) if request.htmx else _back_to_queue(evidence)


@require_POST
@login_required
@permission_required("analysis.add_evidence", raise_exception=True)
def evidence_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a claim (by id or picked from the search) as confirmed evidence under an explanation."""
    event = _event(slug)
    form = AddEvidenceForm(request.POST, event=event)
    claim = None
    if form.is_valid():
        claim = Claim.objects.visible().filter(pk=form.cleaned_data["claim"]).first()
        if claim is None:
            form.add_error("claim", "No visible claim has that id.")
    if claim is None:
        return HttpResponse("; ".join(e for errors in form.errors.values() for e in errors), status=400)
    evidence, _ = evidence_add(
        explanation=form.cleaned_data["explanation"],
        claim=claim,
        stance=form.cleaned_data["stance"],
        by=request.user,
    )
    return _back_to_queue(evidence)


# The timeline -----------------------------------------------------------------------------------


@shared_page
@require_GET
@vary_on_headers("HX-Request")
def event_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    """An event's claims by the date said, as an SVG and as a list, filterable by explanation (its
    evidence) and speaker. An htmx request gets only the chart and list."""
    event = _event(slug)
    explanations = list(event.explanations.all())
    explanation = next(
        (each for each in explanations if str(each.pk) == request.GET.get("explanation")), None
    )
    speaker_param = request.GET.get("speaker", "")
    speaker_id = int(speaker_param) if speaker_param.isdigit() else None
    claims = list(timeline_claims(event, explanation=explanation, speaker_id=speaker_id))
    if explanation is not None:
        stances = dict(
            Evidence.objects.filter(explanation=explanation, claim__in=claims).values_list(
                "claim_id", "stance"
            )
        )
        for claim in claims:
            claim.stance = stances.get(claim.pk, "")
    all_claims = timeline_claims(event, explanation=explanation)
    speakers = Actor.objects.filter(pk__in=all_claims.order_by().values("speaker_id")).order_by("name")
    context = {
        "event": event,
        "explanations": explanations,
        "explanation": explanation,
        "speakers": speakers,
        "speaker_id": speaker_id,
        "claims": claims,
        "chart": layout(claims, event.occurred_on),
    }
    template = "analysis/timeline.html#timeline-results" if request.htmx else "analysis/timeline.html"
    return render(request, template, context)
