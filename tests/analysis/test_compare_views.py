"""The reader pages: event list, comparison and matrix, for anonymous readers, with and without htmx,
replayed as of a date."""

import pytest
from django.urls import reverse

from analysis.models import Evidence, Rating
from claimtracker.roles import ensure_roles
from sources.models import Actor, Outlet
from tests.analysis.test_ach import MARCH, R, S, link, make_claim, make_document, make_event, rate

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def crocus(django_user_model):
    return build_crocus(django_user_model)


def build_crocus(user_model):
    """Four explanations; claims said 22, 23 and 28 March, one undated; one proposal; two analysts'
    ratings that disagree."""
    event, explanations = make_event(
        "ISIS-K carried it out", "Ukraine was involved", "Russia's own services", "A security failure"
    )
    isis, ukraine, services, failure = explanations
    fsb = Actor.objects.create(name="FSB (test)", kind=Actor.Kind.GOVERNMENT)
    tass = Outlet.objects.create(name="TASS (test)")
    amaq = make_claim("Amaq says IS fighters attacked", speaker_text="Amaq", said_on=MARCH[22])
    link(amaq, isis, S)
    link(amaq, ukraine, R)
    blame = make_claim(
        "FSB says attackers headed to Ukraine",
        speaker=fsb,
        said_on=MARCH[23],
        document=make_document(outlet=tass),
    )
    link(blame, ukraine, S)
    kyiv = make_claim("Kyiv calls the claim absurd", speaker_text="Kyiv", said_on=MARCH[28])
    link(kyiv, ukraine, R)
    undated = make_claim("Witnesses say guards were absent", speaker_text="witnesses")
    link(undated, failure, S)
    link(make_claim("Rule thinks this is about the FSB", said_on=MARCH[23]), services, S, "proposed")
    ana = user_model.objects.create_user("ana")
    ben = user_model.objects.create_user("ben")
    rate(blame, ukraine, ana, "C")
    rate(blame, ukraine, ben, "II")
    return event


