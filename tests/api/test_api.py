import json
import re

import pytest
from django.contrib.auth import get_user_model

from analysis.models import Event
from articles.ingest import ingest_bytes
from claims.models import Claim, ClaimSpan
from tests.claims.conftest import make_claim

API = "/api/v1"


def get(client, path: str, **params) -> dict:
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def ids(body: dict) -> list[int]:
    return [item["id"] for item in body["results"]]


# Claims


def test_claim_list_shows_claims_not_rejected_newest_said_first(client, story):
    body = get(client, "/claims/")
    assert body["count"] == 3
    assert ids(body) == [story.amaq.pk, story.kremlin.pk, story.washington.pk]
    assert body["next"] is None and body["previous"] is None
    amaq = body["results"][0]
    assert amaq["speaker"] == {"id": story.isis_k.pk, "name": "Islamic State Khorasan Province"}
    assert amaq["document"] == {
        "id": story.document.pk,
        "title": "Moscow attack",
        "outlet": {"id": story.document.outlet_id, "name": "Example News"},
        "url": "https://example.org/moscow",
        "published_on": "2024-03-23",
    }
    assert amaq["kind"] == "responsibility_claim" and amaq["said_on"] == "2024-03-22"


def test_rejected_claims_appear_only_when_the_status_filter_asks(client, story):
    assert ids(get(client, "/claims/", status="rejected")) == [story.kyiv.pk]
    assert ids(get(client, "/claims/", status="confirmed")) == [story.kremlin.pk]


def test_claim_filters_are_the_list_pages_filters(client, story):
    assert ids(get(client, "/claims/", speaker=story.russia.pk)) == [story.kremlin.pk]
    assert ids(get(client, "/claims/", kind="insistence")) == [story.washington.pk]
    assert ids(get(client, "/claims/", said_from="2024-03-10", said_to="2024-03-20")) == [story.kremlin.pk]
    assert ids(get(client, "/claims/", q="blackmail")) == [story.kremlin.pk]
    assert ids(get(client, "/claims/", sort="said")) == [story.washington.pk, story.kremlin.pk, story.amaq.pk]
    assert ids(get(client, "/claims/", outlet=story.document.outlet_id, document=story.document.pk)) == ids(
        get(client, "/claims/")
    )


def test_claim_filters_added_to_the_page_form_work_in_the_api(client, story):
    supporting = get(client, "/claims/", explanation=story.isis_did_it.pk, stance="supports")
    assert sorted(ids(supporting)) == sorted([story.amaq.pk, story.washington.pk])


def test_bad_filters_get_422_with_each_field_error(client, story):
    response = client.get(f"{API}/claims/", {"said_from": "yesterday-ish", "kind": "gossip", "page": "0"})
    assert response.status_code == 422
    fields = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert fields == {("query", "said_from"), ("query", "kind"), ("query", "page")}
    response = client.get(f"{API}/claims/", {"explanation": 999999, "q": "a\x00b"})
    assert response.status_code == 422
    assert {error["loc"][1] for error in response.json()["detail"]} == {"explanation", "q"}
    assert all(error["msg"] and error["type"] for error in response.json()["detail"])


def test_claim_detail_has_spans_links_evidence_and_cluster(client, story):
    body = get(client, f"/claims/{story.washington.pk}")
    assert body["sentence"] == "Washington insisted that it had warned Moscow in private"
    assert {(span["role"], span["text"]) for span in body["spans"]} == {
        ("source", "Washington"),
        ("cue", "insisted"),
        ("content", "it had warned Moscow in private"),
    }
    assert body["cluster"] == story.washington.cluster_id is not None
    [link] = body["links"]  # the removed source link is left out
    assert link["kind"] == "rebuttal" and link["target_claim"] == story.kremlin.pk
    assert link["note"] == "the warning came first" and link["passage"] is None
    assert body["evidence"] == [
        {"explanation": story.isis_did_it.pk, "stance": "supports", "status": "confirmed"}
    ]


def test_a_link_to_a_passage_carries_its_words(client, story):
    [link] = get(client, f"/claims/{story.amaq.pk}")["links"]
    assert link["passage"] == {
        "document": story.document.pk,
        "start": story.passage_link.target_start,
        "end": story.passage_link.target_end,
        "text": "Amaq",
    }


def test_a_rejected_claim_is_still_found_by_id_with_its_status(client, story):
    assert get(client, f"/claims/{story.kyiv.pk}")["status"] == "rejected"


