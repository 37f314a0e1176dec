"""Every list and reading page costs a fixed number of queries, however many rows it shows: no query per
row. Each test renders a page with a few rows, adds many more, and renders it again with no more queries.
(The compare, matrix and event pages have theirs in tests/analysis/test_compare_views.py.)"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from claims.models import ClaimChange, ClaimCluster, ClaimLink
from claimtracker.roles import ensure_roles
from sources.models import Actor, ActorAlias, Outlet
from tests.factories import claim_with_spans, document_from_text

pytestmark = pytest.mark.django_db

SENTENCE = "Officials in Kyiv said the attack was staged. "


@pytest.fixture
def kalinov():
    actor = Actor.objects.create(name="Boris Kalinov", short_name="Kalinov", kind=Actor.Kind.PERSON)
    ActorAlias.objects.create(actor=actor, alias="Kalinov", key="kalinov")
    return actor


@pytest.fixture
def outlet():
    return Outlet.objects.create(name="The Daily Ledger", domain="ledger.example")


@pytest.fixture
def editor():
    user = get_user_model().objects.create_user(username="eddie", password="eddie-pass")
    user.groups.add(ensure_roles()["editor"])
    return user


def add_document(outlet, sentences: int = 80):
    text = "".join(f"{SENTENCE[:-2]} on day {n}. Kalinov denied it. " for n in range(sentences))
    return document_from_text(text, outlet=outlet)


def add_claims(document, speaker, count: int, **fields):
    """`count` claims on successive sentences of `document`, spoken by `speaker`, naming Kalinov."""
    made = []
    existing = document.claims.count()
    for number in range(existing, existing + count):
        sentence = f"said the attack was staged on day {number}."
        made.append(
            claim_with_spans(
                document,
                headline=f"{speaker.short_name if speaker else 'Kyiv'} says Kalinov staged it ({number})",
                fields={
                    "speaker": speaker,
                    "speaker_text": "Officials in Kyiv",
                    "content_text": f"Kalinov staged the attack, day {number}",
                    "said_on": f"2024-03-{1 + number % 28:02d}",
                    "extractor_version": "test",
                    **fields,
                },
                cue=sentence.split()[0] + " the attack was staged on day " + str(number),
            )
        )
    return made


def queries(client, django_assert_max_num_queries, url: str, params: dict | None = None, most: int = 30):
    """The number of queries one GET of `url` took (and at most `most`)."""
    with django_assert_max_num_queries(most) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def assert_constant(client, django_assert_max_num_queries, url, grow, params=None) -> None:
    few = queries(client, django_assert_max_num_queries, url, params)
    grow()
    queries(client, django_assert_max_num_queries, url, params, most=few)


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "staged"}, {"said_from": "2024-03-01", "said_to": "2024-03-31", "sort": "said"}],
    ids=["unfiltered", "search", "date range"],
)
def test_claim_list(client, django_assert_max_num_queries, kalinov, outlet, params):
    document = add_document(outlet)
    add_claims(document, kalinov, 2)
    assert_constant(
        client,
        django_assert_max_num_queries,
        reverse("claim-list"),
        lambda: add_claims(document, kalinov, 25) + add_claims(add_document(outlet), None, 10),
        params,
    )


def test_claim_list_for_a_speaker(client, django_assert_max_num_queries, kalinov, outlet):
    document = add_document(outlet)
    add_claims(document, kalinov, 2)
    assert_constant(
        client,
        django_assert_max_num_queries,
        reverse("claim-list"),
        lambda: add_claims(document, kalinov, 25),
        {"speaker": kalinov.pk},
    )


@pytest.mark.parametrize("params", [{}, {"q": "staged"}], ids=["all", "search"])
def test_document_list(client, django_assert_max_num_queries, outlet, params):
    add_document(outlet)
    assert_constant(
        client,
        django_assert_max_num_queries,
        reverse("document-list"),
        lambda: [add_document(outlet) for _ in range(12)],
        params,
    )


def test_reader(client, django_assert_max_num_queries, kalinov, outlet):
    document = add_document(outlet)
    add_claims(document, kalinov, 2)
    assert_constant(
        client,
        django_assert_max_num_queries,
        reverse("document-detail", args=[document.pk]),
        lambda: add_claims(document, kalinov, 30) + add_claims(document, None, 5),
    )


def test_claim_detail(client, django_assert_max_num_queries, kalinov, outlet, editor):
    claim = add_claims(add_document(outlet), kalinov, 1)[0]
    claim.cluster = ClaimCluster.objects.create()
    claim.save(update_fields=["cluster"])

    def relate(count: int) -> None:
        """`count` more reports of the claim, each linked both ways, and `count` more changes."""
        for target in add_claims(add_document(outlet), kalinov, count):
            target.cluster = claim.cluster
            target.save(update_fields=["cluster"])
            ClaimLink.objects.create(
                claim=claim, kind=ClaimLink.Kind.REBUTTAL, target_claim=target, created_by=editor
            )
            ClaimLink.objects.create(
                claim=target, kind=ClaimLink.Kind.REBUTTAL, target_claim=claim, created_by=editor
            )
            claim.version += 1
            ClaimChange.objects.create(
                claim=claim,
                user=editor,
                action=ClaimChange.Action.EDITED,
                version=claim.version,
                before={"headline": "before"},
                after={"headline": "after"},
            )
        claim.save(update_fields=["version"])

    relate(1)
    assert_constant(
        client, django_assert_max_num_queries, reverse("claim-detail", args=[claim.pk]), lambda: relate(8)
    )


@pytest.mark.parametrize("params", [{}, {"q": "Kalinov"}], ids=["all", "search"])
def test_actor_list(client, django_assert_max_num_queries, kalinov, outlet, params):
    add_claims(add_document(outlet), kalinov, 3)

    def grow():
        for number in range(20):
            actor = Actor.objects.create(
                name=f"Kalinov aide {number}", kind=Actor.Kind.PERSON, part_of=kalinov
            )
            add_claims(add_document(outlet, sentences=3), actor, 2)

    assert_constant(client, django_assert_max_num_queries, reverse("actor-list"), grow, params)


@pytest.mark.parametrize("show", ["said", "about"])
def test_actor_detail(client, django_assert_max_num_queries, kalinov, outlet, show):
    document = add_document(outlet)
    add_claims(document, kalinov, 2)
    kyiv = Actor.objects.create(name="Kyiv officials", kind=Actor.Kind.GOVERNMENT)
    assert_constant(
        client,
        django_assert_max_num_queries,
        reverse("actor-detail", args=[kalinov.pk]),
        lambda: add_claims(document, kalinov, 20) + add_claims(document, kyiv, 20),
        {"show": show},
    )


def test_review_queue(client, django_assert_max_num_queries, kalinov, outlet, editor):
    document = add_document(outlet)
    add_claims(document, kalinov, 2)
    client.force_login(editor)
    assert_constant(
        client,
        django_assert_max_num_queries,
        reverse("review-queue"),
        lambda: add_claims(document, kalinov, 30) + add_claims(add_document(outlet), None, 10),
    )
