"""Analysis of competing hypotheses (ACH) over attributed claims: the matrix, its ranking, and the
side-by-side comparison readers see, optionally replayed as of a date.

Richards J. Heuer's method (Psychology of Intelligence Analysis, ch. 8), as used here:

1. List the competing explanations of an event (the matrix's columns).
2. List the significant evidence (rows): here every claim an analyst confirmed as evidence for or against
   any of the event's explanations, so each row traces back to its speaker, outlet and passage.
3. Rate each piece of evidence against each explanation: CC very consistent, C consistent, N neutral or not
   applicable, I inconsistent, II very inconsistent, weighted by the evidence's credibility and relevance.
4. Drop evidence with no diagnostic value: a claim rated alike against every explanation cannot help choose
   between them. It is marked low-diagnostic, never removed, and changes nothing in the ranking.
5. Rank the explanations by the evidence against them, not for them: the least inconsistent explanation
   is the most likely, since evidence consistent with several explanations proves none of them.
6. Check sensitivity: which single piece of evidence, were it wrong or deceptive, would change the ranking?
   Those rows deserve a second look.

Everything here is read-only, takes a constant number of queries whatever the size of the matrix, and
returns frozen dataclasses the templates render.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from math import floor

from analysis.models import Event, Evidence, Explanation, Rating
from claims.models import Claim
from sources.actors import alias_key

# Heuer's consistency scale as numbers, and back.
SCORES: dict[str, int] = {"CC": 2, "C": 1, "N": 0, "I": -1, "II": -2}
LETTERS: dict[int, str] = {score: letter for letter, score in SCORES.items()}
# Credibility and relevance weights; a rating's weight is their product (medium × medium = 1).
WEIGHTS: dict[str, float] = {"low": 0.5, "medium": 1.0, "high": 1.5}
# The rating a confirmed stance stands for until an analyst rates the claim.
STANCE_DEFAULTS: dict[str, str] = {Evidence.Stance.SUPPORTS: "C", Evidence.Stance.REBUTS: "I"}

# Document fields no ACH screen shows; leaving them out keeps big article texts out of memory.
_UNUSED_FIELDS = (
    "claim__search",
    "claim__document__text",
    "claim__document__offset_map",
    "claim__document__search",
    "claim__document__standfirst",
    "claim__document__warnings",
)


class Basis:
    """Where a cell's rating comes from."""

    RATINGS = "ratings"  # one or more analysts rated the claim against the explanation
    STANCE = "stance"  # no rating yet: the confirmed stance under this explanation stands in
    NONE = "none"  # no rating and no confirmed evidence under this explanation: neutral


@dataclass(frozen=True)
class Cell:
    """One claim against one explanation: every analyst's rating, summed up."""

    explanation: Explanation
    ratings: tuple[Rating, ...]
    basis: str
    consensus: str  # the mean rating, rounded (halves toward N): the letter shown
    score: float  # mean over analysts of weight × scale value (CC +2 … II −2)
    inconsistency: float  # mean over analysts of weight × (1 for I, 2 for II); what ranks explanations
    support: float  # mean over analysts of weight × (1 for C, 2 for CC); breaks ranking ties
    spread: int  # max − min of the analysts' ratings on the scale: how much they disagree
    stance: str  # the confirmed stance under this explanation, or "" if none

    @property
    def from_stance(self) -> bool:
        return self.basis == Basis.STANCE

    @property
    def analysts(self) -> int:
        return len(self.ratings)


@dataclass(frozen=True)
class Row:
    """One piece of evidence: a claim, rated against every explanation (cells in column order)."""

    number: int
    claim: Claim
    said_on: date | None  # said_on, else the document's publication date
    cells: tuple[Cell, ...]
    diagnosticity: int  # max − min of the cells' consensus scores: 0 means it tells nothing apart

    @property
    def low_diagnostic(self) -> bool:
        return self.diagnosticity == 0


