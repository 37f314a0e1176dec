"""Attributed claims: who (source) said (cue) what (content), when, found by the extractor or by editors."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# What a row of a claim list shows (headline, kind, quote or not, speaker, date, outlet, status).
ROW_FIELDS = (
    "headline",
    "kind",
    "polarity",
    "is_direct_quote",
    "speaker__name",
    "speaker_text",
    "said_on",
    "said_on_source",
    "status",
    "document__outlet__name",
)
# Columns no list shows, each bigger than a row: the search vectors, a document's text and offset map.
BIG_COLUMNS = (
    "search",
    "document__text",
    "document__offset_map",
    "document__search",
    "document__warnings",
    "document__standfirst",
)


class ClaimQuerySet(models.QuerySet):
    def machine(self) -> ClaimQuerySet:
        return self.filter(status=Claim.Status.MACHINE)

    def reviewed(self) -> ClaimQuerySet:
        """Claims a person has decided on; extraction never touches these."""
        return self.exclude(status=Claim.Status.MACHINE)

    def visible(self) -> ClaimQuerySet:
        """What readers see: everything but claims an editor rejected."""
        return self.exclude(status=Claim.Status.REJECTED)

    def listed(self) -> ClaimQuerySet:
        """Claims as the pages' lists show them: speaker and outlet joined in, and only the columns a row
        shows; the rest (the document's whole text among them) would cost more than the page."""
        return self.select_related("speaker", "document__outlet").only(*ROW_FIELDS)

    def replaceable(self) -> ClaimQuerySet:
        """Machine claims no person has touched (no change, no link to or from them): a new extractor
        version may drop these and find them again."""
        return self.machine().filter(changes__isnull=True, incoming_links__isnull=True)


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
    # An editor's verdict on the claim, published as ClaimReview's reviewRating (bestRating 5, worstRating 1).
    review_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (false) to 5 (accurate); empty when no editor has rated the claim.",
    )
    review_rating_label = models.CharField(
        max_length=60, blank=True, help_text="The verdict in words, e.g. “False”, “Misleading”, “Accurate”."
    )
    search = models.GeneratedField(
        expression=SearchVector("headline", weight="A", config="english")
        + SearchVector("speaker_text", weight="A", config="english")
        + SearchVector("content_text", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # Bumped by every recorded change; an edit names the version it started from (optimistic locking).
    version = models.PositiveIntegerField(default=1)
    cluster = models.ForeignKey(
        "ClaimCluster",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        help_text="Reports of the same statement; see ClaimLink.Kind.SAME.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for claims the extractor found.",
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
                condition=models.Q(review_rating__isnull=True)
                | models.Q(review_rating__gte=1) & models.Q(review_rating__lte=5),
                name="claim_review_rating_1_to_5",
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


class ClaimCluster(models.Model):
    """One statement reported by several outlets: its claims count once as a source."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"same-claim cluster {self.pk}"


class ClaimLinkQuerySet(models.QuerySet):
    def active(self) -> ClaimLinkQuerySet:
        return self.filter(removed_at__isnull=True)


class ClaimLink(models.Model):
    """A typed, directed link from a claim to what stands behind or against it. Removing a link only
    marks it removed, so undo and history never lose it."""

    class Kind(models.TextChoices):
        SOURCE = "source", "source"
        EVIDENCE = "evidence", "evidence"
        REBUTTAL = "rebuttal", "rebuttal"
        SAME = "same", "same claim"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target_claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="incoming_links"
    )
    target_actor = models.ForeignKey(
        "sources.Actor", null=True, blank=True, on_delete=models.PROTECT, related_name="claim_links"
    )
    target_document = models.ForeignKey(
        "articles.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="claim_links"
    )
    # A passage of target_document, as character offsets into its text.
    target_start = models.PositiveIntegerField(null=True, blank=True)
    target_end = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ClaimLinkQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "kind", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(target_claim=models.F("claim")), name="claimlink_not_to_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["rebuttal", "same"], target_claim__isnull=False)
                | models.Q(kind="evidence")
                & (
                    models.Q(target_claim__isnull=False)
                    | models.Q(target_document__isnull=False, target_start__isnull=False)
                    | ~models.Q(url="")
                )
                | models.Q(kind="source")
                & (
                    models.Q(target_actor__isnull=False)
                    | models.Q(target_document__isnull=False)
                    | ~models.Q(url="")
                ),
                name="claimlink_target_fits_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(target_start__isnull=True, target_end__isnull=True)
                | models.Q(target_document__isnull=False, target_start__lt=models.F("target_end")),
                name="claimlink_passage_ordered",
            ),
            models.UniqueConstraint(
                fields=["claim", "kind", "target_claim"],
                condition=models.Q(removed_at__isnull=True, target_claim__isnull=False),
                name="claimlink_once_per_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of claim {self.claim_id}"

    @property
    def passage(self) -> str:
        """The linked words of the target document, if the link names a passage."""
        if self.target_document_id is None or self.target_start is None:
            return ""
        return self.target_document.text[self.target_start : self.target_end]


class ClaimChange(models.Model):
    """One recorded change to a claim, its spans or its links: who, when, and the fields before → after.
    Rows are only ever added; an undo is a new change that points at the one it reverses."""

    class Action(models.TextChoices):
        CREATED = "created", "created"
        EDITED = "edited", "edited"
        CONFIRMED = "confirmed", "confirmed"
        REJECTED = "rejected", "rejected"
        LINKED = "linked", "linked"
        UNLINKED = "unlinked", "unlinked"
        SPEAKER_MERGED = "speaker_merged", "speaker merged"
        UNDONE = "undone", "undone"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="changes")
    link = models.ForeignKey(
        ClaimLink, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(help_text="The claim's version this change produced.")
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )

    class Meta:
        ordering = ["claim", "-version", "-pk"]
        indexes = [models.Index(fields=["claim", "-version"], name="claimchange_claim_version")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} claim {self.claim_id} (v{self.version})"


class ReviewLease(models.Model):
    """A machine claim handed to one editor in the review queue, so two editors never get the same one."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="review_lease")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"claim {self.claim_id} held by {self.user} until {self.expires_at:%H:%M}"
