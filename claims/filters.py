"""Claim list filters: one form validates the URL's query string, one function applies it."""

from __future__ import annotations

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.choices import CallableChoiceIterator

from analysis.models import Evidence, Explanation
from claims.models import Claim
from claimtracker.search import MARK_END, MARK_START

SORTS = {
    "relevance": ["-rank", "-said_on", "pk"],
    "said": ["said_on", "pk"],
    "-said": [F("said_on").desc(nulls_last=True), "-pk"],
    "confidence": ["-confidence", "pk"],
    "document": ["document", "sentence_start", "pk"],
}


class ChoicesReadOnce(CallableChoiceIterator):
    """Choices from the database, read when first needed and then kept for the form's life: a plain
    callable is called again at validation and at rendering, and not at all when neither happens."""

    def __init__(self, func) -> None:
        super().__init__(func)
        self.read: list | None = None

    def __iter__(self):
        if self.read is None:
            self.read = list(super().__iter__())
        yield from self.read


def explanation_choices() -> list[tuple]:
    """Explanations grouped by their event, for the filter's select."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for explanation in Explanation.objects.select_related("event"):
        groups.setdefault(explanation.event.name, []).append((explanation.pk, explanation.title))
    return [("", "any explanation"), *groups.items()]


class ClaimFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    speaker = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    kind = forms.ChoiceField(required=False, choices=[("", "any kind"), *Claim.Kind.choices])
    status = forms.ChoiceField(required=False, choices=[("", "all but rejected"), *Claim.Status.choices])
    outlet = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    document = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    said_from = forms.DateField(
        required=False, label="Said from", widget=forms.DateInput(attrs={"type": "date"})
    )
    said_to = forms.DateField(required=False, label="to", widget=forms.DateInput(attrs={"type": "date"}))
    explanation = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=explanation_choices
    )
    stance = forms.ChoiceField(required=False, choices=[("", "supports or rebuts"), *Evidence.Stance.choices])
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["explanation"].choices = ChoicesReadOnce(explanation_choices)


def filter_claims(claims: QuerySet[Claim], criteria: dict) -> QuerySet[Claim]:
    """Apply validated `ClaimFilterForm` data; a search ranks by relevance and adds a marked `snippet`.
    An explanation and/or a stance keep claims with confirmed evidence matching both. Rejected claims
    show only when the status filter asks for them, as everywhere readers look."""
    if not criteria.get("status"):
        claims = claims.visible()
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
    if criteria.get("explanation") or criteria.get("stance"):
        # Only evidence an analyst confirmed counts; proposals and dismissals do not.
        evidence = Evidence.objects.filter(claim=OuterRef("pk"), status=Evidence.Status.CONFIRMED)
        if criteria.get("explanation"):
            evidence = evidence.filter(explanation=criteria["explanation"])
        if criteria.get("stance"):
            evidence = evidence.filter(stance=criteria["stance"])
        claims = claims.filter(Exists(evidence))
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
