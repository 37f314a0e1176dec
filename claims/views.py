from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from articles.models import Document
from claims.filters import ClaimFilterForm, filter_claims
from claims.models import Claim
from claims.passages import passage_pieces
from claimtracker.search import highlighted
from sources.models import Actor, Outlet

CLAIMS_PER_PAGE = 30


@require_GET
@vary_on_headers("HX-Request")
def claim_list(request: HttpRequest) -> HttpResponse:
    """Claims filtered by speaker, kind, outlet, document, date said, status and full text; the filters
    live in the URL so a view can be shared. An htmx request gets only the results."""
    form = ClaimFilterForm(request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    claims = filter_claims(Claim.objects.select_related("speaker", "document__outlet"), criteria)
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    for claim in page:
        if criteria.get("q"):
            claim.snippet = highlighted(claim.snippet)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "chosen": {
            name: model.objects.filter(pk=criteria[name]).first()
            for name, model in (("speaker", Actor), ("outlet", Outlet), ("document", Document))
            if criteria.get(name)
        },
    }
    template = "claims/claim_list.html#claim-results" if request.htmx else "claims/claim_list.html"
    return render(request, template, context)


@require_GET
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One claim: who, what, when and how the date was found, and the exact passage it came from."""
    claim = get_object_or_404(
        Claim.objects.select_related("speaker__part_of", "document__source_file", "document__outlet", "post"),
        pk=pk,
    )
    context = {
        "claim": claim,
        "pieces": passage_pieces(claim, context=300),
        "source_offset": claim.document.source_offset(claim.sentence_start),
    }
    return render(request, "claims/claim_detail.html", context)