@pytest.mark.parametrize("path", ["/claims/999999", "/actors/999999", "/documents/999999", "/events/nope"])
def test_missing_things_get_a_json_404(client, story, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Not Found")


def test_an_id_that_is_not_a_number_gets_422(client, story):
    response = client.get(f"{API}/claims/abc")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "id"]


# Pagination


def test_pages_link_to_each_other_and_keep_the_filters(client, story):
    first = get(client, "/claims/", page_size=2, sort="said")
    assert first["count"] == 3 and ids(first) == [story.washington.pk, story.kremlin.pk]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/claims/?page_size=2&sort=said&page=2"
    second = client.get(first["next"]).json()
    assert ids(second) == [story.amaq.pk] and second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/claims/?page_size=2&sort=said&page=1"


def test_a_page_past_the_end_is_empty_and_points_back_to_the_last(client, story):
    body = get(client, "/claims/", page_size=2, page=9)
    assert body["results"] == [] and body["count"] == 3 and body["next"] is None
    assert body["previous"].endswith("page=2")


def test_pages_hold_at_most_100(client, story):
    assert client.get(f"{API}/claims/", {"page_size": 101}).status_code == 422


# Read-only


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/claims/", "/claims/{claim}", "/actors/", "/links/", "/events/crocus"])
def test_every_method_but_get_is_refused(client, story, method, path):
    client.force_login(get_user_model().objects.create_user("root", is_superuser=True, is_staff=True))
    response = getattr(client, method)(f"{API}{path.format(claim=story.kremlin.pk)}")
    assert response.status_code == 405
    assert Claim.objects.filter(pk=story.kremlin.pk).exists()


def test_reading_needs_no_account(client, story):
    for path in [
        "/claims/",
        "/actors/",
        "/documents/",
        "/events/",
        "/links/",
        f"/explanations/{story.isis_did_it.pk}",
    ]:
        assert client.get(f"{API}{path}").status_code == 200


# Actors


def test_actor_list_leaves_out_merged_actors_and_counts_visible_claims(client, story):
    body = get(client, "/actors/", page_size=100)
    names = [actor["name"] for actor in body["results"]]
    assert names == sorted(names) and body["count"] == len(names)
    assert "Kremlin press office" not in names
    russia = next(actor for actor in body["results"] if actor["id"] == story.russia.pk)
    assert russia["claim_count"] == 1 and russia["kind"] == "government"


def test_actor_search_matches_names_and_aliases_best_first(client, story):
    assert ids(get(client, "/actors/", q="ISKP"))[0] == story.isis_k.pk
    assert ids(get(client, "/actors/", q="Russian government"))[0] == story.russia.pk
    assert story.merged.pk not in ids(get(client, "/actors/", q="Kremlin press"))


def test_actor_detail_has_aliases_and_the_body_it_is_part_of(client, story):
    body = get(client, f"/actors/{story.isis_k.pk}")
    assert "ISKP" in body["aliases"]
    assert body["part_of"] == {"id": story.isis.pk, "name": "Islamic State"}
    assert body["claim_count"] == 1
    assert client.get(f"{API}/actors/{story.merged.pk}").status_code == 404


# Documents


def test_document_list_searches_and_filters(client, story):
    assert ids(get(client, "/documents/")) == [story.document.pk]
    assert ids(get(client, "/documents/", q="blackmail")) == [story.document.pk]
    assert ids(get(client, "/documents/", q="volcano")) == []
    assert ids(get(client, "/documents/", kind="forum_thread")) == []
    assert ids(get(client, "/documents/", outlet=story.document.outlet_id)) == [story.document.pk]
    item = get(client, "/documents/")["results"][0]
    assert item["source_file"] == "story.txt" and "text" not in item


def test_document_detail_has_text_and_posts(client, story):
    body = get(client, f"/documents/{story.document.pk}")
    assert body["text"] == story.document.text
    assert body["source_file"] == "story.txt"
    assert body["post_count"] == 0 and body["posts"] == []


def test_a_threads_posts_say_where_they_sit_and_what_they_reply_to(client, story):
    posts = story.document.posts
    first = posts.create(position=0, author="anna", text_start=0, text_end=5, source_start=0, source_end=5)
    posts.create(
        position=1, parent=first, depth=1, author="bo", text_start=6, text_end=9, source_start=6, source_end=9
    )
    body = get(client, f"/documents/{story.document.pk}")
    assert body["post_count"] == 2
    assert [(post["position"], post["parent"], post["author"]) for post in body["posts"]] == [
        (0, None, "anna"),
        (1, 0, "bo"),
    ]


# Events and explanations


