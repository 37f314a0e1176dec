"""The shared pager keeps a list's search and filters on every page."""

import pytest
from django.urls import reverse

from articles import views as article_views
from articles.ingest import ingest_file
from articles.models import Document
from claims import paging as claim_paging
from claims.services import documents_needing_extraction, extract_claims
from tests.conftest import seed_file

pytestmark = pytest.mark.django_db


def test_document_pages_keep_the_search(client, monkeypatch):
    monkeypatch.setattr(article_views, "DOCUMENTS_PER_PAGE", 2)
    ingest_file(seed_file("003"))
    page = client.get(reverse("document-list"), {"q": "Putin"}).text
    assert 'href="?q=Putin&amp;page=2" rel="next"' in page
    second = client.get(reverse("document-list"), {"q": "Putin", "page": 2}).text
    assert 'href="?q=Putin&amp;page=1" rel="prev"' in second


def test_claim_pages_keep_the_filters(client, monkeypatch):
    monkeypatch.setattr(claim_paging, "CLAIMS_PER_PAGE", 2)
    ingest_file(seed_file("004"))
    extract_claims(documents_needing_extraction(Document.objects.all()))
    page = client.get(reverse("claim-list"), {"kind": "statement", "sort": "said"}).text
    assert 'href="?kind=statement&amp;sort=said&amp;page=2" rel="next"' in page
