"""The upload page: editors upload files or .zip archives; unsafe or oversized uploads are refused with a
reason; the batch page shows each file's state and polls only while something is unfinished."""

import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import streaming
from articles.models import UploadBatch, UploadItem
from articles.uploads import StagedFile, stage_batch
from claimtracker.roles import ensure_roles

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Kremlin rejects warning | World News\n\n"
    "The Kremlin said on Tuesday that the warning was “blackmail”, officials told reporters.\n\n"
    "Analysts said the claim was hard to check.\n"
)
OTHER = ARTICLE.replace("Tuesday", "Wednesday").replace("Kremlin rejects", "Moscow dismisses")
State = UploadItem.State


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def member_of(role: str) -> User:
    user = User.objects.create_user(role, password="x")
    user.groups.add(ensure_roles()[role])
    return user


@pytest.fixture
def editor(client) -> User:
    user = member_of("editor")
    client.force_login(user)
    return user


def text_file(name: str, text: str = ARTICLE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/octet-stream")


def zip_file(name: str, members: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="text/plain")  # the browser's MIME lies


def upload(client, *files):
    return client.post(reverse("upload"), {"files": list(files)})


def refusal(response) -> str:
    assert response.status_code == 422
    assert not UploadBatch.objects.exists()
    return response.context["error"]


# Permissions


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("upload"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.post(reverse("upload")).status_code == 302


def test_readers_may_neither_see_nor_post_uploads(client):
    client.force_login(member_of("reader"))
    batch = stage_batch([StagedFile("a.txt", b"x")], by=None, origin="web")
    assert client.get(reverse("upload")).status_code == 403
    assert upload(client, text_file("a.txt")).status_code == 403
    assert client.get(reverse("upload-batch", args=[batch.pk])).status_code == 403
    assert UploadBatch.objects.count() == 1


def test_the_page_offers_a_real_file_input_and_states_the_limits(client, editor, settings):
    settings.UPLOAD_MAX_FILES = 7
    response = client.get(reverse("upload"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="file" multiple' in html and 'enctype="multipart/form-data"' in html
    assert "Up to 7 files per upload, 25 MB per file" in html
    assert "js/upload.js" in html
    assert reverse("upload") in html  # the nav link for editors


# Uploads


def test_one_file_is_staged_enqueued_and_shown_on_its_batch_page(client, editor):
    response = upload(client, text_file("kremlin.txt"))
    batch = UploadBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("upload-batch", args=[batch.pk])
    assert batch.created_by == editor and batch.origin == UploadBatch.Origin.WEB
    item = batch.items.get()
    assert (item.name, item.state) == ("kremlin.txt", State.DONE)
    page = client.get(response.url).content.decode()
    assert "kremlin.txt" in page and "1 of 1 file done" in page


def test_several_files_become_one_batch(client, editor):
    upload(client, text_file("a.txt"), text_file("b.txt", OTHER))
    assert [item.name for item in UploadBatch.objects.get().items.all()] == ["a.txt", "b.txt"]


def test_a_zip_is_unpacked_keeping_its_paths_and_skipping_clutter(client, editor):
    archive = zip_file(
        "dump.zip",
        {
            "news/a.txt": ARTICLE.encode(),
            "news/b.txt": OTHER.encode(),
            "__MACOSX/._a.txt": b"x",
            ".DS_Store": b"x",
        },
    )
    upload(client, archive)
    items = list(UploadBatch.objects.get().items.all())
    assert [item.name for item in items] == ["news/a.txt", "news/b.txt"]
    assert {item.state for item in items} == {State.DONE}


def test_content_is_judged_by_its_bytes_not_its_name_or_type(client, editor):
    png = SimpleUploadedFile(
        "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, content_type="text/plain"
    )
    upload(client, png)
    item = UploadItem.objects.get()
    assert item.state == State.FAILED and item.reason
    page = client.get(reverse("upload-batch", args=[item.batch_id])).content.decode()
    assert item.reason.split(":")[0] in page


# Refusals


def test_nothing_chosen_is_refused(client, editor):
    assert refusal(upload(client)) == "Choose at least one file to upload."


def test_an_empty_file_is_refused(client, editor):
    assert refusal(upload(client, text_file("blank.txt", ""))) == "blank.txt is empty."


def test_too_many_files_are_refused(client, editor, settings):
    settings.UPLOAD_MAX_FILES = 2
    response = upload(client, text_file("a.txt"), text_file("b.txt", OTHER), text_file("c.txt", OTHER + "!"))
    assert "Too many files: at most 2 per upload" in refusal(response)


def test_a_zip_counts_its_files_against_the_limit(client, editor, settings):
    settings.UPLOAD_MAX_FILES = 2
    archive = zip_file("dump.zip", {f"{n}.txt": ARTICLE.encode() for n in range(3)})
    assert "dump.zip holds 3 files; at most 2 per upload" in refusal(upload(client, archive))


def test_a_file_over_the_size_limit_is_refused(client, editor, settings):
    settings.INGEST_MAX_FILE_BYTES = 100
    message = refusal(upload(client, text_file("big.txt", "x" * 101)))
    assert message == "big.txt is 101 bytes, over the limit of 100 bytes per file."


def test_too_much_in_all_is_refused(client, editor, settings):
    settings.UPLOAD_MAX_TOTAL_BYTES = len(ARTICLE) + 10
    message = refusal(upload(client, text_file("a.txt"), text_file("b.txt", OTHER)))
    assert message.startswith("Too much at once") and "b.txt" in message


def test_zip_entries_pointing_outside_the_archive_are_refused(client, editor):
    for evil in ("../etc/passwd", "/etc/passwd", "a/../../b.txt", "C:\\\\evil.txt", "..\\\\evil.txt"):
        archive = zip_file("evil.zip", {"ok.txt": ARTICLE.encode(), evil: b"gotcha"})
        assert "points outside the archive" in refusal(upload(client, archive)), evil


def test_an_archive_inside_the_archive_is_refused(client, editor):
    inner = zip_file("inner.zip", {"a.txt": ARTICLE.encode()}).read()
    assert "inner.zip is an archive inside the archive" in refusal(
        upload(client, zip_file("outer.zip", {"inner.zip": inner}))
    )
    disguised = zip_file("outer.zip", {"inner.txt": inner})
    assert "inner.txt is an archive inside the archive" in refusal(upload(client, disguised))


def test_a_zip_bomb_is_refused_by_its_declared_sizes(client, editor, settings):
    settings.INGEST_MAX_FILE_BYTES = 1_000_000
    settings.UPLOAD_MAX_TOTAL_BYTES = 1_500_000
    bomb = zip_file("bomb.zip", {f"{n}.txt": b"0" * 900_000 for n in range(2)})
    assert bomb.size < 10_000
    assert "bomb.zip unpacks to more than 1.4 MB, the limit per upload." in refusal(upload(client, bomb))
    one_huge = zip_file("bomb.zip", {"huge.txt": b"0" * 1_200_000})
    assert "bomb.zip: huge.txt is 1.1 MB, over the limit of 977 KB per file." in refusal(
        upload(client, one_huge)
    )


def test_a_zip_bomb_lying_about_its_sizes_is_refused_while_reading(client, editor):
    data = b"0" * 200_000
    archive = zip_file("liar.zip", {"small.txt": data}).read()
    # Rewrite the declared uncompressed size (local header and central directory) from 200000 to 1000.
    lying = archive.replace(len(data).to_bytes(4, "little"), (1000).to_bytes(4, "little"))
    message = refusal(upload(client, SimpleUploadedFile("liar.zip", lying)))
    assert message.startswith("liar.zip: small.txt")
    assert "cannot be unpacked" in message or "zip bomb" in message


def test_a_file_named_zip_that_is_not_one_is_refused(client, editor):
    assert "fake.zip is not a readable .zip archive" in refusal(upload(client, text_file("fake.zip")))


# The batch page and its polling fragment


def batch_in(*states: str) -> UploadBatch:
    batch = stage_batch(
        [StagedFile(f"<b>{n}</b>.txt", b"x") for n, _ in enumerate(states)], by=None, origin="web"
    )
    for item, state in zip(batch.items.all(), states, strict=True):
        item.state = state
        item.reason = "not text: <script>alert(1)</script>" if state == State.FAILED else ""
        item.save()
    return batch


def test_the_batch_page_polls_while_files_are_unfinished(client, editor):
    batch = batch_in(State.DONE, State.EXTRACTING, State.QUEUED)
    response = client.get(reverse("upload-batch", args=[batch.pk]))
    html = response.content.decode()
    assert "<html" in html and 'id="batch-status"' in html
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="{reverse("upload-batch", args=[batch.pk])}"' in html
    assert "1 of 3 files done, 2 in progress" in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_poll_gets_only_the_fragment(client, editor):
    batch = batch_in(State.INGESTING)
    response = client.get(reverse("upload-batch", args=[batch.pk]), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert html.lstrip().startswith('<section id="batch-status"')
    assert 'hx-trigger="every 1s"' in html
    assert "HX-Request" in response["Vary"]


def test_polling_stops_once_every_file_is_finished(client, editor):
    batch = batch_in(State.DONE, State.FAILED)
    for headers in ({}, {"HX-Request": "true"}):
        html = client.get(reverse("upload-batch", args=[batch.pk]), headers=headers).content.decode()
        assert "hx-trigger" not in html and "hx-get" not in html
        assert "1 of 2 files done, 1 failed" in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
        assert "&lt;b&gt;0&lt;/b&gt;.txt" in html


def test_the_batch_page_costs_the_same_queries_for_few_or_many_files(
    client, editor, django_assert_max_num_queries
):
    for states in ([State.DONE], [State.DONE, State.EXTRACTING, State.QUEUED, State.FAILED] * 5):
        batch = batch_in(*states)
        with django_assert_max_num_queries(6):
            client.get(reverse("upload-batch", args=[batch.pk]), headers={"HX-Request": "true"})


def test_an_unknown_batch_is_404(client, editor):
    assert client.get(reverse("upload-batch", args=[999999])).status_code == 404


def test_big_files_are_staged_in_pieces_and_kept_verbatim(monkeypatch):
    monkeypatch.setattr(streaming, "CONTENTS_PIECE", 1 << 12)
    big = ("Officials said the talks would resume.\r\n\\N\t" * 2_000).encode("utf-16")  # about 180 kB
    small = b"A short note.\n"
    with CaptureQueriesContext(connection) as queries:
        batch = stage_batch(
            [StagedFile("big.txt", big), StagedFile("small.txt", small)], by=None, origin="cli"
        )
    assert max(len(query["sql"]) for query in queries.captured_queries) < 2_000
    stored = {item.name: bytes(item.raw) for item in batch.items.all()}
    assert stored == {"big.txt": big, "small.txt": small}
