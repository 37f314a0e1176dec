"""The embedded PostgreSQL survives what killed and concurrent processes leave behind.

Each test runs real servers in a data directory of its own under var/ (kept inside the project: as root
the wheel opens permissions on every parent folder of its data directory).
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from claimtracker.database import _prune_dead_holders, _remove_stale_postmaster_pid, reset_embedded_server

PROJECT = Path(__file__).resolve().parent.parent

ATTACH = """
import sys, time, psycopg
from pathlib import Path
from claimtracker.database import embedded_server_url
url = embedded_server_url(Path(sys.argv[1]))
with psycopg.connect(url) as conn:
    conn.execute("select 1")
print("ready", flush=True)
if len(sys.argv) > 2:
    time.sleep(float(sys.argv[2]))
"""


@pytest.fixture(scope="module")
def pgdata():
    """One data directory for the module (initdb is the slow part); each test leaves no holder behind."""
    path = PROJECT / "var" / "test-servers" / uuid.uuid4().hex[:8] / "pgdata"
    yield path
    reset_embedded_server(path)
    shutil.rmtree(path.parent, ignore_errors=True)


def attach(pgdata: Path, hold_seconds: float | None = None) -> subprocess.Popen:
    args = [sys.executable, "-c", ATTACH, str(pgdata)] + ([str(hold_seconds)] if hold_seconds else [])
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.Popen(
        args, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def assert_attaches(pgdata: Path) -> None:
    process = attach(pgdata)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.strip() == "ready"


def holders(pgdata: Path) -> list[int]:
    return json.loads((pgdata / ".handle_pids.json").read_text())


def test_server_stops_when_its_last_holder_exits(pgdata):
    assert_attaches(pgdata)
    assert_attaches(pgdata)  # a stopped server starts again on the existing data
    assert not (pgdata / "postmaster.pid").exists()
    assert holders(pgdata) == []


def test_a_holder_killed_with_sigkill_does_not_keep_the_server_forever(pgdata):
    holder = attach(pgdata, hold_seconds=60)
    assert holder.stdout.readline().strip() == "ready"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert holders(pgdata) == [holder.pid]  # the wheel's atexit hook never ran

    assert_attaches(pgdata)  # reuses the running server, prunes the dead pid, and stops it on exit

    assert not (pgdata / "postmaster.pid").exists()
    assert holders(pgdata) == []


def test_a_stale_postmaster_pid_naming_another_live_process_does_not_block_startup(pgdata):
    holder = attach(pgdata, hold_seconds=60)
    assert holder.stdout.readline().strip() == "ready"
    pid_file = pgdata / "postmaster.pid"
    lines = pid_file.read_text().splitlines()
    # The machine crashes: holder and server die without cleaning up...
    for pid in (holder.pid, int(lines[0])):
        os.kill(pid, signal.SIGKILL)
    holder.wait()
    wait_until_gone(int(lines[0]))
    # ...and after the reboot the server's old pid belongs to an unrelated live process (this one).
    pid_file.write_text("\n".join([str(os.getpid()), *lines[1:]]) + "\n")

    assert_attaches(pgdata)


def wait_until_gone(pid: int) -> None:
    import psutil

    with contextlib.suppress(psutil.NoSuchProcess):
        psutil.Process(pid).wait(timeout=10)


def test_two_processes_starting_at_once_share_one_server(pgdata):
    first, second = attach(pgdata), attach(pgdata)
    for process in (first, second):
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert out.strip() == "ready"


def test_dead_holders_are_pruned_and_live_ones_kept(tmp_path):
    (tmp_path / ".handle_pids.json").write_text(json.dumps([os.getpid(), 2**22 + 12345]))
    _prune_dead_holders(tmp_path)
    assert holders(tmp_path) == [os.getpid()]


def test_a_postmaster_pid_of_a_dead_process_is_removed(tmp_path):
    (tmp_path / "postmaster.pid").write_text(f"{2**22 + 12345}\n{tmp_path}\n")
    _remove_stale_postmaster_pid(tmp_path)
    assert not (tmp_path / "postmaster.pid").exists()


def test_connecting_through_the_url_works(pgdata):
    holder = attach(pgdata, hold_seconds=30)
    try:
        assert holder.stdout.readline().strip() == "ready"
        socket_dir = (pgdata / "postmaster.pid").read_text().splitlines()[4]
        with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres") as conn:
            version = conn.execute("show server_version_num").fetchone()[0]
            extensions = {row[0] for row in conn.execute("select name from pg_available_extensions")}
        assert int(version) >= 150000
        assert {"pg_trgm", "unaccent"} <= extensions
    finally:
        holder.kill()
        holder.wait()
