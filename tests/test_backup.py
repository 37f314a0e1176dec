"""A backup restores exactly what was there: every table of our apps has the same rows, byte for byte."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection

from articles.ingest import ingest_bytes
from articles.models import Document
from claims.editing import edit_claim
from claims.links import add_link
from claims.models import Claim, ClaimLink, ClaimSpan
from claims.services import documents_needing_extraction, extract_claims
from claimtracker.backup import backup, restore
from tests.conftest import seed_file

PROJECT = Path(__file__).resolve().parent.parent
OUR_APPS = ["articles", "claims", "sources", "analysis"]


def fingerprint() -> dict[str, tuple[int, str]]:
    """Each table of our apps: its row count and the md5 of all its rows in primary-key order."""
    tables = {}
    with connection.cursor() as cursor:
        for app in OUR_APPS:
            for model in apps.get_app_config(app).get_models():
                table, pk = model._meta.db_table, model._meta.pk.column
                cursor.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.\"{pk}\"), ''))"
                    f' FROM "{table}" t'
                )
                tables[table] = cursor.fetchone()
    return tables


@pytest.fixture
def demo_data():
    """A seed file ingested and extracted, a link, and an editor's edit."""
    editor = User.objects.create_user("backup-editor")
    ingest_bytes(seed_file("000").read_bytes(), name=seed_file("000").name)
    extract_claims(documents_needing_extraction(Document.objects.all()))
    first, second = Claim.objects.order_by("pk")[:2]
    add_link(first.pk, user=editor, kind=ClaimLink.Kind.REBUTTAL, target_claim=second)
    first.refresh_from_db()
    edit_claim(first.pk, user=editor, version=first.version, fields={"headline": "Edited before the backup"})


@pytest.mark.django_db(transaction=True)
def test_restoring_a_backup_brings_back_every_row_exactly(demo_data, tmp_path):
    before = fingerprint()
    assert before["claims_claimspan"][0] > 0 and before["claims_claimchange"][0] >= 2

    path = backup(tmp_path / "claimtracker.dump")
    claim = Claim.objects.order_by("pk").first()
    claim.headline = "Changed after the backup"
    claim.save()
    with connection.cursor() as cursor:  # the audit log refuses DELETE; a disaster does not ask
        cursor.execute("TRUNCATE claims_claimchange")
    ClaimLink.objects.all().delete()
    ClaimSpan.objects.filter(claim=claim).delete()
    assert fingerprint() != before

    restore(path)

    assert fingerprint() == before


@pytest.mark.django_db(transaction=True)
def test_the_command_line_backs_up_into_var_backups_by_default_and_restores_a_named_file(tmp_path):
    env = {"CLAIMTRACKER_VAR_DIR": str(tmp_path), "DATABASE_URL": _url()}
    named = _cli(["backup", str(tmp_path / "named.dump")], env)
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "named.dump").stat().st_size > 0
    backed_up = _cli(["backup"], env)

    assert backed_up.returncode == 0, backed_up.stderr
    (dump,) = (tmp_path / "backups").glob("claimtracker-*.dump")
    assert backed_up.stdout.strip() == f"backed up to {dump}"
    restored = _cli(["restore", str(dump)], env)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == f"restored from {dump}"


def test_restoring_a_missing_file_says_so(tmp_path):
    result = _cli(["restore", str(tmp_path / "nothing.dump")], {})

    assert result.returncode == 1
    assert result.stderr.strip() == f"error: no backup at {tmp_path / 'nothing.dump'}"


@pytest.mark.parametrize("args", [[], ["restore"], ["backup", "a.dump", "b.dump"], ["dump"]])
def test_the_command_line_explains_its_usage(args):
    result = _cli(args, {})

    assert result.returncode == 2
    assert "python -m claimtracker.backup restore PATH" in result.stderr


def _url() -> str:
    settings = connection.settings_dict
    return f"postgresql://{settings['USER']}@/{settings['NAME']}?host={settings['HOST']}"


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "claimtracker.backup", *args],
        cwd=PROJECT,
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
