"""Source files as ingested, and the documents, posts and captions found in them.

Every stored piece of text keeps its place in the original file: documents, posts and captions record
their character span in `SourceFile.text` (the decoded file), and a document's cleaned text carries an
offset map back to those source offsets.
"""

from __future__ import annotations

from bisect import bisect_right

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils import timezone

from articles.parsing import model as parsed


def file_content(relation: str) -> list[str]:
    """The columns holding a whole source file, its bytes and decoded text (megabytes for a big dump),
    through `relation` ("source_file", "document__source_file"): to defer wherever documents or claims
    are loaded with their file for its name."""
    return [f"{relation}__raw", f"{relation}__text"]


class SourceFile(models.Model):
    """One version of an ingested file: its raw bytes verbatim, never overwritten."""

    original_name = models.CharField(max_length=255, help_text="File name as it was ingested.")
    version = models.PositiveIntegerField(default=1, help_text="1 for the first bytes seen under this name.")
    raw = models.BinaryField(help_text="The file's bytes exactly as read.")
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    encoding = models.CharField(max_length=40, help_text="Encoding the bytes were decoded with.")
    text = models.TextField(help_text="The decoded file; every span below indexes into it.")
    format = models.CharField(max_length=40, help_text="The parser that recognised the file.")
    reposted_by = models.CharField(max_length=200, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["original_name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["original_name", "version"], name="sourcefile_name_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"


class Document(models.Model):
    """An article or a thread found in a source file."""

    class Kind(models.TextChoices):
        ARTICLE = parsed.DocumentKind.ARTICLE.value, "article"
        FORUM_THREAD = parsed.DocumentKind.FORUM_THREAD.value, "forum thread"
        COMMENT_THREAD = parsed.DocumentKind.COMMENT_THREAD.value, "comment thread"

    class Provenance(models.TextChoices):
        STATED = parsed.Provenance.STATED.value, "stated in the text"
        INFERRED = parsed.Provenance.INFERRED.value, "inferred from the text"
        UNKNOWN = parsed.Provenance.UNKNOWN.value, "unknown"

    source_file = models.ForeignKey(SourceFile, on_delete=models.PROTECT, related_name="documents")
    position = models.PositiveIntegerField(help_text="Order of the document within its file.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=500, blank=True)
    section = models.CharField(max_length=200, blank=True)
    authors = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    outlet = models.ForeignKey(
        "sources.Outlet", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    outlet_provenance = models.CharField(
        max_length=10, choices=Provenance.choices, default=Provenance.UNKNOWN
    )
    syndicated_from = models.ForeignKey(
        "sources.Outlet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="syndicated_documents",
        help_text="The original publisher of a republished piece.",
    )
    published_on = models.DateField(null=True, blank=True)
    published_provenance = models.CharField(
        max_length=10, choices=Provenance.choices, default=Provenance.UNKNOWN
    )
    standfirst = models.TextField(blank=True)
    comments_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="comment_threads"
    )
    text = models.TextField(help_text="Cleaned text: prose without chrome or captions.")
    # [[text_offset, source_offset, length], ...]: each kept piece of the source, in order.
    offset_map = models.JSONField(default=list)
    source_start = models.PositiveIntegerField()
    source_end = models.PositiveIntegerField()
    warnings = models.JSONField(default=list, blank=True)
    search = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("text", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source_file", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source_file", "position"], name="document_position_unique"),
            models.CheckConstraint(
                condition=models.Q(source_start__lte=models.F("source_end")), name="document_span_ordered"
            ),
        ]
        indexes = [
            GinIndex(fields=["search"], name="document_search_gin"),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="document_title_trgm"),
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        if self.comments_on_id:
            return f"Comments on “{self.comments_on}”"
        return f"{self.get_kind_display()} {self.position + 1} of {self.source_file}"

    def source_offset(self, text_offset: int) -> int:
        """Where the character at `text_offset` of the cleaned text sits in the decoded source file."""
        starts = [piece[0] for piece in self.offset_map]
        index = bisect_right(starts, text_offset) - 1
        if index < 0 or not 0 <= text_offset <= len(self.text):
            raise ValueError(f"offset {text_offset} is outside document {self.pk}")
        piece_text_start, piece_source_start, length = self.offset_map[index]
        # Offsets in the separators between pieces map to the end of the previous piece.
        return piece_source_start + min(text_offset - piece_text_start, length)


class Post(models.Model):
    """A forum post or a comment within a thread document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    position = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.CharField(max_length=200, blank=True)
    likes = models.PositiveIntegerField(null=True, blank=True)
    text_start = models.PositiveIntegerField(help_text="Span of the post in its document's text.")
    text_end = models.PositiveIntegerField()
    source_start = models.PositiveIntegerField(help_text="Span of the post in the decoded source file.")
    source_end = models.PositiveIntegerField()

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="post_position_unique"),
            models.CheckConstraint(
                condition=models.Q(text_start__lte=models.F("text_end"))
                & models.Q(source_start__lte=models.F("source_end")),
                name="post_spans_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"post {self.position + 1} of {self.document}"

    @property
    def text(self) -> str:
        return self.document.text[self.text_start : self.text_end]


class Caption(models.Model):
    """A photo caption, kept apart from the document's prose."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="captions")
    position = models.PositiveIntegerField()
    text = models.TextField()
    credit = models.CharField(max_length=300, blank=True)
    source_start = models.PositiveIntegerField()
    source_end = models.PositiveIntegerField()

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="caption_position_unique"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class UploadBatchQuerySet(models.QuerySet["UploadBatch"]):
    def for_user(self, user) -> UploadBatchQuerySet:
        """The batches `user` started, newest first."""
        return self.filter(created_by=user).order_by("-created_at")


class UploadBatch(models.Model):
    """Files handed in together (an upload, or `ingest --background`), ingested and extracted by workers."""

    class Origin(models.TextChoices):
        WEB = "web", "upload page"
        CLI = "cli", "ingest --background"

    origin = models.CharField(max_length=3, choices=Origin.choices, default=Origin.WEB)
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="upload_batches"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UploadBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "upload batches"

    def __str__(self) -> str:
        return f"upload {self.pk}"


class UploadItem(models.Model):
    """One file of a batch and how far the background work on it has come: the upload page shows this.

    The bytes are staged here before any task is enqueued, so a worker on any machine sharing the database
    can ingest them; they are dropped once they are kept as a `SourceFile`.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        INGESTING = "ingesting", "ingesting"
        EXTRACTING = "extracting", "extracting"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    FINISHED = (State.DONE, State.FAILED)

    batch = models.ForeignKey(UploadBatch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255, help_text="File name (inside a .zip: its path there).")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    raw = models.BinaryField(blank=True, help_text="The staged bytes until they are ingested.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    reason = models.TextField(blank=True, help_text="Why it failed.")
    note = models.TextField(blank=True, help_text="What ingesting it found.")
    source_file = models.ForeignKey(
        SourceFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="upload_items"
    )
    documents = models.PositiveIntegerField(default=0)
    documents_extracted = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    claims = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, help_text="The django.tasks result of its ingest.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="uploaditem_position_unique"),
        ]
        indexes = [models.Index(fields=["state"], name="uploaditem_state_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    def fail(self, reason: str) -> None:
        """Stop showing progress and say why; a later delivery of its tasks then does nothing."""
        self.state, self.reason, self.finished_at = self.State.FAILED, reason, timezone.now()
        UploadItem.objects.filter(pk=self.pk).update(
            state=self.state, reason=reason, finished_at=self.finished_at, updated_at=self.finished_at
        )
