"""Write the seed corpus under fuzz/corpus/ from the property tests' generators (tests/hostile.py), so the
fuzzer starts from comment trees, forum threads, RTL and quote soup rather than from empty input.

Run once and commit the result: `python -m fuzz.make_corpus`. Seeded, so it writes the same files again.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.errors import NonInteractiveExampleWarning

from tests.hostile import comment_trees, discourse_threads, fragment_soup, sentences

CORPUS = Path(__file__).resolve().parent / "corpus"
ENCODINGS = ["utf-8", "utf-16", "cp1252"]


def write(folder: Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main() -> None:
    import warnings

    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    rng = random.Random(20240322)
    random.seed(20240322)  # .example() draws from the global generator
    parsers = st.one_of(comment_trees(max_comments=8), discourse_threads(max_posts=5), fragment_soup(40))
    for _ in range(60):
        text = parsers.example()
        write(CORPUS / "parsers", text.encode(rng.choice(ENCODINGS), errors="replace"))
    short = st.lists(sentences() | fragment_soup(8), min_size=1, max_size=4).map(" ".join)
    for _ in range(30):
        write(CORPUS / "extractor", short.example().encode("utf-8"))


if __name__ == "__main__":
    main()
