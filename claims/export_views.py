"""Downloads and linked-data views of claims: ClaimReview JSON-LD, Web Annotations, CSV and JSON.

Public like the pages they export: anyone who can read a claim list can download it."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from articles.models import Document
from claims.exports import (
    annotation_collection,
    claim_review,
    csv_lines,
    exportable_claims,
    is_reviewed,
    json_chunks,
)
from claims.filters import ClaimFilterForm, filter_claims
from claims.models import Claim

JSON_LD = "application/ld+json"
ANNOTATION_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def _json(data: dict, content_type: str) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type=content_type)


@require_GET
def claim_review_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The claim's schema.org ClaimReview; 404 for claims nobody has confirmed or corrected."""
    claim = get_object_or_404(Claim.objects.select_related("speaker", "document__outlet"), pk=pk)
    if not is_reviewed(claim):
        raise Http404("Only confirmed or edited claims are published as reviews.")
    return _json(claim_review(claim, absolute=request.build_absolute_uri), JSON_LD)


@require_GET
def claim_annotations(request: HttpRequest, pk: int) -> HttpResponse:
    """The claim's source, cue and content spans as W3C Web Annotations."""
    claim = get_object_or_404(
        Claim.objects.select_related("document__source_file")
        .defer("document__source_file__raw")
        .prefetch_related("claim_spans"),
        pk=pk,
    )
    data = annotation_collection(
        [claim],
        collection_url=request.build_absolute_uri(),
        label=f"Spans of claim {claim.pk}: {claim.headline}",
        absolute=request.build_absolute_uri,
    )
    return _json(data, ANNOTATION_TYPE)


@require_GET
def document_annotations(request: HttpRequest, pk: int) -> HttpResponse:
    """Every span of the document's claims as one collection; rejected claims are left out, as in exports."""
    document = get_object_or_404(
        Document.objects.select_related("source_file").defer("source_file__raw"), pk=pk
    )
    claims = list(document.claims.visible().order_by("sentence_start", "pk").prefetch_related("claim_spans"))
    for claim in claims:
        claim.document = document  # one instance, so its text and source file load once
    data = annotation_collection(
        claims,
        collection_url=request.build_absolute_uri(),
        label=f"Claim spans in {document}",
        absolute=request.build_absolute_uri,
    )
    return _json(data, ANNOTATION_TYPE)


def _export(request: HttpRequest, extension: str, content_type: str) -> StreamingHttpResponse:
    form = ClaimFilterForm(request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    claims = exportable_claims(filter_claims(Claim.objects.all(), criteria))
    absolute = request.build_absolute_uri
    if extension == "csv":
        lines = csv_lines(claims, absolute=absolute)
    else:
        query = request.GET.copy()
        query.pop("page", None)
        lines = json_chunks(claims, absolute=absolute, query=query.urlencode())
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="claims.{extension}"'
    return response


@require_GET
def claims_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered claim list as CSV, streamed; cells that look like formulas are defused."""
    return _export(request, "csv", "text/csv; charset=utf-8")


@require_GET
def claims_json(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered claim list as JSON, streamed, with span words, links and explanations."""
    return _export(request, "json", "application/json")
