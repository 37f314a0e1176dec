"""Quotation finding: curly and straight marks, quotes over several paragraphs."""

from claims.extraction.quotes import find_quotes


def quoted(text: str) -> list[str]:
    return [text[start:end] for start, end in find_quotes(text)]


def test_curly_and_straight_quotes():
    text = 'He said “we will win” and she said "never".'
    assert quoted(text) == ["“we will win”", '"never"']


def test_double_apostrophe_quotes():
    assert quoted("He called it ''a hoax'' on Friday.") == ["''a hoax''"]


def test_quote_runs_over_paragraphs_when_the_next_one_reopens():
    text = "“We will fight.\n\n“We will win,” he said.\n\nLater “yes” came."
    assert quoted(text) == ["“We will fight.\n\n“We will win,”", "“yes”"]


def test_unclosed_quote_ends_with_its_paragraph():
    text = "He said “we are ready\n\nThe next paragraph."
    assert quoted(text) == ["“we are ready"]


def test_misused_closing_mark_opens_a_quote():
    assert quoted("Fear. ”I am afraid.” ― Edwin") == ["”I am afraid.”"]
