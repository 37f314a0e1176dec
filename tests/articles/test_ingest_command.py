"""`manage.py ingest` on bad input: a clear line naming the file and the reason, no partial writes,
a non-zero exit only when something failed, and the other files of the run still go in."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles import ingest
from articles.models import Caption, Document, Post, SourceFile

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Kremlin rejects warning | World News\n\n"
    "The Kremlin said on Tuesday that the warning was “blackmail”, officials told reporters.\n\n"
    "Analysts said the claim was hard to check.\n"
)


def run_ingest(*paths):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *map(str, paths), stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), None


def summary_of(out: str) -> tuple[str, str]:
    """The closing table's header and values lines."""
    lines = out.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("files  ingested"))
    return lines[index], lines[index + 1]


def stored_counts():
    return [model.objects.count() for model in (SourceFile, Document, Post, Caption)]


def test_an_empty_file_is_refused_by_name(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _out, err, failure = run_ingest(empty)
    assert f"{empty}: failed: the file is empty" in err
    assert failure == "1 of 1 file(s) failed"
    assert stored_counts() == [0, 0, 0, 0]


def test_a_png_is_refused_as_binary(tmp_path):
    image = tmp_path / "photo.txt"  # the name lies; the bytes decide
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    _, err, failure = run_ingest(image)
    assert f"{image}: failed: binary file: it is a PNG image, not text" in err
    assert failure


@pytest.mark.parametrize(
    ("encoding", "raw"),
    [
        ("cp1252", ARTICLE.encode("cp1252")),
        ("utf-16 (BOM)", "\ufeff".encode("utf-16-le") + ARTICLE.encode("utf-16-le")),
    ],
)
def test_cp1252_and_utf16_files_are_decoded_not_refused(tmp_path, encoding, raw):
    path = tmp_path / "article.txt"
    path.write_bytes(raw)
    _out, _, failure = run_ingest(path)
    assert failure is None
    stored = SourceFile.objects.get()
    assert stored.encoding == encoding
    assert bytes(stored.raw) == raw
    assert "“blackmail”" in Document.objects.get().text


def test_invalid_utf8_in_the_middle_is_ingested_with_a_warning(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(ARTICLE.encode() + b"Broken \xc3\x28 byte.\n\n" + ARTICLE.encode())
    out, _, failure = run_ingest(path)
    assert failure is None
    assert f"{path}: warning: 1 invalid UTF-8 byte sequence(s)" in out
    assert "\ufffd" in SourceFile.objects.get().text


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, settings):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # 50 MB of text
        handle.write((ARTICLE.encode() * 600_000)[: 50 * 2**20])
    _out, err, failure = run_ingest(big)
    assert f"{big}: failed: 50.0 MB is over the 25 MB limit per file (set CLAIMTRACKER_INGEST_MAX_MB" in err
    assert failure
    assert stored_counts() == [0, 0, 0, 0]


def test_a_file_without_recognisable_structure_becomes_one_document_with_a_warning(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some words without any structure at all")
    out, _, failure = run_ingest(path)
    assert failure is None
    assert "warning:" in out
    assert Document.objects.get().text == "just some words without any structure at all"


def test_a_missing_path_is_reported_and_fails_the_run(tmp_path):
    missing = tmp_path / "nope.txt"
    _, err, failure = run_ingest(missing)
    assert f"{missing}: failed: no such file or directory" in err
    assert failure


def test_a_folder_with_good_and_bad_files_ingests_the_good_ones_and_reports_the_rest(tmp_path):
    (tmp_path / "a_good.txt").write_text(ARTICLE)
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "d_good.txt").write_text(ARTICLE.replace("Kremlin", "Embassy"))
    (tmp_path / ".hidden").write_text(ARTICLE)
    out, err, failure = run_ingest(tmp_path)
    assert failure == "2 of 4 file(s) failed"
    assert SourceFile.objects.count() == 2
    assert "b_empty.txt: failed: the file is empty" in err
    assert "c_image.png: failed: binary file" in err
    header, values = summary_of(out)
    assert header.split("  ")[:4] == ["files", "ingested", "unchanged (skipped)", "failed"]
    assert values.split() == ["4", "2", "0", "2", "2", "0", "0"]


def test_a_failure_while_storing_leaves_nothing_half_written_and_later_files_still_go_in(
    tmp_path, monkeypatch
):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(ARTICLE)
    second.write_text(ARTICLE.replace("Kremlin", "Embassy"))
    real_store = ingest._store_document

    def store_then_fail_on_first_file(source_file, position, parsed, earlier):
        document = real_store(source_file, position, parsed, earlier)
        if source_file.original_name == "a.txt":
            raise RuntimeError("disk on fire")
        return document

    monkeypatch.setattr(ingest, "_store_document", store_then_fail_on_first_file)
    _, err, failure = run_ingest(first, second)
    assert f"{first}: failed: internal error, nothing was stored: RuntimeError: disk on fire" in err
    assert failure == "1 of 2 file(s) failed"
    assert list(SourceFile.objects.values_list("original_name", flat=True)) == ["b.txt"]
    assert Document.objects.filter(source_file__original_name="a.txt").count() == 0


def test_ingesting_the_seeds_twice_reports_unchanged_the_second_time(seeds_dir):
    out, _, failure = run_ingest(seeds_dir)
    assert failure is None
    assert out.count(": ingested ") == 5
    out, _, failure = run_ingest(seeds_dir)
    assert out.count(": unchanged: identical to ") == 5
    assert summary_of(out)[1].split()[:4] == ["5", "0", "5", "0"]