@dataclass(frozen=True)
class Ranked:
    """An explanation's place: the least weighted inconsistency first, more support breaking ties."""

    rank: int
    explanation: Explanation
    inconsistency: float
    support: float


@dataclass(frozen=True)
class Sensitivity:
    """A row whose discounting alone would change the ranking."""

    row: Row
    ranking: tuple[Ranked, ...]  # the ranking without it
    changes_first: bool

    @property
    def first(self) -> Explanation:
        return self.ranking[0].explanation


@dataclass(frozen=True)
class Matrix:
    event: Event
    as_of: date | None
    explanations: tuple[Explanation, ...]
    rows: tuple[Row, ...]
    ranking: tuple[Ranked, ...]
    sensitive: tuple[Sensitivity, ...]
    evidence_total: int  # claims with confirmed evidence, before the as-of cut
    undated: int  # left out of a replay: neither said_on nor a publication date
    later: int  # left out of a replay: said after the as-of date
    dates: tuple[date, ...]  # every date an evidence claim was said on, for the replay's quick picks

    @property
    def low_diagnostic_rows(self) -> int:
        return sum(row.low_diagnostic for row in self.rows)


@dataclass(frozen=True)
class Independence:
    """How many independent sources stand behind some claims, and which claims repeat one source."""

    count: int
    groups: tuple[tuple[Claim, ...], ...]


@dataclass(frozen=True)
class Item:
    """A claim in a comparison column, with its cell in the matrix."""

    claim: Claim
    said_on: date | None
    stance: str
    cell: Cell
    repeat: bool  # another claim earlier in the list stands for the same source


@dataclass(frozen=True)
class Proposal:
    """Evidence a rule proposed and no analyst has decided on: shown apart, never counted."""

    claim: Claim
    said_on: date | None
    stance: str
    rule: str


@dataclass(frozen=True)
class Column:
    explanation: Explanation
    ranked: Ranked
    supporting: tuple[Item, ...]  # the strongest, at most `strongest` of them
    rebutting: tuple[Item, ...]
    supporting_count: int  # all of them
    rebutting_count: int
    supporting_sources: int  # independent sources behind all of them
    rebutting_sources: int
    proposals: tuple[Proposal, ...]

    @property
    def supporting_more(self) -> int:
        return self.supporting_count - len(self.supporting)

    @property
    def rebutting_more(self) -> int:
        return self.rebutting_count - len(self.rebutting)


@dataclass(frozen=True)
class Holder:
    """An actor (or a speaker the text names but no actor stands for) and where it stands on each
    explanation, in column order: "holds", "rejects", "both" or ""."""

    name: str
    actor_id: int | None
    positions: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    matrix: Matrix
    columns: tuple[Column, ...]
    holders: tuple[Holder, ...]


def claim_date(claim: Claim) -> date | None:
    """When a claim entered the record: the day it was said, else the day its document was published."""
    return claim.said_on or claim.document.published_on


