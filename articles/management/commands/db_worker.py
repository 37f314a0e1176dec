"""`manage.py db_worker`: django-tasks-db's worker, plus recovery of tasks whose worker died.

This app comes before `django_tasks_db` in INSTALLED_APPS, so this command replaces the package's one of the
same name (as staticfiles does with runserver); every option is the package's.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as QueueWorkerCommand

from articles import tasks  # noqa: F401  (its receivers fail the files of abandoned tasks)
from articles.leases import requeue_lost_tasks

logger = logging.getLogger(__name__)


class Command(QueueWorkerCommand):
    help = (
        "Run a database background worker. It also enqueues again the tasks of workers that died "
        "(killed, or their machine gone), which any live worker notices within seconds."
    )

    def handle(self, *args, reload: bool, **options) -> None:
        # With --reload the parent only watches files; the child (marked by the env variable) works.
        if not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            interval = max(1.0, settings.TASKS_LOST_AFTER_SECONDS / 2)
            threading.Thread(
                target=_sweep_forever, args=(interval,), name="requeue-lost", daemon=True
            ).start()
        super().handle(*args, reload=reload, **options)


def _sweep_forever(interval: float) -> None:
    """Look for lost tasks every `interval` seconds, on this thread's own connection."""
    while True:
        time.sleep(interval)
        try:
            requeue_lost_tasks()
        except Exception:  # a lost database must not kill the sweeper; the next round tries again
            logger.exception("looking for lost tasks failed")
        finally:
            connection.close()
