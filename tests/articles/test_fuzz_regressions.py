"""Inputs the fuzzer (`make fuzz`) crashed the parsers with, kept so they never crash them again."""

import pytest

from articles.ingest import Status, ingest_bytes
from articles.parsing import parse_text
from articles.parsing.checks import contract_violations
from articles.parsing.headers import domain_of

UNCLOSED_IPV6 = (
    "Topic\n\nOriginally published at: https://example.or[g/2024/03/14/x\n\n"
    "First.\n\n3 Likes\n\nNext.\n\n1 Like\n"
)


def test_a_story_link_with_an_unclosed_bracket_has_no_domain_instead_of_crashing() -> None:
    """atheris: urlsplit raised "Invalid IPv6 URL" from the forum parser for a mangled story link."""
    assert domain_of("https://example.or[g/2024/03/14/x") == ""
    parsed = parse_text(UNCLOSED_IPV6)
    assert contract_violations(parsed, UNCLOSED_IPV6) == []
    (thread,) = parsed.documents
    assert thread.url == "https://example.or[g/2024/03/14/x"
    assert thread.outlet_domain == ""


@pytest.mark.django_db
def test_a_forum_thread_with_a_malformed_story_link_is_ingested() -> None:
    outcome = ingest_bytes(UNCLOSED_IPV6.encode(), name="thread.txt")
    assert outcome.status == Status.INGESTED
    assert outcome.source_file.documents.get().posts.count() == 2