def build_matrix(event: Event, *, as_of: date | None = None) -> Matrix:
    """The event's ACH matrix: rows are the visible claims with confirmed evidence under any of its
    explanations (with `as_of`, only those said or published on or before that day), columns its
    explanations in position order. Three queries."""
    explanations = tuple(event.explanations.order_by("position", "pk"))
    confirmed = list(
        Evidence.objects.filter(
            explanation__event=event, status=Evidence.Status.CONFIRMED, claim__in=Claim.objects.visible()
        )
        .select_related(
            "claim__speaker", "claim__document__outlet", "claim__document__syndicated_from", "claim__post"
        )
        .defer(*_UNUSED_FIELDS)
    )
    claims: dict[int, Claim] = {}
    stances: dict[tuple[int, int], str] = {}
    for evidence in confirmed:
        claims.setdefault(evidence.claim_id, evidence.claim)
        stances[evidence.claim_id, evidence.explanation_id] = evidence.stance

    dated = {pk: claim_date(claim) for pk, claim in claims.items()}
    kept = sorted(
        (
            claim
            for claim in claims.values()
            if as_of is None or (dated[claim.pk] is not None and dated[claim.pk] <= as_of)
        ),
        key=lambda claim: (dated[claim.pk] is None, dated[claim.pk] or date.min, claim.pk),
    )
    ratings: dict[tuple[int, int], list[Rating]] = defaultdict(list)
    for rating in Rating.objects.filter(
        explanation__event=event, claim_id__in=[claim.pk for claim in kept]
    ).select_related("analyst"):
        ratings[rating.claim_id, rating.explanation_id].append(rating)

    rows = []
    for number, claim in enumerate(kept, start=1):
        cells = tuple(
            _cell(explanation, ratings[claim.pk, explanation.pk], stances.get((claim.pk, explanation.pk), ""))
            for explanation in explanations
        )
        consensus = [SCORES[cell.consensus] for cell in cells]
        diagnosticity = max(consensus) - min(consensus) if consensus else 0
        rows.append(Row(number, claim, dated[claim.pk], cells, diagnosticity))
    rows_tuple = tuple(rows)
    ranking = rank(explanations, rows_tuple)
    undated = sum(day is None for day in dated.values()) if as_of else 0
    return Matrix(
        event=event,
        as_of=as_of,
        explanations=explanations,
        rows=rows_tuple,
        ranking=ranking,
        sensitive=sensitivity(explanations, rows_tuple, ranking),
        evidence_total=len(claims),
        undated=undated,
        later=len(claims) - len(kept) - undated,
        dates=tuple(sorted({day for day in dated.values() if day is not None})),
    )


def _cell(explanation: Explanation, ratings: list[Rating], stance: str) -> Cell:
    """Sum up the analysts' ratings of one claim against one explanation. With no rating, the confirmed
    stance under this explanation stands in (supports → C, rebuts → I) at medium weight; with neither,
    the claim is neutral to it."""
    if ratings:
        basis = Basis.RATINGS
        judged = [(SCORES[r.consistency], WEIGHTS[r.credibility] * WEIGHTS[r.relevance]) for r in ratings]
    elif stance:
        basis, judged = Basis.STANCE, [(SCORES[STANCE_DEFAULTS[stance]], 1.0)]
    else:
        basis, judged = Basis.NONE, [(0, 1.0)]
    values = [value for value, _ in judged]
    count = len(judged)
    return Cell(
        explanation=explanation,
        ratings=tuple(ratings),
        basis=basis,
        consensus=LETTERS[_round_toward_neutral(sum(values) / count)],
        score=sum(value * weight for value, weight in judged) / count,
        inconsistency=sum(max(0, -value) * weight for value, weight in judged) / count,
        support=sum(max(0, value) * weight for value, weight in judged) / count,
        spread=max(values) - min(values),
        stance=stance,
    )


def _round_toward_neutral(mean: float) -> int:
    """Round to the nearest scale step; a mean exactly between two steps takes the milder one, so a split
    between C and CC reads C, and one between N and I reads N."""
    magnitude = abs(mean)
    step = floor(magnitude) + (1 if magnitude - floor(magnitude) > 0.5 else 0)
    return step if mean >= 0 else -step


def rank(explanations: Sequence[Explanation], rows: Iterable[Row]) -> tuple[Ranked, ...]:
    """Heuer's ranking: explanations ordered by the weighted inconsistency of the evidence against them
    (only I and II count), least first; more weighted consistent support breaks a tie, then column order.
    Low-diagnostic rows count like any other: they add the same to every column."""
    inconsistency = {explanation.pk: 0.0 for explanation in explanations}
    support = {explanation.pk: 0.0 for explanation in explanations}
    for row in rows:
        for cell in row.cells:
            inconsistency[cell.explanation.pk] += cell.inconsistency
            support[cell.explanation.pk] += cell.support
    return _ordered(explanations, inconsistency, support)


