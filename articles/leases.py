"""Leases on running tasks, so the task of a worker that died is run again by another worker.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a worker killed
with SIGKILL (or a machine that vanishes) leaves it RUNNING forever. Here each worker holds a PostgreSQL
session advisory lock named after the task while it runs it. PostgreSQL drops that lock the moment the
worker's session ends, however it ends, so "RUNNING but nobody holds its lease" means the worker is gone,
on any machine sharing the database, with no clock or heartbeat involved. `requeue_lost_tasks` marks such a
task failed and enqueues it again; every task must therefore be idempotent (ours are).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.dispatch import Signal, receiver
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

_KEY = "SELECT hashtextextended(%s, 0)"
MAX_LOST = 3  # a task whose worker dies this many times is not enqueued again


# Sent (task_path=, args=) when a task is not enqueued again, so its owner can say it failed.
task_abandoned = Signal()


class WorkerLost(Exception):
    """Recorded as the error of a task whose worker died while running it."""


def _lease_name(result_id: object) -> str:
    return f"claimtracker-task:{result_id}"


def _from_queue(sender: object) -> bool:
    # db_worker sends the backend instance as the sender of task_started, and its class elsewhere.
    return issubclass(sender if isinstance(sender, type) else type(sender), DatabaseBackend)


@receiver(task_started)
def take_lease(sender: object, task_result, **kwargs) -> None:
    """Hold the task's lease on this worker's session while the task runs (queue tasks only)."""
    if _from_queue(sender):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_lock(({_KEY}))", [_lease_name(task_result.id)])


@receiver(task_finished)
def release_lease(sender: object, task_result, **kwargs) -> None:
    """Let go once the worker has recorded the outcome, so a finished task never looks lost."""
    if _from_queue(sender):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_unlock(({_KEY}))", [_lease_name(task_result.id)])


def requeue_lost_tasks(*, running_for: float | None = None) -> list[str]:
    """Enqueue again every task that has been RUNNING for `running_for` seconds with nobody holding its
    lease; returns the new result ids. Safe to run from every worker at once."""
    if running_for is None:
        running_for = settings.TASKS_LOST_AFTER_SECONDS
    cutoff = timezone.now() - timedelta(seconds=running_for)
    candidates = DBTaskResult.objects.running().filter(started_at__lt=cutoff).values_list("pk", flat=True)
    requeued = []
    for pk in candidates:
        with transaction.atomic():
            result = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if result is None or not _lease_is_free(result.pk):
                continue
            worker = result.worker_ids[-1] if result.worker_ids else "unknown"
            # A task that kills every worker it meets (say, out of memory) must not circle forever.
            lost_before = DBTaskResult.objects.failed().filter(
                task_path=result.task_path,
                args_kwargs=result.args_kwargs,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            )
            if lost_before.count() + 1 >= MAX_LOST:
                result.set_failed(
                    WorkerLost(f"worker {worker} died while running this task, {MAX_LOST} times")
                )
                logger.error("task %s lost its worker %d times: given up", pk, MAX_LOST)
                task_abandoned.send(WorkerLost, task_path=result.task_path, args=result.args_kwargs["args"])
                continue
            result.set_failed(WorkerLost(f"worker {worker} died while running this task; enqueued again"))
            try:
                task = result.task
            except ImportError:
                logger.exception("lost task %s names a task that no longer exists", pk)
                continue
            retry = task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
            logger.warning(
                "task %s (%s) lost its worker %s: enqueued again as %s", pk, task.name, worker, retry.id
            )
            requeued.append(str(retry.id))
    return requeued


def _lease_is_free(result_id: object) -> bool:
    """True if no live session holds the lease; the check's own lock ends with our transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_xact_lock(({_KEY}))", [_lease_name(result_id)])
        return cursor.fetchone()[0]
