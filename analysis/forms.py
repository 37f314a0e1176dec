"""Forms of the analyst workflow: events, explanations with their rule configuration, ratings."""

from __future__ import annotations

from django import forms

from analysis.models import Event, Explanation, Rating


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["name", "slug", "place", "occurred_on", "description"]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"slug": "The event's address: lower-case words joined by hyphens."}


def keywords_from_text(text: str) -> list[str]:
    """Comma-separated words or phrases as the lower-case list the proposal rules read, without
    repeats or empty entries."""
    return list(dict.fromkeys(" ".join(part.split()).lower() for part in text.split(",") if part.strip()))


class ExplanationForm(forms.ModelForm):
    """An explanation and its keywords; its actors come from the actor picker and the keep boxes."""

    keywords_text = forms.CharField(
        required=False,
        label="Keywords",
        max_length=2000,
        help_text="Comma-separated words or phrases, e.g. claimed responsibility, false flag.",
    )

    class Meta:
        model = Explanation
        fields = ["title", "summary", "position"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["keywords_text"] = ", ".join(self.instance.keywords)

    def clean_keywords_text(self) -> list[str]:
        keywords = keywords_from_text(self.cleaned_data["keywords_text"])
        too_long = [keyword for keyword in keywords if len(keyword) > 100]
        if too_long:
            raise forms.ValidationError(f"A keyword has at most 100 characters: “{too_long[0][:40]}…”.")
        return keywords

    def validate_unique(self) -> None:
        # The event is set by the view after validation; check the title per event here.
        super().validate_unique()
        event_id = self.instance.event_id
        title = self.cleaned_data.get("title")
        if event_id and title:
            taken = Explanation.objects.filter(event_id=event_id, title__iexact=title).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error("title", "This event already has an explanation with that title.")


class RatingForm(forms.ModelForm):
    class Meta:
        model = Rating
        fields = ["consistency", "credibility", "relevance", "note"]
        widgets = {
            "consistency": forms.RadioSelect,
            "note": forms.TextInput(attrs={"placeholder": "why (optional)"}),
        }


class DecisionForm(forms.Form):
    """A decision on a proposal, named by the submit button pressed."""

    ACTIONS = {
        "supports": ("confirmed", "supports"),
        "rebuts": ("confirmed", "rebuts"),
        "dismiss": ("dismissed", None),
    }
    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS])


class AddEvidenceForm(forms.Form):
    """A claim an analyst adds by hand under one of the event's explanations."""

    claim = forms.IntegerField(min_value=1, label="Claim id")
    explanation = forms.ModelChoiceField(queryset=Explanation.objects.none())
    stance = forms.ChoiceField(choices=[("supports", "supports"), ("rebuts", "rebuts")])

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["explanation"].queryset = event.explanations.all()
