import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from analysis.models import Event, Evidence, Explanation, Rating
from articles.ingest import ingest_bytes
from articles.models import Document
from claims.models import Claim
from claimtracker.roles import ensure_roles
from sources.models import Actor

pytestmark = pytest.mark.django_db


def person(role: str, username: str = "") -> User:
    user = User.objects.create_user(username or role)
    user.groups.add(ensure_roles()[role])
    return user


@pytest.fixture
def analyst(client) -> User:
    user = person("analyst")
    client.force_login(user)
    return user


@pytest.fixture
def setup(db):
    ingest_bytes(b"Attack | World\n\nGunmen attacked the Crocus City Hall near Moscow.\n", name="c.txt")
    document = Document.objects.get()
    event = Event.objects.create(
        name="Crocus City Hall attack", slug="crocus", occurred_on=dt.date(2024, 3, 22)
    )
    explanation = Explanation.objects.create(
        event=event, title="Ukraine was involved", keywords=["ukrainian"]
    )
    claim = Claim.objects.create(
        document=document,
        sentence_start=0,
        sentence_end=20,
        content_text="Ukrainian contacts helped <i>them</i>",
        headline="FSB said Ukrainian contacts helped",
        said_on=dt.date(2024, 3, 23),
    )
    evidence = Evidence.objects.create(
        explanation=explanation, claim=claim, stance="supports", rule="keyword:ukrainian"
    )
    return event, explanation, claim, evidence


POSTS = [
    ("event-new", None, {"name": "x", "slug": "x"}),
    ("event-edit", "slug", {"name": "x", "slug": "x"}),
    ("explanation-new", "slug", {"title": "x"}),
    ("explanation-edit", "explanation", {"title": "x"}),
    ("event-propose", "slug", {}),
    ("evidence-decision", "evidence", {"action": "dismiss"}),
    ("evidence-rating", "evidence", {"consistency": "C"}),
    ("evidence-new", "slug", {"claim": "1", "stance": "supports"}),
]


def _url(name, arg, setup) -> str:
    event, explanation, _, evidence = setup
    args = {"slug": [event.slug], "explanation": [explanation.pk], "evidence": [evidence.pk], None: []}[arg]
    return reverse(name, args=args)


@pytest.mark.parametrize("name,arg,data", POSTS, ids=[p[0] for p in POSTS])
def test_readers_and_editors_are_refused_every_action_and_anonymous_must_sign_in(
    client, setup, name, arg, data
):
    url = _url(name, arg, setup)
    response = client.post(url, data)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    for role in ("reader", "editor"):
        client.force_login(person(role))
        assert client.post(url, data).status_code == 403
    assert Evidence.objects.get().status == "proposed" and not Rating.objects.exists()


def test_the_queue_shows_each_proposal_with_its_passage_rule_and_buttons(client, analyst, setup):
    event, _, claim, _evidence = setup
    page = client.get(reverse("event-evidence", args=[event.slug])).text
    assert claim.headline in page and "keyword:ukrainian" in page and "23 Mar 2024" in page
    assert "Confirm as supports" in page and "Dismiss" in page
    assert '<p class="passage" data-document=' in page


def test_a_reader_sees_the_queue_without_actions(client, setup):
    client.force_login(person("reader"))
    page = client.get(reverse("event-evidence", args=["crocus"])).text
    assert "Confirm as supports" not in page and "Propose evidence" not in page


