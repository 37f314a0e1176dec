"""Read PolNeAR (brat standoff) gold attributions, for training and error analysis."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
EVENT = re.compile(r"^E\d+\t(\S.*)$")
ROLE_BY_ARGUMENT = {"Source": "source", "Cue": "cue", "Content": "content"}


@dataclass
class GoldDocument:
    stem: str
    text: str
    attributions: list[dict[str, list[tuple[int, int]]]]


def parse_brat(ann_text: str) -> list[dict[str, list[tuple[int, int]]]]:
    """Events of one .ann file as role -> character spans; events without a cue are unusable."""
    spans_by_id: dict[str, list[tuple[int, int]]] = {}
    events = []
    for line in ann_text.split("\n"):
        if match := TEXT_BOUND.match(line):
            spans_by_id[match.group(1)] = [
                (int(start), int(end)) for start, end in (part.split() for part in match.group(3).split(";"))
            ]
        elif match := EVENT.match(line):
            events.append(match.group(1).split())
    attributions = []
    for arguments in events:
        roles: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLE_BY_ARGUMENT.values()}
        for argument in arguments:
            name, _, ref = argument.partition(":")
            role = ROLE_BY_ARGUMENT.get(name.rstrip("0123456789"))
            if role and ref in spans_by_id:
                roles[role].extend(spans_by_id[ref])
        if roles["cue"]:
            attributions.append(roles)
    return attributions


def read_split(split_dir: Path) -> Iterator[GoldDocument]:
    """Documents of a split; for multi-annotator articles, the first annotator's file (sorted)."""
    for text_path in sorted((split_dir / "text").glob("*.txt")):
        stem = text_path.stem
        ann_paths = sorted((split_dir / "attributions").glob(f"{stem}*.ann"))
        ann_paths = [path for path in ann_paths if path.stem == stem or path.stem.rpartition("_")[0] == stem]
        attributions = parse_brat(ann_paths[0].read_text(encoding="utf-8")) if ann_paths else []
        yield GoldDocument(stem, text_path.read_text(encoding="utf-8"), attributions)
