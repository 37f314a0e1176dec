"""Events and their competing explanations, and the attributed claims analysts weigh for and against them
(analysis of competing hypotheses, with every piece of evidence traceable to its passage)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models


class Event(models.Model):
    """Something that happened and is contested, e.g. the Crocus City Hall attack of 22 March 2024."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    place = models.CharField(max_length=200, blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "name"]

    def __str__(self) -> str:
        return self.name


class Explanation(models.Model):
    """One competing account of an event ("ISIS-K carried it out")."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="explanations")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Column order on the comparison.")
    # Rule configuration for proposing evidence (analysis.proposals): a claim that names one of these
    # actors or contains one of these terms is proposed under this explanation.
    actors = models.ManyToManyField(
        "sources.Actor",
        blank=True,
        related_name="explanations",
        help_text="Actors whose involvement the explanation asserts (ISIS-K; Ukraine; the FSB).",
    )
    keywords = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text="Lower-case words or phrases that bear on it (“claimed responsibility”, “false flag”).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "title"], name="explanation_title_per_event")]

    def __str__(self) -> str:
        return self.title


class Evidence(models.Model):
    """A claim bearing on an explanation, supporting or rebutting it. Rules propose these; an analyst
    confirms or dismisses each proposal, and only confirmed evidence counts."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "supports"
        REBUTS = "rebuts", "rebuts"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "proposed"
        CONFIRMED = "confirmed", "confirmed"
        DISMISSED = "dismissed", "dismissed"

    explanation = models.ForeignKey(Explanation, on_delete=models.PROTECT, related_name="evidence")
    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=8, choices=Stance.choices)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PROPOSED)
    rule = models.CharField(
        max_length=80, blank=True, help_text="The rule that proposed it; empty if by hand."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["explanation", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["explanation", "claim"], name="evidence_once_per_explanation")
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id} {self.stance} {self.explanation}"


class Rating(models.Model):
    """One analyst's ACH rating of how consistent a claim is with an explanation, with weights."""

    class Consistency(models.TextChoices):
        VERY_CONSISTENT = "CC", "very consistent"
        CONSISTENT = "C", "consistent"
        NEUTRAL = "N", "neutral / not applicable"
        INCONSISTENT = "I", "inconsistent"
        VERY_INCONSISTENT = "II", "very inconsistent"

    class Weight(models.TextChoices):
        LOW = "low", "low"
        MEDIUM = "medium", "medium"
        HIGH = "high", "high"

    explanation = models.ForeignKey(Explanation, on_delete=models.PROTECT, related_name="ratings")
    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="ratings")
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings")
    consistency = models.CharField(max_length=2, choices=Consistency.choices)
    credibility = models.CharField(max_length=6, choices=Weight.choices, default=Weight.MEDIUM)
    relevance = models.CharField(max_length=6, choices=Weight.choices, default=Weight.MEDIUM)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["explanation", "claim", "analyst"]
        constraints = [
            models.UniqueConstraint(
                fields=["explanation", "claim", "analyst"], name="rating_once_per_analyst"
            )
        ]

    def __str__(self) -> str:
        return f"{self.analyst}: claim {self.claim_id} {self.consistency} with {self.explanation}"
