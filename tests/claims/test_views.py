import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.ingest import ingest_bytes
from articles.models import Document
from claims.models import Claim
from claims.services import documents_needing_extraction, extract_claims

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Crocus attack claims | World News\n\n"
    "ISIS-K claimed responsibility for the attack on Friday, the group's channel said.\n\n"
    "The Kremlin said on Tuesday that the US warning was “blackmail”.\n\n"
    "Ukraine denied any involvement in the attack.\n\n"
    "Analysts said <script>alert('x')</script> was posted under the video.\n"
)


@pytest.fixture
def claims():
    ingest_bytes(ARTICLE.encode(), name="crocus.txt")
    Document.objects.update(published_on=dt.date(2024, 3, 23), published_provenance="stated")
    extract_claims(documents_needing_extraction(Document.objects.all()))
    return Claim.objects.select_related("speaker")


def test_the_list_shows_every_claim_with_speaker_kind_and_date(client, claims):
    page = client.get(reverse("claim-list")).text
    assert f"{claims.count()} claims" in page
    kremlin = claims.get(speaker__short_name="Russia")
    assert kremlin.headline in page
    assert "19 Mar 2024" in page  # "on Tuesday" before Saturday 23 March


def test_filters_live_in_the_url_and_combine(client, claims):
    russia = claims.get(speaker__short_name="Russia")
    page = client.get(reverse("claim-list"), {"speaker": russia.speaker_id, "said_from": "2024-03-19"}).text
    assert "1 claim" in page and russia.headline in page
    assert "Speaker: Russian government" in page
    page = client.get(reverse("claim-list"), {"speaker": russia.speaker_id, "said_to": "2024-03-18"}).text
    assert "0 claims" in page


def test_kind_and_status_filters(client, claims):
    denial = claims.get(cue_lemma="deny")
    page = client.get(reverse("claim-list"), {"kind": denial.kind}).text
    assert denial.headline in page
    assert client.get(reverse("claim-list"), {"status": "confirmed"}).text.count('class="title"') == 0


def test_search_ranks_and_marks_matches_and_keeps_scraped_markup_inert(client, claims):
    page = client.get(reverse("claim-list"), {"q": "blackmail"}).text
    assert "1 claim" in page
    assert "<mark>blackmail</mark>" in page
    page = client.get(reverse("claim-list"), {"q": "posted video"}).text
    assert "<script>alert" not in page


def test_an_htmx_request_gets_only_the_results(client, claims):
    response = client.get(reverse("claim-list"), {"q": "blackmail"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="claim-results"')
    assert "<html" not in response.text
    assert "HX-Request" in response["Vary"]


def test_filters_it_cannot_read_are_ignored_with_a_message(client, claims):
    page = client.get(reverse("claim-list"), {"said_from": "yesterday-ish", "kind": "gossip"}).text
    assert "were not understood and were ignored" in page
    assert f"{claims.count()} claims" in page


def test_the_list_costs_the_same_queries_for_few_or_many_claims(client, claims):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("claim-list")).status_code == 200
        return len(captured)

    few, claims_before = queries_for_list(), claims.count()
    ingest_bytes(ARTICLE.replace("Crocus", "Second").encode() * 3, name="more.txt")
    extract_claims(documents_needing_extraction(Document.objects.all()))
    assert Claim.objects.count() >= 2 * claims_before
    assert queries_for_list() == few


def test_the_detail_shows_the_marked_passage_and_where_it_came_from(client, claims):
    claim = claims.get(speaker__short_name="Russia")
    page = client.get(reverse("claim-detail", args=[claim.pk])).text
    source, cue = claim.spans("source")[0][0], claim.spans("cue")[0][0]
    assert f'<mark class="role-source" title="source" data-offset="{source}">The Kremlin</mark>' in page
    assert f'<mark class="role-cue" title="cue" data-offset="{cue}">said</mark>' in page
    assert "19 March 2024" in page and "stated in the text" in page and "“Tuesday”" in page
    assert "<code>crocus.txt (v1)</code>, character" in page
    assert reverse("document-detail", args=[claim.document_id]) in page


def test_an_unknown_claim_is_404(client):
    assert client.get(reverse("claim-detail", args=[424242])).status_code == 404