def _ordered(
    explanations: Sequence[Explanation], inconsistency: dict[int, float], support: dict[int, float]
) -> tuple[Ranked, ...]:
    ordered = sorted(
        enumerate(explanations),
        key=lambda pair: (round(inconsistency[pair[1].pk], 6), -round(support[pair[1].pk], 6), pair[0]),
    )
    return tuple(
        Ranked(place, explanation, inconsistency[explanation.pk], support[explanation.pk])
        for place, (_, explanation) in enumerate(ordered, start=1)
    )


def sensitivity(
    explanations: Sequence[Explanation], rows: Sequence[Row], ranking: Sequence[Ranked]
) -> tuple[Sensitivity, ...]:
    """Heuer's step 6: the rows that, discounted one at a time, would change the order of the ranking,
    with the ranking each would leave. Those changing who comes first are the ones to check first.
    Each row's share is taken off the totals rather than ranking the other rows again, so a matrix of a
    thousand rows costs a thousand subtractions, not a million additions."""
    order = [ranked.explanation.pk for ranked in ranking]
    totals = {ranked.explanation.pk: ranked for ranked in ranking}
    found = []
    for row in rows:
        inconsistency = {pk: entry.inconsistency for pk, entry in totals.items()}
        support = {pk: entry.support for pk, entry in totals.items()}
        for cell in row.cells:  # rounded so that taking a row off leaves 0, not -1e-17
            pk = cell.explanation.pk
            inconsistency[pk] = round(inconsistency[pk] - cell.inconsistency, 9)
            support[pk] = round(support[pk] - cell.support, 9)
        without = _ordered(explanations, inconsistency, support)
        if [ranked.explanation.pk for ranked in without] != order:
            changes_first = without[0].explanation.pk != order[0]
            found.append(Sensitivity(row, without, changes_first))
    return tuple(sorted(found, key=lambda found: (not found.changes_first, found.row.number)))


def _source_keys(claim: Claim) -> list[tuple[str, object]]:
    """What makes two claims one source: the same speaker (the actor, else the speaker as the text names
    it, normalised), a media actor and its outlet, and for claims no speaker is named for, the outlet
    that published them, the original outlet for a syndicated piece."""
    keys: list[tuple[str, object]] = []
    if claim.cluster_id is not None:
        keys.append(("cluster", claim.cluster_id))
    document = claim.document
    outlet_id = document.syndicated_from_id or document.outlet_id
    if claim.speaker_id is not None:
        keys.append(("actor", claim.speaker_id))
        if claim.speaker.outlet_id is not None:
            keys.append(("outlet", claim.speaker.outlet_id))
    elif speaker := alias_key(claim.speaker_text):
        keys.append(("speaker", speaker))
    elif outlet_id is not None:
        keys.append(("outlet", outlet_id))
    return keys


