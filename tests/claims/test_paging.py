"""Search results ranked in two steps page exactly like the one-query ranking they replace."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.filters import filter_claims
from claims.models import Claim
from claims.paging import RankedMatches, claims_page
from tests.factories import document_from_text, spoken_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def matches():
    """Seven claims naming the campaign, some twice (a higher rank), on different days; two that don't."""
    document = document_from_text("The campaign said so.")
    for number in range(7):
        content = "the campaign " * (1 + number % 3) + f"statement number {number}"
        spoken_claim(document, None, content, said_on=dt.date(2024, 3, 1 + number), speaker_text="aide")
    for number in range(2):
        spoken_claim(document, None, f"unrelated words {number}", speaker_text="aide")
    return filter_claims(Claim.objects.listed(), {"q": "campaign"})


def test_pages_hold_the_matches_in_rank_order_with_their_count_and_snippets(matches):
    expected = list(matches.values_list("pk", flat=True))
    assert len(expected) == 7
    seen = []
    for number in (1, 2, 3):
        page = claims_page(matches, str(number), searched=True, filtered=True)
        assert page.paginator.count == 7
        seen += [claim.pk for claim in page]
        assert all("campaign" in claim.snippet for claim in page)
    assert seen[:7] == expected  # thirty a page: everything on the first
    assert claims_page(matches, "2", searched=True, filtered=True).number == 1


def test_a_page_is_two_queries_whatever_the_number_of_matches(matches):
    ranked = RankedMatches(matches, page=1, per_page=3)
    with CaptureQueriesContext(connection) as queries:
        assert ranked.count() == 7
        rows = ranked[0:3]
    assert len(queries) == 2
    assert [claim.pk for claim in rows] == list(matches.values_list("pk", flat=True)[:3])


def test_a_page_past_the_end_falls_back_to_the_last_one(matches):
    page = claims_page(matches, "99", searched=True, filtered=True)
    assert page.number == 1 and len(page) == 7


def test_no_match_is_an_empty_first_page():
    page = claims_page(
        filter_claims(Claim.objects.listed(), {"q": "nowhere"}), None, searched=True, filtered=True
    )
    assert page.paginator.count == 0 and list(page) == []
