import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.ingest import ingest_bytes
from articles.models import Post
from claims.models import Claim, ClaimChange
from claimtracker.roles import ensure_roles
from sources.models import Actor
from tests.factories import claim_with_spans as add_claim

pytestmark = pytest.mark.django_db

STORY = (
    "Moscow attack\n\n"
    "The Kremlin said the US warning was blackmail.\n"
    "Kyiv denied any role in the attack.\n\n"
    "Analysts said <script>alert('x')</script> was posted under the video."
)


@pytest.fixture
def document():
    return ingest_bytes(STORY.encode(), name="story.txt").source_file.documents.get()


def person(role: str):
    user = get_user_model().objects.create_user(username=role, password="pass")
    user.groups.add(ensure_roles()[role])
    return user


@pytest.fixture
def editor(client):
    client.force_login(person("editor"))


@pytest.fixture
def reader(client):
    client.force_login(person("reader"))


def offsets_and_text(page: str) -> list[tuple[int, str]]:
    """Every data-offset element of the reading area with its text, unescaped."""
    reading = page[page.index('id="reading"') : page.index('id="claim-')]
    pairs = re.findall(r'data-offset="(\d+)"[^>]*>([^<]*)<', reading)
    unescape = {"&lt;": "<", "&gt;": ">", "&#x27;": "'", "&quot;": '"', "&amp;": "&"}
    return [
        (int(offset), re.sub(r"&(lt|gt|#x27|quot|amp);", lambda m: unescape[m.group()], text))
        for offset, text in pairs
    ]


def spans_for(document, **words: str) -> list[str]:
    return [f"{role}:{document.text.index(w)}:{document.text.index(w) + len(w)}" for role, w in words.items()]


def test_every_piece_of_the_reader_sits_at_its_document_offset(client, document):
    add_claim(document, source="The Kremlin", cue="said", content="the US warning was blackmail")
    page = client.get(reverse("document-detail", args=[document.pk])).text
    pieces = offsets_and_text(page)
    assert pieces, "the reading area has data-offset pieces"
    for offset, text in pieces:
        assert document.text[offset : offset + len(text)] == text
    assert "".join(text for _, text in pieces) == document.text.replace("\n\n", "")


def test_claims_are_marked_with_their_roles_and_ids(client, document):
    claim = add_claim(document, source="The Kremlin", cue="said", content="the US warning was blackmail")
    page = client.get(reverse("document-detail", args=[document.pk])).text
    assert re.search(
        rf'<mark class="claim-mark role-source" data-offset="\d+" data-claims="{claim.pk}"', page
    )
    assert f'data-claims="{claim.pk}" title="cue">said</mark>' in page
    assert f'<li data-claim="{claim.pk}"><a href="{reverse("claim-detail", args=[claim.pk])}"' in page
    assert "1 claim in this article" in page


def test_rejected_claims_are_not_marked(client, document):
    add_claim(
        document, fields={"status": Claim.Status.REJECTED}, source="Kyiv", cue="denied", content="any role"
    )
    page = client.get(reverse("document-detail", args=[document.pk])).text
    assert "data-claims" not in page
    assert "0 claims in this article" in page


def test_scraped_markup_in_the_reader_stays_text(client, document):
    add_claim(document, source="Analysts", cue="said", content="<script>alert('x')</script>")
    page = client.get(reverse("document-detail", args=[document.pk])).text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_a_thread_shows_posts_indented_under_parents_with_likes(client, document):
    text = document.text
    first = Post.objects.create(
        document=document,
        position=0,
        author="anna",
        likes=3,
        text_start=0,
        text_end=text.index("Kyiv") - 1,
        source_start=0,
        source_end=1,
    )
    Post.objects.create(
        document=document,
        position=1,
        parent=first,
        depth=1,
        author="boris",
        likes=1,
        text_start=text.index("Kyiv"),
        text_end=len(text),
        source_start=1,
        source_end=2,
    )
    page = client.get(reverse("document-detail", args=[document.pk])).text
    assert page.count('class="post depth-') == 2
    assert '<li class="post depth-1" id="post-1">' in page
    assert "reply to #1" in page and "3 likes" in page and "1 like<" in page
    assert f'<div class="post-text"><span data-offset="{text.index("Kyiv")}">Kyiv denied' in page


def test_the_new_claim_form_is_for_editors_only(client, document, reader):
    page = client.get(reverse("document-detail", args=[document.pk])).text
    assert "data-span-picker" not in page
    client.logout()
    assert "data-span-picker" not in client.get(reverse("document-detail", args=[document.pk])).text


def test_an_editor_sees_the_span_picker_on_the_reader(client, document, editor):
    page = client.get(reverse("document-detail", args=[document.pk])).text
    assert 'data-span-source="#reading"' in page
    assert f'action="{reverse("claim-create", args=[document.pk])}"' in page


