"""Property tests of the decoder, the parsers and the ingest on hostile input (hypothesis).

Invariants: nothing crashes (a `NotText` refusal is fine); every parsed span lies inside the text and keeps
the span contract; every stored document maps back to its source; identical bytes ingested again change
nothing. The big inputs (10,000-comment trees, a 1 MB line) are a few explicit examples.
"""

from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.decoding import NotText, decode
from articles.ingest import Status, ingest_bytes
from articles.models import Caption, Document, Post, SourceFile
from articles.parsing import parse_text
from articles.parsing.checks import contract_violations
from articles.parsing.model import ParsedFile
from tests.conftest import assert_text_maps_to_source
from tests.hostile import (
    NESTED_QUOTES,
    big_comment_tree,
    comment_trees,
    discourse_threads,
    hostile_text,
    one_megabyte_line,
    structured_text,
)

FEW = settings(max_examples=60, deadline=None)
MANY = settings(max_examples=300, deadline=None)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1"]


def parse(text: str) -> ParsedFile:
    parsed = parse_text(text, filename="hostile.txt")
    assert contract_violations(parsed, text) == []
    for document in parsed.documents:
        spans = [document.span, *document.segments, *(post.span for post in document.posts)]
        spans += [segment for post in document.posts for segment in post.segments]
        assert all(0 <= span.start <= span.end <= len(text) for span in spans)
    return parsed


def summary(parsed: ParsedFile, text: str) -> list[tuple]:
    return [
        (
            document.kind,
            document.title,
            [segment.text(text) for segment in document.segments],
            [([segment.text(text) for segment in post.segments], post.depth) for post in document.posts],
        )
        for document in parsed.documents
    ]


@MANY
@given(hostile_text())
@example("")
@example("\r")
@example("\u202e\u200d\r\n\r\n“")
def test_any_text_parses_within_the_span_contract(text: str) -> None:
    parse(text)


@FEW
@given(structured_text())
def test_comment_trees_and_threads_parse_within_the_span_contract(text: str) -> None:
    parse(text)


@settings(max_examples=30, deadline=None)
@given(comment_trees() | discourse_threads(), st.sampled_from(["\r\n", "\r"]))
def test_crlf_and_cr_parse_like_lf(text: str, line_break: str) -> None:
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    converted = lf.replace("\n", line_break)
    assert summary(parse(converted), converted) == summary(parse(lf), lf)


@MANY
@given(st.binary(max_size=400))
@example(b"\xff\xfe\x00")
@example(b"\xef\xbb\xbf\x00\x00\x00")
def test_any_bytes_decode_to_text_or_a_clear_refusal(raw: bytes) -> None:
    try:
        decoded = decode(raw)
    except NotText as refusal:
        assert str(refusal)
        return
    assert "\x00" not in decoded.text
    parse(decoded.text)


@MANY
@given(hostile_text(), st.sampled_from(ENCODINGS))
def test_hostile_text_in_any_encoding_decodes_or_is_refused(text: str, encoding: str) -> None:
    raw = text.encode(encoding, errors="replace")
    try:
        decoded = decode(raw)
    except NotText:
        return
    parse(decoded.text)


@MANY
@given(hostile_text().filter(lambda text: "\x00" not in text and not text.startswith("\ufeff")))
def test_utf8_text_decodes_to_itself(text: str) -> None:
    try:
        decoded = decode(text.encode("utf-8"))
    except NotText:
        return
    assert decoded.text == text


def row_counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (SourceFile, Document, Post, Caption))


@contextmanager
def rolled_back():
    """Each hypothesis example in its own savepoint, so examples do not see each other's files."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_ingest_keeps_its_invariants(raw: bytes) -> None:
    outcome = ingest_bytes(raw, name="hostile.txt")
    assert outcome.status in {Status.INGESTED, Status.FAILED}, outcome.message
    if outcome.status == Status.FAILED:
        assert outcome.message.startswith("failed: ")
        return
    source = outcome.source_file.text
    for document in outcome.source_file.documents.all():
        assert_text_maps_to_source(document)
        for post in document.posts.all():
            assert 0 <= post.text_start <= post.text_end <= len(document.text)
            assert document.source_start <= post.source_start <= post.source_end <= document.source_end
        for caption in document.captions.all():
            assert caption.text == source[caption.source_start : caption.source_end]
    before = row_counts()
    again = ingest_bytes(raw, name="hostile.txt")
    assert again.status == Status.UNCHANGED
    assert again.source_file == outcome.source_file
    assert row_counts() == before


@pytest.mark.django_db
@FEW
@given(structured_text() | hostile_text(), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_ingested_hostile_text_maps_to_its_source_and_reingesting_changes_nothing(
    text: str, encoding: str
) -> None:
    with rolled_back():
        assert_ingest_keeps_its_invariants(text.encode(encoding, errors="replace"))


@pytest.mark.django_db
@FEW
@given(st.binary(min_size=1, max_size=300))
def test_ingested_arbitrary_bytes_are_stored_faithfully_or_refused(raw: bytes) -> None:
    with rolled_back():
        assert_ingest_keeps_its_invariants(raw)


BIG = {
    "10000-comment tree": big_comment_tree,
    "1 MB line": one_megabyte_line,
    "1 MB line between separators": lambda: f"++++++++++\n{one_megabyte_line()}\n==========",
    "separators at both ends": lambda: (
        "==========\n++++\n\nA Title\n\nProse here, said she.\n\n++++\n----------"
    ),
    "nested quotes": lambda: "Quotes\n\n" + "\n\n".join(NESTED_QUOTES * 50),
}


@pytest.mark.django_db
@pytest.mark.parametrize("make_text", BIG.values(), ids=BIG.keys())
def test_big_and_odd_inputs_parse_and_ingest_faithfully(make_text) -> None:
    text = make_text()
    parse(text)
    assert_ingest_keeps_its_invariants(text.encode("utf-8"))


@pytest.mark.parametrize("line_break", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_a_ten_thousand_comment_tree_parses_alike_with_any_line_break(line_break: str) -> None:
    text = big_comment_tree()
    converted = text.replace("\n", line_break)
    assert summary(parse(converted), converted) == summary(parse(text), text)


def test_a_ten_thousand_comment_tree_keeps_every_comment_and_its_nesting() -> None:
    text = big_comment_tree()
    (_article, thread) = parse(text).documents
    assert len(thread.posts) == 10_000
    assert max(post.depth for post in thread.posts) == 6


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_a_zero_width_character_after_a_comment_marker_is_not_comment_text(invisible: str) -> None:
    """Regression (found by hypothesis): the comment's segment began with the invisible character."""
    text = f"T\n\nP.\n\nT\n\n1. a\n  - {invisible}مرحبا"
    thread = parse(text).documents[-1]
    assert thread.posts[-1].segments[0].text(text) == "مرحبا"
