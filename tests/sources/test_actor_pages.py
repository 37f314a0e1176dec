"""Actor pages: the list and its search, an actor's page, merging and undoing from the page, the picker's
autocomplete, and `actor_from_picker` reading what a picker chose."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from articles.ingest import ingest_bytes
from claims.models import Claim
from claimtracker.roles import ensure_roles
from sources.actors import actor_from_picker
from sources.merging import actor_merge
from sources.models import Actor, ActorAlias, ActorMerge
from tests.factories import spoken_claim as make_claim

pytestmark = pytest.mark.django_db

ARTICLE = "Crocus claims | World News\n\nThe Kremlin said the attack was planned abroad.\n"


@pytest.fixture
def users() -> dict[str, User]:
    groups = ensure_roles()
    people = {}
    for role in ("reader", "editor"):
        people[role] = User.objects.create_user(role, password="pw")
        people[role].groups.add(groups[role])
    return people


@pytest.fixture
def editor_client(client, users):
    client.force_login(users["editor"])
    return client


@pytest.fixture
def reader_client(client, users):
    client.force_login(users["reader"])
    return client


@pytest.fixture
def document():
    return ingest_bytes(ARTICLE.encode(), name="crocus.txt").source_file.documents.get()


@pytest.fixture
def putin():
    return Actor.objects.get(name="Vladimir Putin")


@pytest.fixture
def kremlin():
    return Actor.objects.get(name="Russian government")


@pytest.fixture
def claims(document, putin, kremlin):
    """Two claims by Putin (older, newer), one by the Kremlin about him, one rejected."""
    return {
        "older": make_claim(document, putin, "the attackers tried to flee", said_on=dt.date(2024, 3, 23)),
        "newer": make_claim(document, putin, "radical Islamists did it", said_on=dt.date(2024, 3, 25)),
        "about": make_claim(document, kremlin, "President Putin was informed at once"),
        "rejected": make_claim(document, putin, "<b>nothing</b>", status=Claim.Status.REJECTED),
    }


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_actors_with_visible_claim_counts_and_a_claims_link(client, claims, putin):
    page = client.get(reverse("actor-list")).text
    assert "Vladimir Putin" in page and "Islamic State Khorasan Province" in page
    assert f'href="/claims/?speaker={putin.pk}" title="Claims by Vladimir Putin">2<' in page


def test_the_list_finds_actors_by_alias_and_by_a_misspelt_name(client):
    assert "Islamic State Khorasan Province" in client.get(reverse("actor-list"), {"q": "ISKP"}).text
    page = client.get(reverse("actor-list"), {"q": "Peskof"}).text
    assert "Dmitry Peskov" in page
    assert "Joe Biden" not in page


def test_the_list_paginates_keeping_the_search(client):
    for n in range(55):
        Actor.objects.create(name=f"Spokesman number {n}", kind=Actor.Kind.PERSON)
    page = client.get(reverse("actor-list"), {"q": "spokesman"}).text
    assert "56 actors" in page  # and Dmitry Peskov, by his alias "Kremlin spokesman Dmitry Peskov"
    assert "?q=spokesman&amp;page=2" in page


def test_an_htmx_search_gets_only_the_results(client):
    response = client.get(reverse("actor-list"), {"q": "FSB"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="actor-results"')
    assert "Federal Security Service" in response.text
    assert "HX-Request" in response["Vary"]
    assert "<html" in client.get(reverse("actor-list"), {"q": "FSB"}).text


def test_merged_actors_are_hidden_from_the_list_and_the_picker(client, users, putin):
    twin = Actor.objects.create(name="Vladimir Vladimirovich Putin", kind=Actor.Kind.PERSON)
    actor_merge(actor=twin, into=putin, by=users["editor"])
    assert "Vladimirovich" not in client.get(reverse("actor-list")).text
    options = client.get(
        reverse("actor-autocomplete"), {"q": "Vladimir"}, headers={"HX-Request": "true"}
    ).text
    assert "Vladimirovich" not in options and "Vladimir Putin" in options


# --- an actor's page ------------------------------------------------------------------------------


def test_the_page_shows_who_they_are_and_what_they_said_newest_first(client, claims, putin):
    page = client.get(reverse("actor-detail", args=[putin.pk])).text
    assert "Russian President Vladimir Putin" in page  # an alias
    assert f'href="/claims/?speaker={putin.pk}"' in page
    newer, older = claims["newer"], claims["older"]
    assert page.index(newer.headline) < page.index(older.headline)
    assert reverse("claim-detail", args=[newer.pk]) in page
    assert "nothing" not in page  # the rejected claim
    assert "Merge into another actor" not in page  # anonymous


def test_said_about_them_finds_claims_naming_the_actor_or_an_alias(client, claims, putin):
    page = client.get(reverse("actor-detail", args=[putin.pk]), {"show": "about"}).text
    assert claims["about"].headline in page
    assert claims["newer"].headline not in page  # his own words do not name him
    assert 'Said about them <span class="tab-count">1</span>' in page


def test_the_branches_and_part_of_link_both_ways(client):
    iskp = Actor.objects.get(name="Islamic State Khorasan Province")
    assert f'href="/actors/{iskp.part_of_id}/"' in client.get(reverse("actor-detail", args=[iskp.pk])).text
    page = client.get(reverse("actor-detail", args=[iskp.part_of_id])).text
    assert f'href="/actors/{iskp.pk}/"' in page


def test_an_htmx_request_gets_only_the_claims_section(client, claims, putin):
    response = client.get(
        reverse("actor-detail", args=[putin.pk]), {"show": "about"}, headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith('<section id="actor-claims"')
    assert claims["about"].headline in response.text
    assert "HX-Request" in response["Vary"]


def test_scraped_text_is_escaped(client, document, putin):
    make_claim(document, putin, "<script>alert(1)</script>")
    page = client.get(reverse("actor-detail", args=[putin.pk])).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_an_unknown_actor_is_404(client):
    assert client.get(reverse("actor-detail", args=[999999])).status_code == 404


# --- merging from the page ------------------------------------------------------------------------


@pytest.fixture
def twin(document):
    actor = Actor.objects.create(name="V. Putin", kind=Actor.Kind.PERSON)
    ActorAlias.objects.create(actor=actor, alias="V. Putin", key="v putin")
    make_claim(document, actor, "the West was behind it")
    return actor


def test_anonymous_and_readers_cannot_merge_or_undo(client, reader_client, twin, putin, users):
    url = reverse("actor-merge", args=[twin.pk])
    client.logout()
    assert client.get(url).status_code == 302
    reader_client.force_login(users["reader"])
    assert reader_client.get(url).status_code == 403
    assert reader_client.post(url, {"into": putin.pk}).status_code == 403
    merge = actor_merge(actor=twin, into=putin, by=users["editor"])
    assert reader_client.post(reverse("actor-merge-undo", args=[merge.pk])).status_code == 403
    assert "Undo merge" not in reader_client.get(reverse("actor-detail", args=[twin.pk])).text
    twin.refresh_from_db()
    assert twin.merged_into == putin


def test_an_editor_merges_from_the_page_and_lands_on_the_target(editor_client, twin, putin):
    form = editor_client.get(reverse("actor-merge", args=[twin.pk])).text
    assert 'role="combobox"' in form and "js/actor-picker.js" in form
    assert 'name="into" value=""' in form and 'name="into_text" type="text" value=""' in form  # starts empty
    assert f"new=0&amp;exclude={twin.pk}" in form
    response = editor_client.post(
        reverse("actor-merge", args=[twin.pk]), {"into": putin.pk, "into_text": "Vladimir Putin"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("actor-detail", args=[putin.pk])
    page = response.text
    assert "Merged V. Putin into Vladimir Putin: 1 claim, 1 alias" in page
    assert "the West was behind it" in page
    assert "Merged here" in page and "Undo merge of V. Putin" in page
    twin_page = editor_client.get(reverse("actor-detail", args=[twin.pk])).text
    assert "Merged into" in twin_page and "Undo merge" in twin_page
    assert "Merge into another actor" not in twin_page


def test_refused_merges_show_why_and_change_nothing(editor_client, twin, putin, users):
    url = reverse("actor-merge", args=[twin.pk])
    response = editor_client.post(url, {"into": twin.pk, "into_text": "V. Putin"})
    assert response.status_code == 400 and "cannot be merged into itself" in response.text
    response = editor_client.post(url, {"into": "", "into_text": ""})
    assert response.status_code == 400 and "Choose the actor" in response.text
    response = editor_client.post(url, {"into_new": "Brand New Actor", "into_text": "Brand New Actor"})
    assert response.status_code == 400 and "No actor is called" in response.text
    assert not Actor.objects.filter(name="Brand New Actor").exists()
    assert not ActorMerge.objects.exists()


def test_an_editor_undoes_a_merge_from_the_page(editor_client, twin, putin, users):
    merge = actor_merge(actor=twin, into=putin, by=users["editor"])
    response = editor_client.post(reverse("actor-merge-undo", args=[merge.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("actor-detail", args=[twin.pk])
    assert "Undid the merge of V. Putin into Vladimir Putin" in response.text
    assert twin.claims.count() == 1
    response = editor_client.post(reverse("actor-merge-undo", args=[merge.pk]), follow=True)
    assert "The merge was not undone: This merge was already undone" in response.text


def test_undo_only_takes_post(editor_client, twin, putin, users):
    merge = actor_merge(actor=twin, into=putin, by=users["editor"])
    assert editor_client.get(reverse("actor-merge-undo", args=[merge.pk])).status_code == 405


# --- the picker: autocomplete and actor_from_picker -----------------------------------------------


def autocomplete(client, **params):
    return client.get(reverse("actor-autocomplete"), params, headers={"HX-Request": "true"})


def test_autocomplete_matches_names_and_aliases_and_says_which_alias(client):
    response = autocomplete(client, q="iskp")
    assert "Islamic State Khorasan Province" in response.text
    assert "as “ISKP”" in response.text
    assert 'role="option"' in response.text and "<html" not in response.text
    assert "HX-Request" in response["Vary"]


def test_autocomplete_prefix_matches_come_first_and_at_most_ten(client):
    for n in range(15):
        Actor.objects.create(name=f"Kremlin source {n}", kind=Actor.Kind.PERSON)
    text = autocomplete(client, q="Kreml").text
    assert text.count("data-actor-id=") == 10
    assert text.index("Kremlin source") < text.index("＋ new actor")


def test_autocomplete_reads_the_pickers_own_field_and_can_leave_out_new_and_one_actor(client):
    putin = Actor.objects.get(name="Vladimir Putin")
    text = autocomplete(client, field="speaker", speaker_text="Putin").text
    assert "Vladimir Putin" in text and "＋ new actor “Putin”" in text
    text = autocomplete(client, field="into", into_text="Putin", new="0", exclude=str(putin.pk)).text
    assert "Vladimir Putin" not in text and "＋ new actor" not in text


def test_autocomplete_offers_no_new_actor_for_an_exact_name_and_escapes_the_text(client):
    assert "＋ new actor" not in autocomplete(client, q="Vladimir Putin").text
    text = autocomplete(client, q="<img src=x>").text
    assert "<img" not in text and "&lt;img src=x&gt;" in text


def test_autocomplete_without_htmx_goes_to_the_actor_search(client):
    response = client.get(reverse("actor-autocomplete"), {"q": "FSB"})
    assert response.status_code == 302 and response["Location"] == "/actors/?q=FSB"
    assert "HX-Request" in response["Vary"]


def test_the_picker_renders_labelled_with_its_current_actor(putin):
    html = render_to_string(
        "sources/_actor_picker.html", {"name": "speaker", "actor": putin, "label": "Speaker"}
    )
    assert '<label for="id_speaker_text">Speaker</label>' in html
    assert f'name="speaker" value="{putin.pk}"' in html
    assert 'name="speaker_new" value=""' in html
    assert 'aria-controls="speaker-options"' in html and 'id="speaker-options"' in html
    assert "<script" not in html and "style=" not in html


def test_two_pickers_on_one_page_have_their_own_ids_and_fields():
    first = render_to_string("sources/_actor_picker.html", {"name": "speaker"})
    second = render_to_string("sources/_actor_picker.html", {"name": "speaker", "picker_id": "link-speaker"})
    third = render_to_string("sources/_actor_picker.html", {"name": "target"})
    assert 'id="speaker-options"' in first and 'id="link-speaker-options"' in second
    assert 'name="target"' in third and 'hx-target="#target-options"' in third


def picked(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update(fields)
    return data


def test_actor_from_picker_returns_the_chosen_actor_or_none(putin):
    assert actor_from_picker(picked(speaker=str(putin.pk), speaker_text="Vladimir Putin"), "speaker") == putin
    assert actor_from_picker(picked(speaker=str(putin.pk)), "speaker") == putin
    assert actor_from_picker(picked(speaker="", speaker_new="", speaker_text=""), "speaker") is None
    assert actor_from_picker(picked(), "speaker") is None
    with pytest.raises(ValidationError):
        actor_from_picker(picked(speaker="999999"), "speaker")


def test_actor_from_picker_creates_a_new_actor_with_guessed_kind_and_alias():
    actor = actor_from_picker(picked(speaker_new="  Alisher   Ilkhamov "), "speaker")
    assert (actor.name, actor.kind) == ("Alisher Ilkhamov", Actor.Kind.PERSON)
    assert list(actor.aliases.values_list("alias", flat=True)) == ["Alisher Ilkhamov"]
    assert actor_from_picker(picked(speaker_new="alisher ilkhamov"), "speaker") == actor  # no duplicate
    ministry = actor_from_picker(picked(speaker_new="Tajik Interior Ministry"), "speaker")
    assert ministry.kind == Actor.Kind.GOVERNMENT


def test_actor_from_picker_refuses_an_empty_name():
    with pytest.raises(ValidationError, match="name"):
        actor_from_picker(picked(speaker_new="   "), "speaker")


def test_without_javascript_a_changed_text_is_taken_as_a_name(putin):
    fsb = Actor.objects.get(name="Federal Security Service")
    # The hidden id still holds the actor the form started with; the text box says otherwise.
    assert actor_from_picker(picked(speaker=str(putin.pk), speaker_text="the FSB"), "speaker") == fsb
    assert actor_from_picker(picked(speaker=str(putin.pk), speaker_text="Putin"), "speaker") == putin
    assert actor_from_picker(picked(speaker=str(putin.pk), speaker_text=""), "speaker") is None
    new = actor_from_picker(picked(speaker=str(putin.pk), speaker_text="Kira Yarmysh"), "speaker")
    assert new.name == "Kira Yarmysh" and new != putin


def test_pickers_with_other_names_read_only_their_own_fields(putin):
    data = picked(speaker=str(putin.pk), speaker_text="Vladimir Putin", target_new="Kira Yarmysh")
    assert actor_from_picker(data, "speaker") == putin
    assert actor_from_picker(data, "target").name == "Kira Yarmysh"


def test_a_merged_actor_chosen_in_a_picker_becomes_the_one_it_was_merged_into(users, putin):
    twin = Actor.objects.create(name="V. V. Putin", kind=Actor.Kind.PERSON)
    actor_merge(actor=twin, into=putin, by=users["editor"])
    assert actor_from_picker(picked(speaker=str(twin.pk)), "speaker") == putin
    assert actor_from_picker(picked(speaker_new="V. V. Putin"), "speaker") == putin


def test_without_javascript_the_merge_form_takes_the_typed_name_or_alias(editor_client, twin, putin):
    response = editor_client.post(reverse("actor-merge", args=[twin.pk]), {"into": "", "into_text": "putin"})
    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into == putin
