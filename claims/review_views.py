"""The review queue screen: one machine claim at a time with its passage, decided by keyboard or buttons.

The session keeps this editor's trail of decided claims (for going back with k / j) and the claims they
skipped (offered again only once nothing else waits). An htmx request gets the card alone, with the
address of the claim it shows pushed into the browser history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from claims.editing import EditConflict, UndoRefused, can_undo, set_status, undo_last_change
from claims.history import change_lines
from claims.models import Claim, ClaimChange, ReviewLease
from claims.passages import passage_pieces, source_span
from claims.review import hold, next_claim, progress, release

TRAIL, SKIPPED = "review_trail", "review_skipped"
TRAIL_LENGTH = 500  # how far back k reaches; keeps the session small
DECISIONS = {"accept": Claim.Status.CONFIRMED, "reject": Claim.Status.REJECTED}
# Changes undo_last_change refuses, so no undo button is offered for them.
CARD = "claims/review.html#review-card"


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first (anonymous people are sent to log in), then the right to change claims (403)."""
    return login_required(permission_required("claims.change_claim", raise_exception=True)(view))


def _ids(request: HttpRequest, key: str) -> list[int]:
    return list(request.session.get(key, []))


def _remember(request: HttpRequest, key: str, ids: list[int]) -> None:
    request.session[key] = ids[-TRAIL_LENGTH:]


def _claim(pk: int) -> Claim:
    return get_object_or_404(
        Claim.objects.select_related("speaker", "document__outlet", "post").prefetch_related("claim_spans"),
        pk=pk,
    )


def _shows_page(request: HttpRequest) -> bool:
    """A plain request, or htmx restoring history (which needs the whole page), gets the full page."""
    return not request.htmx or request.htmx.history_restore_request


def _render_card(
    request: HttpRequest,
    claim: Claim | None,
    *,
    lease: ReviewLease | None = None,
    conflict: EditConflict | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    """The card for `claim` (None: the queue is empty), placed in this editor's trail: k goes one
    decided claim back, j one forward and, past the last, to the live queue."""
    trail = _ids(request, TRAIL)
    position = trail.index(claim.pk) if claim and claim.pk in trail else None
    if position is None:
        # The live card ends the trail; a claim decided elsewhere (or just edited) leads on to it.
        previous_id = trail[-1] if trail else None
        next_url = reverse("review-queue") if claim and claim.status != Claim.Status.MACHINE else None
    else:
        previous_id = trail[position - 1] if position > 0 else None
        following = trail[position + 1 :]
        next_url = reverse("review-claim", args=[following[0]]) if following else reverse("review-queue")
    last_change = claim.changes.select_related("user").first() if claim else None
    context = {
        "claim": claim,
        "pieces": passage_pieces(claim, context=300) if claim else [],
        "source_span": source_span(claim) if claim else None,
        "progress": progress(),
        "handled": len(trail),
        "previous_url": reverse("review-claim", args=[previous_id]) if previous_id else None,
        "next_url": next_url,
        "held_by": lease.user if lease and lease.user_id != request.user.pk else None,
        "held_until": lease.expires_at if lease else None,
        "last_change": last_change,
        "can_undo": bool(last_change and can_undo(last_change, request.user)),
        "conflict": _with_lines(conflict.changes, claim) if conflict else None,
        "refusal": refusal,
    }
    response = render(request, "claims/review.html" if _shows_page(request) else CARD, context, status=status)
    if request.method == "POST" and status == 200 and not _shows_page(request):
        push_url(response, reverse("review-claim", args=[claim.pk]) if claim else reverse("review-queue"))
    return response


def _with_lines(changes: list[ClaimChange], claim: Claim) -> list[ClaimChange]:
    for change in changes:
        change.lines = change_lines(change, claim.document.text)
    return changes


def _live_card(request: HttpRequest) -> HttpResponse:
    claim = next_claim(request.user, skipped=_ids(request, SKIPPED))
    return _render_card(request, claim and _claim(claim.pk))


def _opened_card(request: HttpRequest, pk: int, **extra: Any) -> HttpResponse:
    claim = _claim(pk)
    lease = hold(request.user, claim.pk) if claim.status == Claim.Status.MACHINE else None
    return _render_card(request, claim, lease=lease, **extra)


@require_GET
@vary_on_headers("HX-Request")
@editor_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The next claim waiting for this editor, leased to them so nobody else gets it meanwhile."""
    return _live_card(request)


@require_GET
@vary_on_headers("HX-Request")
@editor_required
def review_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """One claim by its address: a decided one shows its decision, a waiting one is taken up."""
    return _opened_card(request, pk)


@require_POST
@vary_on_headers("HX-Request")
@editor_required
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject the claim as it was when the card was shown, then move forward. If someone
    changed it meanwhile nothing is saved: the card comes back with their change (409)."""
    status = DECISIONS.get(request.POST.get("decision", ""))
    version = request.POST.get("version", "")
    if status is None or not version.isdigit():
        return HttpResponseBadRequest("decision must be accept or reject, with the claim's version")
    claim = _claim(pk)
    try:
        set_status(claim.pk, user=request.user, version=int(version), status=status)
    except EditConflict as conflict:
        return _opened_card(request, pk, conflict=conflict, status=409)
    release(request.user, claim.pk)
    trail = _ids(request, TRAIL)
    if claim.pk not in trail:
        trail.append(claim.pk)
    _remember(request, TRAIL, trail)
    _remember(request, SKIPPED, [skipped for skipped in _ids(request, SKIPPED) if skipped != claim.pk])
    following = trail[trail.index(claim.pk) + 1 :]
    if following:
        return _opened_card(request, following[0]) if request.htmx else redirect("review-claim", following[0])
    return _live_card(request) if request.htmx else redirect("review-queue")


@require_POST
@vary_on_headers("HX-Request")
@editor_required
def review_skip(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the claim back for now: it returns in this session only when nothing else waits."""
    claim = _claim(pk)
    skipped = [skipped for skipped in _ids(request, SKIPPED) if skipped != claim.pk]
    _remember(request, SKIPPED, [*skipped, claim.pk])
    release(request.user, claim.pk)
    return _live_card(request) if request.htmx else redirect("review-queue")


@require_POST
@vary_on_headers("HX-Request")
@editor_required
def review_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back this editor's latest change to the claim, if it is still the latest one."""
    claim = _claim(pk)
    try:
        undo_last_change(claim.pk, user=request.user)
    except UndoRefused as refused:
        return _opened_card(request, pk, refusal=str(refused), status=409)
    return _opened_card(request, pk) if request.htmx else redirect("review-claim", pk)
