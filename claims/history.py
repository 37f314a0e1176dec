"""A claim's recorded changes as lines a person reads: "kind: statement → accusation"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claims.models import Claim, ClaimChange

LABELS = {
    "speaker": "speaker",
    "speaker_text": "source words",
    "cue_lemma": "cue",
    "is_direct_quote": "direct quote",
    "content_text": "content",
    "said_on": "date said",
    "said_on_source": "date from",
    "said_on_text": "date words",
    "said_on_precision": "date precision",
    "sentence_start": "sentence start",
    "sentence_end": "sentence end",
}
# Derived from the spans, which are shown themselves; listing these too would repeat them.
DERIVED = {"sentence_start", "sentence_end", "speaker_text", "content_text", "cue_lemma"}


@dataclass(frozen=True)
class Line:
    label: str
    before: str
    after: str


def change_lines(change: ClaimChange, text: str) -> list[Line]:
    """What one change did, field by field; `text` is the claim's document text, to show spans."""
    if change.action == ClaimChange.Action.CREATED:
        return [Line(role, "", words) for role, words in _span_words(change.after.get("spans", []), text)]
    keys = [
        key for key in {**change.before, **change.after} if key not in DERIVED or "spans" not in change.after
    ]
    lines = []
    for key in keys:
        before, after = change.before.get(key), change.after.get(key)
        if key == "spans":
            lines.extend(_span_lines(before or [], after or [], text))
        elif key == "link":
            lines.append(Line("link", _link_words(before), _link_words(after)))
        else:
            lines.append(
                Line(LABELS.get(key, key.replace("_", " ")), _words(key, before), _words(key, after))
            )
    return lines


def _words(field: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if field == "speaker":
        return value["name"]
    if isinstance(value, bool):
        return "yes" if value else "no"
    choices = {"kind": Claim.Kind, "polarity": Claim.Polarity, "status": Claim.Status}
    if field in choices and value in choices[field].values:
        return str(choices[field](value).label)
    return str(value)


def _span_words(spans: list, text: str) -> list[tuple[str, str]]:
    by_role: dict[str, list[str]] = {}
    for role, start, end in spans:
        by_role.setdefault(role, []).append(text[start:end])
    return [(role, " … ".join(pieces)) for role, pieces in by_role.items()]


def _span_lines(before: list, after: list, text: str) -> list[Line]:
    old, new = dict(_span_words(before, text)), dict(_span_words(after, text))
    return [
        Line(role, old.get(role, "—"), new.get(role, "—"))
        for role in ("source", "cue", "content")
        if old.get(role) != new.get(role)
    ]


def _link_words(summary: dict | None) -> str:
    if not summary:
        return "—"
    target = (
        summary.get("claim", {}).get("headline")
        or summary.get("passage")
        or summary.get("actor", {}).get("name")
        or summary.get("document", {}).get("title")
        or summary.get("url", "")
    )
    note = f" ({summary['note']})" if summary.get("note") else ""
    return f"{summary['kind']}: {target}{note}"