def test_event_list_and_detail_with_explanations_and_confirmed_counts(client, story):
    Event.objects.create(name="Older event", slug="older", occurred_on="2020-01-01")
    assert [event["slug"] for event in get(client, "/events/")["results"]] == ["crocus", "older"]
    body = get(client, "/events/crocus")
    assert body["explanation_count"] == 2
    assert [(e["title"], e["supporting"], e["rebutting"]) for e in body["explanations"]] == [
        ("ISIS-K carried it out", 2, 0),  # the proposed rebuttal does not count
        ("Ukraine was involved", 0, 1),  # nor does evidence from a rejected claim
    ]


def test_explanation_detail_counts_ratings_without_naming_analysts(client, story):
    body = get(client, f"/explanations/{story.isis_did_it.pk}")
    assert body["event"] == "crocus"
    rows = {row["claim"]: row for row in body["evidence"]}
    assert set(rows) == {story.amaq.pk, story.washington.pk}
    assert rows[story.amaq.pk]["ratings"] == {"CC": 1, "C": 1, "N": 0, "I": 0, "II": 0}
    assert rows[story.washington.pk]["stance"] == "supports"
    assert body["ratings"] == {"CC": 1, "C": 2, "N": 0, "I": 0, "II": 0}
    assert "ana" not in json.dumps(body)


# Links


def test_link_list_has_active_links_from_visible_claims(client, story):
    body = get(client, "/links/")
    assert sorted(ids(body)) == sorted([story.rebuttal.pk, story.passage_link.pk])
    assert ids(get(client, "/links/", kind="rebuttal")) == [story.rebuttal.pk]
    assert ids(get(client, "/links/", claim=story.amaq.pk)) == [story.passage_link.pk]
    assert ids(get(client, "/links/", target_claim=story.kremlin.pk)) == [story.rebuttal.pk]
    assert ids(get(client, "/links/", target_document=story.document.pk)) == [story.passage_link.pk]


# Cost


@pytest.mark.parametrize("path", ["/claims/", "/actors/", "/documents/", "/events/", "/links/"])
def test_a_list_costs_two_queries_for_one_or_many_items(client, story, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the count and the page
        assert len(get(client, path, page_size=1)["results"]) == 1
    for n in range(12):
        claim = make_claim(
            story.document, source="Kyiv", cue="denied", content="any role", status="confirmed"
        )
        claim.links.create(kind="same", target_claim=story.kremlin, created_by=story.rebuttal.created_by)
        Event.objects.create(name=f"Event {n}", slug=f"event-{n}")
        ingest_bytes(f"Report {n}\n\nSomeone said something on day {n}.".encode(), name=f"report-{n}.txt")
    with django_assert_max_num_queries(2):
        assert len(get(client, path, page_size=100)["results"]) > 10


def test_a_claims_detail_costs_the_same_queries_however_many_spans_and_links(
    client, story, django_assert_max_num_queries
):
    for n in range(20):
        ClaimSpan.objects.create(claim=story.amaq, role="content", start=100 + n, end=101 + n)
        story.amaq.links.create(kind="same", target_claim=make_claim(
            story.document, source="Kyiv", cue="denied", content="any role"
        ), created_by=story.rebuttal.created_by)  # fmt: skip
    with django_assert_max_num_queries(4):  # the claim, its spans, links and evidence
        assert len(get(client, f"/claims/{story.amaq.pk}")["links"]) == 21


def test_the_openapi_schema_is_served_and_lists_every_operation(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {path: list(methods) for path, methods in schema["paths"].items()} == {
        f"{API}/claims/": ["get"],
        f"{API}/claims/{{id}}": ["get"],
        f"{API}/actors/": ["get"],
        f"{API}/actors/{{id}}": ["get"],
        f"{API}/documents/": ["get"],
        f"{API}/documents/{{id}}": ["get"],
        f"{API}/events/": ["get"],
        f"{API}/events/{{slug}}": ["get"],
        f"{API}/explanations/{{id}}": ["get"],
        f"{API}/links/": ["get"],
    }
    claim_filters = {p["name"] for p in schema["paths"][f"{API}/claims/"]["get"]["parameters"]}
    assert {
        "q",
        "speaker",
        "kind",
        "status",
        "said_from",
        "explanation",
        "page",
        "page_size",
    } <= claim_filters


def test_the_docs_page_lists_operations_parameters_and_fields_without_scripts(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    page = response.text
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []  # no inline script for the CSP to block
    for words in ["/api/v1/claims/", "said_from", "ClaimDetail", "page_size", "/api/v1/openapi.json"]:
        assert words in page
    assert "cdn" not in page.lower()
