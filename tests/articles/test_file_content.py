"""Pages that show a document or a claim name its source file but never load the file's bytes or text,
which for a big dump are megabytes per row."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from tests.factories import claim_with_spans, document_from_text

pytestmark = pytest.mark.django_db

FILE_COLUMNS = ('"articles_sourcefile"."raw"', '"articles_sourcefile"."text"')


@pytest.fixture
def claim() -> Claim:
    document = document_from_text("The minister said the talks would resume on Monday.")
    return claim_with_spans(document, source="The minister", cue="said", content="the talks would resume")


def _loaded_file_columns(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [column for query in queries for column in FILE_COLUMNS if column in query["sql"]]


@pytest.mark.parametrize("page", ["document-list", "document-detail", "claim-detail"])
def test_pages_do_not_load_the_source_file(client, claim, page):
    url = {
        "document-list": reverse("document-list"),
        "document-detail": reverse("document-detail", args=[claim.document_id]),
        "claim-detail": reverse("claim-detail", args=[claim.pk]),
    }[page]
    assert _loaded_file_columns(client, url) == []


@pytest.mark.parametrize("model", ["document", "post", "caption"])
def test_admin_lists_do_not_load_the_source_file(client, claim, model):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a long password 1")
    client.force_login(admin)
    assert _loaded_file_columns(client, reverse(f"admin:articles_{model}_changelist")) == []
