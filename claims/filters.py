"""Claim list filters: one form validates the URL's query string, one function applies it."""

from __future__ import annotations

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F, QuerySet

from claims.models import Claim
from claimtracker.search import MARK_END, MARK_START

SORTS = {
    "relevance": ["-rank", "-said_on", "pk"],
    "said": ["said_on", "pk"],
    "-said": [F("said_on").desc(nulls_last=True), "-pk"],
    "confidence": ["-confidence", "pk"],
    "document": ["document", "sentence_start", "pk"],
}


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClaimFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    speaker = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    kind = forms.ChoiceField(required=False, choices=[("", "any kind"), *Claim.Kind.choices])
    status = forms.ChoiceField(required=False, choices=[("", "any status"), *Claim.Status.choices])
    outlet = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    document = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    said_from = forms.DateField(
        required=False, label="Said from", widget=forms.DateInput(attrs={"type": "date"})
    )
    said_to = forms.DateField(required=False, label="to", widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("-said", "newest said first"),
            ("said", "oldest said first"),
            ("relevance", "relevance (with a search)"),
            ("confidence", "most confident first"),
            ("document", "by document"),
        ],
    )


def filter_claims(claims: QuerySet[Claim], criteria: dict) -> QuerySet[Claim]:
    """Apply validated `ClaimFilterForm` data; a search ranks by relevance and adds a marked `snippet`."""
    for field in ("speaker", "outlet", "document"):
        if criteria.get(field):
            lookup = "document__outlet" if field == "outlet" else field
            claims = claims.filter(**{lookup: criteria[field]})
    for field in ("kind", "status"):
        if criteria.get(field):
            claims = claims.filter(**{field: criteria[field]})
    if criteria.get("said_from"):
        claims = claims.filter(said_on__gte=criteria["said_from"])
    if criteria.get("said_to"):
        claims = claims.filter(said_on__lte=criteria["said_to"])
    sort = criteria.get("sort") or "-said"
    if criteria.get("q"):
        search = SearchQuery(criteria["q"], search_type="websearch", config="english")
        claims = claims.filter(search=search).annotate(
            rank=SearchRank(F("search"), search),
            snippet=SearchHeadline(
                "content_text",
                search,
                config="english",
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=30,
            ),
        )
        sort = criteria.get("sort") or "relevance"
    elif sort == "relevance":
        sort = "-said"
    return claims.order_by(*SORTS[sort])
