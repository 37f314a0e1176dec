"""Propose evidence: which claims bear on which explanation of an event, and for or against it.

General rules, configured per explanation (its `actors` and `keywords`), never matches on particular texts:

- **scope**: a claim is considered for an event when its date (said, else its document's publication) lies
  within `WINDOW_BEFORE`/`WINDOW_AFTER` of the event, or, undated, when its document names the event;
- **actor**: its content names one of the explanation's actors (name or alias, whole words; short acronyms
  such as "US" or "IS" only in capitals, so the pronoun "us" never counts);
- **keyword**: its content contains one of the explanation's keywords (whole words or phrases, any case);
- **denial** / **responsibility**: its speaker is one of the explanation's actors (or a branch of one)
  denying something (rebuts) or claiming responsibility (supports).

A matched claim supports the explanation unless it is a denial, its cue doubts (questioned, dismissed),
its content negates ("not", "no evidence", "had nothing to do"), or it names the actor as the one being
framed ("in order to blame Ukraine") — then it rebuts. Proposals stay proposals until an analyst decides.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from analysis.models import Event, Evidence, Explanation, Rating
from claims.models import Claim
from sources.actors import POSSESSIVE, alias_key
from sources.models import Actor

WINDOW_BEFORE = dt.timedelta(days=30)
WINDOW_AFTER = dt.timedelta(days=30)

# Cue verbs that report doubt about what follows ("questioned the suggestions of ISIL's responsibility").
DOUBTING_CUES = frozenset({"deny", "dismiss", "reject", "refute", "question", "doubt", "dispute"})
NEGATION = re.compile(
    r"\b(?:not|no|never|nothing|neither|nor|none|cannot|denied|denies|deny|doubt\w*|unlikely|lie)\b"
    r"|(?<=\w)n[’' ]t\b",
    re.IGNORECASE,
)
# "could not be ruled out" hedges towards the possibility rather than against it.
HEDGE = re.compile(
    r"\b(?:can\s*not|could\s+not|cannot|can[’' ]t|couldn[’' ]t)\s+be\s+(?:ruled\s+out|excluded)\b",
    re.IGNORECASE,
)
# The actor as the one being framed: "in order to blame Ukraine", "blamed on Ukrainians".
FRAMING = (
    r"\b(?:to\s+blame|blamed\s+on|blame\s+it\s+on|pin\s+it\s+on|discredit|frame|framed)\s+(?:\w+\s+){0,2}"
)
# Negations that do not deny what follows: "not just ISKP", "no matter what", "no doubt".
NOT_A_NEGATION = re.compile(r"\b(?:not\s+(?:just|only)|no\s+(?:matter|doubt))\b", re.IGNORECASE)
NEGATION_REACH = 5  # words before the match (and a few after: "Ukraine did not …") a negation may stand
RULE_MAX = Evidence._meta.get_field("rule").max_length


def normalised(text: str) -> str:
    """Text in the form alias keys are compared in, case kept: accents, possessives and full stops
    removed, every run of other punctuation a single space ("Russia's FSB" → "Russia FSB")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"\.", "", POSSESSIVE.sub("", text))
    return " " + re.sub(r"[^\w]+", " ", text).strip() + " "


def _term_pattern(key: str) -> re.Pattern[str]:
    """A whole-word pattern for a normalised key; acronym keys (alias_key keeps those in capitals) match
    only in capitals."""
    flags = 0 if key.isupper() else re.IGNORECASE
    return re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)", flags)


@dataclass(frozen=True)
class Term:
    """One thing to look for in a claim's content, and the rule name it fires as."""

    rule: str
    pattern: re.Pattern[str]

    def find(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text)


@dataclass(frozen=True)
class Proposal:
    claim: Claim
    stance: str
    rule: str


class ExplanationRules:
    """An explanation's rule configuration compiled once: the terms to look for and the speakers whose
    denials and responsibility claims count."""

    def __init__(self, explanation: Explanation) -> None:
        self.explanation = explanation
        actors = list(explanation.actors.prefetch_related("aliases"))
        self.actor_ids = {actor.pk for actor in actors}
        self.actor_names = {actor.pk: actor.headline_name for actor in actors}
        self.terms: list[Term] = []
        for actor in actors:
            keys = {alias_key(name) for name in (actor.name, actor.short_name) if name}
            keys |= {alias.key for alias in actor.aliases.all()}
            for key in sorted(k for k in keys if k):
                self.terms.append(Term(f"actor:{actor.headline_name}", _term_pattern(key)))
        for keyword in explanation.keywords:
            key = normalised(keyword).strip().lower()
            if key:
                self.terms.append(Term(f"keyword:{keyword}", _term_pattern(key)))

    def speaker_actor(self, claim: Claim) -> Actor | None:
        """The explanation's actor that is the claim's speaker or a body the speaker belongs to."""
        actor, seen = claim.speaker, set()
        while actor is not None and actor.pk not in seen:
            if actor.pk in self.actor_ids:
                return actor
            seen.add(actor.pk)
            actor = actor.part_of
        return None

    def propose(self, claim: Claim) -> Proposal | None:
        """The proposal this claim makes under the explanation, or None when no rule fires."""
        text = normalised(claim.content_text)
        denial = claim.polarity == Claim.Polarity.DENY or claim.kind == Claim.Kind.DENIAL
        speaker = self.speaker_actor(claim)
        if speaker is not None and claim.kind == Claim.Kind.RESPONSIBILITY_CLAIM and not denial:
            return Proposal(claim, Evidence.Stance.SUPPORTS, f"responsibility:{speaker.headline_name}")
        match = next(((term, found) for term in self.terms if (found := term.find(text))), None)
        if match is None:
            if speaker is not None and denial:
                return Proposal(claim, Evidence.Stance.REBUTS, f"denial:{speaker.headline_name}")
            return None
        term, found = match
        if denial:
            return Proposal(claim, Evidence.Stance.REBUTS, _rule(term.rule, "denial"))
        if claim.cue_lemma in DOUBTING_CUES:
            return Proposal(claim, Evidence.Stance.REBUTS, _rule(term.rule, f"cue {claim.cue_lemma}"))
        if negated_near(text, found):
            return Proposal(claim, Evidence.Stance.REBUTS, _rule(term.rule, "negated"))
        if re.search(FRAMING + r"$", text[: found.start()].rstrip() + " ", re.IGNORECASE):
            return Proposal(claim, Evidence.Stance.REBUTS, _rule(term.rule, "framed"))
        return Proposal(claim, Evidence.Stance.SUPPORTS, term.rule)


