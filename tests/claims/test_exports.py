import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.models import Event, Evidence, Explanation
from articles.models import Document
from claims.editing import edit_claim, set_status
from claims.exports import claim_review, csv_safe
from claims.links import add_link
from claims.models import Claim, ClaimChange, ClaimLink
from sources.models import Actor, Outlet
from tests.claims.conftest import make_claim

pytestmark = pytest.mark.django_db

VOCABULARY = Path(__file__).resolve().parent.parent / "data" / "schemaorg-claimreview-excerpt.jsonld"
GOOGLE_REQUIRED = ["claimReviewed", "url", "author", "itemReviewed"]
GOOGLE_RATING_REQUIRED = ["ratingValue", "bestRating", "worstRating", "alternateName"]


def absolute(path: str) -> str:
    return f"http://testserver{path}"


@pytest.fixture
def published(story_document):
    outlet = Outlet.objects.create(name="Example News", domain="example.com")
    Document.objects.filter(pk=story_document.pk).update(
        outlet=outlet, url="https://example.com/moscow", published_on=dt.date(2024, 3, 23)
    )
    return Document.objects.select_related("outlet", "source_file").get(pk=story_document.pk)


@pytest.fixture
def kremlin(published):
    actor, _ = Actor.objects.get_or_create(name="Russian government", defaults={"kind": "government"})
    return actor


