import datetime as dt

import pytest

from claims.dates import SaidDate, resolve_expression, resolve_said_date

PUBLISHED = dt.date(2024, 3, 23)  # a Saturday


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("on March 8", (dt.date(2024, 3, 8), "day")),
        ("days later, on March 19", (dt.date(2024, 3, 19), "day")),
        ("on Saturday", (dt.date(2024, 3, 23), "day")),
        ("Friday night", (dt.date(2024, 3, 22), "day")),
        ("on Tuesday", (dt.date(2024, 3, 19), "day")),
        ("last year", (dt.date(2023, 1, 1), "year")),
        ("in March 2023", (dt.date(2023, 3, 1), "month")),
        ("in early March", (dt.date(2024, 3, 1), "month")),
        ("yesterday", (dt.date(2024, 3, 22), "day")),
    ],
)
def test_expressions_resolve_against_the_publication_date(expression, expected):
    assert resolve_expression(expression, PUBLISHED) == expected


def test_without_a_publication_date_only_explicit_dates_resolve():
    assert resolve_expression("on Saturday", None) is None
    assert resolve_expression("on March 8", None) is None
    assert resolve_expression("on 19 March 2024", None) == (dt.date(2024, 3, 19), "day")


def test_dates_after_publication_are_not_dates_said():
    assert resolve_expression("next month", PUBLISHED) is None


def test_the_publication_date_is_used_and_marked_when_the_text_gives_none():
    assert resolve_said_date([], PUBLISHED) == SaidDate(PUBLISHED, "publication", "", "day")
    assert resolve_said_date(["recently"], PUBLISHED) == SaidDate(PUBLISHED, "publication", "", "day")


def test_no_date_at_all_stays_empty():
    assert resolve_said_date(["on Saturday"], None) == SaidDate(None, "unknown")