def independent_sources(claims: Iterable[Claim]) -> Independence:
    """Count the independent sources behind some claims: claims in one same-claim cluster count once, and
    so do claims repeating one original source (see `_source_keys`); the relation is transitive. Groups
    keep the order the claims came in. Needs each claim's speaker and document loaded."""
    claims = list(dict.fromkeys(claims))
    parent = list(range(len(claims)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    owner: dict[tuple[str, object], int] = {}
    for index, claim in enumerate(claims):
        for key in _source_keys(claim):
            if key in owner:
                first, this = find(owner[key]), find(index)
                parent[max(first, this)] = min(first, this)
            else:
                owner[key] = index
    groups: dict[int, list[Claim]] = {}
    for index, claim in enumerate(claims):
        groups.setdefault(find(index), []).append(claim)
    return Independence(len(groups), tuple(tuple(group) for group in groups.values()))


def compare(event: Event, *, as_of: date | None = None, strongest: int = 5) -> Comparison:
    """The reader's comparison: per explanation its `strongest` confirmed supporting and rebutting claims
    (by the size of their weighted score; a claim repeating another's source comes after fresh sources),
    how many there are and the independent sources behind each side, the rules' open proposals apart,
    and which speakers hold or reject which explanation. Four queries."""
    matrix = build_matrix(event, as_of=as_of)
    ranked = {entry.explanation.pk: entry for entry in matrix.ranking}
    proposals: dict[int, list[Proposal]] = defaultdict(list)
    for evidence in (
        Evidence.objects.filter(
            explanation__event=event, status=Evidence.Status.PROPOSED, claim__in=Claim.objects.visible()
        )
        .select_related("claim__speaker", "claim__document__outlet", "claim__post")
        .defer(*_UNUSED_FIELDS)
        .order_by("claim__said_on", "claim_id")
    ):
        day = claim_date(evidence.claim)
        if as_of is None or (day is not None and day <= as_of):
            proposals[evidence.explanation_id].append(
                Proposal(evidence.claim, day, evidence.stance, evidence.rule)
            )

    columns = []
    for index, explanation in enumerate(matrix.explanations):
        sides = {}
        for stance in (Evidence.Stance.SUPPORTS, Evidence.Stance.REBUTS):
            rows = [row for row in matrix.rows if row.cells[index].stance == stance]
            sources = independent_sources(row.claim for row in rows)
            sides[stance] = (_strongest(rows, index, sources)[:strongest], len(rows), sources.count)
        supporting, rebutting = sides[Evidence.Stance.SUPPORTS], sides[Evidence.Stance.REBUTS]
        columns.append(
            Column(
                explanation=explanation,
                ranked=ranked[explanation.pk],
                supporting=supporting[0],
                rebutting=rebutting[0],
                supporting_count=supporting[1],
                rebutting_count=rebutting[1],
                supporting_sources=supporting[2],
                rebutting_sources=rebutting[2],
                proposals=tuple(proposals[explanation.pk]),
            )
        )
    return Comparison(matrix, tuple(columns), _holders(matrix))


def _strongest(rows: list[Row], index: int, sources: Independence) -> tuple[Item, ...]:
    """One side of a column, strongest first: by |weighted score|, then fresh sources before repeats,
    then by date."""
    repeats = {claim.pk for group in sources.groups for claim in group[1:]}
    items = [
        Item(row.claim, row.said_on, row.cells[index].stance, row.cells[index], row.claim.pk in repeats)
        for row in rows
    ]
    return tuple(
        sorted(
            items,
            key=lambda item: (-abs(item.cell.score), item.repeat, item.said_on or date.max, item.claim.pk),
        )
    )


def _holders(matrix: Matrix) -> tuple[Holder, ...]:
    """Who holds which explanation: a speaker holds one when it said a claim confirmed as supporting it,
    and rejects it when it said one confirmed as rebutting it."""
    stances: dict[tuple[int | None, str], list[set[str]]] = {}
    for row in matrix.rows:
        claim = row.claim
        if claim.speaker_id is not None:
            key = (claim.speaker_id, claim.speaker.name)
        elif claim.speaker_text.strip():
            key = (None, claim.speaker_text.strip())
        else:
            continue
        said = stances.setdefault(key, [set() for _ in matrix.explanations])
        for index, cell in enumerate(row.cells):
            if cell.stance:
                said[index].add(cell.stance)
    labels = {
        frozenset(): "",
        frozenset({Evidence.Stance.SUPPORTS}): "holds",
        frozenset({Evidence.Stance.REBUTS}): "rejects",
        frozenset({Evidence.Stance.SUPPORTS, Evidence.Stance.REBUTS}): "both",
    }
    holders = [
        Holder(name, actor_id, tuple(labels[frozenset(found)] for found in said))
        for (actor_id, name), said in stances.items()
    ]
    return tuple(sorted(holders, key=lambda holder: (holder.actor_id is None, holder.name.casefold())))
