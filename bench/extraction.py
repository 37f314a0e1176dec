"""Extraction throughput end to end: ingest, parse, spaCy, attribution and claims written to PostgreSQL,
against plain `nlp.pipe` over the same texts with the same model, then the same work split over two worker
processes (one model each, started with spawn; no spaCy n_process).

Every run happens in fresh worker processes that load their model, wait at a barrier, and only then start
the clock, so model loading (and the date parser's loading of its data) is not timed and two workers start
together. Runs alternate for `rounds` rounds and the best rate of each counts, which keeps a busy machine
from deciding the ratios.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

WARM_UP = "“We will not back down,” the minister said on Tuesday. Police said the suspects were held."
WARM_UP_FILE = f"Minister stands firm\n\n{WARM_UP} The talks ended on 12 March 2024.\n"


@dataclass
class RunResult:
    label: str
    processes: int
    words: int
    seconds: float
    claims: int
    documents: int

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds


@dataclass
class ExtractionBench:
    texts: int
    words: int
    plain: RunResult
    one: RunResult
    two: RunResult

    @property
    def ratio(self) -> float:
        """End-to-end words/s on one process over plain nlp.pipe's."""
        return self.one.words_per_second / self.plain.words_per_second

    @property
    def speedup(self) -> float:
        return self.two.words_per_second / self.one.words_per_second


def load_texts(text_dir: Path, limit: int) -> list[tuple[str, str]]:
    """(name, text) of the first `limit` articles of `text_dir`, in name order."""
    paths = sorted(text_dir.glob("*.txt"))[:limit]
    if not paths:
        raise SystemExit(f"no .txt files in {text_dir} (set EVAL_DIR= to the folder holding polnear/)")
    return [(path.name, path.read_text(encoding="utf-8")) for path in paths]


def run_extraction_bench(texts: list[tuple[str, str]], *, rounds: int, log=print) -> ExtractionBench:
    words = sum(len(text.split()) for _name, text in texts)
    best: dict[str, RunResult] = {}
    half = halfway_by_words(texts)
    for round_number in range(1, rounds + 1):
        for label, parts in (
            ("plain nlp.pipe", [texts]),
            ("end to end, 1 process", [texts]),
            ("end to end, 2 processes", [texts[:half], texts[half:]]),
        ):
            if label != "plain nlp.pipe":
                reset_corpus()
            result = _run(label, parts, plain=label == "plain nlp.pipe")
            log(
                f"  round {round_number}: {label}: {result.words_per_second:,.0f} words/s "
                f"({result.seconds:.1f} s, {result.claims:,} claims)"
            )
            if label not in best or result.words_per_second > best[label].words_per_second:
                best[label] = result
    return ExtractionBench(
        len(texts),
        words,
        best["plain nlp.pipe"],
        best["end to end, 1 process"],
        best["end to end, 2 processes"],
    )


def halfway_by_words(texts: list[tuple[str, str]]) -> int:
    """Where to cut `texts` into two runs of about the same number of words: workers taking documents from
    the queue share them by work done, not by count, and the longer run would decide the time."""
    counts = [len(text.split()) for _name, text in texts]
    before = list(accumulate(counts, initial=0))
    return min(range(1, len(texts)), key=lambda cut: abs(2 * before[cut] - before[-1]), default=len(texts))


_BASELINE: dict[str, int] = {}


def reset_corpus() -> None:
    """Empty what an extraction run writes (files, documents, claims, and the actors and outlets they
    brought), so every run starts from the same database."""
    from django.db import connection

    with connection.cursor() as cursor:
        if not _BASELINE:
            for table in ("sources_actor", "sources_actoralias", "sources_outlet"):
                cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
                _BASELINE[table] = cursor.fetchone()[0]
        cursor.execute("TRUNCATE articles_sourcefile CASCADE")
        for table in ("sources_actoralias", "sources_actor", "sources_outlet"):
            cursor.execute(f"DELETE FROM {table} WHERE id > %s", [_BASELINE[table]])


def _run(label: str, parts: list[list[tuple[str, str]]], *, plain: bool) -> RunResult:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(parts))
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(part, plain, barrier, results), daemon=True) for part in parts
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=3600) for _ in workers]
    for worker in workers:
        worker.join()
    failed = [outcome for outcome in outcomes if "error" in outcome]
    if failed:
        raise RuntimeError(f"{label}: a worker failed:\n{failed[0]['error']}")
    return RunResult(
        label=label,
        processes=len(parts),
        words=sum(outcome["words"] for outcome in outcomes),
        seconds=max(o["finished"] for o in outcomes) - min(o["started"] for o in outcomes),
        claims=sum(outcome["claims"] for outcome in outcomes),
        documents=sum(outcome["documents"] for outcome in outcomes),
    )


def _worker(texts: list[tuple[str, str]], plain: bool, barrier, results) -> None:
    """One worker process: load the model, wait for the others, then do its share with the clock running."""
    import traceback

    try:
        results.put(_work(texts, plain, barrier))
    except BaseException:
        barrier.abort()
        results.put({"error": traceback.format_exc()})


def _work(texts: list[tuple[str, str]], plain: bool, barrier) -> dict:
    import django

    django.setup()
    from claims.extraction.pipeline import BATCH_SIZE, MODEL_NAME, load_nlp

    words = sum(len(text.split()) for _name, text in texts)
    claims = documents = 0
    if plain:
        import spacy

        nlp = spacy.load(MODEL_NAME)
        list(nlp.pipe([WARM_UP], batch_size=BATCH_SIZE))
        barrier.wait()
        started = time.time()
        for _doc in nlp.pipe((text for _name, text in texts), batch_size=BATCH_SIZE):
            pass
    else:
        from django.db import connection

        from articles.parsing import parse_text
        from claims.extraction.pipeline import extract_attributions

        load_nlp()
        list(extract_attributions([WARM_UP]))
        parse_text(WARM_UP_FILE, filename="warm-up.txt")  # dateparser loads its data on first use
        connection.ensure_connection()
        barrier.wait()
        started = time.time()
        documents, claims = _ingest_and_extract(texts)
    finished = time.time()
    return {
        "words": words,
        "started": started,
        "finished": finished,
        "claims": claims,
        "documents": documents,
    }


def _ingest_and_extract(texts: list[tuple[str, str]]) -> tuple[int, int]:
    """The real services: each file ingested, then the new documents extracted (`extract_claims` parses
    and stores them a batch at a time). A run that loses a deadlock to the other worker is run again on
    what is left, which extraction's idempotence allows."""
    from django.db import OperationalError

    from articles.ingest import ingest_bytes
    from articles.models import Document
    from claims.services import documents_needing_extraction, extract_claims

    source_files = []
    for name, text in texts:
        outcome = ingest_bytes(text.encode("utf-8"), name=f"polnear/{name}")
        if outcome.source_file is None:
            raise RuntimeError(f"{name}: {outcome.message}")
        source_files.append(outcome.source_file.pk)
    documents = Document.objects.filter(source_file__in=source_files)
    claims = 0
    for attempt in range(3):
        try:
            claims += extract_claims(documents_needing_extraction(documents)).claims
            break
        except OperationalError:
            if attempt == 2:
                raise
    return documents.count(), claims
