import pytest
from django.urls import reverse

from articles.ingest import ingest_bytes, ingest_file
from tests.conftest import seed_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum_thread():
    return ingest_file(seed_file("004")).source_file.documents.get()


def test_document_list_shows_every_document_with_its_outlet(client, forum_thread):
    response = client.get(reverse("document-list"))
    assert response.status_code == 200
    assert forum_thread.title in response.text
    assert "Boing Boing" in response.text
    assert "20 posts" in response.text


def test_search_ranks_matches_and_marks_the_words_found(client, forum_thread):
    response = client.get(reverse("document-list"), {"q": "blackmail"})
    assert "1 document matching" in response.text
    assert "<mark>blackmail</mark>" in response.text


def test_search_with_no_match_says_so(client, forum_thread):
    response = client.get(reverse("document-list"), {"q": "zeppelin"})
    assert "0 documents" in response.text
    assert "Nothing matches" in response.text


def test_reader_shows_posts_as_a_tree_with_likes(client, forum_thread):
    response = client.get(reverse("document-detail", args=[forum_thread.pk]))
    assert response.status_code == 200
    assert response.text.count('class="post depth-') == 20
    assert "6 likes" in response.text


def test_scraped_markup_is_shown_as_text_never_run(client):
    payload = b"<script>alert('x')</script> said the <b>minister</b> on Friday.\n"
    document = ingest_bytes(payload, name="xss.txt").source_file.documents.get()
    reader = client.get(reverse("document-detail", args=[document.pk])).text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in reader
    search = client.get(reverse("document-list"), {"q": "minister"}).text
    assert "<mark>minister</mark>" in search  # our own marks survive the escaping
    for page in (reader, search):
        assert "<script>alert" not in page
        assert "<b>minister" not in page


def test_reader_lists_the_claims_of_the_document(client, forum_thread):
    from claims.services import documents_needing_extraction, extract_claims

    extract_claims(documents_needing_extraction(type(forum_thread).objects.all()))
    page = client.get(reverse("document-detail", args=[forum_thread.pk])).text
    claim = forum_thread.claims.first()
    assert reverse("claim-detail", args=[claim.pk]) in page
    assert f"{forum_thread.claims.count()} claims in this forum thread" in page


def test_reader_returns_404_for_an_unknown_document(client):
    assert client.get(reverse("document-detail", args=[999999])).status_code == 404
