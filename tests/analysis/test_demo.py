import pytest
from django.contrib.auth.models import User

from analysis.demo import DEMO_NOTE, ensure_crocus_event
from analysis.models import Evidence, Rating
from articles.ingest import ingest_file
from articles.models import Document
from claims.services import documents_needing_extraction, extract_claims
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        ingest_file(path)
    extract_claims(documents_needing_extraction(Document.objects.all()))


def confirmed(event, title: str) -> dict[int, str]:
    return dict(
        Evidence.objects.filter(
            explanation__event=event, explanation__title=title, status="confirmed"
        ).values_list("claim__headline", "stance")
    )


def test_the_crocus_event_gets_four_explanations_each_with_confirmed_rated_evidence(seeded):
    analyst = User.objects.create_user("analyst")
    event = ensure_crocus_event(analyst)
    assert event.slug == "crocus-city-hall-attack" and str(event.occurred_on) == "2024-03-22"
    titles = list(event.explanations.values_list("title", flat=True))
    assert len(titles) == 4
    for title in titles:
        assert confirmed(event, title), title
    isis = confirmed(event, "ISIS-K carried it out")
    assert any(
        "claimed responsibility" in headline and stance == "supports" for headline, stance in isis.items()
    )
    ukraine = confirmed(event, "Ukraine was involved")
    assert ukraine["Ukraine denied any involvement in the attack"] == "rebuts"
    assert any(
        "cross into Ukraine" in headline and stance == "supports" for headline, stance in ukraine.items()
    )
    services = confirmed(event, "Russia's own services were involved or let it happen")
    assert any("special services" in headline for headline in services)
    assert Evidence.objects.filter(explanation__event=event).exclude(status="confirmed").count() == 0
    ratings = Rating.objects.filter(explanation__event=event)
    assert ratings.count() == Evidence.objects.filter(explanation__event=event).count()
    assert set(ratings.values_list("note", flat=True)) == {DEMO_NOTE}
    for rating in ratings.select_related("explanation"):
        stance = Evidence.objects.get(explanation=rating.explanation, claim=rating.claim).stance
        assert rating.consistency == {"supports": "C", "rebuts": "I"}[stance]


def test_running_it_again_changes_nothing(seeded):
    analyst = User.objects.create_user("analyst")
    ensure_crocus_event(analyst)
    before = (Evidence.objects.count(), Rating.objects.count())
    event = ensure_crocus_event(analyst)
    assert (Evidence.objects.count(), Rating.objects.count()) == before
    assert event.explanations.count() == 4
