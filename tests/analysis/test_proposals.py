import datetime as dt

import pytest
from django.core.management import call_command

from analysis.models import Event, Evidence, Explanation
from analysis.proposals import claims_in_scope, event_terms, normalised, propose_evidence
from articles.ingest import ingest_bytes
from articles.models import Document
from claims.models import Claim
from sources.models import Actor

pytestmark = pytest.mark.django_db

ARTICLE = "Concert hall attack | World\n\nGunmen attacked the Crocus City Hall venue near Moscow on Friday.\n"


@pytest.fixture
def document() -> Document:
    ingest_bytes(ARTICLE.encode(), name="crocus.txt")
    return Document.objects.get()


@pytest.fixture
def event() -> Event:
    event = Event.objects.create(
        name="Crocus City Hall attack, Krasnogorsk, 22 March 2024",
        slug="crocus",
        place="Krasnogorsk",
        occurred_on=dt.date(2024, 3, 22),
    )
    isis = Explanation.objects.create(event=event, title="ISIS-K did it", keywords=["claimed responsibility"])
    isis.actors.set([Actor.objects.get(short_name="ISIS-K")])
    ukraine = Explanation.objects.create(event=event, title="Ukraine was involved", keywords=["ukrainian"])
    ukraine.actors.set([Actor.objects.get(short_name="Ukraine")])
    Explanation.objects.create(event=event, title="An inside job", keywords=["false flag", "inside job"])
    return event


def claim(document, content, *, said_on=dt.date(2024, 3, 23), speaker=None, **fields) -> Claim:
    return Claim.objects.create(
        document=document,
        sentence_start=0,
        sentence_end=10,
        content_text=content,
        headline=content[:80],
        said_on=said_on,
        speaker=speaker,
        **fields,
    )


def proposals(event) -> dict[tuple[str, int], Evidence]:
    return {(e.explanation.title, e.claim_id): e for e in Evidence.objects.filter(explanation__event=event)}


def test_a_claim_naming_an_actor_by_any_alias_supports_its_explanation(document, event):
    by_alias = claim(document, "The attackers were trained by ISKP in Afghanistan")
    assert propose_evidence(event) == 1
    evidence = proposals(event)[("ISIS-K did it", by_alias.pk)]
    assert (evidence.stance, evidence.status, evidence.rule) == ("supports", "proposed", "actor:ISIS-K")


def test_names_match_whole_words_and_short_acronyms_only_in_capitals(document, event):
    Explanation.objects.get(title="An inside job").actors.set([Actor.objects.get(short_name="US")])
    claim(document, "He told us the Ukrainianness of the region mattered")
    capital = claim(document, "The US had warned of an attack")
    assert propose_evidence(event) == 1
    assert ("An inside job", capital.pk) in proposals(event)


def test_keywords_match_phrases_in_any_case(document, event):
    flag = claim(document, "It was a False Flag operation staged by the regime")
    propose_evidence(event)
    assert proposals(event)[("An inside job", flag.pk)].rule == "keyword:false flag"


def test_denials_and_negations_rebut(document, event):
    ukraine = Actor.objects.get(short_name="Ukraine")
    denial = claim(document, "any involvement in the attack", speaker=ukraine, polarity="deny", kind="denial")
    negated = claim(document, "Ukraine did not facilitate the attack")
    doubted = claim(document, "the suggestions of ISKP's responsibility", cue_lemma="question")
    framed = claim(document, "They organised it in order to blame Ukraine for it")
    hedged = claim(document, "an inside job could not be ruled out")
    not_just = claim(document, "Russia is a target for ISIS and not just ISKP")
    propose_evidence(event)
    found = proposals(event)
    assert found[("Ukraine was involved", denial.pk)].rule == "denial:Ukraine"
    assert found[("Ukraine was involved", denial.pk)].stance == "rebuts"
    assert found[("Ukraine was involved", negated.pk)].stance == "rebuts"
    assert found[("ISIS-K did it", doubted.pk)].rule == "actor:ISIS-K · cue question"
    assert found[("Ukraine was involved", framed.pk)].rule == "actor:Ukraine · framed"
    assert found[("An inside job", hedged.pk)].stance == "supports"
    assert found[("ISIS-K did it", not_just.pk)].stance == "supports"


def test_a_responsibility_claim_by_a_named_actor_or_its_branch_supports(document, event):
    Explanation.objects.get(title="ISIS-K did it").actors.set([Actor.objects.get(name="Islamic State")])
    by_branch = claim(
        document,
        "responsibility for the attack",
        speaker=Actor.objects.get(short_name="ISIS-K"),
        kind="responsibility_claim",
    )
    propose_evidence(event)
    evidence = proposals(event)[("ISIS-K did it", by_branch.pk)]
    assert (evidence.stance, evidence.rule) == ("supports", "responsibility:Islamic State")


def test_only_visible_claims_near_the_event_or_undated_in_a_document_naming_it(document, event):
    old = claim(document, "ISKP attacked Kabul", said_on=dt.date(2021, 8, 26))
    rejected = claim(document, "ISKP did it", status="rejected")
    undated = claim(document, "ISKP did it", said_on=None)
    assert event_terms(event) == ["Crocus City Hall", "Crocus", "Krasnogorsk"]
    in_scope = set(claims_in_scope(event).values_list("pk", flat=True))
    assert undated.pk in in_scope and old.pk not in in_scope and rejected.pk not in in_scope
    Document.objects.update(text="Another story entirely")
    assert undated.pk not in set(claims_in_scope(event).values_list("pk", flat=True))


def test_proposing_again_adds_nothing_and_never_revives_a_dismissed_claim(document, event):
    dismissed = claim(document, "ISKP trained them")
    claim(document, "Ukrainian officials were involved")
    assert propose_evidence(event) == 2
    Evidence.objects.filter(claim=dismissed).update(status="dismissed", stance="supports")
    assert propose_evidence(event) == 0
    assert Evidence.objects.get(claim=dismissed).status == "dismissed"
    assert Evidence.objects.count() == 2


def test_the_command_proposes_for_one_event_or_refuses_an_unknown_slug(document, event, capsys):
    claim(document, "ISKP trained them")
    call_command("propose_evidence", "--event", "crocus")
    assert "crocus: 1 new proposals" in capsys.readouterr().out
    with pytest.raises(Exception, match="No event has the slug"):
        call_command("propose_evidence", "--event", "nope")


def test_normalised_text_drops_possessives_and_punctuation():
    assert normalised("Russia’s F.S.B. (ISIS-K)") == " Russia FSB ISIS K "
