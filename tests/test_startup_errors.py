"""A var/ directory that cannot hold the embedded database stops every command with one line naming the
directory and the reason, not a traceback through the settings import.

A read-only and a full disk are real tmpfs mounts (chmod cannot make a directory read-only for root, and
these tests run as root); elsewhere the tests are skipped.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def mount_point():
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    path = PROJECT / "var" / "test-servers" / uuid.uuid4().hex[:8]
    path.mkdir(parents=True)
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True
        )
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
        mounted.append(path)
        return path

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=True)
    path.rmdir()


def manage(var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "CLAIMTRACKER_VAR_DIR": str(var_dir)
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_clear_line(result: subprocess.CompletedProcess, var_dir: Path, reason: str) -> None:
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: cannot start the embedded PostgreSQL in {var_dir}/pgdata: ")
    assert reason in result.stderr
    assert "CLAIMTRACKER_VAR_DIR" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["migrate", "--no-input"], ["runserver", "--noreload", "127.0.0.1:0"]])
def test_a_read_only_var_dir_stops_with_one_line_naming_it(mount_point, command):
    var_dir = mount_point("ro,size=1M")

    result = manage(var_dir, *command)

    assert_one_clear_line(result, var_dir, f"{var_dir} is on a read-only file system; make it writable")


def test_a_full_disk_stops_with_one_line_naming_it(mount_point):
    var_dir = mount_point("size=1M")

    result = manage(var_dir, "migrate", "--no-input")

    assert_one_clear_line(result, var_dir, f"the disk holding {var_dir} is full (No space left on device)")
