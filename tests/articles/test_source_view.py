import pytest
from django.urls import reverse

from articles.ingest import ingest_bytes
from articles.source_view import CONTEXT_CHARS, source_window
from tests.claims.conftest import make_claim

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Attack report | World\n\n"
    + "Filler words go here. " * 400
    + "The Kremlin said the US warning was blackmail.\n"
)


@pytest.fixture
def claim():
    document = ingest_bytes(ARTICLE.encode(), name="long.txt").source_file.documents.get()
    return make_claim(document, source="The Kremlin", cue="said", content="the US warning was blackmail")


def test_the_window_marks_the_passage_at_its_place_in_the_file(claim):
    source = claim.document.source_file
    start = source.text.index("The Kremlin")
    window = source_window(source.pk, start, start + 11)
    assert window.marked == "The Kremlin"
    assert source.text[window.start : window.end] == window.before + window.marked + window.after
    assert len(window.before) == CONTEXT_CHARS and window.line == 3 and window.length == len(source.text)


def test_the_claim_links_to_its_sentence_in_the_original_file(client, claim):
    page = client.get(reverse("claim-detail", args=[claim.pk])).text
    source = claim.document.source_file
    start = source.text.index("The Kremlin")
    end = source.text.index("blackmail") + len("blackmail")  # the claim's sentence ends with its content
    link = f"{reverse('source-file', args=[source.pk])}?start={start}&amp;end={end}#passage"
    assert link in page
    shown = client.get(reverse("source-file", args=[source.pk]), {"start": start, "end": end}).text
    assert (
        '<mark id="passage" class="source-passage">The Kremlin said the US warning was blackmail</mark>.'
        in shown
    )


def test_unknown_files_and_positions_are_404_and_bad_numbers_mean_the_start(client, claim):
    source = claim.document.source_file
    assert client.get(reverse("source-file", args=[source.pk + 99])).status_code == 404
    assert client.get(reverse("source-file", args=[source.pk]), {"start": 10**9}).status_code == 404
    page = client.get(reverse("source-file", args=[source.pk]), {"start": "x"}).text
    assert "characters 0–" in page and "Attack report" in page
