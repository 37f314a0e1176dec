import pytest
from django.urls import reverse

from articles.ingest import ingest_bytes
from articles.models import Document
from claims.services import documents_needing_extraction, extract_claims

pytestmark = pytest.mark.django_db


def test_a_claim_shows_its_marked_passage_speaker_and_place_in_the_source(admin_client):
    text = "Kremlin rejects warning | World News\n\nThe Kremlin said on Tuesday the warning was “blackmail”."
    ingest_bytes(text.encode(), name="kremlin.txt")
    extract_claims(documents_needing_extraction(Document.objects.all()))
    claim = Document.objects.get().claims.get()
    page = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).text
    assert '<span class="span-source">The Kremlin</span>' in page
    assert '<span class="span-cue">said</span>' in page
    assert "kremlin.txt (v1), character" in page
    listing = admin_client.get(reverse("admin:claims_claim_changelist")).text
    assert claim.headline in listing and "Russian government" in listing
