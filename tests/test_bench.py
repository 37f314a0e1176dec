"""The benchmark's pieces on small inputs: the synthetic fill, the wrk parser and the table writer.
No timings are asserted here; `make bench` measures."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from analysis.models import Event, Evidence
from articles.ingest import ingest_file
from articles.models import Document
from articles.parsing import parse_text
from bench.extraction import halfway_by_words
from bench.memory import make_dump
from bench.report import Row, machine, write_results
from bench.synthetic import EVENT_SLUG, TABLES
from bench.wrk import parse_wrk
from claims import paging as claim_paging
from claims.models import Claim, ClaimSpan
from claims.services import documents_needing_extraction, extract_claims
from tests.conftest import seed_file


@pytest.fixture
def extracted(db):
    ingest_file(seed_file("004"))
    extract_claims(documents_needing_extraction(Document.objects.all()))
    assert Claim.objects.exists()


def test_synthetic_fill_adds_rows_that_keep_every_constraint(extracted, capsys):
    documents_before, claims_before = Document.objects.count(), Claim.objects.count()
    constraints_before = table_constraints()
    call_command("fill_synthetic", "--claims", "200", "--documents", "20")
    assert table_constraints() == constraints_before  # the foreign keys dropped for COPY are back
    assert Document.objects.count() == documents_before + 20
    assert Claim.objects.count() == claims_before + 200
    with connection.cursor() as cursor:  # the deferred checks and the rebuilt indexes are all there
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'claim_search_gin'")
        assert cursor.fetchone()[0] == 1
    new = Claim.objects.order_by("-pk")[:200]
    for claim in new.select_related("document").prefetch_related("claim_spans"):
        assert 0 <= claim.sentence_start <= claim.sentence_end <= len(claim.document.text)
        for span in claim.claim_spans.all():
            assert span.end <= len(claim.document.text)
        assert claim.document.source_offset(claim.sentence_start) >= 0
    # PostgreSQL computed the search vector of the copied rows.
    assert Claim.objects.filter(pk__in=new.values("pk"), search__isnull=True).count() == 0
    assert ClaimSpan.objects.filter(claim__in=new.values("pk")).exists()
    event = Event.objects.get(slug=EVENT_SLUG)
    assert Evidence.objects.filter(explanation__event=event, status=Evidence.Status.CONFIRMED).exists()
    assert "rows/s" in capsys.readouterr().out


def table_constraints() -> list[tuple]:
    """Every constraint of the filled tables, with its definition and whether it was validated."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated"
            " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [list(TABLES)],
        )
        return cursor.fetchall()


def test_synthetic_fill_refuses_an_empty_database(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no extracted claims"):
        call_command("fill_synthetic", "--claims", "10", "--documents", "2")


WRK_REPORT = """Running 5s test @ http://127.0.0.1:8001/claims/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    61.52ms   12.10ms 250.00ms   80.00%
    Req/Sec   130.12     20.01   170.00     70.00%
  Latency Distribution
     50%   58.10ms
     75%   66.00ms
     90%   75.40ms
     99%    1.02s
  1302 requests in 5.01s, 40.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:    259.88
Transfer/sec:      8.00MB
"""


def test_the_wrk_report_is_read_into_milliseconds_and_errors():
    result = parse_wrk(WRK_REPORT)
    assert result.requests == 1302
    assert result.requests_per_second == pytest.approx(259.88)
    assert result.p50_ms == pytest.approx(58.1)
    assert result.p99_ms == pytest.approx(1020.0)
    assert (result.non_2xx, result.socket_errors, result.errors) == (4, 5, 9)


def test_a_clean_wrk_report_has_no_errors():
    clean = WRK_REPORT.replace("  Socket errors: connect 0, read 2, write 0, timeout 3\n", "")
    clean = clean.replace("  Non-2xx or 3xx responses: 4\n", "").replace("50%   58.10ms", "50%  812.00us")
    result = parse_wrk(clean)
    assert result.errors == 0
    assert result.p50_ms == pytest.approx(0.812)


def test_anything_else_is_not_taken_for_a_wrk_report():
    with pytest.raises(ValueError, match="not a wrk"):
        parse_wrk("unable to connect to 127.0.0.1:8001 Connection refused")


@pytest.mark.parametrize(
    ("lengths", "cut"),
    [
        ([5, 5, 5, 5], 2),
        ([30, 1, 1, 1, 1], 1),
        ([1, 1, 1, 1, 30], 4),
        ([2, 9, 3, 3, 3], 2),
        ([7], 1),
        ([], 0),
    ],
)
def test_the_two_worker_run_splits_the_articles_by_words(lengths, cut):
    texts = [(f"{index}.txt", "word " * length) for index, length in enumerate(lengths)]
    assert halfway_by_words(texts) == cut


def test_the_results_table_and_its_machine_are_written(tmp_path):
    rows = [
        Row("1", "End to end, 1 process", "7,000 words/s = 0.83 of plain", "≥ 0.8 of plain", True),
        Row("3", "claim list `/claims/?a|b`", "p99 200 ms", "p99 < 150 ms", False),
        Row("3", "trivial view, baseline", "p99 9 ms"),
    ]
    info = machine("18.6")
    markdown, data = write_results(tmp_path, rows=rows, info=info, details="## Plans", figures={"x": 1})
    text = markdown.read_text()
    assert "| 1 | End to end, 1 process | 7,000 words/s = 0.83 of plain | ≥ 0.8 of plain | yes |" in text
    assert "`/claims/?a\\|b`" in text and "| **no** |" in text and "| p99 9 ms |  |  |" in text
    assert text.index("| |") < text.index("## Plans")
    saved = json.loads(data.read_text())
    assert saved["machine"]["postgresql"] == "18.6" and saved["machine"]["cores"] >= 1
    assert {"date", "cpu", "ram_gib", "os", "python"} <= set(saved["machine"])
    assert saved["rows"][0]["met"] is True and saved["figures"] == {"x": 1}


def test_the_dump_for_the_memory_bench_parses_into_its_articles(tmp_path, db):
    texts = tmp_path / "texts"
    texts.mkdir()
    for number in range(3):
        paragraph = (
            f"The minister said on Tuesday that talks number {number} would go on for weeks. Officials in"
            " the capital declined to comment on the report, which was published late in the evening."
        )
        (texts / f"{number}.txt").write_text(
            "Talks will go on, minister says\n\n" + "\n\n".join([paragraph] * 4)
        )
    dump = tmp_path / "dump.txt"
    articles = make_dump(texts, dump, megabytes=0.002)
    parsed = parse_text(dump.read_text())
    assert parsed.format == "article_dump"
    assert len(parsed.documents) == articles


def test_the_unfiltered_claim_list_of_a_big_table_says_about_how_many(client, extracted, monkeypatch):
    monkeypatch.setattr(claim_paging, "ESTIMATE_COUNT_ABOVE", 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    estimate = Claim.objects.count()
    assert f"about {estimate:,} claim" in client.get(reverse("claim-list")).text
    filtered = client.get(reverse("claim-list"), {"kind": "statement"}).text
    assert "about" not in filtered.split('class="count"')[1][:40]
