"""A small story for the API: one document, speakers with aliases, claims in each state, links with a
passage, a same-claim cluster, and an event whose explanations have evidence and ratings."""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from analysis.models import Event, Evidence, Explanation, Rating
from articles.ingest import ingest_bytes
from articles.models import Document
from claims.models import Claim, ClaimCluster, ClaimLink
from sources.actors import alias_key
from sources.models import Actor, ActorAlias, Outlet
from tests.claims.conftest import make_claim

STORY = (
    "Moscow attack\n\n"
    "The Kremlin said the US warning was blackmail. "
    "Washington insisted that it had warned Moscow in private. "
    "Kyiv denied any role in the attack. "
    "Amaq claimed the attack for Islamic State."
)


@dataclass
class Story:
    document: Document
    kremlin: Claim
    washington: Claim
    kyiv: Claim
    amaq: Claim
    russia: Actor
    isis: Actor
    isis_k: Actor
    merged: Actor
    event: Event
    isis_did_it: Explanation
    ukraine_did_it: Explanation
    rebuttal: ClaimLink
    removed: ClaimLink
    passage_link: ClaimLink


@pytest.fixture
def story(db) -> Story:
    people = get_user_model().objects
    # No passwords: nobody signs in here, and hashing one costs a second.
    editor = people.create_user("eddie")
    analysts = [people.create_user(name) for name in ("ana", "anton")]
    outlet = Outlet.objects.create(name="Example News", domain="example.org")
    document = ingest_bytes(STORY.encode(), name="story.txt").source_file.documents.get()
    Document.objects.filter(pk=document.pk).update(
        outlet=outlet, title="Moscow attack", url="https://example.org/moscow", published_on="2024-03-23"
    )
    document.refresh_from_db()

    # Seeded by a migration from fixtures/actors.json, with their aliases.
    russia = Actor.objects.get(name="Russian government")
    isis = Actor.objects.get(name="Islamic State")
    isis_k = Actor.objects.get(name="Islamic State Khorasan Province")
    merged = Actor.objects.create(name="Kremlin press office", kind="government", merged_into=russia)
    ActorAlias.objects.create(actor=merged, alias="Kremlin press", key=alias_key("Kremlin press"))

    kremlin = make_claim(
        document, source="The Kremlin", cue="said", content="the US warning was blackmail",
        speaker=russia, said_on="2024-03-19", said_on_source="text", said_on_precision="day",
        status=Claim.Status.CONFIRMED,
    )  # fmt: skip
    washington = make_claim(
        document, source="Washington", cue="insisted", content="it had warned Moscow in private",
        said_on="2024-03-08", kind=Claim.Kind.INSISTENCE,
    )  # fmt: skip
    kyiv = make_claim(
        document, source="Kyiv", cue="denied", content="any role in the attack",
        kind=Claim.Kind.DENIAL, polarity=Claim.Polarity.DENY, status=Claim.Status.REJECTED,
    )  # fmt: skip
    amaq = make_claim(
        document, source="Amaq", cue="claimed", content="the attack for Islamic State",
        speaker=isis_k, said_on="2024-03-22", kind=Claim.Kind.RESPONSIBILITY_CLAIM,
    )  # fmt: skip
    cluster = ClaimCluster.objects.create()
    Claim.objects.filter(pk__in=[kremlin.pk, washington.pk]).update(cluster=cluster)

    rebuttal = ClaimLink.objects.create(
        claim=washington,
        kind="rebuttal",
        target_claim=kremlin,
        note="the warning came first",
        created_by=editor,
    )
    start = document.text.index("Amaq")
    passage_link = ClaimLink.objects.create(
        claim=amaq, kind="evidence", target_document=document, target_start=start, target_end=start + 4,
        created_by=editor,
    )  # fmt: skip
    removed = ClaimLink.objects.create(
        claim=washington, kind="source", url="https://example.org/gone", created_by=editor,
        removed_by=editor, removed_at=timezone.now(),
    )  # fmt: skip
    ClaimLink.objects.create(claim=kyiv, kind="rebuttal", target_claim=amaq, created_by=editor)

    event = Event.objects.create(name="Crocus City Hall attack", slug="crocus", occurred_on="2024-03-22")
    isis_did_it = Explanation.objects.create(event=event, title="ISIS-K carried it out", position=0)
    ukraine_did_it = Explanation.objects.create(event=event, title="Ukraine was involved", position=1)
    confirmed = Evidence.Status.CONFIRMED
    Evidence.objects.create(explanation=isis_did_it, claim=amaq, stance="supports", status=confirmed)
    Evidence.objects.create(explanation=isis_did_it, claim=washington, stance="supports", status=confirmed)
    Evidence.objects.create(explanation=isis_did_it, claim=kremlin, stance="rebuts")  # only proposed
    Evidence.objects.create(explanation=ukraine_did_it, claim=kyiv, stance="rebuts", status=confirmed)
    Evidence.objects.create(explanation=ukraine_did_it, claim=amaq, stance="rebuts", status=confirmed)
    for analyst, consistency in zip(analysts, ["CC", "C"], strict=True):
        Rating.objects.create(explanation=isis_did_it, claim=amaq, analyst=analyst, consistency=consistency)
    Rating.objects.create(explanation=isis_did_it, claim=washington, analyst=analysts[0], consistency="C")
    Rating.objects.create(explanation=ukraine_did_it, claim=amaq, analyst=analysts[0], consistency="II")
    for claim in (kremlin, washington, kyiv, amaq):
        claim.refresh_from_db()
    return Story(
        document=document, kremlin=kremlin, washington=washington, kyiv=kyiv, amaq=amaq, russia=russia,
        isis=isis, isis_k=isis_k, merged=merged, event=event, isis_did_it=isis_did_it,
        ukraine_did_it=ukraine_did_it, rebuttal=rebuttal, removed=removed, passage_link=passage_link,
    )  # fmt: skip
