"""Background work on uploaded files: django.tasks on the PostgreSQL queue (workers: `manage.py db_worker`).

Thin adapters around the ingest and extraction services, taking ids only. Each file is one ingest task;
its documents are then extracted by several tasks of about `EXTRACT_TASK_MAX_CHARS` each, so the workers
share a big file while spaCy still parses in batches. Every task may be delivered more than once (a lost
worker's task is run again, see articles/leases.py) and does nothing the second time: ingestion skips
identical bytes, `extract_claims` skips documents this extractor version already ran on, and progress is
recounted from what is stored rather than incremented.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.dispatch import receiver
from django.tasks import task
from django.utils import timezone

from articles.ingest import Status, ingest_bytes
from articles.leases import task_abandoned
from articles.models import Document, Post, SourceFile, UploadBatch, UploadItem
from claims.extraction import EXTRACTOR_VERSION
from claims.models import Claim, ExtractionRun
from claims.services import documents_needing_extraction, extract_claims

logger = logging.getLogger(__name__)

State = UploadItem.State


def enqueue_batch(batch: UploadBatch) -> None:
    """One ingest task per queued file of `batch`. The queue rows commit with the caller's transaction."""
    with transaction.atomic():
        for item in batch.items.filter(state=State.QUEUED):
            result = ingest_upload.enqueue(item.pk)
            UploadItem.objects.filter(pk=item.pk, task_id="").update(task_id=str(result.id))


@task()
def ingest_upload(item_id: int) -> str:
    """Ingest a staged file, then enqueue the extraction of its documents."""
    item = UploadItem.objects.filter(pk=item_id).first()
    if item is None or item.state not in (State.QUEUED, State.INGESTING):
        return "already ingested"
    UploadItem.objects.filter(pk=item_id).update(state=State.INGESTING, updated_at=timezone.now())
    try:
        outcome = ingest_bytes(bytes(item.raw), name=item.name)
    except Exception as exc:
        item.fail(f"internal error, nothing was stored: {type(exc).__name__}: {exc}")
        raise
    if outcome.status == Status.FAILED:
        item.fail(outcome.message.removeprefix("failed: "))
        return outcome.message
    _start_extraction(item, outcome.source_file, note=outcome.message)
    return outcome.message


def _start_extraction(item: UploadItem, source_file: SourceFile, *, note: str) -> None:
    """Record what the file holds and enqueue its documents' extraction, in one transaction."""
    with transaction.atomic():
        documents = source_file.documents.all()
        UploadItem.objects.filter(pk=item.pk).update(
            state=State.EXTRACTING,
            source_file=source_file,
            documents=documents.count(),
            posts=Post.objects.filter(document__source_file=source_file).count(),
            note=note,
            raw=b"",  # kept as the source file's bytes from now on
            updated_at=timezone.now(),
        )
        for document_ids in pending_chunks(documents, max_chars=settings.EXTRACT_TASK_MAX_CHARS):
            extract_upload_documents.enqueue(item.pk, document_ids)
        refresh_progress(item.pk)


def pending_chunks(documents: QuerySet[Document], *, max_chars: int) -> Iterator[list[int]]:
    """Ids of those of `documents` this extractor version has not run on, in order, in lists of at most
    `max_chars` characters of text (a longer document on its own).

    Only ids and lengths are loaded: the texts of a big file's documents, all at once, take far more memory
    than the file itself, so callers load and extract one chunk at a time."""
    pending = documents_needing_extraction(documents.annotate(length=Length("text")).only("pk"))
    chunk: list[int] = []
    size = 0
    for document in pending:
        if chunk and size + document.length > max_chars:
            yield chunk
            chunk, size = [], 0
        chunk.append(document.pk)
        size += document.length
    if chunk:
        yield chunk


@task()
def extract_upload_documents(item_id: int, document_ids: list[int]) -> int:
    """Extract claims from those documents not yet extracted by this version; the number of claims made.
    Progress is recounted once they are stored (a task holds a chunk of a file, so progress moves a chunk
    at a time)."""
    pending = documents_needing_extraction(Document.objects.filter(pk__in=document_ids))
    if settings.EXTRACT_TEST_DELAY_SECONDS:
        time.sleep(settings.EXTRACT_TEST_DELAY_SECONDS)
    try:
        report = extract_claims(pending)
    except Exception as exc:
        item = UploadItem.objects.filter(pk=item_id).first()
        if item:
            item.fail(f"extracting claims failed: {type(exc).__name__}: {exc}")
        raise
    refresh_progress(item_id)
    return report.claims


@receiver(task_abandoned)
def fail_abandoned_item(sender: type, task_path: str, args: list, **kwargs) -> None:
    """A file whose task killed its worker again and again (too big for memory, say) is failed, not stuck."""
    if task_path in (ingest_upload.module_path, extract_upload_documents.module_path) and args:
        item = UploadItem.objects.filter(pk=args[0]).first()
        if item and not item.finished:
            item.fail("a worker died on it again and again (out of memory?); nothing more will be tried")


def refresh_progress(item_id: int) -> None:
    """Recount the item's extracted documents and claims from what is stored; done when all are extracted.

    The row lock serialises tasks finishing the same file at once, so one of them sees every run."""
    with transaction.atomic():
        item = UploadItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None or item.state != State.EXTRACTING:
            return
        item.documents_extracted = ExtractionRun.objects.filter(
            document__source_file=item.source_file_id, extractor_version=EXTRACTOR_VERSION
        ).count()
        item.claims = Claim.objects.filter(document__source_file=item.source_file_id).count()
        if item.documents_extracted >= item.documents:
            item.state, item.finished_at = State.DONE, timezone.now()
        item.save(update_fields=["documents_extracted", "claims", "state", "finished_at", "updated_at"])
