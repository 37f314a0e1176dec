"""The seed corpus end to end: concrete claims of the Crocus story with the right speaker and date."""

import datetime as dt

import pytest
from django.db.models import Q

from articles.ingest import expand_paths, ingest_file
from articles.models import Document
from claims.models import Claim
from claims.services import documents_needing_extraction, extract_claims

pytestmark = pytest.mark.django_db


def by(actor: str):
    return Claim.objects.filter(Q(speaker__name=actor) | Q(speaker__short_name=actor))


def mentions(text: str) -> Q:
    return Q(content_text__icontains=text) | Q(headline__icontains=text)


EXPECTED = {
    "ISIS-K (via Amaq) claimed responsibility": lambda: by("ISIS-K").filter(
        mentions("responsibility") | Q(kind=Claim.Kind.RESPONSIBILITY_CLAIM)
    ),
    "the US embassy warned on 2024-03-08 (Al Jazeera)": lambda: Claim.objects.filter(
        Q(speaker__name="US Embassy in Moscow") | Q(speaker__name="United States government"),
        mentions("large gatherings"),
        said_on=dt.date(2024, 3, 8),
        document__outlet__name="Al Jazeera",
    ),
    "Putin called the warning “blackmail” on 2024-03-19": lambda: by("Putin").filter(
        mentions("blackmail"), said_on=dt.date(2024, 3, 19)
    ),
    "the FSB said the suspects were heading to Ukraine": lambda: by("FSB").filter(mentions("Ukraine")),
    "the Ukrainian Center to Counter Disinformation blamed Russian special services": lambda: by(
        "Center for Countering Disinformation"
    ).filter(mentions("organised the attack")),
}


def test_the_seed_corpus_yields_the_claims_of_the_crocus_story(seeds_dir):
    for path in expand_paths([seeds_dir]):
        ingest_file(path)
    report = extract_claims(documents_needing_extraction(Document.objects.all()))
    assert report.documents == Document.objects.count()
    missing = [description for description, claims in EXPECTED.items() if not claims().exists()]
    assert missing == []
