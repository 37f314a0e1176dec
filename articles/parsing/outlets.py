"""Infer a file's publisher from how its articles refer to themselves.

Pages copied without their masthead still name their publisher in passing: "do not necessarily reflect
Al Jazeera’s editorial stance", "a former resident told Al Jazeera", "Al Jazeera has learned". Counted over
the whole file, such self-references single out the publisher; a name that also speaks in the text
("Putin told …", "Reuters said") is a source being quoted, not the publisher.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

CAPITALISED_WORDS = r"[A-Z][\w-]*(?: [A-Z][\w-]*)*"
NAME = rf"(?P<name>(?>{CAPITALISED_WORDS}))(?![’']s\b)"
EDITORIAL_STANCE = re.compile(
    rf"reflect (?:the (?:editorial )?(?:stance|policy|position|views) of )?(?P<name>{CAPITALISED_WORDS})"
    r"(?:[’']s)? editorial (?:stance|policy|position|line)"
)
MENTIONS = (
    re.compile(rf"\btold {NAME}"),
    re.compile(rf"\b(?:in an interview with|speaking to|speaking with|spoke to|spoke with) {NAME}"),
    re.compile(rf"{NAME} (?:has learned|has learnt|interviewed|has seen|has obtained|has confirmed)\b"),
)
EDITORIAL_WEIGHT = 3
MIN_SCORE = 3
MAX_NAME_WORDS = 4
SPEAKER_VERBS = r"(?:said|says|told|added|asked|wrote|claimed|argued|stated)"
MAX_SPEAKER_MENTIONS = 1
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class InferredOutlet:
    name: str
    referring_documents: frozenset[int]  # indexes into the texts given, the documents that name it


def infer_outlet(texts: Sequence[str]) -> InferredOutlet | None:
    """The publisher the texts (one per document) refer to as themselves, if one clearly stands out."""
    scores: Counter[str] = Counter()
    documents: dict[str, set[int]] = {}
    for index, text in enumerate(texts):
        for name, weight in _self_references(text):
            scores[name] += weight
            documents.setdefault(name, set()).add(index)
    ranked = []
    for name, score in scores.most_common(MAX_CANDIDATES):
        if not _speaks(name, texts):
            ranked.append((name, score))
        if len(ranked) == 2:
            break
    if not ranked or ranked[0][1] < MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    name = ranked[0][0]
    return InferredOutlet(name, frozenset(documents[name]))


def _self_references(text: str) -> list[tuple[str, int]]:
    found = [(match["name"], EDITORIAL_WEIGHT) for match in EDITORIAL_STANCE.finditer(text)]
    found += [(match["name"], 1) for pattern in MENTIONS for match in pattern.finditer(text)]
    return [(name, weight) for name, weight in found if len(name.split()) <= MAX_NAME_WORDS]


def _speaks(name: str, texts: Sequence[str]) -> bool:
    speaker = re.compile(rf"\b{re.escape(name)}\s+{SPEAKER_VERBS}\b")
    return sum(len(speaker.findall(text)) for text in texts) > MAX_SPEAKER_MENTIONS
