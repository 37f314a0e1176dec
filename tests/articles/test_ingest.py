"""Ingestion into PostgreSQL: what is stored, that it maps back to the source, and that nothing is lost."""

import hashlib
import tracemalloc

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from articles import streaming
from articles.ingest import Status, expand_paths, ingest_bytes, ingest_file
from articles.models import Caption, Document, Post, SourceFile
from sources.models import Outlet
from tests.conftest import assert_text_maps_to_source, seed_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(seeds_dir):
    return {path.name[:3]: ingest_file(path) for path in expand_paths([seeds_dir])}


def kinds(outcome):
    return list(outcome.source_file.documents.values_list("kind", flat=True))


def test_seed_corpus_yields_the_expected_documents_and_posts(seeds):
    assert {prefix: outcome.status for prefix, outcome in seeds.items()} == dict.fromkeys(
        ["000", "001", "002", "003", "004"], Status.INGESTED
    )
    assert kinds(seeds["000"]) == ["article"] * 2
    assert kinds(seeds["001"]) == ["article", "comment_thread"]
    assert kinds(seeds["002"]) == ["article"] * 4
    assert kinds(seeds["003"]) == ["article"] * 10
    assert kinds(seeds["004"]) == ["forum_thread"]
    assert Post.objects.filter(document__source_file=seeds["001"].source_file).count() == 22
    assert Post.objects.filter(document__source_file=seeds["004"].source_file).count() == 20


def test_comment_thread_keeps_its_tree_and_points_at_its_article(seeds):
    article, thread = seeds["001"].source_file.documents.all()
    assert thread.comments_on == article
    posts = list(thread.posts.all())
    assert sum(post.parent is None for post in posts) == 4
    assert max(post.depth for post in posts) == 4
    for post in posts:
        assert post.depth == (post.parent.depth + 1 if post.parent else 0)
        assert post.parent is None or post.parent.position < post.position


def test_forum_posts_keep_their_likes_and_the_thread_its_origin(seeds):
    (thread,) = seeds["004"].source_file.documents.all()
    posts = list(thread.posts.all())
    assert posts[0].likes == 6
    assert all(post.likes is not None for post in posts)
    assert thread.url.startswith("https://boingboing.net/2024/03/22/")
    assert thread.outlet.domain == "boingboing.net"


def test_outlets_and_dates_are_recorded_with_their_provenance(seeds):
    first, second = seeds["000"].source_file.documents.all()
    assert first.outlet.name == "The Japan Times"
    assert first.syndicated_from.name == "Bloomberg"
    assert first.authors == ["Marc Champion"]
    assert second.outlet.name == "The Wall Street Journal"  # the text says "WSJ"
    assert str(second.published_on) == "2024-03-27"
    assert second.published_provenance == Document.Provenance.STATED
    al_jazeera = seeds["003"].source_file.documents.values_list("outlet__name", "outlet_provenance")
    assert set(al_jazeera) == {("Al Jazeera", Document.Provenance.INFERRED)}
    assert (second.outlet_provenance, first.outlet_provenance) == (Document.Provenance.STATED,) * 2
    assert seeds["000"].source_file.reposted_by == "Udo von Massenbach"


def test_every_stored_piece_of_text_maps_back_to_its_place_in_the_source(seeds):
    for document in Document.objects.select_related("source_file"):
        assert_text_maps_to_source(document)
        for post in document.posts.all():
            assert document.source_start <= post.source_start <= post.source_end <= document.source_end
            pieces = [p for p in document.offset_map if post.text_start <= p[0] < post.text_end]
            assert all(post.source_start <= p[1] and p[1] + p[2] <= post.source_end for p in pieces)
    for caption in Caption.objects.select_related("document__source_file"):
        assert caption.text == caption.document.source_file.text[caption.source_start : caption.source_end]


def test_captions_and_chrome_are_kept_out_of_the_prose(seeds):
    article = seeds["001"].source_file.documents.get(kind="article")
    assert article.captions.count() >= 2
    for caption in article.captions.all():
        assert caption.text not in article.text
    for document in Document.objects.all():
        for chrome in ("Continue Reading", "Original Source", "Sign in to comment", "Connect with us"):
            assert chrome not in document.text


def test_raw_bytes_are_kept_verbatim(seeds):
    path = seed_file("003")
    stored = seeds["003"].source_file
    assert bytes(stored.raw) == path.read_bytes()
    assert stored.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (stored.size, stored.encoding) == (path.stat().st_size, "utf-8")


