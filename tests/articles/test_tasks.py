"""The upload tasks on the immediate backend: each file's states and counts, reasons for failures, and
that a task delivered twice changes nothing the second time."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models.functions import Length
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from articles import tasks
from articles.ingest import ingest_file
from articles.leases import requeue_lost_tasks
from articles.models import Document, UploadBatch, UploadItem
from articles.uploads import StagedFile, stage_batch
from claims.extraction import pipeline
from claims.models import Claim, ExtractionRun

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Kremlin rejects warning | World News\n\n"
    "The Kremlin said on Tuesday that the warning was “blackmail”, officials told reporters.\n\n"
    "Analysts said the claim was hard to check.\n"
)
State = UploadItem.State


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Services under test: run each task the moment it is enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def staged(*files: tuple[str, bytes]) -> UploadBatch:
    return stage_batch([StagedFile(name=name, raw=raw) for name, raw in files], by=None, origin="web")


def test_a_batch_is_ingested_and_extracted_with_counts(seeds_dir):
    seed = next(seeds_dir.glob("004_*.txt"))
    batch = staged(("kremlin.txt", ARTICLE.encode()), (seed.name, seed.read_bytes()))
    tasks.enqueue_batch(batch)
    items = list(batch.items.all())
    assert [item.state for item in items] == [State.DONE, State.DONE]
    for item in items:
        documents = Document.objects.filter(source_file=item.source_file)
        assert item.documents == documents.count() >= 1
        assert item.documents_extracted == item.documents
        assert item.claims == Claim.objects.filter(document__in=documents).count()
        assert item.note.startswith("ingested ")
        assert bytes(item.raw) == b""  # kept as the source file's bytes now
        assert item.task_id
        assert item.finished_at is not None
    assert items[0].claims >= 1


def test_a_file_that_is_not_text_fails_with_its_reason():
    batch = staged(("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8))
    tasks.enqueue_batch(batch)
    item = batch.items.get()
    assert item.state == State.FAILED
    assert item.reason and not item.reason.startswith("failed:")
    assert item.source_file is None
    assert item.finished_at is not None


def test_a_failing_extraction_marks_the_file_failed(monkeypatch):
    def broken(texts, batch_size=None):
        raise RuntimeError("model missing")

    monkeypatch.setattr(pipeline, "extract_attributions", broken)
    batch = staged(("kremlin.txt", ARTICLE.encode()))
    tasks.enqueue_batch(batch)
    item = batch.items.get()
    assert item.state == State.FAILED
    assert item.reason == "extracting claims failed: RuntimeError: model missing"


def test_identical_bytes_already_stored_are_done_without_new_claims():
    first = staged(("kremlin.txt", ARTICLE.encode()))
    tasks.enqueue_batch(first)
    claims = Claim.objects.count()
    second = staged(("copy.txt", ARTICLE.encode()))
    tasks.enqueue_batch(second)
    item = second.items.get()
    assert item.state == State.DONE
    assert item.note.startswith("unchanged: identical to kremlin.txt")
    assert item.source_file == first.items.get().source_file
    assert item.claims == claims == Claim.objects.count()
    assert ExtractionRun.objects.count() == item.documents


def test_tasks_delivered_again_change_nothing():
    batch = staged(("kremlin.txt", ARTICLE.encode()))
    tasks.enqueue_batch(batch)
    item = batch.items.get()
    before = (ExtractionRun.objects.count(), Claim.objects.count())
    tasks.ingest_upload.call(item.pk)
    tasks.extract_upload_documents.call(
        item.pk, list(item.source_file.documents.values_list("pk", flat=True))
    )
    item.refresh_from_db()
    assert item.state == State.DONE
    assert (ExtractionRun.objects.count(), Claim.objects.count()) == before
    assert item.claims == before[1]


def test_pending_documents_come_in_chunks_of_bounded_text_without_their_text(seeds_dir):
    source_file = ingest_file(next(seeds_dir.glob("002_*.txt"))).source_file  # several articles
    documents = source_file.documents.all()
    lengths = dict(documents.values_list("pk", Length("text")))
    limit = sum(lengths.values()) // 2
    with CaptureQueriesContext(connection) as queries:
        chunks = list(tasks.pending_chunks(documents, max_chars=limit))
    assert [pk for chunk in chunks for pk in chunk] == sorted(lengths)
    assert 1 < len(chunks) < len(lengths)
    assert all(len(chunk) == 1 or sum(lengths[pk] for pk in chunk) <= limit for chunk in chunks)
    assert [len(chunk) for chunk in tasks.pending_chunks(documents, max_chars=1)] == [1] * len(lengths)
    (query,) = queries.captured_queries
    selected = query["sql"].split(" FROM ")[0].replace('LENGTH("articles_document"."text")', "")
    assert '"text"' not in selected  # the lengths only


def test_a_file_with_several_chunks_finishes_once_all_are_extracted(settings, seeds_dir):
    settings.EXTRACT_TASK_MAX_CHARS = 1  # one extraction task per document
    seed = next(seeds_dir.glob("002_*.txt"))  # several articles
    batch = staged((seed.name, seed.read_bytes()))
    tasks.enqueue_batch(batch)
    item = batch.items.get()
    assert item.documents > 1
    assert item.state == State.DONE
    assert item.documents_extracted == item.documents == ExtractionRun.objects.count()


def test_ingest_background_stages_and_enqueues(tmp_path, capsys):
    path = tmp_path / "kremlin.txt"
    path.write_text(ARTICLE)
    call_command("ingest", str(path), "--background")
    batch = UploadBatch.objects.get()
    assert batch.origin == UploadBatch.Origin.CLI
    assert batch.items.get().state == State.DONE  # the immediate backend ran it at once
    out = capsys.readouterr().out
    assert f"batch {batch.pk}: 1 file(s) queued" in out
    assert f"/upload/{batch.pk}/" in out


def test_a_running_task_nobody_holds_is_enqueued_again_until_it_has_killed_three_workers(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    batch = staged(("kremlin.txt", ARTICLE.encode()))
    tasks.enqueue_batch(batch)
    item = batch.items.get()
    for attempt in (1, 2, 3):
        running = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        running.claim(f"worker-{attempt}")  # and then the worker dies, leaving no lease
        assert requeue_lost_tasks(running_for=60) == []  # too recent to judge
        requeued = requeue_lost_tasks(running_for=0)
        running.refresh_from_db()
        assert running.status == TaskResultStatus.FAILED
        assert running.exception_class_path == "articles.leases.WorkerLost"
        if attempt < 3:
            (retry,) = requeued
            assert DBTaskResult.objects.get(pk=retry).args_kwargs == running.args_kwargs
    assert requeued == []
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    item.refresh_from_db()
    assert item.state == State.FAILED
    assert "a worker died on it again and again" in item.reason


def test_an_extraction_task_stores_its_documents_in_batches(seeds_dir):
    """Workers take the batch path: a task's queries do not grow with its documents."""
    documents = ingest_file(next(seeds_dir.glob("002_*.txt"))).source_file.documents.order_by("pk")
    ids = list(documents.values_list("pk", flat=True))
    assert len(ids) > 2
    no_item = 0  # progress is recounted for an upload; these documents came from the command line

    def queries_to_extract(document_ids: list[int]) -> int:
        with CaptureQueriesContext(connection) as queries:
            tasks.extract_upload_documents.call(no_item, document_ids)
        return len(queries)

    assert queries_to_extract(ids[1:]) == queries_to_extract(ids[:1])
    assert ExtractionRun.objects.count() == len(ids)
