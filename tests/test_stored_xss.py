"""Markup stored in any field people or scrapers fill renders inert on every page that shows it, and
`javascript:` URLs are refused before they are stored."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from analysis.models import Event, Evidence, Explanation
from claims.links import add_link
from claims.models import Claim, ClaimLink
from claimtracker.roles import ensure_roles
from sources.models import Actor
from tests.factories import claim_with_spans, document_from_text

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
RAW_PIECES = ("<script>alert", "<img src=x", 'onerror="alert', "onerror=alert(2)>")
HOSTILE_URL = 'https://example.org/"><script>alert(3)</script>'


@pytest.fixture
def stored(django_user_model) -> dict:
    """Markup in a document's title and text, an actor's name, a user's full name, a link's note and
    URL, an event's and an explanation's text."""
    editor = django_user_model.objects.create_user(
        "eddie", password="long-enough-password", first_name=HOSTILE, last_name="Marsh"
    )
    editor.groups.add(ensure_roles()["analyst"])
    document = document_from_text(f"The Kremlin said {HOSTILE} on Friday.", title=f"Breaking {HOSTILE}")
    actor = Actor.objects.create(name=f"Kremlin {HOSTILE}", kind=Actor.Kind.GOVERNMENT)
    claim = claim_with_spans(document, source="The Kremlin", cue="said", content=HOSTILE)
    Claim.objects.filter(pk=claim.pk).update(speaker=actor, content_text=HOSTILE, said_on="2024-03-22")
    link = add_link(claim.pk, user=editor, kind=ClaimLink.Kind.EVIDENCE, url=HOSTILE_URL, note=HOSTILE)
    event = Event.objects.create(name=f"Attack {HOSTILE}", slug="crocus", description=HOSTILE)
    explanation = Explanation.objects.create(event=event, title=f"ISIS-K {HOSTILE}", summary=HOSTILE)
    Evidence.objects.create(
        explanation=explanation,
        claim=claim,
        stance=Evidence.Stance.SUPPORTS,
        status=Evidence.Status.CONFIRMED,
    )
    client = Client()
    client.force_login(editor)
    return {"client": client, "claim": claim, "document": document, "actor": actor, "link": link}


def pages(stored: dict) -> dict[str, str]:
    claim, document, actor = stored["claim"], stored["document"], stored["actor"]
    return {
        "documents": reverse("document-list"),
        "reader": reverse("document-detail", args=[document.pk]),
        "claim page": reverse("claim-detail", args=[claim.pk]),
        "claim panel": reverse("claim-panel", args=[claim.pk]),
        "claim list": reverse("claim-list"),
        "actor list": reverse("actor-list"),
        "actor page": reverse("actor-detail", args=[actor.pk]),
        "compare": reverse("event-compare", args=["crocus"]),
        "matrix": reverse("event-matrix", args=["crocus"]),
        "timeline": reverse("event-timeline", args=["crocus"]),
        "evidence": reverse("event-evidence", args=["crocus"]),
        "review card": reverse("review-claim", args=[claim.pk]),
        "api docs": "/api/v1/docs",
    }


PAGES = [
    "documents",
    "reader",
    "claim page",
    "claim panel",
    "claim list",
    "actor list",
    "actor page",
    "compare",
    "matrix",
    "timeline",
    "evidence",
    "review card",
    "api docs",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_stored_markup_renders_inert(stored, page, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = stored["client"].get(pages(stored)[page], headers=headers)
    assert response.status_code == 200
    text = response.text
    for raw in RAW_PIECES:
        assert raw not in text, f"{page}: raw {raw!r}"
    assert "<script>alert(3)" not in text
    if page != "api docs":
        assert ESCAPED in text, f"{page} does not show the stored text, escaped"


def test_the_full_name_shows_escaped_in_the_top_bar_and_the_claim_history(stored):
    page = stored["client"].get(reverse("claim-detail", args=[stored["claim"].pk])).text
    assert f'<span class="user-name">{ESCAPED} Marsh</span>' in page


def test_a_link_url_with_markup_stays_inside_its_quoted_href(stored):
    page = stored["client"].get(reverse("claim-detail", args=[stored["claim"].pk])).text
    assert 'href="https://example.org/&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"' in page


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<b>x</b>"]
)
def test_script_urls_are_refused_by_the_link_form_and_the_models(stored, url):
    claim = stored["claim"]
    client = stored["client"]
    before = ClaimLink.objects.count()
    response = client.post(
        reverse("claim-link-new", args=[claim.pk]),
        {"kind": "evidence", "url": url, "note": "", "version": Claim.objects.get(pk=claim.pk).version},
    )
    assert response.status_code in (200, 400, 422)
    assert ClaimLink.objects.count() == before
    link = ClaimLink(claim=claim, kind=ClaimLink.Kind.EVIDENCE, url=url, created_by_id=1)
    with pytest.raises(ValidationError) as refused:
        link.full_clean(exclude=["created_by"])
    assert "url" in refused.value.message_dict
    document = stored["document"]
    document.url = url
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert "url" in refused.value.message_dict


def test_no_page_renders_a_script_url_as_a_link(stored):
    for path in pages(stored).values():
        text = stored["client"].get(path).text.lower()
        assert 'href="javascript:' not in text and "href='javascript:" not in text