def test_reingesting_identical_bytes_changes_nothing(seeds, seeds_dir):
    counts = [model.objects.count() for model in (SourceFile, Document, Post, Caption, Outlet)]
    again = [ingest_file(path) for path in expand_paths([seeds_dir])]
    assert {outcome.status for outcome in again} == {Status.UNCHANGED}
    assert all(outcome.message.startswith("unchanged: identical to") for outcome in again)
    assert [model.objects.count() for model in (SourceFile, Document, Post, Caption, Outlet)] == counts


def test_a_changed_file_under_the_same_name_becomes_a_new_version():
    first = ingest_bytes(b"First version of a short note about the attack.\n", name="note.txt")
    second = ingest_bytes(b"Second version, corrected: the attack was on 22 March.\n", name="note.txt")
    assert (first.source_file.version, second.source_file.version) == (1, 2)
    assert "version 2 of note.txt" in second.message
    first.source_file.refresh_from_db()
    assert bytes(first.source_file.raw).startswith(b"First version")
    assert SourceFile.objects.filter(original_name="note.txt").count() == 2


def test_the_database_refuses_a_second_copy_of_the_same_bytes():
    stored = ingest_bytes(b"Some text worth keeping.\n", name="a.txt").source_file
    with pytest.raises(IntegrityError):
        SourceFile.objects.create(
            original_name="b.txt", raw=b"x", sha256=stored.sha256, size=1, encoding="utf-8", text="x"
        )


def test_documents_are_found_by_full_text_and_fuzzy_title_search(seeds):
    hits = Document.objects.filter(search=SearchQuery("blackmail", config="english"))
    assert hits.filter(outlet__name="Al Jazeera").exists()
    fuzzy = Document.objects.filter(title__trigram_similar="Who is to blame for the Moscow massacre")
    assert fuzzy.filter(outlet__name="Al Jazeera").exists()


def test_a_files_contents_go_to_postgresql_in_pieces_not_in_one_query(monkeypatch):
    """Bound into one SQL string on the client, a 50 MB file took over a gigabyte (issue 6)."""
    monkeypatch.setattr(streaming, "CONTENTS_PIECE", 1 << 16)
    text = "Officials said the talks had “gone well” and would resume.\n\n" * 60_000
    raw = text.encode()  # about 4 MB
    source_file = SourceFile.objects.create(
        original_name="big.txt", raw=b"", sha256="0" * 64, size=len(raw), encoding="utf-8", text=""
    )
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as queries:
            streaming.stream_into_row(source_file, raw=raw, text=text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(raw) / 4
    assert max(len(query["sql"]) for query in queries.captured_queries) < 1000
    stored = SourceFile.objects.get(pk=source_file.pk)
    assert (bytes(stored.raw), stored.text) == (raw, text)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_contents_that_copy_gives_a_meaning_to_are_stored_verbatim(monkeypatch, encoding):
    monkeypatch.setattr(streaming, "CONTENTS_PIECE", 3)  # pieces end everywhere, between \\ and N too
    text = (
        "Backslashes \\ \\\\ \\N and \\.\n\\.\nA\ttab, CRLF\r\nand a lone CR\r"
        "then quotes «like these» and “these”, which cp1252 has too, and a euro: €.\n"
    )
    if encoding != "cp1252":
        text += "Beyond the BMP: \U0001f600.\n"
    raw = text.encode(encoding)
    outcome = ingest_bytes(raw, name="odd.txt")
    assert outcome.status == Status.INGESTED, outcome.message
    stored = SourceFile.objects.get(pk=outcome.source_file.pk)
    assert bytes(stored.raw) == raw
    assert stored.text == text
    for document in stored.documents.all():
        assert_text_maps_to_source(document)


def test_outcomes_do_not_hold_the_files_contents_in_memory():
    raw = b"A short note about the attack, kept for later.\n"
    first, again = ingest_bytes(raw, name="note.txt"), ingest_bytes(raw, name="note.txt")
    assert (first.status, again.status) == (Status.INGESTED, Status.UNCHANGED)
    for outcome in (first, again):
        assert outcome.source_file.get_deferred_fields() == {"raw", "text"}
    assert first.source_file.text.startswith("A short note")  # loaded when asked for


def test_a_file_that_fits_in_one_piece_goes_in_with_its_row():
    raw = "Kremlin rejects warning\n\nThe Kremlin said the warning was “blackmail”.\n".encode()
    with CaptureQueriesContext(connection) as queries:
        outcome = ingest_bytes(raw, name="short.txt")
    assert outcome.status == Status.INGESTED, outcome.message
    assert not any("ingest_contents" in query["sql"] for query in queries.captured_queries)
    # identical bytes?, lock, version, file, document, and the savepoint around them
    assert len(queries.captured_queries) <= 7
    stored = SourceFile.objects.get(pk=outcome.source_file.pk)
    assert (bytes(stored.raw), stored.text) == (raw, raw.decode())
