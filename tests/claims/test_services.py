"""Extraction into the database: idempotent per extractor version, and editors' work is never lost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.ingest import ingest_bytes, ingest_file
from articles.models import Document
from claims import services
from claims.extraction.model import Attribution
from claims.models import Claim, ClaimSpan, ExtractionRun
from claims.services import documents_needing_extraction, extract_claims, store_claims_of_documents
from sources.actors import ActorResolver
from tests.conftest import seed_file
from tests.factories import document_from_text

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
    assert services.store_claims_of_documents(extracted=[(article, [])], resolver=None) == [None]
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


def said(document: Document, speaker: str, content: str) -> Attribution:
    """The attribution of "<speaker> said <content>" in `document`, built by hand (no parsing)."""
    text = document.text
    source = text.index(speaker)
    cue = text.index(" said ", source) + 1
    start = text.index(content, cue)
    return Attribution(
        source=[(source, source + len(speaker))],
        cue=[(cue, cue + 4)],
        content=[(start, start + len(content))],
        sentence=(source, start + len(content) + 1),
        cue_lemma="say",
        speaker_text=speaker,
        speaker_resolved=speaker,
        speaker_name=speaker,
    )


FIRST_NAMES = "Alma Boris Carla Dmitri Edith Farid Greta Hamid Ingrid Jonas Kemal Lotte".split()
SURNAMES = (
    "Pollard Ketchum Mendes Orlov Quayle Rasmussen Szabo Tanaka Umarov Valdez Whitcombe Yilmaz"
    " Abernathy Brandt Castellano Dunmore Eriksen Fairbanks Gallo Holloway Ibarra Jablonski"
).split()


def two_new_people(number: int) -> tuple[Document, list[Attribution]]:
    """A document in which two people nobody knows yet say something (no name shared between numbers)."""
    first = f"{FIRST_NAMES[number]} {SURNAMES[2 * number]}"
    second = f"{FIRST_NAMES[-1 - number]} {SURNAMES[2 * number + 1]}"
    document = document_from_text(f"{first} said the dam would hold. {second} said it would not.")
    return document, [said(document, first, "the dam would hold"), said(document, second, "it would not")]


def test_storing_many_documents_costs_the_queries_of_one(django_assert_max_num_queries):
    one, many = [two_new_people(0)], [two_new_people(number) for number in range(1, 11)]
    resolver = ActorResolver()
    with CaptureQueriesContext(connection) as single:
        assert store_claims_of_documents(extracted=one, resolver=resolver) == [2]
    # Ten documents, twenty new actors with forty aliases: still the same handful of queries.
    with django_assert_max_num_queries(len(single.captured_queries)):
        assert store_claims_of_documents(extracted=many, resolver=resolver) == [2] * 10
    assert len(single.captured_queries) <= 13  # the transaction, 3 reads, 2 + 2 for actors, 3 inserts
    speakers = Claim.objects.values_list("speaker_text", "speaker__name")
    assert len(speakers) == 22 and all(text == name for text, name in speakers)


def test_extracting_documents_costs_a_few_queries_per_batch_not_per_document(django_assert_max_num_queries):
    for number in range(3):
        ingest_bytes(ARTICLE.replace("Tuesday", f"day {number}").encode(), name=f"kremlin-{number}.txt")
    with django_assert_max_num_queries(17):
        report = extract_all()
    assert report.documents == 3


def test_a_batch_skips_documents_already_extracted_and_those_given_twice(article):
    first = document_from_text("Alma Pollard said the dam would hold.")
    attributions = [said(first, "Alma Pollard", "the dam would hold")]
    resolver = ActorResolver()
    assert store_claims_of_documents(extracted=[(first, attributions)], resolver=resolver) == [1]
    second = document_from_text("Alma Pollard said the dam would hold again.")
    again = [said(second, "Alma Pollard", "the dam would hold again")]
    assert store_claims_of_documents(
        extracted=[(first, attributions), (second, again), (second, again)], resolver=resolver
    ) == [None, 1, None]
    assert ExtractionRun.objects.filter(document__in=[first, second]).count() == 2
    assert set(
        Claim.objects.filter(document__in=[first, second]).values_list("speaker__name", flat=True)
    ) == {"Alma Pollard"}


def test_a_batch_replaces_old_machine_claims_and_keeps_reviewed_ones_per_document(monkeypatch):
    old, fresh = (
        document_from_text("Alma Pollard said the dam would hold. Boris Ketch said it would not."),
        (document_from_text("Carla Mendes said the bridge was safe.")),
    )
    resolver = ActorResolver()
    store_claims_of_documents(
        extracted=[
            (old, [said(old, "Alma Pollard", "the dam would hold"), said(old, "Boris Ketch", "it would not")])
        ],
        resolver=resolver,
    )
    confirmed, replaced = old.claims.order_by("sentence_start")
    Claim.objects.filter(pk=confirmed.pk).update(status=Claim.Status.CONFIRMED)

    monkeypatch.setattr(services, "EXTRACTOR_VERSION", "next-version")
    again = [said(old, "Alma Pollard", "the dam would hold"), said(old, "Boris Ketch", "it would not")]
    created = store_claims_of_documents(
        extracted=[(old, again), (fresh, [said(fresh, "Carla Mendes", "the bridge was safe")])],
        resolver=resolver,
    )

    assert created == [1, 1]  # the confirmed claim's cue is not extracted over
    assert Claim.objects.filter(pk=confirmed.pk, status=Claim.Status.CONFIRMED).exists()
    assert not Claim.objects.filter(pk=replaced.pk).exists()
    assert list(old.claims.machine().values_list("speaker__name", "extractor_version")) == [
        ("Boris Ketch", "next-version")
    ]
    assert fresh.claims.get().speaker.name == "Carla Mendes"