def test_the_event_list_shows_events_with_their_counts_to_anonymous_readers(client, crocus):
    response = client.get(reverse("event-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Crocus City Hall attack" in page
    assert reverse("event-compare", args=[crocus.slug]) in page
    assert "4 explanations" in page
    assert "4 evidence claims" in page  # the proposal is not evidence


def test_without_events_the_list_says_how_analysts_create_them(client):
    page = client.get(reverse("event-list")).content.decode()
    assert "No events yet. Analysts create an event" in page


def test_the_comparison_shows_each_explanation_with_its_claims_and_passages(client, crocus):
    response = client.get(reverse("event-compare", args=[crocus.slug]))
    assert response.status_code == 200
    assert response["Vary"].count("HX-Request")
    page = response.content.decode()
    assert "<html" in page
    for title in ("ISIS-K carried it out", "Ukraine was involved", "Russia&#x27;s own services"):
        assert title in page
    blame = crocus.explanations.get(position=1).evidence.get(stance=S).claim
    assert reverse("claim-detail", args=[blame.pk]) in page
    assert f"{reverse('document-detail', args=[blame.document_id])}#claim-{blame.pk}" in page
    assert "TASS (test)" in page and "23 Mar 2024" in page
    assert "1 claim from 1 independent source" in page
    assert "proposed: supports" in page and "not yet confirmed" in page
    assert "Who holds which explanation" in page
    assert 'scope="col"' in page and 'scope="row"' in page


def test_the_comparison_for_htmx_is_only_the_results_region(client, crocus):
    response = client.get(reverse("event-compare", args=[crocus.slug]), {"as_of": "2024-03-23"}, **HX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<section id="compare-results"')
    assert "Replaying what was known on" in page


def test_a_history_restore_gets_the_whole_page(client, crocus):
    response = client.get(
        reverse("event-compare", args=[crocus.slug]), **HX, HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_the_matrix_ranks_the_explanations_and_shows_cells_with_letters_and_spread(client, crocus):
    response = client.get(reverse("event-matrix", args=[crocus.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ranking, least inconsistent first" in page
    assert '<table class="ach-matrix">' in page and "<caption>" in page
    assert "4 evidence claims against 4 explanations" in page
    # The disagreeing analysts (C and II: mean −0.5, a tie read as N) and the default from the stance.
    assert '<span class="ach-letter">N</span> ±3' in page and "2 analysts" in page
    assert "from stance" in page
    assert "ach-cell ach-I ach-from-stance" in page
    assert "Discounting" in page


def test_a_low_diagnostic_row_is_marked(client, crocus):
    same = make_claim("Everyone agrees the hall burned", said_on=MARCH[22])
    for explanation in crocus.explanations.all():
        link(same, explanation, S)
    page = client.get(reverse("event-matrix", args=[crocus.slug])).content.decode()
    # The new row, and the FSB claim whose analysts split C / II (a consensus of N everywhere).
    assert page.count('class="ach-low"') == 2
    assert "2 low-diagnostic rows" in page


def test_the_matrix_for_htmx_is_only_the_results_region(client, crocus):
    response = client.get(reverse("event-matrix", args=[crocus.slug]), **HX)
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="matrix-results"')
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_as_of_replays_only_claims_said_by_then(client, crocus):
    url = reverse("event-matrix", args=[crocus.slug])
    page = client.get(url, {"as_of": "2024-03-23"}).content.decode()
    assert "Replaying what was known on <strong>23 March 2024</strong>" in page
    assert "2 of 4 evidence claims" in page
    assert "1 said later is left out" in page and "1 undated claim is left out" in page
    assert "FSB says attackers headed to Ukraine" in page
    assert "Kyiv calls the claim absurd" not in page
    assert 'value="2024-03-23"' in page
    assert f'href="{url}?as_of=2024-03-23" hx-get="{url}?as_of=2024-03-23" aria-current="true"' in page
    assert f'href="{url}?as_of=2024-03-28"' in page


def test_the_comparison_replays_as_of_a_date_too(client, crocus):
    page = client.get(reverse("event-compare", args=[crocus.slug]), {"as_of": "2024-03-22"}).content.decode()
    assert "Amaq says IS fighters attacked" in page
    assert "FSB says attackers headed to Ukraine" not in page
    assert "Rule thinks this is about the FSB" not in page
    assert f"{reverse('event-matrix', args=[crocus.slug])}?as_of=2024-03-22" in page


@pytest.mark.parametrize("bad", ["23 March", "2024-02-30", "<script>"])
def test_a_bad_as_of_shows_the_form_error_and_the_unfiltered_page(client, crocus, bad):
    response = client.get(reverse("event-matrix", args=[crocus.slug]), {"as_of": bad})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the date as YYYY-MM-DD" in page
    assert "Showing all 4 evidence claims" in page
    assert "<script>" not in page.split("<main>")[1]


def test_claim_and_explanation_text_is_escaped(client, crocus):
    explanation = crocus.explanations.get(position=0)
    explanation.title = "<b>ISIS-K</b>"
    explanation.save()
    link(make_claim("<img src=x onerror=alert(1)>", speaker_text="<i>someone</i>"), explanation, S)
    for name in ("event-compare", "event-matrix"):
        page = client.get(reverse(name, args=[crocus.slug])).content.decode()
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<b>ISIS-K</b>" not in page and "&lt;b&gt;ISIS-K&lt;/b&gt;" in page
        assert "<i>someone</i>" not in page


def _member(user_model, name: str, role: str):
    user = user_model.objects.create_user(f"{name}-{role}")
    user.groups.add(ensure_roles()[role])
    return user


def test_analysts_get_links_to_their_workflow_and_readers_do_not(client, crocus, django_user_model):
    bare, _ = make_event(slug="bare")
    pages = [reverse("event-compare", args=[crocus.slug]), reverse("event-compare", args=[bare.slug])]
    queue = reverse("event-evidence", args=[crocus.slug])
    add_explanation = reverse("explanation-new", args=[bare.slug])

    client.force_login(_member(django_user_model, "rita", "reader"))
    assert queue not in client.get(pages[0]).content.decode()
    assert add_explanation not in client.get(pages[1]).content.decode()
    assert reverse("event-new") not in client.get(reverse("event-list")).content.decode()

    client.force_login(_member(django_user_model, "ana", "analyst"))
    assert queue in client.get(pages[0]).content.decode()
    assert add_explanation in client.get(pages[1]).content.decode()
    assert reverse("event-new") in client.get(reverse("event-list")).content.decode()


def test_an_unknown_event_is_404(client):
    assert client.get(reverse("event-compare", args=["nothing"])).status_code == 404
    assert client.get(reverse("event-matrix", args=["nothing"])).status_code == 404


def test_the_pages_refuse_posts(client, crocus):
    assert client.post(reverse("event-compare", args=[crocus.slug])).status_code == 405
    assert client.post(reverse("event-matrix", args=[crocus.slug])).status_code == 405


def test_an_event_without_explanations_says_how_analysts_add_them(client):
    event, _ = make_event(slug="empty")
    for name in ("event-compare", "event-matrix"):
        page = client.get(reverse(name, args=[event.slug])).content.decode()
        assert "No competing explanations have been set out for this event yet." in page


def test_explanations_without_evidence_say_so(client):
    event, _ = make_event("One", "Two", slug="bare")
    page = client.get(reverse("event-matrix", args=[event.slug])).content.decode()
    assert "No claim has been confirmed as evidence" in page


def _grow(event, rows: int, analyst) -> None:
    explanations = list(event.explanations.all())
    for number in range(rows):
        claim = make_claim(speaker_text=f"speaker {number}", said_on=MARCH[20 + number % 8])
        link(claim, explanations[number % 4], R if number % 2 else S)
        link(make_claim(said_on=MARCH[22]), explanations[number % 4], S, Evidence.Status.PROPOSED)
        Rating.objects.create(claim=claim, explanation=explanations[0], analyst=analyst, consistency="I")


@pytest.mark.parametrize("name", ["event-compare", "event-matrix", "event-list"])
def test_the_pages_take_a_constant_number_of_queries(
    client, crocus, django_user_model, django_assert_max_num_queries, name
):
    url = reverse(name, args=[crocus.slug]) if name != "event-list" else reverse(name)
    with django_assert_max_num_queries(8) as few:
        client.get(url, {"as_of": "2024-03-28"})
    _grow(crocus, 15, django_user_model.objects.create_user("cleo"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"as_of": "2024-03-28"})
