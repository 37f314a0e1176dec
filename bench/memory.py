"""Peak memory of one worker ingesting a big article dump and extracting claims from it:
``python -m bench.memory --make DIR --megabytes 50 FILE`` writes the dump, ``python -m bench.memory FILE``
ingests and extracts it in this process and prints one JSON line with the resident set sizes.

The dump is PolNeAR train articles, cycled and numbered, in the layout of fixtures/seeds/003: a
"Headline | Section" line, the prose, and an "Original Source" line after each article. Extracting the
whole file would take far longer than the benchmark's budget (about 8 million words), so extraction runs
over the first `--extract` documents, as the `ingest` command would start on them; a sampler thread
records the peak of each phase.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path

import psutil

TRAILER = "\n\nOriginal Source\n\n"


def make_dump(text_dir: Path, target: Path, megabytes: float) -> int:
    """Write about `megabytes` MB of articles to `target`; returns the number of articles."""
    texts = [path.read_text(encoding="utf-8").strip() for path in sorted(text_dir.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt files in {text_dir}")
    limit = int(megabytes * 1024 * 1024)
    written = count = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as out:
        while written < limit:
            title, _, body = texts[count % len(texts)].partition("\n")
            # A number in each headline keeps every copy a distinct article.
            piece = f"{title.strip()} ({count + 1}) | Politics News\n\n{body.strip()}{TRAILER}"
            out.write(piece)
            written += len(piece.encode("utf-8"))
            count += 1
    return count


class PeakSampler:
    """Samples this process's RSS every few milliseconds; `mark(phase)` starts a new phase."""

    def __init__(self, interval: float = 0.02) -> None:
        self.process = psutil.Process()
        self.interval = interval
        self.phase = "start"
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def mark(self, phase: str) -> None:
        self._sample()
        self.phase = phase
        self._sample()

    def _sample(self) -> None:
        rss = self.process.memory_info().rss / 1024 / 1024
        self.peaks[self.phase] = max(self.peaks.get(self.phase, 0.0), rss)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()


def measure(path: Path, extract: int) -> dict:
    import django

    django.setup()
    from django.conf import settings

    from articles.ingest import ingest_bytes
    from articles.models import Document
    from articles.tasks import pending_chunks
    from claims.extraction.pipeline import load_nlp
    from claims.services import extract_claims

    result: dict = {"file_mb": path.stat().st_size / 1024 / 1024}
    with PeakSampler() as sampler:
        sampler.mark("django and model loaded")
        load_nlp()
        sampler.mark("ingest")
        started = time.perf_counter()
        outcome = ingest_bytes(path.read_bytes(), name=path.name)
        result["ingest_seconds"] = time.perf_counter() - started
        result["ingest_status"] = f"{outcome.status}: {outcome.message}"
        result["documents"] = outcome.documents
        if outcome.source_file is None:
            return result | {"peaks_mb": sampler.peaks}
        sampler.mark("extract")
        # As `manage.py extract` does: the pending documents' ids, then their texts a chunk at a time.
        chunks = list(
            pending_chunks(outcome.source_file.documents.all(), max_chars=settings.EXTRACT_TASK_MAX_CHARS)
        )
        rss_after_finding = psutil.Process().memory_info().rss / 1024 / 1024
        steps: list[float] = []
        started = time.perf_counter()
        result["extracted_documents"] = result["claims"] = 0
        for chunk in chunks:
            wanted = chunk[: extract - result["extracted_documents"]]
            if not wanted:
                break
            report = extract_claims(
                list(Document.objects.filter(pk__in=wanted).order_by("pk")),
                on_batch=lambda _stored: steps.append(psutil.Process().memory_info().rss / 1024 / 1024),
            )
            result["extracted_documents"] += report.documents
            result["claims"] += report.claims
        result["extract_seconds"] = time.perf_counter() - started
        result["rss_after_finding_pending_mb"] = rss_after_finding
        # RSS after the first and the last tenth of the batches: growth means memory is not bounded.
        tenth = max(1, len(steps) // 10)
        result["extract_rss_first_tenth_mb"] = max(steps[:tenth], default=0.0)
        result["extract_rss_last_tenth_mb"] = max(steps[-tenth:], default=0.0)
    result["peaks_mb"] = sampler.peaks
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--make", type=Path, help="the folder of .txt articles to build FILE from")
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--extract", type=int, default=200, help="documents to extract after the ingest")
    args = parser.parse_args(argv)
    if args.make:
        print(json.dumps({"articles": make_dump(args.make, args.file, args.megabytes)}))
    else:
        print(json.dumps(measure(args.file, args.extract)))


if __name__ == "__main__":
    main()