def test_confirming_with_htmx_swaps_the_row_with_a_rating_form(client, analyst, setup):
    _, _, _, evidence = setup
    url = reverse("evidence-decision", args=[evidence.pk])
    response = client.post(url, {"action": "rebuts"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith(
        f'<li class="evidence-row evidence-confirmed" id="evidence-{evidence.pk}"'
    )
    evidence.refresh_from_db()
    assert (evidence.status, evidence.stance, evidence.decided_by) == ("confirmed", "rebuts", analyst)
    assert "Save rating" in response.text


def test_confirming_without_javascript_redirects_back_to_the_row(client, analyst, setup):
    event, _, _, evidence = setup
    response = client.post(reverse("evidence-decision", args=[evidence.pk]), {"action": "dismiss"})
    assert response["Location"] == reverse("event-evidence", args=[event.slug]) + f"#evidence-{evidence.pk}"
    assert Evidence.objects.get().status == "dismissed"
    assert (
        client.post(reverse("evidence-decision", args=[evidence.pk]), {"action": "maybe"}).status_code == 400
    )


def test_a_rating_is_one_per_analyst_and_updated_on_save(client, analyst, setup):
    _, _, _claim, evidence = setup
    Evidence.objects.update(status="confirmed")
    url = reverse("evidence-rating", args=[evidence.pk])
    prefix = f"rating-{evidence.pk}-"
    data = {
        prefix + "consistency": "C",
        prefix + "credibility": "high",
        prefix + "relevance": "medium",
        prefix + "note": "first",
    }
    assert client.post(url, data, headers={"HX-Request": "true"}).status_code == 200
    response = client.post(url, data | {prefix + "consistency": "II"}, headers={"HX-Request": "true"})
    assert "Update rating" in response.text
    rating = Rating.objects.get()
    assert (rating.consistency, rating.credibility, rating.analyst) == ("II", "high", analyst)
    other = person("analyst", "analyst2")
    client.force_login(other)
    client.post(url, data)
    assert Rating.objects.count() == 2
    bad = client.post(url, {prefix + "consistency": "X"}, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "errorlist" in bad.text


def test_a_proposal_cannot_be_rated_before_it_is_confirmed(client, analyst, setup):
    _, _, _, evidence = setup
    assert client.post(reverse("evidence-rating", args=[evidence.pk]), {}).status_code == 404


def test_an_analyst_creates_an_event_and_an_explanation_with_actors_and_keywords(client, analyst, db):
    response = client.post(
        reverse("event-new"), {"name": "Bridge blast", "slug": "bridge", "occurred_on": "2022-10-08"}
    )
    assert response["Location"] == reverse("event-evidence", args=["bridge"])
    event = Event.objects.get(slug="bridge")
    assert event.created_by == analyst
    ukraine = Actor.objects.get(short_name="Ukraine")
    response = client.post(
        reverse("explanation-new", args=["bridge"]),
        {
            "title": "Ukraine did it",
            "position": "0",
            "keywords_text": "Truck Bomb, , truck bomb, SBU",
            "add_actor": str(ukraine.pk),
            "add_actor_text": ukraine.name,
        },
    )
    assert response.status_code == 302
    explanation = Explanation.objects.get(event=event)
    assert explanation.keywords == ["truck bomb", "sbu"] and list(explanation.actors.all()) == [ukraine]
    page = client.get(reverse("explanation-edit", args=[explanation.pk])).text
    assert 'value="truck bomb, sbu"' in page and 'name="keep_actor"' in page
    fsb = Actor.objects.get(short_name="FSB")
    client.post(
        reverse("explanation-edit", args=[explanation.pk]),
        {
            "title": "Ukraine did it",
            "position": "0",
            "keywords_text": "",
            "add_actor": "",
            "add_actor_text": "FSB",
        },
    )
    assert list(explanation.actors.all()) == [fsb]  # Ukraine unticked, FSB typed without JavaScript


def test_an_unknown_actor_or_a_taken_title_is_refused(client, analyst, setup):
    data = {"title": "Other", "position": "0", "add_actor": "", "add_actor_text": "Nobody Atall"}
    response = client.post(reverse("explanation-new", args=["crocus"]), data)
    assert response.status_code == 422 and "No actor is called" in response.text
    response = client.post(
        reverse("explanation-new", args=["crocus"]),
        data | {"title": "ukraine was involved", "add_actor_text": ""},
    )
    assert response.status_code == 422 and "already has an explanation" in response.text


def test_propose_runs_the_rules_and_says_how_many(client, analyst, setup):
    event, _, claim, _ = setup
    Evidence.objects.all().delete()
    response = client.post(reverse("event-propose", args=[event.slug]), follow=True)
    assert "1 new proposal." in response.text
    assert Evidence.objects.get().claim == claim


def test_search_and_add_a_claim_by_hand(client, analyst, setup):
    event, explanation, claim, _ = setup
    url = reverse("event-evidence", args=[event.slug])
    fragment = client.get(url, {"q": "contacts"}, headers={"HX-Request": "true"}).text
    assert (
        fragment.lstrip().startswith('<div id="evidence-search-results"')
        and f'value="{claim.pk}"' in fragment
    )
    assert "<mark>" in fragment
    Evidence.objects.all().delete()
    response = client.post(
        reverse("evidence-new", args=[event.slug]),
        {"claim": claim.pk, "explanation": explanation.pk, "stance": "rebuts"},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.status, evidence.stance, evidence.rule, evidence.decided_by) == (
        "confirmed",
        "rebuts",
        "",
        analyst,
    )
    assert (
        client.post(
            reverse("evidence-new", args=[event.slug]),
            {"claim": 999999, "explanation": explanation.pk, "stance": "rebuts"},
        ).status_code
        == 400
    )
