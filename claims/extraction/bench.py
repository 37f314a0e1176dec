"""Throughput of the extractor against the plain model: ``python -m claims.extraction.bench --text-dir DIR``.

Both runs parse the same texts in the same process with the same batch size,
so the ratio is the cost of the claimtracker_* components alone. They
alternate for a few rounds and the best rate of each counts, which keeps a
busy shared machine from deciding the ratio.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from claims.extraction.pipeline import BATCH_SIZE, MODEL_NAME, extract_attributions, load_nlp


def words_per_second(run: Callable[[list[str]], Iterable[object]], texts: list[str], words: int) -> float:
    started = time.perf_counter()
    for _ in run(texts):
        pass
    return words / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    import spacy

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--text-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    texts = [path.read_text(encoding="utf-8") for path in sorted(args.text_dir.glob("*.txt"))]
    words = sum(len(text.split()) for text in texts)
    plain = spacy.load(MODEL_NAME)
    load_nlp()  # load outside the timed runs
    plain_rate = extract_rate = 0.0
    for _ in range(args.rounds):
        plain_run = words_per_second(lambda batch: plain.pipe(batch, batch_size=BATCH_SIZE), texts, words)
        plain_rate = max(plain_rate, plain_run)
        extract_rate = max(extract_rate, words_per_second(extract_attributions, texts, words))
    print(f"{len(texts)} texts, {words} words, best of {args.rounds} rounds")
    print(f"plain nlp.pipe ({MODEL_NAME}): {plain_rate:,.0f} words/s")
    print(f"extract_attributions:          {extract_rate:,.0f} words/s")
    print(f"ratio: {extract_rate / plain_rate:.2f}")


if __name__ == "__main__":
    main()
