"""Write the PolNeAR scorer's JSONL for a folder of .txt files.

``python -m claims.extraction.evaluate --text-dir DIR --jsonl OUT``, then
``python score_attributions.py GOLD_DIR OUT``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from claims.extraction.pipeline import extract_attributions


def extract_dir_to_jsonl(text_dir: Path, out: Path) -> int:
    """Extract every ``*.txt`` of ``text_dir`` into ``out``; returns the number of documents."""
    paths = sorted(Path(text_dir).glob("*.txt"))
    texts = (path.read_text(encoding="utf-8") for path in paths)
    with Path(out).open("w", encoding="utf-8") as handle:
        for path, attributions in zip(paths, extract_attributions(texts), strict=True):
            record = {"doc": path.stem, "attributions": [a.to_scorer_dict() for a in attributions]}
            handle.write(json.dumps(record) + "\n")
    return len(paths)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--text-dir", type=Path, required=True)
    parser.add_argument("--jsonl", type=Path, required=True)
    args = parser.parse_args(argv)
    count = extract_dir_to_jsonl(args.text_dir, args.jsonl)
    print(f"{count} documents -> {args.jsonl}")


if __name__ == "__main__":
    main()
