"""Fuzz `decode` + `parse_text`: any bytes decode to text whose parse keeps the span contract, or are
refused with `NotText`. Anything else (an exception, a broken span) is a crash, saved in var/fuzz/."""

from __future__ import annotations

import sys

import atheris

from fuzz.django_setup import django_ready

django_ready()

with atheris.instrument_imports():
    from articles.decoding import NotText, decode
    from articles.parsing import parse_text
    from articles.parsing.checks import contract_violations


def test_one_input(data: bytes) -> None:
    try:
        decoded = decode(data)
    except NotText:
        return
    parsed = parse_text(decoded.text, filename="fuzz.txt")
    problems = contract_violations(parsed, decoded.text)
    if problems:
        raise AssertionError(problems)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
