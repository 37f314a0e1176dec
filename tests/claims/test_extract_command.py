"""`manage.py extract` over stored documents: a chunk of bounded text at a time, each document once."""

import io

import pytest
from django.core.management import call_command
from django.db.models.functions import Length

from articles.ingest import expand_paths, ingest_file
from articles.models import Document
from claims.management.commands import extract as command
from claims.services import ExtractionReport

pytestmark = pytest.mark.django_db


def test_stored_documents_are_extracted_a_bounded_chunk_at_a_time(settings, seeds_dir, monkeypatch):
    for path in expand_paths([seeds_dir]):
        ingest_file(path)
    lengths = dict(Document.objects.values_list("pk", Length("text")))
    settings.EXTRACT_TASK_MAX_CHARS = limit = sum(lengths.values()) // 4
    calls: list[list[Document]] = []

    def extract_claims(pending, *, on_batch=None):
        calls.append(list(pending))
        return ExtractionReport(documents=len(pending), claims=2 * len(pending))

    monkeypatch.setattr(command, "extract_claims", extract_claims)
    out = io.StringIO()
    call_command("extract", stdout=out)
    assert sorted(document.pk for call in calls for document in call) == sorted(lengths)
    assert len(calls) > 1
    assert all(len(call) == 1 or sum(lengths[d.pk] for d in call) <= limit for call in calls)
    assert all(not document.get_deferred_fields() for call in calls for document in call)
    assert f"{2 * len(lengths)} claims from {len(lengths)} documents" in out.getvalue()
