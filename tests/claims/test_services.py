"""Extraction into the database: idempotent per extractor version, and editors' work is never lost."""

import pytest

from articles.ingest import ingest_bytes, ingest_file
from articles.models import Document
from claims import services
from claims.models import Claim, ClaimSpan, ExtractionRun
from claims.services import documents_needing_extraction, extract_claims
from tests.conftest import seed_file

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Kremlin rejects warning | World News\n\n"
    "The Kremlin said on Tuesday that the warning was “blackmail”. "
    "Analysts believe the attack was planned for months, according to Reuters.\n\n"
    "“We are monitoring the situation,” the embassy said in a statement.\n"
)


def extract_all() -> services.ExtractionReport:
    return extract_claims(documents_needing_extraction(Document.objects.all()))


@pytest.fixture
def article():
    return ingest_bytes(ARTICLE.encode(), name="kremlin.txt").source_file.documents.get()


def test_claims_are_stored_with_spans_inside_the_document(article):
    report = extract_all()
    assert report.documents == 1
    assert report.claims == article.claims.count() >= 3
    for span in ClaimSpan.objects.select_related("claim__document"):
        assert 0 <= span.start < span.end <= len(span.claim.document.text)
    for claim in article.claims.all():
        assert claim.headline
        assert claim.extractor_version == services.EXTRACTOR_VERSION
        cue_start, cue_end = claim.spans(ClaimSpan.Role.CUE)[0]
        assert claim.sentence_start <= cue_start < cue_end <= claim.sentence_end


def test_re_extracting_with_the_same_version_changes_nothing(article):
    extract_all()
    before = list(Claim.objects.values_list("pk", "headline"))
    assert documents_needing_extraction(Document.objects.all()) == []
    assert services.store_claims(document=article, attributions=[], resolver=None) is None
    assert extract_all().documents == 0
    assert list(Claim.objects.values_list("pk", "headline")) == before
    assert ExtractionRun.objects.count() == 1


def test_a_new_version_keeps_claims_people_reviewed_and_adds_nothing_over_them(article, monkeypatch):
    extract_all()
    confirmed, edited, rejected, *machine = article.claims.order_by("sentence_start", "pk")
    Claim.objects.filter(pk=confirmed.pk).update(status=Claim.Status.CONFIRMED)
    Claim.objects.filter(pk=edited.pk).update(status=Claim.Status.EDITED, headline="Edited by hand")
    Claim.objects.filter(pk=rejected.pk).update(status=Claim.Status.REJECTED)

    monkeypatch.setattr(services, "EXTRACTOR_VERSION", "next-version")
    report = extract_all()

    assert report.documents == 1
    reviewed = article.claims.reviewed()
    assert {(c.pk, c.status) for c in reviewed} == {
        (confirmed.pk, "confirmed"),
        (edited.pk, "edited"),
        (rejected.pk, "rejected"),
    }
    assert Claim.objects.get(pk=edited.pk).headline == "Edited by hand"
    assert article.claims.machine().count() == len(machine)
    assert set(article.claims.machine().values_list("extractor_version", flat=True)) == {"next-version"}


def test_claims_in_a_forum_thread_point_at_their_post():
    thread = ingest_file(seed_file("004")).source_file.documents.get()
    extract_all()
    by_post = Claim.objects.filter(document=thread, post__isnull=False)
    assert by_post.exists()
    for claim in by_post.select_related("post"):
        assert claim.post.text_start <= claim.sentence_start < claim.post.text_end
    nyt = Claim.objects.filter(document=thread, speaker__name="The New York Times")
    assert nyt.exists(), "“According to The New York Times, …” in a post"