def test_an_editor_creates_a_claim_and_its_history_starts(client, document, editor):
    putin = Actor.objects.create(name="Dmitry Peskovsky", kind="person")
    data = {
        "span": spans_for(document, source="The Kremlin", cue="sai", content="the US warning"),
        "speaker": putin.pk,
        "kind": "accusation",
        "polarity": "assert",
        "is_direct_quote": "",
        "said_on": "2024-03-26",
    }
    response = client.post(reverse("claim-create", args=[document.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("document-detail", args=[document.pk])
    claim = Claim.objects.get()
    assert (claim.speaker, claim.kind, claim.status, str(claim.said_on)) == (
        putin,
        "accusation",
        "confirmed",
        "2024-03-26",
    )
    assert claim.cue_lemma == "say"  # the selection "sai" snapped to the whole word
    change = ClaimChange.objects.get()
    assert change.action == "created" and change.user.username == "editor"
    page = client.get(response["Location"]).text
    assert "Claim saved" in page and f'data-claims="{claim.pk}"' in page


def test_htmx_gets_a_fresh_form_the_redrawn_text_and_an_event_for_the_panel(client, document, editor):
    data = {
        "span": spans_for(document, cue="denied", content="any role"),
        "kind": "denial",
        "polarity": "deny",
    }
    response = client.post(reverse("claim-create", args=[document.pk]), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    claim = Claim.objects.get()
    assert response.text.lstrip().startswith('<section id="claim-draft"')
    assert '<div id="reading" class="reading" hx-swap-oob="true">' in response.text
    assert '<section id="claim-index" class="document-claims" hx-swap-oob="true">' in response.text
    assert f'data-claims="{claim.pk}"' in response.text
    assert 'name="span"' not in response.text.split("<template")[0]  # the new draft has no pieces
    assert response["HX-Trigger-After-Swap"] == f'{{"claim-created": {{"id": {claim.pk}}}}}'
    assert "HX-Request" in response["Vary"]
    assert "<html" not in response.text


@pytest.mark.parametrize("htmx", [False, True])
def test_bad_spans_are_refused_with_the_message_and_nothing_is_stored(client, document, editor, htmx):
    spans = [*spans_for(document, content="any role"), "cue:5000:5004", "nonsense"]
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        reverse("claim-create", args=[document.pk]),
        {"span": spans, "kind": "statement", "polarity": "assert"},
        headers=headers,
    )
    assert response.status_code == 422
    assert "is not a span (role:start:end)" in response.text
    assert Claim.objects.count() == 0 and ClaimChange.objects.count() == 0
    start = document.text.index("any role")
    assert f'value="content:{start}:{start + 8}"' in response.text  # the good piece stays as a chip
    assert ("<html" in response.text) is not htmx


def test_a_claim_without_a_cue_is_refused(client, document, editor):
    data = {"span": spans_for(document, content="any role"), "kind": "statement", "polarity": "assert"}
    response = client.post(reverse("claim-create", args=[document.pk]), data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "a claim needs at least a cue and some content" in response.text
    assert not Claim.objects.exists()


def test_a_reader_may_not_create_claims(client, document, reader):
    data = {
        "span": spans_for(document, cue="denied", content="any role"),
        "kind": "denial",
        "polarity": "deny",
    }
    assert client.post(reverse("claim-create", args=[document.pk]), data).status_code == 403
    assert not Claim.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, document):
    response = client.post(reverse("claim-create", args=[document.pk]), {"span": []})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Claim.objects.exists()


def test_creating_needs_a_post(client, document, editor):
    assert client.get(reverse("claim-create", args=[document.pk])).status_code == 405


def test_a_new_speaker_typed_in_the_actor_picker_becomes_an_actor(client, document, editor):
    data = {
        "span": spans_for(document, source="Analysts", cue="said", content="was posted under the video"),
        "speaker_new": "Crocus Watch Group",
        "kind": "statement",
        "polarity": "assert",
    }
    assert client.post(reverse("claim-create", args=[document.pk]), data).status_code == 302
    assert Claim.objects.get().speaker == Actor.objects.get(name="Crocus Watch Group")


def test_an_unknown_speaker_is_refused_and_nothing_is_stored(client, document, editor):
    data = {
        "span": spans_for(document, cue="denied", content="any role"),
        "speaker": "999999",
        "kind": "denial",
        "polarity": "deny",
    }
    response = client.post(reverse("claim-create", args=[document.pk]), data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "The chosen actor does not exist." in response.text
    assert not Claim.objects.exists()


def test_the_span_picker_shows_given_pieces_as_chips_for_a_passage_by_default():
    html = render_to_string("claims/_span_picker.html", {"spans": [("cue", 3, 7, "said <b>")]})
    assert 'data-span-source=".passage"' in html
    assert '<input type="hidden" name="span" value="cue:3:7">' in html
    assert "said &lt;b&gt;" in html


def test_a_refused_draft_leaves_no_new_actor_behind(client, document, editor):
    data = {"span": spans_for(document, content="any role"), "speaker_new": "Nobody Yet", "polarity": "deny"}
    assert client.post(reverse("claim-create", args=[document.pk]), data).status_code == 422
    assert not Actor.objects.filter(name="Nobody Yet").exists()


def test_the_reader_costs_the_same_queries_for_few_or_many_claims(client, document):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("document-detail", args=[document.pk])).status_code == 200
        return len(captured)

    add_claim(document, source="The Kremlin", cue="said", content="the US warning was blackmail")
    few = queries()
    for _ in range(5):
        add_claim(document, source="Kyiv", cue="denied", content="any role in the attack")
    assert queries() == few


def test_after_a_change_in_the_panel_htmx_gets_the_text_and_claim_list_out_of_band(client, document):
    claim = add_claim(document, source="Kyiv", cue="denied", content="any role")
    page = client.get(reverse("document-detail", args=[document.pk]), HTTP_HX_REQUEST="true").text
    assert '<div id="reading" class="reading" hx-swap-oob="true">' in page
    assert 'id="claim-index"' in page and "<html" not in page
    assert f'data-claims="{claim.pk}"' in page