@pytest.fixture
def confirmed(published, kremlin, editor):
    """The Kremlin's claim, confirmed by an editor with a name."""
    editor.first_name, editor.last_name = "Eddie", "Stone"
    editor.save()
    claim = make_claim(
        published,
        source="The Kremlin",
        cue="said",
        content="the US warning was blackmail",
        speaker=kremlin,
        said_on=dt.date(2024, 3, 19),
    )
    set_status(claim.pk, user=editor, version=claim.version, status=Claim.Status.CONFIRMED)
    return Claim.objects.select_related("speaker", "document__outlet").get(pk=claim.pk)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _vocabulary() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Superclasses of each class and the domain of each property, from a schema.org JSON-LD graph."""
    classes, properties = {}, {}
    for entry in json.loads(VOCABULARY.read_text())["@graph"]:
        name = entry["@id"].removeprefix("schema:")
        if entry["@type"] == "rdfs:Class":
            classes[name] = {
                sup["@id"].removeprefix("schema:") for sup in _as_list(entry.get("rdfs:subClassOf", []))
            }
        elif entry["@type"] == "rdf:Property":
            properties[name] = {
                d["@id"].removeprefix("schema:") for d in _as_list(entry["schema:domainIncludes"])
            }
    return classes, properties


def _ancestors(name: str, classes: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(classes[current])
    return seen


def vocabulary_problems(node: dict, classes, properties) -> list[str]:
    """Every @type not in the vocabulary, and every property used on a type outside its domain."""
    problems = []
    kind = node["@type"]
    if kind not in classes:
        return [f"unknown type {kind}"]
    lineage = _ancestors(kind, classes)
    for name, value in node.items():
        if name.startswith("@"):
            continue
        if name not in properties:
            problems.append(f"unknown property {name}")
        elif not properties[name] & lineage:
            problems.append(f"{name} is not a property of {kind}")
        for item in _as_list(value):
            if isinstance(item, dict):
                problems.extend(vocabulary_problems(item, classes, properties))
    return problems


def test_a_confirmed_claim_is_a_claim_review_with_the_fields_google_reads(confirmed):
    review = claim_review(confirmed, absolute=absolute)
    assert all(review[field] for field in GOOGLE_REQUIRED)
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "the US warning was blackmail"
    assert review["url"] == f"http://testserver/claims/{confirmed.pk}/"
    assert review["author"] == {"@type": "Organization", "name": "ClaimTracker"}
    assert review["editor"] == {"@type": "Person", "name": "Eddie Stone"}
    confirming = confirmed.changes.get(action=ClaimChange.Action.CONFIRMED)
    assert review["datePublished"] == confirming.at.date().isoformat()
    item = review["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Russian government"}
    assert item["datePublished"] == "2024-03-19"
    assert item["appearance"] == {
        "@type": "CreativeWork",
        "url": "https://example.com/moscow",
        "headline": "Moscow attack",
        "publisher": {"@type": "Organization", "name": "Example News", "url": "https://example.com"},
        "datePublished": "2024-03-23",
    }
    assert "reviewRating" not in review  # no editor rated it
    assert "firstAppearance" not in item


def test_the_claim_review_uses_schema_org_terms_on_types_in_their_domain(confirmed, editor, washington_claim):
    add_link(confirmed.pk, user=editor, kind=ClaimLink.Kind.SOURCE, url="https://kremlin.ru/statement")
    confirmed.review_rating, confirmed.review_rating_label = 2, "Misleading"
    confirmed.save()
    review = claim_review(confirmed, absolute=absolute)
    assert review["itemReviewed"]["firstAppearance"] == {
        "@type": "CreativeWork",
        "url": "https://kremlin.ru/statement",
    }
    classes, properties = _vocabulary()
    assert vocabulary_problems(review, classes, properties) == []
    assert all(review["reviewRating"][field] for field in GOOGLE_RATING_REQUIRED)


def test_the_vocabulary_check_catches_misused_and_unknown_terms():
    classes, properties = _vocabulary()
    wrong = {"@type": "ClaimReview", "appearance": "x", "itemReviewed": {"@type": "Claimm"}, "verdict": 1}
    assert vocabulary_problems(wrong, classes, properties) == [
        "appearance is not a property of ClaimReview",
        "unknown type Claimm",
        "unknown property verdict",
    ]


def test_a_person_speaker_is_a_person_and_a_same_claim_report_published_earlier_is_the_first_appearance(
    confirmed, editor, story_document
):
    Actor.objects.filter(pk=confirmed.speaker_id).update(kind=Actor.Kind.PERSON, name="Anna Example")
    earlier = make_claim(
        Document.objects.create(
            source_file=story_document.source_file,
            position=1,
            kind="article",
            title="Kremlin on the warning",
            published_on=dt.date(2024, 3, 20),
            text=story_document.text,
            offset_map=story_document.offset_map,
            source_start=story_document.source_start,
            source_end=story_document.source_end,
        ),
        source="The Kremlin",
        cue="said",
        content="the US warning was blackmail",
    )
    add_link(confirmed.pk, user=editor, kind=ClaimLink.Kind.SAME, target_claim=earlier)
    review = claim_review(Claim.objects.select_related("speaker").get(pk=confirmed.pk), absolute=absolute)
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Anna Example"}
    assert review["itemReviewed"]["firstAppearance"] == {
        "@type": "CreativeWork",
        "headline": "Kremlin on the warning",
        "datePublished": "2024-03-20",
    }


def test_a_rating_without_words_gets_the_standard_words(confirmed, editor):
    edit_claim(confirmed.pk, user=editor, version=confirmed.version, fields={"review_rating": 1})
    review = claim_review(Claim.objects.get(pk=confirmed.pk), absolute=absolute)
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    }


def test_an_editor_rates_a_claim_in_the_edit_form_and_history_records_it(client, confirmed, editor):
    client.force_login(editor)
    response = client.post(
        reverse("claim-edit", args=[confirmed.pk]),
        {
            "version": confirmed.version,
            "kind": confirmed.kind,
            "polarity": confirmed.polarity,
            "said_on": "2024-03-19",
            "headline": confirmed.headline,
            "review_rating": "2",
            "review_rating_label": "Misleading",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(pk=confirmed.pk)
    assert (claim.review_rating, claim.review_rating_label) == (2, "Misleading")
    change = claim.changes.first()
    assert change.after == {"review_rating": 2, "review_rating_label": "Misleading"}
    assert (
        client.post(
            reverse("claim-edit", args=[confirmed.pk]),
            {
                "version": claim.version,
                "kind": claim.kind,
                "polarity": claim.polarity,
                "headline": "x",
                "review_rating": 6,
            },
        ).status_code
        == 422
    )


def test_the_claim_review_is_served_as_json_ld_to_anyone(client, confirmed):
    response = client.get(reverse("claim-review-json", args=[confirmed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response.json()["claimReviewed"] == "the US warning was blackmail"


def test_machine_and_rejected_claims_are_not_reviews(client, kremlin_claim, washington_claim, editor):
    set_status(washington_claim.pk, user=editor, version=washington_claim.version, status="rejected")
    for claim in (kremlin_claim, Claim.objects.get(pk=washington_claim.pk)):
        assert client.get(reverse("claim-review-json", args=[claim.pk])).status_code == 404
        with pytest.raises(ValueError):
            claim_review(claim, absolute=absolute)


def test_the_claim_page_links_its_review_only_when_it_is_one(client, confirmed, washington_claim):
    review_url = reverse("claim-review-json", args=[confirmed.pk])
    page = client.get(reverse("claim-detail", args=[confirmed.pk])).text
    assert f'rel="alternate" type="application/ld+json" href="{review_url}"' in page
    page = client.get(reverse("claim-detail", args=[washington_claim.pk])).text
    assert "claimreview.json" not in page
    assert f'href="{reverse("claim-annotations", args=[washington_claim.pk])}"' in page  # spans: any claim


def test_span_annotations_anchor_in_the_document_and_in_the_source_file(client, confirmed):
    response = client.get(reverse("claim-annotations", args=[confirmed.pk]))
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    collection = response.json()
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 3
    document = confirmed.document
    source_text = document.source_file.text
    annotations = collection["first"]["items"]
    assert [a["body"][0]["value"] for a in annotations] == ["source", "cue", "content"]
    spans = sorted(confirmed.claim_spans.all(), key=lambda s: s.start)
    for annotation, span in zip(annotations, spans, strict=True):
        assert annotation["type"] == "Annotation"
        tag, description, link = annotation["body"]
        assert tag == {"type": "TextualBody", "purpose": "tagging", "value": span.role}
        assert description["value"] == confirmed.headline and description["purpose"] == "describing"
        assert link["id"] == f"http://testserver/claims/{confirmed.pk}/"
        in_document, in_file = annotation["target"]
        assert in_document["source"]["id"] == f"http://testserver/documents/{document.pk}/"
        position, quote = in_document["selector"]
        assert (position["type"], position["start"], position["end"]) == (
            "TextPositionSelector",
            span.start,
            span.end,
        )
        assert quote["type"] == "TextQuoteSelector"
        assert quote["exact"] == document.text[span.start : span.end]
        assert quote["prefix"] == document.text[max(0, span.start - 32) : span.start]
        assert quote["suffix"] == document.text[span.end : span.end + 32]
        assert in_file["source"]["id"] == f"urn:sha256:{document.source_file.sha256}"
        file_position, file_quote = in_file["selector"]
        assert source_text[file_position["start"] : file_position["end"]] == quote["exact"]
        assert file_quote["exact"] == quote["exact"]
        assert file_position["start"] == document.source_offset(span.start)


def test_a_documents_annotations_leave_out_rejected_claims(client, confirmed, washington_claim, editor):
    set_status(washington_claim.pk, user=editor, version=washington_claim.version, status="rejected")
    response = client.get(reverse("document-annotations", args=[confirmed.document_id]))
    items = response.json()["first"]["items"]
    assert len(items) == 3
    assert {item["body"][2]["id"] for item in items} == {f"http://testserver/claims/{confirmed.pk}/"}


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def _json(response) -> dict:
    return json.loads(b"".join(response.streaming_content))


def test_csv_download_holds_the_filtered_claims_with_spans_links_and_explanations(
    client, confirmed, washington_claim, editor
):
    add_link(confirmed.pk, user=editor, kind=ClaimLink.Kind.REBUTTAL, target_claim=washington_claim)
    event = Event.objects.create(name="Crocus City Hall attack", slug="crocus")
    explanation = Explanation.objects.create(event=event, title="Ukraine was involved")
    Evidence.objects.create(explanation=explanation, claim=confirmed, stance="supports", status="confirmed")
    response = client.get(reverse("claim-export-csv"), {"speaker": confirmed.speaker_id})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="claims.csv"'
    (row,) = _csv(response)
    spans = sorted(confirmed.claim_spans.all(), key=lambda s: s.start)
    assert row["id"] == str(confirmed.pk)
    assert row["url"] == f"http://testserver/claims/{confirmed.pk}/"
    assert (row["speaker_name"], row["speaker_id"]) == ("Russian government", str(confirmed.speaker_id))
    assert (row["said_on"], row["status"], row["outlet"]) == ("2024-03-19", "confirmed", "Example News")
    assert row["spans"] == " ".join(f"{s.role}:{s.start}:{s.end}" for s in spans)
    assert row["links"] == f"rebuttal→claim:{washington_claim.pk}"
    assert row["explanations"] == f"supports:{explanation.pk}"
    assert row["source_offset"] == str(confirmed.document.source_offset(confirmed.sentence_start))


def test_json_download_carries_span_words_and_honours_filters(client, confirmed, washington_claim):
    data = _json(client.get(reverse("claim-export-json"), {"q": "warned Moscow"}))
    assert data["query"] == "q=warned+Moscow"
    (row,) = data["claims"]
    assert row["id"] == washington_claim.pk
    assert [(s["role"], s["text"]) for s in row["spans"]] == [
        ("source", "Washington"),
        ("cue", "insisted"),
        ("content", "it had warned Moscow in private"),
    ]
    assert row["document"]["published_on"] == "2024-03-23"
    assert len(_json(client.get(reverse("claim-export-json")))["claims"]) == 2


def test_rejected_claims_are_downloaded_only_when_asked_for_by_status(
    client, confirmed, washington_claim, editor
):
    set_status(washington_claim.pk, user=editor, version=washington_claim.version, status="rejected")
    assert [row["id"] for row in _csv(client.get(reverse("claim-export-csv")))] == [str(confirmed.pk)]
    rejected = _csv(client.get(reverse("claim-export-csv"), {"status": "rejected"}))
    assert [row["id"] for row in rejected] == [str(washington_claim.pk)]


def test_cells_that_look_like_formulas_are_defused(client, story_document):
    claim = make_claim(story_document, source="Kyiv", cue="denied", content="any role in the attack")
    Claim.objects.filter(pk=claim.pk).update(
        headline='=HYPERLINK("http://evil","x")', speaker_text="@SUM(A1)"
    )
    (row,) = _csv(client.get(reverse("claim-export-csv")))
    assert row["headline"] == '\'=HYPERLINK("http://evil","x")'
    assert row["speaker_text"] == "'@SUM(A1)"
    assert [csv_safe(value) for value in ("+1", "-2", "\tx", "fine", 3)] == ["'+1", "'-2", "'\tx", "fine", 3]


def test_a_download_costs_the_same_queries_for_few_or_many_claims(client, published, editor):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for name in ("claim-export-csv", "claim-export-json"):
                b"".join(client.get(reverse(name)).streaming_content)
        return len(captured)

    make_claim(published, source="Kyiv", cue="denied", content="any role in the attack")
    few = queries()
    for claim in [
        make_claim(published, source="The Kremlin", cue="said", content="the US warning was blackmail"),
        make_claim(published, source="Washington", cue="insisted", content="it had warned Moscow in private"),
    ]:
        add_link(claim.pk, user=editor, kind=ClaimLink.Kind.SOURCE, url="https://example.org/")
    assert queries() == few


def test_readers_and_anonymous_visitors_can_download(client, confirmed, reader):
    assert client.get(reverse("claim-export-csv")).status_code == 200
    client.force_login(reader)
    assert len(_json(client.get(reverse("claim-export-json")))["claims"]) == 1


def test_the_claim_list_links_downloads_of_what_it_shows(client, confirmed):
    page = client.get(reverse("claim-list"), {"kind": "statement", "said_from": "2024-03-01"}).text
    assert f'href="{reverse("claim-export-csv")}?kind=statement&amp;said_from=2024-03-01"' in page
    assert f'href="{reverse("claim-export-json")}?kind=statement&amp;said_from=2024-03-01"' in page
    fragment = client.get(reverse("claim-list"), {"status": "rejected"}, headers={"HX-Request": "true"}).text
    assert f'href="{reverse("claim-export-csv")}?status=rejected"' in fragment


def test_a_download_larger_than_a_chunk_keeps_every_claims_spans_and_links(
    client, published, editor, monkeypatch
):
    monkeypatch.setattr("claims.exports.EXPORT_CHUNK", 2)
    claims = [
        make_claim(published, source="The Kremlin", cue="said", content="the US warning was blackmail"),
        make_claim(published, source="Washington", cue="insisted", content="it had warned Moscow in private"),
        make_claim(published, source="Kyiv", cue="denied", content="any role in the attack"),
    ]
    add_link(claims[2].pk, user=editor, kind=ClaimLink.Kind.REBUTTAL, target_claim=claims[0])
    rows = {row["id"]: row for row in _json(client.get(reverse("claim-export-json")))["claims"]}
    assert sorted(rows) == sorted(claim.pk for claim in claims)
    assert [span["text"] for span in rows[claims[2].pk]["spans"]] == [
        "Kyiv",
        "denied",
        "any role in the attack",
    ]
    assert rows[claims[2].pk]["links"] == [{"kind": "rebuttal", "target": f"claim:{claims[0].pk}"}]
    assert rows[claims[0].pk]["links"] == []
