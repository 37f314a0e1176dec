import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Document, SourceFile
from claims.models import Claim, ExtractionRun
from sources.models import Actor

pytestmark = pytest.mark.django_db


def counts() -> list[int]:
    return [model.objects.count() for model in (SourceFile, Document, Claim, ExtractionRun, Actor)]


def test_setup_demo_extracts_documents_stored_earlier_and_a_second_run_changes_nothing(seeds_dir):
    call_command("ingest", str(seeds_dir), "--no-extract", stdout=io.StringIO())
    assert Claim.objects.count() == 0

    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    assert "demo editor   account (created): editor / editor-demo" in out.getvalue()
    assert Claim.objects.count() > 100
    assert ExtractionRun.objects.count() == Document.objects.count()
    editor = get_user_model().objects.get(username="editor")
    assert list(editor.groups.values_list("name", flat=True)) == ["editor"]
    assert editor.check_password("editor-demo")

    before = counts()
    call_command("setup_demo", stdout=io.StringIO())
    assert counts() == before
