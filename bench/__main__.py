"""`python -m bench`: the whole benchmark suite in a throwaway database, one table at the end.

1. extraction throughput end to end against plain nlp.pipe, one and two worker processes;
2. `fill_synthetic` to the requested scale;
3. page latency under wrk against gunicorn, with the query plans of each page's slowest queries;
4. (query counts are tests: tests/test_query_counts.py);
5. peak memory of a worker ingesting and extracting a big file, and of the web workers under load.

The database `claimtracker_bench` is created on the app's server (DATABASE_URL or the embedded one) and
dropped at the end (`--keep` keeps it); the user's own database is never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
import traceback
from pathlib import Path

from bench.report import Row, machine, machine_line, markdown_table, write_results

PROJECT = Path(__file__).resolve().parent.parent
SECTIONS = ("extraction", "fill", "pages", "memory")


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    eval_dir = Path(os.environ.get("EVAL_DIR") or PROJECT.parent / "shared" / "eval")
    parser.add_argument("--train-dir", type=Path, default=eval_dir / "polnear" / "train" / "text")
    parser.add_argument("--articles", type=int, default=_env_int("BENCH_ARTICLES", 200))
    parser.add_argument("--rounds", type=int, default=_env_int("BENCH_ROUNDS", 2))
    parser.add_argument("--claims", type=int, default=_env_int("BENCH_CLAIMS", 1_000_000))
    parser.add_argument("--documents", type=int, default=_env_int("BENCH_DOCUMENTS", 100_000))
    parser.add_argument("--seconds", type=int, default=_env_int("BENCH_SECONDS", 30), help="wrk per page")
    parser.add_argument(
        "--signed-in-seconds",
        type=int,
        default=_env_int("BENCH_SIGNED_IN_SECONDS", 10),
        help="wrk per page as a signed-in user (shorter: it runs the same page cache as for readers)",
    )
    parser.add_argument("--search", default=os.environ.get("BENCH_SEARCH") or "Clinton campaign")
    parser.add_argument("--memory-mb", type=int, default=_env_int("BENCH_MEMORY_MB", 50))
    parser.add_argument("--memory-extract", type=int, default=_env_int("BENCH_MEMORY_EXTRACT", 100))
    parser.add_argument("--out", type=Path, default=PROJECT / "var" / "bench")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE") or "claimtracker_bench")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the benchmark database left by --keep instead of recreating it (with --only pages, say)",
    )
    parser.add_argument(
        "--only",
        type=lambda text: text.split(","),
        default=list(SECTIONS),
        help=f"comma-separated sections to run, of {','.join(SECTIONS)}",
    )
    args = parser.parse_args(argv)
    if unknown := set(args.only) - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtracker.settings")
    from bench.db import drop_database, recreate_database, server_url, server_version, with_database

    base_url = server_url()
    info = machine(server_version(base_url))
    print(f"make bench: {machine_line(info)}", flush=True)
    if args.reuse:
        bench_url = with_database(base_url, args.database)
    else:
        bench_url = recreate_database(base_url, args.database)
    os.environ["DATABASE_URL"] = bench_url  # before Django reads its settings
    # Production settings in this process and every worker it starts: DEBUG would keep every query's SQL.
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_HTTPS"] = "false"  # production settings over plain HTTP: loopback only
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"database {args.database} {'reused' if args.reuse else 'created'} and migrated", flush=True)
    rows: list[Row] = []
    figures: dict = {"arguments": {k: str(v) for k, v in vars(args).items()}}
    details: list[str] = []
    started = time.monotonic()
    failure = None
    try:
        if "extraction" in args.only:
            _extraction(args, rows, figures)
        if "fill" in args.only:
            _fill(args, rows, figures)
        if "pages" in args.only:
            _pages(args, bench_url, rows, figures, details)
            queries = "tests/test_query_counts.py (make test)"
            rows.append(Row("4", "Queries per page", queries, "constant in rows shown"))
        if "memory" in args.only:
            _memory(args, bench_url, rows, figures)
    except Exception as error:  # still write what was measured, then fail
        traceback.print_exc()
        failure = error
        rows.append(Row("", "The suite stopped", f"{type(error).__name__}: {error}", "", False))
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(base_url, args.database)
    figures["total_seconds"] = round(time.monotonic() - started)
    rows.sort(key=lambda row: row.section or "9")  # stable: in the order measured within a section
    minutes = figures["total_seconds"] / 60
    rows.append(Row("", "Whole suite", f"{minutes:.1f} min", "< 20 min", minutes < 20))
    markdown, data = write_results(
        args.out, rows=rows, info=info, details="\n\n".join(details), figures=figures
    )
    print(f"\n{machine_line(info)}\n\n{markdown_table(rows)}\n\nWritten to {markdown} and {data}")
    return 1 if failure else 0


def _extraction(args: argparse.Namespace, rows: list[Row], figures: dict) -> None:
    from bench.extraction import load_texts, run_extraction_bench

    texts = load_texts(args.train_dir, args.articles)
    print(f"\n1. extraction: {len(texts)} PolNeAR train articles, best of {args.rounds} rounds", flush=True)
    result = run_extraction_bench(texts, rounds=args.rounds)
    figures["extraction"] = {
        "texts": result.texts,
        "words": result.words,
        **{
            run.label: {
                "words_per_second": round(run.words_per_second),
                "seconds": round(run.seconds, 2),
                "claims": run.claims,
                "documents": run.documents,
            }
            for run in (result.plain, result.one, result.two)
        },
        "ratio": round(result.ratio, 3),
        "speedup": round(result.speedup, 3),
    }
    about = f"{result.texts} articles, {result.words:,} words"
    rows += [
        Row("1", f"Plain nlp.pipe, 1 process ({about})", f"{result.plain.words_per_second:,.0f} words/s"),
        Row(
            "1",
            "End to end (ingest, parse, spaCy, attribution, claims in PostgreSQL), 1 process",
            f"{result.one.words_per_second:,.0f} words/s = {result.ratio:.2f} of plain",
            "≥ 0.8 of plain",
            result.ratio >= 0.8,
        ),
        Row(
            "1",
            "End to end, 2 worker processes",
            f"{result.two.words_per_second:,.0f} words/s = {result.speedup:.2f}× one process",
            "≥ 1.7×",
            result.speedup >= 1.7,
        ),
    ]


def _fill(args: argparse.Namespace, rows: list[Row], figures: dict) -> None:
    from bench.synthetic import fill_synthetic

    print(f"\n2. fill_synthetic --claims {args.claims} --documents {args.documents}", flush=True)
    report = fill_synthetic(
        claims=args.claims, documents=args.documents, log=lambda line: print("  " + line, flush=True)
    )
    for step, seconds in report.seconds.items():
        print(f"  {step}: {seconds:.1f} s", flush=True)
    rate = report.rows / report.total_seconds
    figures["fill"] = {
        "documents": report.documents,
        "claims": report.claims,
        "spans": report.spans,
        "seconds": {step: round(seconds, 1) for step, seconds in report.seconds.items()},
        "rows_per_second": round(rate),
    }
    rows.append(
        Row(
            "2",
            f"fill_synthetic: {report.claims:,} claims, {report.documents:,} documents,"
            f" {report.spans:,} spans",
            f"{report.total_seconds / 60:.1f} min, {rate:,.0f} rows/s"
            " (COPY, FK checks, index rebuild, VACUUM ANALYZE)",
            "minutes",
            report.total_seconds < 15 * 60,
        )
    )


def _pages(
    args: argparse.Namespace, bench_url: str, rows: list[Row], figures: dict, details: list[str]
) -> None:
    from bench.pages import run_pages_bench
    from claims.models import Claim

    claims = Claim.objects.count()
    print(
        f"\n3. pages at {claims:,} claims: gunicorn, 2 workers; wrk 16 connections, {args.seconds} s each"
        f" signed out and {args.signed_in_seconds} s signed in (pages kept while the database is unchanged),"
        " and each rendered afresh"
    )
    bench = run_pages_bench(
        bench_url, search=args.search, seconds=args.seconds, signed_in_seconds=args.signed_in_seconds
    )
    trivial = bench.pages[0].result
    figures["pages"] = {}
    for page in bench.pages:
        figures["pages"][page.name] = {
            "path": page.path,
            "bytes": page.bytes,
            "signed_out": page.result.__dict__,
            "signed_in": page.signed_in.__dict__ if page.signed_in else None,
            "fresh_ms": round(page.fresh_ms, 1),
        }
        if page is bench.pages[0]:
            rows.append(Row("3", f"{page.name}, baseline", _wrk_summary(page.result)))
            continue
        for who, result in (("signed-out reader", page.result), ("signed in", page.signed_in)):
            ratio = result.p99_ms / trivial.p99_ms if trivial.p99_ms else 0.0
            rows.append(
                Row(
                    "3",
                    f"{page.name}, {who} `{page.path}`",
                    f"{_wrk_summary(result)} · p99 {ratio:.1f}× trivial",
                    f"p99 < {page.p99_target_ms:.0f} ms, ≤ 5× trivial",
                    result.p99_ms < page.p99_target_ms and ratio <= 5 and result.errors == 0,
                )
            )
        rows.append(
            Row("3", f"{page.name}, rendered afresh, one request at a time", f"median {page.fresh_ms:.0f} ms")
        )
    scans = sorted({f"{table} ({plan.page})" for plan in bench.plans for table in plan.seq_scans})
    rows.append(
        Row(
            "3",
            "Sequential scans of claims, spans or documents in the plans below",
            ", ".join(scans) or "none",
            "none",
            not scans,
        )
    )
    figures["gunicorn_memory_mb"] = bench.memory.__dict__
    rows.append(
        Row(
            "5",
            f"Web process under load (gunicorn, 2 workers, {bench.memory.samples} samples)",
            f"peak {bench.memory.peak_worker_mb:,.0f} MB per worker,"
            f" {bench.memory.peak_total_mb:,.0f} MB with the master",
        )
    )
    details.append(
        f"## Query plans at {claims:,} claims\n\nThe slowest query of each page (and any over 20 ms)."
    )
    for plan in bench.plans:
        details.append(
            f"### {plan.page}: {plan.milliseconds:.1f} ms when captured\n\n```sql\n{plan.sql}\n```\n\n"
            f"```\n{plan.plan}\n```"
        )
    print("\n" + "\n\n".join(details[-len(bench.plans) - 1 :]), flush=True)


def _wrk_summary(result) -> str:
    return (
        f"{result.requests_per_second:,.0f} req/s · p50 {result.p50_ms:.1f} ms"
        f" · p99 {result.p99_ms:.1f} ms · {result.errors} errors"
    )


def _memory(args: argparse.Namespace, bench_url: str, rows: list[Row], figures: dict) -> None:
    dump = args.out / f"dump-{args.memory_mb}mb.txt"
    print(
        f"\n5. memory: ingest a {args.memory_mb} MB dump, then extract {args.memory_extract} of its documents"
    )
    env = dict(
        os.environ, DATABASE_URL=bench_url, CLAIMTRACKER_INGEST_MAX_MB=str(max(100, 2 * args.memory_mb))
    )
    command = [sys.executable, "-m", "bench.memory", str(dump)]
    if not dump.exists():
        subprocess.run(
            [*command, "--make", str(args.train_dir), "--megabytes", str(args.memory_mb)], check=True
        )
    completed = subprocess.run(
        [*command, "--extract", str(args.memory_extract)], env=env, capture_output=True, text=True
    )
    if completed.returncode != 0:
        print(completed.stderr[-3000:], flush=True)
        rows.append(
            Row("5", f"Worker ingesting a {args.memory_mb} MB file", "failed (see the output)", "", False)
        )
        return
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    figures["memory"] = result
    peaks = result["peaks_mb"]
    print(f"  {json.dumps(result)}", flush=True)
    growth = result.get("extract_rss_last_tenth_mb", 0) - result.get("extract_rss_first_tenth_mb", 0)
    rows.append(
        Row(
            "5",
            f"Worker ingesting a {result['file_mb']:.0f} MB file ({result['documents']:,} documents,"
            f" {result['ingest_seconds']:.0f} s)",
            f"peak {peaks.get('ingest', 0):,.0f} MB"
            f" (before, with the model loaded: {peaks.get('django and model loaded', 0):,.0f} MB)",
        )
    )
    if "extract" in peaks:
        rows.append(
            Row(
                "5",
                f"Same worker extracting {result['extracted_documents']} of them"
                f" ({result['claims']:,} claims)",
                f"peak {peaks['extract']:,.0f} MB; {growth:+,.0f} MB from the first to the last tenth",
                "bounded",
                growth < 100,
            )
        )


if __name__ == "__main__":
    sys.exit(main())
