"""Against the server in DATABASE_URL (CI sets it to the machine's PostgreSQL 15 on 127.0.0.1:5432):
pytest-django has run every migration there to build the test database; this checks a round trip."""

import os

import pytest
from django.db import connection

from articles.ingest import Status, ingest_file
from articles.models import Document
from tests.conftest import assert_text_maps_to_source, seed_file

pytestmark = [
    pytest.mark.external_db,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL"), reason="DATABASE_URL is not set (make test-external-db)"
    ),
]


@pytest.mark.django_db
def test_migrations_and_a_round_trip_work_on_the_configured_server():
    assert connection.settings_dict["HOST"] == dj_host()
    assert connection.pg_version >= 150000
    with connection.cursor() as cursor:
        cursor.execute("select extname from pg_extension")
        assert {"pg_trgm", "unaccent"} <= {row[0] for row in cursor.fetchall()}

    outcome = ingest_file(seed_file("004"))
    assert outcome.status == Status.INGESTED
    thread = Document.objects.get(source_file=outcome.source_file)
    assert thread.posts.count() == 20
    assert_text_maps_to_source(thread)


def dj_host() -> str:
    import dj_database_url

    return dj_database_url.parse(os.environ["DATABASE_URL"])["HOST"]
