from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.models import Claim, ClaimLink
from claimtracker.pagecache import shared_page
from sources import merging
from sources.actors import actor_from_picker, actors_matching, claims_about, search_actors
from sources.models import Actor, ActorMerge

ACTORS_PER_PAGE = 50
CLAIMS_PER_PAGE = 25


@shared_page
@require_GET
@vary_on_headers("HX-Request")
def actor_list(request: HttpRequest) -> HttpResponse:
    """Every actor not merged away, with how many visible claims each made; searchable by name and
    alias. An htmx request gets only the results."""
    query = " ".join(request.GET.get("q", "").split())
    actors = (
        Actor.objects.active()
        .select_related("part_of")
        .annotate(claim_count=Count("claims", filter=~Q(claims__status=Claim.Status.REJECTED)))
    )
    actors = search_actors(actors, query) if query else actors.order_by("name")
    page = Paginator(actors, ACTORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "page_query": urlencode({"q": query}) if query else ""}
    template = "sources/actor_list.html#actor-results" if request.htmx else "sources/actor_list.html"
    return render(request, template, context)


@shared_page
@require_GET
@vary_on_headers("HX-Request")
def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One actor: who they are, what they said and what others said about them (one list at a time,
    paginated), and the merges that touched them. An htmx request gets only the claims section."""
    actor = get_object_or_404(Actor.objects.select_related("part_of", "merged_into", "outlet"), pk=pk)
    show = "about" if request.GET.get("show") == "about" else "said"
    said = Claim.objects.visible().filter(speaker=actor)
    about = claims_about(actor)
    claims = (about if show == "about" else said).listed()
    claims = claims.order_by(F("said_on").desc(nulls_last=True), "-pk")
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "actor": actor,
        "show": show,
        "page": page,
        "page_query": urlencode({"show": show}),
        # The tab shown was counted by its paginator already.
        "said_count": page.paginator.count if show == "said" else said.count(),
        "about_count": page.paginator.count if show == "about" else about.count(),
    }
    if request.htmx:
        return render(request, "sources/actor_detail.html#actor-claims", context)
    context |= {
        "aliases": [alias for alias in actor.aliases.all() if alias.alias.lower() != actor.name.lower()],
        "branches": actor.branches.active(),
        "merge": ActorMerge.objects.standing().filter(merged=actor).select_related("merged_by").first(),
        "merged_here": ActorMerge.objects.standing().filter(into=actor).select_related("merged", "merged_by"),
    }
    return render(request, "sources/actor_detail.html", context)


@login_required
@permission_required("sources.change_actor", raise_exception=True)
@require_http_methods(["GET", "POST"])
def actor_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this actor into one chosen with the picker: its claims, aliases and links move there."""
    actor = get_object_or_404(Actor.objects.select_related("merged_into"), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            into = actor_from_picker(request.POST, "into", create=False)
            if into is None:
                raise ValidationError("Choose the actor to merge into.")
            merge = merging.actor_merge(actor=actor, into=into, by=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        except merging.MergeRefused as refusal:
            error = str(refusal)
        else:
            claims, aliases, links = len(merge.claim_ids), len(merge.alias_ids), len(merge.link_ids)
            messages.success(
                request,
                f"Merged {actor} into {into}: {claims} claim{pluralize(claims)}, {aliases}"
                f" alias{pluralize(aliases, 'es')} and {links} link{pluralize(links)} moved."
                " Undo it under “Merged here”.",
            )
            return redirect("actor-detail", into.pk)
    context = {
        "actor": actor,
        "error": error,
        "claim_count": actor.claims.count(),
        "alias_count": actor.aliases.count(),
        "link_count": ClaimLink.objects.filter(target_actor=actor).count(),
    }
    return render(request, "sources/actor_merge.html", context, status=400 if error else 200)


@login_required
@permission_required("sources.change_actor", raise_exception=True)
@require_POST
def actor_merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a merge (any editor may), unless what it moved has changed since."""
    merge = get_object_or_404(ActorMerge.objects.select_related("merged", "into"), pk=pk)
    try:
        merging.actor_merge_undo(merge=merge, by=request.user)
    except merging.MergeRefused as refusal:
        messages.error(request, f"The merge was not undone: {refusal}")
    else:
        messages.success(request, f"Undid the merge of {merge.merged} into {merge.into}.")
    return redirect("actor-detail", merge.merged_id)


@require_GET
@vary_on_headers("HX-Request")
def actor_autocomplete(request: HttpRequest) -> HttpResponse:
    """The actor picker's options for what was typed (`q`, or `<field>_text` from the picker's own text
    box). Without htmx there is no picker to fill, so the search goes to the actor list."""
    field = request.GET.get("field", "")
    text = " ".join((request.GET.get("q") or request.GET.get(f"{field}_text", "")).split())
    if not request.htmx:
        return redirect(f"{reverse('actor-list')}?{urlencode({'q': text})}")
    excluded = request.GET.get("exclude", "")
    matches = [
        match
        for match in actors_matching(text)
        if not (excluded.isdigit() and match.actor.pk == int(excluded))
    ]
    context = {
        "matches": matches,
        "text": text,
        "offer_new": bool(text)
        and request.GET.get("new") != "0"
        and not any(match.actor.name.lower() == text.lower() for match in matches),
    }
    return render(request, "sources/_actor_picker.html#actor-options", context)
