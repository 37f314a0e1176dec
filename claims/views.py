from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from analysis.models import Explanation
from articles.models import Document, file_content
from claims.editing import EditConflict, UndoRefused, can_undo, edit_claim, set_status, undo_last_change
from claims.filters import ClaimFilterForm, filter_claims
from claims.forms import ClaimEditForm, LinkForm
from claims.history import change_lines
from claims.links import add_link, remove_link, suggest_links
from claims.models import Claim, ClaimLink
from claims.paging import claims_page
from claims.passages import passage_pieces, source_span
from claims.spans import SpanError, parse_span_inputs
from claimtracker.pagecache import shared_page, shared_with_readers
from claimtracker.search import highlighted
from sources.actors import actor_from_picker
from sources.models import Actor, Outlet

LINK_SEARCH_RESULTS = 8
# Sent with every saved change, so the reader and the review queue refresh what shows the claim.
SAVED_EVENT = "claimSaved"


@shared_page
@require_GET
@vary_on_headers("HX-Request")
def claim_list(request: HttpRequest) -> HttpResponse:
    """Claims filtered by speaker, kind, outlet, document, date said, status and full text; the filters
    live in the URL so a view can be shared. An htmx request gets only the results."""
    form = ClaimFilterForm(request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    claims = filter_claims(Claim.objects.listed(), criteria)
    filtered = any(value not in (None, "") for name, value in criteria.items() if name != "sort")
    searched = bool(criteria.get("q"))
    page = claims_page(claims, request.GET.get("page"), searched=searched, filtered=filtered)
    for claim in page:
        if searched:
            claim.snippet = highlighted(claim.snippet)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "searched": searched,  # only then do claims have a snippet
        "query": query.urlencode(),
        "chosen": {
            name: model.objects.filter(pk=criteria[name]).first()
            for name, model in (
                ("speaker", Actor),
                ("outlet", Outlet),
                ("document", Document),
                ("explanation", Explanation),
            )
            if criteria.get(name)
        },
    }
    template = "claims/claim_list.html#claim-results" if request.htmx else "claims/claim_list.html"
    return render(request, template, context)


def _claim(pk: int) -> Claim:
    return get_object_or_404(
        Claim.objects.select_related(
            "speaker__part_of", "document__source_file", "document__outlet", "post", "created_by"
        )
        .defer("search", "document__search", *file_content("document__source_file"))
        .prefetch_related("claim_spans"),
        pk=pk,
    )


def panel_context(claim: Claim, user, **extra) -> dict:
    """Everything the claim panel shows: facts, passage, links both ways, the same-claim cluster and the
    history with who changed what."""
    links = ClaimLink.objects.active().select_related(
        "target_claim__speaker", "target_actor", "target_document", "created_by"
    )
    changes = list(claim.changes.select_related("user", "undone_by"))
    conflict = extra.get("conflict")
    for change in changes + (conflict.changes if conflict else []):
        change.lines = change_lines(change, claim.document.text)
    latest = changes[0] if changes else None
    context = {
        "claim": claim,
        "pieces": passage_pieces(claim, context=300),
        "source_span": source_span(claim),
        "outgoing": list(links.filter(claim=claim)),
        "incoming": list(
            links.filter(target_claim=claim)
            .select_related("claim__speaker")
            .exclude(kind=ClaimLink.Kind.SAME)
        ),
        "same_cluster": list(claim.cluster.claims.exclude(pk=claim.pk).select_related("document__outlet"))
        if claim.cluster_id
        else [],
        "changes": changes,
        "can_undo": bool(latest and can_undo(latest, user)),
    }
    return context | extra


def _panel(
    request: HttpRequest, claim: Claim, *, status: int = 200, saved: bool = False, **extra
) -> HttpResponse:
    """The claim panel: the fragment for htmx, the whole claim page otherwise."""
    template = "claims/claim_detail.html#claim-panel" if request.htmx else "claims/claim_detail.html"
    response = render(request, template, panel_context(claim, request.user, **extra), status=status)
    if saved:
        response["HX-Trigger"] = SAVED_EVENT
    return response


@shared_with_readers
@require_GET
@vary_on_headers("HX-Request")
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One claim: who, what, when and how the date was found, the exact passage it came from, its links
    and its history."""
    return _panel(request, _claim(pk))


@shared_with_readers
@require_GET
def claim_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The claim panel alone, for the reader's side column."""
    return render(request, "claims/claim_detail.html#claim-panel", panel_context(_claim(pk), request.user))


def _after_change(request: HttpRequest, pk: int) -> HttpResponse:
    if request.htmx:
        return _panel(request, _claim(pk), saved=True)
    return redirect("claim-detail", pk=pk)


def _conflict(request: HttpRequest, conflict: EditConflict) -> HttpResponse:
    return _panel(request, _claim(conflict.claim.pk), status=409, conflict=conflict)


