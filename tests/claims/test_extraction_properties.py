"""Property tests of the extractor on hostile input (hypothesis), and regressions for what they found.

Invariants: the extractor never crashes and answers every text; every span it returns lies inside its text;
through ingest and `extract_claims` every stored claim span lies inside its document, and ingesting the same
bytes or extracting again changes nothing. spaCy loads once per process (`load_nlp` is cached).
"""

import time
from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import Status, ingest_bytes
from articles.models import Document
from claims.extraction import pipeline
from claims.extraction.model import Attribution
from claims.extraction.pipeline import extract_attributions
from claims.models import Claim, ClaimSpan, ExtractionRun
from claims.services import documents_needing_extraction, extract_claims
from tests.hostile import NESTED_QUOTES, hostile_text, sentences, structured_text


def spans_of(attribution: Attribution) -> list[tuple[int, int]]:
    return [
        *attribution.source,
        *attribution.cue,
        *attribution.content,
        attribution.sentence,
        *attribution.date_expressions,
    ]


def assert_inside(texts: list[str]) -> list[list[Attribution]]:
    results = list(extract_attributions(texts))
    assert len(results) == len(texts)
    for text, attributions in zip(texts, results, strict=True):
        for attribution in attributions:
            assert all(0 <= start <= end <= len(text) for start, end in spans_of(attribution))
            assert 0.0 <= attribution.confidence <= 1.0
    return results


@settings(max_examples=120, deadline=None)
@given(st.lists(hostile_text(60) | sentences(), min_size=1, max_size=6))
def test_any_texts_get_attributions_inside_them(texts: list[str]) -> None:
    assert_inside(texts)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(NESTED_QUOTES) | sentences(), min_size=1, max_size=12))
def test_nested_and_unbalanced_quotes_get_attributions_inside_the_text(pieces: list[str]) -> None:
    assert_inside([" ".join(pieces), "\n\n".join(pieces)])


def test_a_run_on_line_neither_overflows_the_stack_nor_takes_quadratic_time() -> None:
    """Regression: 40,000 characters of "X said Y, X said Y, …" raised RecursionError in the gist (spaCy's
    recursive subtree walk), and 10,000 took 66 s; a colon-laden megabyte line would have taken hours."""
    text = "The Kremlin said: the warning was blackmail, " * 1000
    started = time.perf_counter()
    assert_inside([text])
    assert time.perf_counter() - started < 20


def test_a_line_longer_than_a_piece_is_cut_with_offsets_into_the_whole() -> None:
    filler = ("The ferry was late \u200f\u200d again, and the quay was “quiet” today. " * 2000)[:120_000]
    line = f"{filler} Officials said the ferry was late."
    (attributions,) = assert_inside([line])
    said = line.rindex("said")
    assert [(said, said + 4)] in [a.cue for a in attributions]


def test_a_long_text_is_cut_at_paragraphs_and_offsets_are_shifted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts over spaCy's max_length (1,000,000 characters) made extraction raise; they are cut instead."""
    paragraph = "The Kremlin said the warning was blackmail."
    text = "\n\n".join([paragraph] * 5)
    (whole,) = extract_attributions([paragraph])
    monkeypatch.setattr(pipeline, "MAX_CHUNK_CHARS", len(paragraph) + 5)
    (pieces,) = extract_attributions([text])
    assert len(pieces) == 5 * len(whole)
    for index, attribution in enumerate(pieces):
        offset = index // len(whole) * (len(paragraph) + 2)
        for role in ("source", "cue", "content"):
            expected = [(start + offset, end + offset) for start, end in getattr(whole[0], role)]
            assert getattr(attribution, role) == expected


@pytest.mark.parametrize("text", ["", " ", "x" * 250_000, "\u200b" * 10])
def test_unbreakable_and_empty_texts_are_answered(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(pipeline, "MAX_CHUNK_CHARS", 100_000)
    assert assert_inside([text, "He said no."])[0] == []


def row_counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Document, Claim, ClaimSpan, ExtractionRun))


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(structured_text() | hostile_text())
def test_stored_claims_lie_inside_their_documents_and_nothing_changes_twice(text: str) -> None:
    with rolled_back():
        raw = text.encode("utf-8")
        outcome = ingest_bytes(raw, name="hostile.txt")
        if outcome.status == Status.FAILED:
            return
        extract_claims(documents_needing_extraction(Document.objects.all()))
        for claim in Claim.objects.select_related("document"):
            length = len(claim.document.text)
            assert 0 <= claim.sentence_start <= claim.sentence_end <= length
            for span in claim.claim_spans.all():
                assert 0 <= span.start < span.end <= length
        before = row_counts()
        assert ingest_bytes(raw, name="hostile.txt").status == Status.UNCHANGED
        report = extract_claims(documents_needing_extraction(Document.objects.all()))
        assert report.documents == 0
        assert row_counts() == before
