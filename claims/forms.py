"""Forms editors fill in: correcting a claim and linking it."""

from __future__ import annotations

from django import forms
from django.contrib.postgres.search import SearchQuery

from articles.models import Document
from claims.models import Claim, ClaimLink


class ClaimEditForm(forms.ModelForm):
    """The fields an editor corrects directly; speaker and spans come from their own pickers."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Claim
        fields = [
            "kind",
            "polarity",
            "is_direct_quote",
            "said_on",
            "headline",
            "review_rating",
            "review_rating_label",
        ]
        labels = {"is_direct_quote": "Direct quote", "said_on": "Date said"}
        widgets = {"said_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"headline": "Left as it is, the headline follows changes to speaker, spans or date."}


class LinkForm(forms.Form):
    """A link from a claim to a claim, an actor, a passage of a document or an external page."""

    kind = forms.ChoiceField(choices=ClaimLink.Kind.choices)
    target_claim = forms.ModelChoiceField(
        queryset=Claim.objects.visible(), required=False, widget=forms.HiddenInput
    )
    document = forms.ModelChoiceField(
        queryset=Document.objects.all(), required=False, widget=forms.HiddenInput
    )
    passage = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Words copied from the document, found in its text exactly.",
    )
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https", label="External URL")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, claim: Claim, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.claim = claim

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http and https addresses can be linked.")
        return url

    def clean(self) -> dict:
        data = super().clean()
        kind, target = data.get("kind"), data.get("target_claim")
        if target is not None and target.pk == self.claim.pk:
            raise forms.ValidationError("A claim cannot be linked to itself.")
        document, passage = data.get("document"), (data.get("passage") or "").strip()
        data["target_start"] = data["target_end"] = None
        if passage:
            document = data["document"] = document or _document_quoting(passage)
            start = document.text.find(passage)
            if start < 0:
                raise forms.ValidationError(f"The passage is not in “{document}” word for word.")
            data["target_start"], data["target_end"] = start, start + len(passage)
        if kind in (ClaimLink.Kind.REBUTTAL, ClaimLink.Kind.SAME) and target is None:
            raise forms.ValidationError(f"A {ClaimLink.Kind(kind).label} link needs another claim.")
        if kind == ClaimLink.Kind.EVIDENCE and not (target or passage or data.get("url")):
            raise forms.ValidationError(
                "Evidence is another claim, a passage of a document or an external URL."
            )
        if kind == ClaimLink.Kind.SOURCE and not (document or data.get("url") or self.claim.speaker_id):
            raise forms.ValidationError("A source is the speaker, a document or an external URL.")
        return data


def _document_quoting(passage: str) -> Document:
    """The one document whose text holds `passage` word for word (the search index narrows it first)."""
    quoting = Document.objects.filter(
        search=SearchQuery(passage, search_type="plain", config="english"), text__contains=passage
    ).order_by("pk")[:2]
    if not quoting:
        raise forms.ValidationError("No document holds this passage word for word.")
    if len(quoting) > 1:
        raise forms.ValidationError(
            f"Several documents hold this passage ({quoting[0]}, {quoting[1]}…): quote a longer one."
        )
    return quoting[0]
