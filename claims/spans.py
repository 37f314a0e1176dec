"""Spans chosen by hand: snapped to whole tokens, checked against the document, and the sentence around
them found, so a claim made in the browser has the same shape as one the extractor made."""

from __future__ import annotations

import re
from collections.abc import Iterable

from claims.headlines import IRREGULAR_PAST
from claims.models import ClaimSpan

ROLES = tuple(ClaimSpan.Role.values)
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*\n")
LEMMA_BY_PAST = {past: lemma for lemma, past in IRREGULAR_PAST.items()}


class SpanError(ValueError):
    """A span that cannot be stored: outside the document, empty, or of an unknown role."""


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_'’-"


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a selection to whole words and trim the spaces at its ends ("aid th" → "said that")."""
    if not 0 <= start < end <= len(text):
        raise SpanError(f"characters {start}–{end} are not inside the document (length {len(text)})")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise SpanError("the selection holds only spaces")
    while start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        start -= 1
    while end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
        end += 1
    return start, end


def clean_spans(text: str, spans: Iterable[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Snapped, sorted spans with overlapping pieces of one role merged; a claim needs a cue and content."""
    by_role: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
    for role, start, end in spans:
        if role not in by_role:
            raise SpanError(f"unknown role {role!r}: a span is one of {', '.join(ROLES)}")
        by_role[role].append(snap_to_tokens(text, start, end))
    if not by_role[ClaimSpan.Role.CUE] or not by_role[ClaimSpan.Role.CONTENT]:
        raise SpanError("a claim needs at least a cue and some content")
    cleaned = []
    for role, pieces in by_role.items():
        merged: list[list[int]] = []
        for start, end in sorted(pieces):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        cleaned.extend((role, start, end) for start, end in merged)
    return cleaned


def enclosing_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """From the start of the sentence holding `start` to the end of the one holding `end`."""
    sentence_start = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        sentence_start = match.end()
    following = SENTENCE_END.search(text, end)
    sentence_end = following.start() + len(following.group().rstrip()) if following else len(text)
    return sentence_start, max(sentence_end, end)


def joined(text: str, spans: Iterable[tuple[str, int, int]], role: str) -> str:
    """The pieces of one role in text order, joined the way the extractor joins them."""
    return " … ".join(text[start:end] for span_role, start, end in spans if span_role == role)


def lemma_of_cue(cue: str) -> str:
    """A dictionary form for the cue a person marked ("warned" → "warn"), for headlines and filters."""
    words = cue.lower().split()
    if not words:
        return ""
    verb, rest = words[0], words[1:]
    if verb in LEMMA_BY_PAST:
        verb = LEMMA_BY_PAST[verb]
    elif verb.endswith("ied") and len(verb) > 4:
        verb = verb[:-3] + "y"
    elif verb.endswith("ed") and len(verb) > 4:
        stem = verb[:-2]
        verb = stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem
        verb = verb + "e" if re.search(r"(at|iz|us|ot|ar|ur|ag|iv|ud|ir|ac|ib|os)$", verb) else verb
    elif verb.endswith("s") and not verb.endswith("ss") and len(verb) > 3:
        verb = verb[:-1]
    return " ".join([verb, *rest])[:60]


def parse_span_inputs(values: Iterable[str]) -> list[tuple[str, int, int]]:
    """Spans as the span picker posts them, one "role:start:end" value each."""
    spans = []
    for value in values:
        role, _, rest = value.partition(":")
        start, _, end = rest.partition(":")
        if not (start.isdigit() and end.isdigit()):
            raise SpanError(f"{value!r} is not a span (role:start:end)")
        spans.append((role, int(start), int(end)))
    return spans
