"""Real `manage.py db_worker` processes against the test database, for tests of the task queue."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent


def test_database_url() -> str:
    """DATABASE_URL of the database this test runs against (pytest-django's test database)."""
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host, port, name = settings["HOST"] or "", settings["PORT"] or "", quote(settings["NAME"], safe="")
    if host.startswith("/"):  # a unix socket directory, as with the embedded server
        query = f"?host={quote(host, safe='')}" + (f"&port={port}" if port else "")
        return f"postgresql://{user}{password}@/{name}{query}"
    return f"postgresql://{user}{password}@{host}{':' + str(port) if port else ''}/{name}"


def start_worker(name: str, log_dir: Path, **env: str) -> subprocess.Popen:
    """A db_worker process on the test database, logging to `log_dir`/`name`.log; `env` adds settings
    such as CLAIMTRACKER_TEST_EXTRACT_DELAY."""
    environment = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "CLAIMTRACKER_TASKS_LOST_AFTER_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    environment.pop("CLAIMTRACKER_TEST_DATABASE", None)
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.2",
    ]
    return subprocess.Popen(
        [*command, "--worker-id", name],
        cwd=PROJECT_DIR,
        env=environment,
        stdout=(log_dir / f"{name}.log").open("ab"),
        stderr=subprocess.STDOUT,
    )


def stop(*workers: subprocess.Popen) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Poll the database until `condition` holds (each call sees other processes' commits)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)
