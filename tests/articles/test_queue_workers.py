"""Several real workers share the PostgreSQL queue: every document is extracted exactly once, and the task of
a worker killed with SIGKILL in the middle of a document is taken over and finished exactly once."""

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles import tasks
from articles.models import Document, UploadItem
from articles.uploads import StagedFile, stage_batch
from claims.models import Claim, ExtractionRun
from tests.articles.queue_workers import start_worker, stop, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = (
    "Kremlin rejects warning | World News\n\n"
    "The Kremlin said on Tuesday that the warning was “blackmail”, officials told reporters.\n\n"
    "Analysts said the claim was hard to check.\n"
)


def all_finished() -> bool:
    return not UploadItem.objects.exclude(state__in=UploadItem.FINISHED).exists()


def test_two_workers_extract_every_document_exactly_once(seeds_dir, tmp_path):
    seeds = [next(seeds_dir.glob(f"{prefix}_*.txt")) for prefix in ("000", "002", "004")]
    batch = stage_batch([StagedFile(path.name, path.read_bytes()) for path in seeds], by=None, origin="cli")
    tasks.enqueue_batch(batch)
    # Deliver every ingest task twice, as a lost worker's retry would: the duplicates must change nothing.
    for item in batch.items.all():
        tasks.ingest_upload.enqueue(item.pk)
    one_task_per_document = {"CLAIMTRACKER_EXTRACT_TASK_MAX_CHARS": "1"}
    workers = [start_worker(f"w{n}", tmp_path, **one_task_per_document) for n in (1, 2)]
    try:
        wait_for(all_finished, timeout=60, what="both workers to finish the batch")
    finally:
        stop(*workers)
    items = list(batch.items.all())
    assert {item.state for item in items} == {UploadItem.State.DONE}
    documents = Document.objects.count()
    assert documents == sum(item.documents for item in items) > len(seeds)
    assert ExtractionRun.objects.count() == documents
    assert not ExtractionRun.objects.values("document").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert Claim.objects.count() == ExtractionRun.objects.aggregate(n=Sum("claims_created"))["n"] > 0
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
    shared = {worker for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for worker in ids}
    assert shared == {"w1", "w2"}


def test_a_worker_killed_mid_extraction_is_replaced_and_the_document_extracted_once(tmp_path):
    batch = stage_batch([StagedFile("kremlin.txt", ARTICLE.encode())], by=None, origin="cli")
    tasks.enqueue_batch(batch)
    slow = start_worker("doomed", tmp_path, CLAIMTRACKER_TEST_EXTRACT_DELAY="60")
    rescuer = None
    try:
        extraction = DBTaskResult.objects.filter(task_path="articles.tasks.extract_upload_documents")
        wait_for(
            lambda: (
                extraction.filter(status=TaskResultStatus.RUNNING).exists()
                and lease_is_held(extraction.get())
            ),
            timeout=30,
            what="the doomed worker to start extracting",
        )
        slow.kill()  # SIGKILL: no cleanup of any kind
        slow.wait()
        assert extraction.get().status == TaskResultStatus.RUNNING  # what the package alone would leave
        rescuer = start_worker("rescuer", tmp_path)
        wait_for(all_finished, timeout=30, what="the rescuing worker to finish the document")
    finally:
        stop(slow, *([rescuer] if rescuer else []))
    item = batch.items.get()
    assert item.state == UploadItem.State.DONE
    assert ExtractionRun.objects.count() == 1 == item.documents
    assert Claim.objects.count() == ExtractionRun.objects.get().claims_created == item.claims > 0
    lost, retried = extraction.order_by("enqueued_at")
    assert lost.status == TaskResultStatus.FAILED
    assert lost.exception_class_path == "articles.leases.WorkerLost"
    assert (lost.worker_ids, retried.worker_ids) == (["doomed"], ["rescuer"])
    assert retried.status == TaskResultStatus.SUCCESSFUL


def lease_is_held(result: DBTaskResult) -> bool:
    """Whether some session holds the task's lease (we take it and give it back at once if free)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [f"claimtracker-task:{result.pk}"]
        )
        (free,) = cursor.fetchone()
        if free:
            cursor.execute(
                "SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [f"claimtracker-task:{result.pk}"]
            )
    return not free