def negated_near(text: str, found: re.Match[str]) -> bool:
    """Whether a negation stands within a few words of the match in normalised `text`, hedges and
    negations that deny nothing ("not just", "could not be ruled out") aside."""
    blank = lambda match: " " * len(match.group(0))  # noqa: E731 (keeps offsets)
    text = NOT_A_NEGATION.sub(blank, HEDGE.sub(blank, text))
    before = text[: found.start()].split()[-NEGATION_REACH:]
    after = text[found.end() :].split()[: NEGATION_REACH - 1]
    return bool(NEGATION.search(" ".join([*before, found.group(0), *after])))


def _rule(trigger: str, reason: str) -> str:
    return f"{trigger} · {reason}"[:RULE_MAX]


def event_terms(event: Event) -> list[str]:
    """Words that name the event in a text: the first run of capitalised words of its name and that
    run's head word ("Crocus City Hall", "Crocus" from "Crocus City Hall attack, Krasnogorsk, …"), and
    the first part of its place."""
    runs = re.findall(r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*", event.name)
    terms = [runs[0], runs[0].split()[0]] if runs else []
    terms.append(event.place.split(",")[0].strip())
    return list(dict.fromkeys(term for term in terms if term))


def claims_in_scope(event: Event) -> QuerySet[Claim]:
    """Visible claims that may bear on the event: dated near it, or undated in a document naming it."""
    names_event = Q()
    for term in event_terms(event):
        names_event |= Q(document__text__icontains=term)
    undated = Q(said_on__isnull=True, document__published_on__isnull=True)
    if event.occurred_on is None:
        scope = names_event if names_event else Q()
    else:
        start, end = event.occurred_on - WINDOW_BEFORE, event.occurred_on + WINDOW_AFTER
        scope = Q(said_on__range=(start, end)) | Q(
            said_on__isnull=True, document__published_on__range=(start, end)
        )
        if names_event:
            scope |= undated & names_event
    return Claim.objects.visible().filter(scope).select_related("speaker__part_of__part_of")


def proposals_for(event: Event) -> list[tuple[Explanation, Proposal]]:
    """Every proposal the rules make for the event's explanations, decided or not."""
    rules = [ExplanationRules(explanation) for explanation in event.explanations.all()]
    if not rules:
        return []
    found = []
    for claim in claims_in_scope(event).order_by("pk"):
        for rule in rules:
            proposal = rule.propose(claim)
            if proposal is not None:
                found.append((rule.explanation, proposal))
    return found


def propose_evidence(event: Event) -> int:
    """Store new proposals for the event; returns how many. A claim that already has evidence under an
    explanation (proposed, confirmed or dismissed by an analyst) is left as it is."""
    existing = set(
        Evidence.objects.filter(explanation__event=event).values_list("explanation_id", "claim_id")
    )
    new = [
        Evidence(
            explanation=explanation,
            claim=proposal.claim,
            stance=proposal.stance,
            rule=proposal.rule,
            status=Evidence.Status.PROPOSED,
        )
        for explanation, proposal in proposals_for(event)
        if (explanation.pk, proposal.claim.pk) not in existing
    ]
    with transaction.atomic():
        created = Evidence.objects.bulk_create(new, ignore_conflicts=True)
    return len(created)


def evidence_decide(*, evidence: Evidence, status: str, stance: str | None, by) -> Evidence:
    """An analyst confirms a proposal (as supporting or rebutting, whatever the rule said) or dismisses
    it; a dismissed claim is never proposed again under that explanation."""
    if status not in (Evidence.Status.CONFIRMED, Evidence.Status.DISMISSED):
        raise ValueError(f"an analyst confirms or dismisses evidence, not {status!r}")
    evidence.status = status
    if stance is not None:
        evidence.stance = stance
    evidence.decided_by, evidence.decided_at = by, timezone.now()
    evidence.save(update_fields=["status", "stance", "decided_by", "decided_at"])
    return evidence


def evidence_add(*, explanation: Explanation, claim: Claim, stance: str, by) -> tuple[Evidence, bool]:
    """Evidence an analyst adds by hand, confirmed at once; a claim already under the explanation is
    confirmed with the chosen stance instead. Returns the evidence and whether it is new."""
    evidence, created = Evidence.objects.get_or_create(
        explanation=explanation,
        claim=claim,
        defaults={"stance": stance, "status": Evidence.Status.CONFIRMED, "rule": ""},
    )
    return evidence_decide(evidence=evidence, status=Evidence.Status.CONFIRMED, stance=stance, by=by), created


def rating_save(*, evidence: Evidence, analyst, **fields) -> Rating:
    """The analyst's own rating of confirmed evidence: one per analyst, claim and explanation, updated on
    every save (`fields`: consistency, credibility, relevance, note)."""
    rating, _ = Rating.objects.update_or_create(
        explanation_id=evidence.explanation_id, claim_id=evidence.claim_id, analyst=analyst, defaults=fields
    )
    return rating
