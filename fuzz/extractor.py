"""Fuzz the extractor on short texts: it must answer every text with spans inside it, and never raise."""

from __future__ import annotations

import sys

import atheris

from fuzz.django_setup import django_ready

django_ready()

with atheris.instrument_imports(include=["claims.extraction"]):
    from claims.extraction.pipeline import extract_attributions, load_nlp

MAX_CHARS = 2000  # short inputs: spaCy's speed, not ours, would bound longer ones


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")[:MAX_CHARS]
    (attributions,) = extract_attributions([text])
    for attribution in attributions:
        spans = [*attribution.source, *attribution.cue, *attribution.content, attribution.sentence]
        spans += attribution.date_expressions
        if not all(0 <= start <= end <= len(text) for start, end in spans):
            raise AssertionError(f"span outside the text: {attribution}")


if __name__ == "__main__":
    load_nlp()  # once, before the timed runs
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
