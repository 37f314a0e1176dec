"""Attributed claims: who (source) said (cue) what (content), when, found by the extractor or by editors."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models


class ClaimQuerySet(models.QuerySet):
    def machine(self) -> ClaimQuerySet:
        return self.filter(status=Claim.Status.MACHINE)

    def reviewed(self) -> ClaimQuerySet:
        """Claims a person has decided on; extraction never touches these."""
        return self.exclude(status=Claim.Status.MACHINE)

    def visible(self) -> ClaimQuerySet:
        """What readers see: everything but claims an editor rejected."""
        return self.exclude(status=Claim.Status.REJECTED)


class Claim(models.Model):
    class Kind(models.TextChoices):
        STATEMENT = "statement", "statement"
        QUOTE = "quote", "quote"
        BLAME = "blame", "blame"
        ACCUSATION = "accusation", "accusation"
        DENIAL = "denial", "denial"
        WARNING = "warning", "warning"
        RESPONSIBILITY_CLAIM = "responsibility_claim", "responsibility claim"
        BELIEF = "belief", "belief"
        REPORT = "report", "report"
        CONFIRMATION = "confirmation", "confirmation"
        INSISTENCE = "insistence", "insistence"
        LABELLING = "labelling", "labelling (calling X Y)"

    class Polarity(models.TextChoices):
        ASSERT = "assert", "asserts"
        DENY = "deny", "denies"

    class Status(models.TextChoices):
        MACHINE = "machine", "machine-extracted"
        CONFIRMED = "confirmed", "confirmed"
        EDITED = "edited", "edited"
        REJECTED = "rejected", "rejected"

    class DateSource(models.TextChoices):
        TEXT = "text", "stated in the text"
        PUBLICATION = "publication", "publication date of the document"
        UNKNOWN = "unknown", "unknown"

    document = models.ForeignKey("articles.Document", on_delete=models.PROTECT, related_name="claims")
    post = models.ForeignKey(
        "articles.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    sentence_start = models.PositiveIntegerField(help_text="Span of the sentence in the document text.")
    sentence_end = models.PositiveIntegerField()
    speaker = models.ForeignKey(
        "sources.Actor", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    speaker_text = models.CharField(max_length=300, blank=True, help_text="The source as the text names it.")
    cue_lemma = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.STATEMENT)
    polarity = models.CharField(max_length=6, choices=Polarity.choices, default=Polarity.ASSERT)
    is_direct_quote = models.BooleanField(default=False)
    content_text = models.TextField(help_text="The content pieces joined, for search and lists.")
    headline = models.CharField(max_length=300)
    said_on = models.DateField(null=True, blank=True)
    said_on_source = models.CharField(max_length=12, choices=DateSource.choices, default=DateSource.UNKNOWN)
    said_on_text = models.CharField(max_length=100, blank=True, help_text="The words that gave the date.")
    said_on_precision = models.CharField(max_length=5, blank=True, help_text="day, week, month or year")
    extractor_version = models.CharField(
        max_length=40, blank=True, help_text="Empty for claims made by hand."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MACHINE)
    confidence = models.FloatField(null=True, blank=True)
    search = models.GeneratedField(
        expression=SearchVector("headline", weight="A", config="english")
        + SearchVector("speaker_text", weight="A", config="english")
        + SearchVector("content_text", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["document", "sentence_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sentence_start__lte=models.F("sentence_end")),
                name="claim_sentence_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True)
                | models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                name="claim_confidence_in_unit_range",
            ),
        ]
        indexes = [
            GinIndex(fields=["search"], name="claim_search_gin"),
            GinIndex(fields=["content_text"], opclasses=["gin_trgm_ops"], name="claim_content_trgm"),
            models.Index(fields=["status", "document"], name="claim_status_document"),
            models.Index(fields=["speaker", "said_on"], name="claim_speaker_said_on"),
        ]

    def __str__(self) -> str:
        return self.headline

    def spans(self, role: str) -> list[tuple[int, int]]:
        return [(span.start, span.end) for span in self.claim_spans.all() if span.role == role]


class ClaimSpan(models.Model):
    """One piece of a claim's source, cue or content: character offsets into the document text."""

    class Role(models.TextChoices):
        SOURCE = "source", "source"
        CUE = "cue", "cue"
        CONTENT = "content", "content"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="claim_spans")
    role = models.CharField(max_length=8, choices=Role.choices)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["claim", "role", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="claimspan_not_empty"),
            models.UniqueConstraint(fields=["claim", "role", "start"], name="claimspan_unique_piece"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.start}–{self.end}"


class ExtractionRun(models.Model):
    """Marks a document as extracted by one extractor version, so re-running is a no-op."""

    document = models.ForeignKey(
        "articles.Document", on_delete=models.CASCADE, related_name="extraction_runs"
    )
    extractor_version = models.CharField(max_length=40)
    claims_created = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "extractor_version"], name="extractionrun_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} by {self.extractor_version}"