@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def claim_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or reject a claim, from the version the editor saw."""
    status = request.POST.get("status", "")
    version = request.POST.get("version", "")
    if (
        status not in (Claim.Status.CONFIRMED, Claim.Status.REJECTED, Claim.Status.EDITED)
        or not version.isdigit()
    ):
        return HttpResponse(
            "status must be confirmed, rejected or edited, with the claim's version", status=400
        )
    try:
        set_status(pk, user=request.user, version=int(version), status=status)
    except Claim.DoesNotExist:
        return HttpResponse(status=404)
    except EditConflict as conflict:
        return _conflict(request, conflict)
    return _after_change(request, pk)


@require_POST
@permission_required("claims.change_claim", raise_exception=True)
def claim_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the editor's own latest change to the claim."""
    claim = _claim(pk)
    try:
        undo_last_change(claim.pk, user=request.user)
    except UndoRefused as refused:
        return _panel(request, claim, status=409, refused=str(refused))
    return _after_change(request, pk)


@require_http_methods(["GET", "POST"])
@permission_required("claims.change_claim", raise_exception=True)
@vary_on_headers("HX-Request")
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a claim's speaker, spans, kind, polarity, quote, date and headline. The form carries the
    version it was opened at: a save after someone else's is refused with their change shown."""
    claim = _claim(pk)
    form = ClaimEditForm(request.POST or None, instance=claim, initial={"version": claim.version})
    problem, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                fields = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
                if "speaker_text" in request.POST:  # the form's actor picker was there
                    speaker = actor_from_picker(request.POST, "speaker")
                    if speaker != claim.speaker:
                        fields["speaker"] = speaker
                spans = parse_span_inputs(request.POST.getlist("span")) if "span" in request.POST else None
                edit_claim(
                    pk, user=request.user, version=form.cleaned_data["version"], fields=fields, spans=spans
                )
            except EditConflict as conflict:
                return _edit_form(
                    request, _claim(pk), ClaimEditForm(request.POST, instance=claim), 409, conflict=conflict
                )
            except (SpanError, ValidationError) as error:
                problem, status = "; ".join(getattr(error, "messages", [str(error)])), 422
            else:
                return _after_change(request, pk)
        else:
            status = 422
    return _edit_form(request, claim, form, status, problem=problem)


def _edit_form(request: HttpRequest, claim: Claim, form: ClaimEditForm, status: int, **extra) -> HttpResponse:
    spans = sorted((s.start, s.role, s.end) for s in claim.claim_spans.all())
    context = panel_context(claim, request.user, **extra) | {
        "form": form,
        "spans": [(role, start, end, claim.document.text[start:end]) for start, role, end in spans],
        "passage_selector": f"#claim-{claim.pk} .passage",
        "picker_id": f"speaker-{claim.pk}",
    }
    template = "claims/claim_edit.html#claim-edit-form" if request.htmx else "claims/claim_edit.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("claims.add_claimlink", raise_exception=True)
@vary_on_headers("HX-Request")
def claim_link_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the claim to its source, evidence, a rebuttal or another report of it. The form suggests
    candidates; a suggestion becomes a link only when an editor submits it."""
    claim = _claim(pk)
    form = LinkForm(request.POST or None, claim=claim, initial={"kind": request.GET.get("kind", "rebuttal")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            is_source = data["kind"] == ClaimLink.Kind.SOURCE
            actor = actor_from_picker(request.POST, "actor") or (claim.speaker if is_source else None)
            add_link(
                claim.pk,
                user=request.user,
                kind=data["kind"],
                target_claim=data["target_claim"],
                target_actor=actor,
                target_document=data["document"] or (claim.document if is_source else None),
                target_start=data["target_start"],
                target_end=data["target_end"],
                url=data["url"],
                note=data["note"],
            )
            return _after_change(request, pk)
        status = 422
    context = {
        "claim": claim,
        "form": form,
        "suggestions": suggest_links(claim),
        "kinds": ClaimLink.Kind.choices,
        "actor_picker_id": f"link-actor-{claim.pk}",
    }
    template = "claims/claim_link.html#link-form" if request.htmx else "claims/claim_link.html"
    return render(request, template, context, status=status)


@require_GET
@permission_required("claims.add_claimlink", raise_exception=True)
def claim_link_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Claims matching the words typed in the link form, to pick a target from."""
    criteria = {"q": request.GET.get("q", "").strip()[:200]}
    found = (
        filter_claims(Claim.objects.visible().exclude(pk=pk).listed(), criteria)
        if criteria["q"]
        else Claim.objects.none()
    )
    return render(
        request,
        "claims/claim_link.html#link-candidates",
        {"candidates": found[:LINK_SEARCH_RESULTS], "claim_pk": pk},
    )


@require_POST
@permission_required("claims.change_claimlink", raise_exception=True)
def claim_link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a link (kept in history; undo brings it back)."""
    link = get_object_or_404(ClaimLink.objects.active(), pk=pk)
    remove_link(link.pk, user=request.user)
    return _after_change(request, link.claim_id)
