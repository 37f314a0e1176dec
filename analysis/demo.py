"""The demo's Crocus City Hall event: four competing explanations with their rule configuration, the
rules' proposals, and those proposals confirmed and rated by the demo analyst so the comparison has data.
Every demo rating says so in its note."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from analysis.models import Event, Evidence, Explanation, Rating
from analysis.proposals import evidence_decide, propose_evidence, rating_save
from sources.actors import alias_key
from sources.models import Actor, ActorAlias

DEMO_NOTE = "demo: confirmed from the rule's proposal"
CONSISTENCY_FOR_STANCE = {
    Evidence.Stance.SUPPORTS: Rating.Consistency.CONSISTENT,
    Evidence.Stance.REBUTS: Rating.Consistency.INCONSISTENT,
}

CROCUS = {
    "slug": "crocus-city-hall-attack",
    "name": "Crocus City Hall attack, Krasnogorsk, 22 March 2024",
    "place": "Krasnogorsk, Moscow Oblast, Russia",
    "occurred_on": dt.date(2024, 3, 22),
    "description": (
        "Gunmen attacked a concert at Crocus City Hall outside Moscow on the evening of 22 March 2024, "
        "killing at least 133 people and setting the building on fire. Who was behind it was contested "
        "from the first hours."
    ),
}

# (title, summary, actor names or aliases, keywords)
EXPLANATIONS = [
    (
        "ISIS-K carried it out",
        "Islamic State's Afghan branch planned and carried out the attack, as it claimed.",
        ["ISIS-K", "Islamic State", "Amaq"],
        ["claimed responsibility", "islamist", "islamists", "jihadist", "jihadists"],
    ),
    (
        "Ukraine was involved",
        "Ukraine or Ukrainian services organised or helped the attackers, as Russian officials said.",
        ["Ukraine"],
        ["ukrainian", "ukrainians", "kyiv"],
    ),
    (
        "Russia's own services were involved or let it happen",
        "Russian special services knew of the plot and let it go ahead, or staged it themselves.",
        ["FSB"],
        ["false flag", "inside job", "special services", "security services", "staged", "provocation"],
    ),
    (
        "A security failure made it possible",
        "Guards, police and intelligence failed to prevent an attack they had been warned about.",
        [],
        [
            "security failure",
            "security lapse",
            "lapse",
            "negligence",
            "guards",
            "vigilance",
            "incompetence",
            "impotence",
            "failing to avert",
            "failed to prevent",
            "warnings",
        ],
    ),
]


def actor_named(name: str) -> Actor | None:
    """An existing actor whose name or alias is `name` (merges followed)."""
    actor = Actor.objects.filter(name__iexact=name).first()
    if actor is None:
        alias = ActorAlias.objects.filter(key=alias_key(name)).select_related("actor").first()
        actor = alias.actor if alias else None
    return actor.current() if actor else None


def ensure_crocus_event(analyst) -> Event:
    """Create the Crocus event and its explanations if missing (an analyst's later edits are kept),
    propose evidence, and confirm and rate as `analyst` every proposal still open. Running it again
    changes nothing."""
    with transaction.atomic():
        event, _ = Event.objects.get_or_create(
            slug=CROCUS["slug"], defaults={**CROCUS, "created_by": analyst}
        )
        for position, (title, summary, actor_names, keywords) in enumerate(EXPLANATIONS):
            explanation, created = Explanation.objects.get_or_create(
                event=event,
                title=title,
                defaults={
                    "summary": summary,
                    "position": position,
                    "keywords": keywords,
                    "created_by": analyst,
                },
            )
            if created:
                explanation.actors.set([a for a in map(actor_named, actor_names) if a is not None])
        propose_evidence(event)
        for evidence in Evidence.objects.filter(
            explanation__event=event, status=Evidence.Status.PROPOSED
        ).order_by("pk"):
            evidence_decide(evidence=evidence, status=Evidence.Status.CONFIRMED, stance=None, by=analyst)
            rating_save(
                evidence=evidence,
                analyst=analyst,
                consistency=CONSISTENCY_FOR_STANCE[evidence.stance],
                credibility=Rating.Weight.MEDIUM,
                relevance=Rating.Weight.MEDIUM,
                note=DEMO_NOTE,
            )
    return event
