"""The ACH math on small hand-built matrices: cells, ranking, diagnosticity, sensitivity, the as-of cut,
independent sources and the comparison."""

import datetime as dt
from itertools import batched, count

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.ach import Basis, Cell, Row, build_matrix, compare, independent_sources, rank, sensitivity
from analysis.models import Event, Evidence, Explanation, Rating
from articles.models import Document
from claims.models import Claim, ClaimCluster
from sources.models import Actor, Outlet
from tests.factories import document_from_text

pytestmark = pytest.mark.django_db

_numbers = count(1)
MARCH = {day: dt.date(2024, 3, day) for day in range(1, 32)}
S, R = Evidence.Stance.SUPPORTS, Evidence.Stance.REBUTS


def make_document(
    *,
    outlet: Outlet | None = None,
    published_on: dt.date | None = None,
    syndicated_from: Outlet | None = None,
    text: str = "Someone said something about the attack.",
) -> Document:
    """A one-document source file, without parsing: these tests are about the analysis."""
    return document_from_text(text, outlet=outlet, published_on=published_on, syndicated_from=syndicated_from)


def make_claim(
    headline: str = "",
    *,
    document: Document | None = None,
    speaker: Actor | None = None,
    speaker_text: str = "",
    said_on: dt.date | None = None,
    **fields,
) -> Claim:
    document = document or make_document()
    return Claim.objects.create(
        document=document,
        sentence_start=0,
        sentence_end=len(document.text),
        speaker=speaker,
        speaker_text=speaker_text or (speaker.name if speaker else ""),
        content_text=headline or "something",
        headline=headline or f"claim {next(_numbers)}",
        said_on=said_on,
        status=fields.pop("status", Claim.Status.CONFIRMED),
        **fields,
    )


def make_event(*titles: str, slug: str = "crocus") -> tuple[Event, list[Explanation]]:
    event = Event.objects.create(name="Crocus City Hall attack", slug=slug, occurred_on=MARCH[22])
    explanations = [
        Explanation.objects.create(event=event, title=title, position=position)
        for position, title in enumerate(titles)
    ]
    return event, explanations


def link(claim: Claim, explanation: Explanation, stance: str, status: str = Evidence.Status.CONFIRMED):
    return Evidence.objects.create(claim=claim, explanation=explanation, stance=stance, status=status)


def rate(claim, explanation, analyst, consistency, credibility="medium", relevance="medium") -> Rating:
    return Rating.objects.create(
        claim=claim,
        explanation=explanation,
        analyst=analyst,
        consistency=consistency,
        credibility=credibility,
        relevance=relevance,
    )


@pytest.fixture
def analysts():
    User = get_user_model()
    return [User.objects.create_user(name) for name in ("ana", "ben", "cleo")]


def titles(ranking) -> list[str]:
    return [ranked.explanation.title for ranked in ranking]


# ---- rows and cells ----


def test_rows_are_visible_claims_with_confirmed_evidence_only():
    event, (isis, ukraine) = make_event("ISIS-K", "Ukraine")
    confirmed = make_claim("confirmed")
    link(confirmed, isis, S)
    link(make_claim("proposed"), isis, S, Evidence.Status.PROPOSED)
    link(make_claim("dismissed"), ukraine, R, Evidence.Status.DISMISSED)
    link(make_claim("rejected claim", status=Claim.Status.REJECTED), isis, S)
    _, (elsewhere,) = make_event("Other", slug="other")
    link(make_claim("other event"), elsewhere, S)

    matrix = build_matrix(event)

    assert [row.claim.headline for row in matrix.rows] == ["confirmed"]
    assert [explanation.title for explanation in matrix.explanations] == ["ISIS-K", "Ukraine"]


def test_columns_follow_the_explanations_position():
    event, _ = make_event("first", "second")
    Explanation.objects.filter(title="first").update(position=5)
    assert [e.title for e in build_matrix(event).explanations] == ["second", "first"]


def test_an_unrated_claim_takes_its_stance_under_each_explanation_and_n_where_it_has_none():
    event, (isis, ukraine, _) = make_event("ISIS-K", "Ukraine", "FSB")
    claim = make_claim()
    link(claim, isis, S)
    link(claim, ukraine, R)

    (row,) = build_matrix(event).rows

    assert [cell.consensus for cell in row.cells] == ["C", "I", "N"]
    assert [cell.basis for cell in row.cells] == [Basis.STANCE, Basis.STANCE, Basis.NONE]
    assert row.cells[0].from_stance and not row.cells[2].from_stance
    assert [cell.score for cell in row.cells] == [1, -1, 0]
    assert all(cell.ratings == () for cell in row.cells)


def test_analysts_ratings_replace_the_stance_and_are_weighted_by_credibility_and_relevance(analysts):
    event, (isis, ukraine) = make_event("ISIS-K", "Ukraine")
    claim = make_claim()
    link(claim, isis, S)
    ana, ben, _ = analysts
    rate(claim, isis, ana, "CC", "high", "high")  # 2 × 2.25
    rate(claim, isis, ben, "C", "low", "medium")  # 1 × 0.5
    rate(claim, ukraine, ana, "II", "high", "medium")  # −2 × 1.5

    isis_cell, ukraine_cell = build_matrix(event).rows[0].cells

    assert isis_cell.basis == Basis.RATINGS and isis_cell.analysts == 2
    assert isis_cell.score == pytest.approx(2.5)
    assert isis_cell.support == pytest.approx(2.5)
    assert isis_cell.inconsistency == 0
    assert isis_cell.consensus == "C"  # mean 1.5: a split between C and CC reads the milder C
    assert isis_cell.spread == 1
    assert ukraine_cell.consensus == "II"
    assert ukraine_cell.inconsistency == pytest.approx(3.0)
    assert ukraine_cell.stance == ""  # rated, though no evidence links it to Ukraine


def test_analysts_disagreement_shows_as_the_spread_of_a_cell(analysts):
    event, (isis,) = make_event("ISIS-K")
    claim = make_claim()
    link(claim, isis, S)
    ana, ben, cleo = analysts
    rate(claim, isis, ana, "C")
    rate(claim, isis, ben, "II")
    rate(claim, isis, cleo, "I")

    (cell,) = build_matrix(event).rows[0].cells

    assert cell.spread == 3  # C (+1) to II (−2)
    assert cell.consensus == "I"  # mean −2/3
    assert cell.analysts == 3
    assert cell.inconsistency == pytest.approx(1.0)  # (0 + 2 + 1) / 3


# ---- diagnosticity ----


def test_a_row_rated_alike_for_every_explanation_is_low_diagnostic_and_does_not_change_the_ranking(analysts):
    event, (isis, ukraine) = make_event("ISIS-K", "Ukraine")
    telling = make_claim("telling")
    link(telling, isis, S)
    link(telling, ukraine, R)
    before = build_matrix(event)
    alike = make_claim("alike")
    link(alike, isis, R)
    link(alike, ukraine, R)

    matrix = build_matrix(event)

    rows = {row.claim.headline: row for row in matrix.rows}
    assert rows["telling"].diagnosticity == 2 and not rows["telling"].low_diagnostic
    assert rows["alike"].diagnosticity == 0 and rows["alike"].low_diagnostic
    assert matrix.low_diagnostic_rows == 1
    assert titles(matrix.ranking) == titles(before.ranking) == ["ISIS-K", "Ukraine"]


# ---- ranking ----


def test_explanations_rank_by_weighted_inconsistency_least_first(analysts):
    event, (isis, ukraine, fsb) = make_event("ISIS-K", "Ukraine", "FSB")
    ana = analysts[0]
    first, second = make_claim(), make_claim()
    for claim in (first, second):
        link(claim, ukraine, R)
    rate(first, ukraine, ana, "II")  # 2
    rate(second, fsb, ana, "I", "high", "high")  # 2.25
    rate(second, isis, ana, "I", "low", "low")  # 0.25

    ranking = build_matrix(event).ranking

    # Ukraine: II from one analyst (2) and the second claim's unrated rebuttal (I, 1).
    assert titles(ranking) == ["ISIS-K", "FSB", "Ukraine"]
    assert [ranked.inconsistency for ranked in ranking] == [0.25, 2.25, 3.0]
    assert [ranked.rank for ranked in ranking] == [1, 2, 3]


def test_only_inconsistent_evidence_counts_however_much_supports_an_explanation():
    event, (isis, ukraine) = make_event("ISIS-K", "Ukraine")
    for _ in range(5):
        link(make_claim(), ukraine, S)
    link(make_claim(), ukraine, R)
    link(make_claim(), isis, S)

    ranking = build_matrix(event).ranking

    assert titles(ranking) == ["ISIS-K", "Ukraine"]
    assert ranking[1].support == 5 and ranking[1].inconsistency == 1


def test_a_tie_in_inconsistency_goes_to_more_consistent_support_then_to_column_order():
    event, (_, _, fsb) = make_event("ISIS-K", "Ukraine", "FSB")
    link(make_claim(), fsb, S)

    assert titles(build_matrix(event).ranking) == ["FSB", "ISIS-K", "Ukraine"]


# ---- sensitivity ----


def test_sensitivity_names_the_single_row_whose_discounting_changes_who_comes_first(analysts):
    event, (isis, ukraine) = make_event("ISIS-K", "Ukraine")
    mild = make_claim("mild against ISIS-K")
    link(mild, isis, R)  # ISIS-K: 1
    strong = make_claim("strongly against Ukraine")
    link(strong, ukraine, R)
    rate(strong, ukraine, analysts[0], "II")  # Ukraine: 2

    matrix = build_matrix(event)

    assert titles(matrix.ranking) == ["ISIS-K", "Ukraine"]
    (found,) = matrix.sensitive
    assert found.row.claim == strong
    assert found.changes_first and found.first == ukraine
    assert titles(found.ranking) == ["Ukraine", "ISIS-K"]


def test_sensitivity_reports_a_reordering_below_first_place_after_changes_of_first_place(analysts):
    event, (isis, ukraine, fsb) = make_event("ISIS-K", "Ukraine", "FSB")
    ana = analysts[0]
    rows = {}
    for name, explanation, rating in (
        ("against ISIS-K", isis, "I"),  # ISIS-K 1
        ("against Ukraine", ukraine, "II"),  # Ukraine 2
        ("mildly against FSB", fsb, "I"),
        ("strongly against FSB", fsb, "II"),  # FSB 1 + 2
    ):
        rows[name] = make_claim(name)
        link(rows[name], explanation, R)
        rate(rows[name], explanation, ana, rating)

    matrix = build_matrix(event)

    assert titles(matrix.ranking) == ["ISIS-K", "Ukraine", "FSB"]
    assert [(item.row.claim.headline, item.changes_first) for item in matrix.sensitive] == [
        ("against Ukraine", True),
        ("strongly against FSB", False),
    ]
    # Without it FSB ties ISIS-K at 1 and comes second by column order.
    assert titles(matrix.sensitive[1].ranking) == ["ISIS-K", "FSB", "Ukraine"]


WEIGHTED = st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 2.25, 1 / 3, 2 / 3, 0.1, 0.7])


@settings(max_examples=200, deadline=None)
@given(
    columns=st.integers(min_value=1, max_value=4),
    cells=st.lists(st.tuples(WEIGHTED, WEIGHTED), min_size=4, max_size=4 * 12),
)
def test_sensitivity_matches_ranking_the_other_rows_again(columns, cells):
    """Taking each row's share off the totals finds exactly what ranking the remaining rows would."""
    explanations = [Explanation(pk=pk, title=f"E{pk}") for pk in range(1, columns + 1)]
    rows = tuple(
        Row(
            number,
            None,
            None,
            tuple(
                Cell(explanation, (), Basis.RATINGS, "N", 0.0, against, support, 0, "")
                for explanation, (against, support) in zip(explanations, row_cells, strict=True)
            ),
            0,
        )
        for number, row_cells in enumerate(batched(cells, columns), 1)
        if len(row_cells) == columns
    )
    ranking = rank(explanations, rows)
    expected = []
    for row in rows:
        without = rank(explanations, [other for other in rows if other is not row])
        if [r.explanation.pk for r in without] != [r.explanation.pk for r in ranking]:
            expected.append((row.number, [r.explanation.pk for r in without]))
    found = [
        (item.row.number, [r.explanation.pk for r in item.ranking])
        for item in sensitivity(explanations, rows, ranking)
    ]
    assert sorted(found) == sorted(expected)


def test_no_row_is_sensitive_when_the_ranking_holds_without_each():
    event, (_, ukraine) = make_event("ISIS-K", "Ukraine")
    for _ in range(2):
        link(make_claim(), ukraine, R)
    assert build_matrix(event).sensitive == ()


# ---- as of a date ----


def test_as_of_keeps_claims_said_or_published_by_then_and_counts_the_undated_and_later():
    event, (isis,) = make_event("ISIS-K")
    said = make_claim("said 22", said_on=MARCH[22])
    published = make_claim("published 23", document=make_document(published_on=MARCH[23]))
    later = make_claim("said 28", said_on=MARCH[28], document=make_document(published_on=MARCH[20]))
    undated = make_claim("undated")
    for claim in (said, published, later, undated):
        link(claim, isis, S)

    whole = build_matrix(event)
    replay = build_matrix(event, as_of=MARCH[23])

    assert [row.claim.headline for row in whole.rows] == ["said 22", "published 23", "said 28", "undated"]
    assert whole.undated == whole.later == 0
    assert [row.claim.headline for row in replay.rows] == ["said 22", "published 23"]
    assert [row.said_on for row in replay.rows] == [MARCH[22], MARCH[23]]
    assert (replay.evidence_total, replay.undated, replay.later) == (4, 1, 1)
    assert replay.dates == whole.dates == (MARCH[22], MARCH[23], MARCH[28])
    assert build_matrix(event, as_of=MARCH[21]).rows == ()


def test_a_replay_changes_the_ranking_when_later_evidence_is_left_out(analysts):
    event, (isis, ukraine) = make_event("ISIS-K", "Ukraine")
    link(make_claim("early blame", said_on=MARCH[23]), isis, R)
    link(make_claim("later rebuttal", said_on=MARCH[28]), ukraine, R)
    rate(Claim.objects.get(headline="later rebuttal"), ukraine, analysts[0], "II")

    assert titles(build_matrix(event, as_of=MARCH[23]).ranking) == ["Ukraine", "ISIS-K"]
    assert titles(build_matrix(event).ranking) == ["ISIS-K", "Ukraine"]


# ---- independent sources ----


def test_claims_in_one_same_claim_cluster_count_once():
    cluster = ClaimCluster.objects.create()
    a = make_claim(speaker_text="TASS", cluster=cluster)
    b = make_claim(speaker_text="RIA Novosti", cluster=cluster)
    c = make_claim(speaker_text="Reuters")

    result = independent_sources([a, b, c])

    assert result.count == 2
    assert result.groups == ((a, b), (c,))


def test_claims_repeating_one_speaker_count_once_by_actor_or_by_normalised_name():
    fsb = Actor.objects.create(name="Security service (test)", kind=Actor.Kind.GOVERNMENT)
    by_actor = [make_claim(speaker=fsb, speaker_text="The FSB"), make_claim(speaker=fsb, speaker_text="FSB")]
    by_name = [make_claim(speaker_text="the Kremlin"), make_claim(speaker_text="The Kremlin's")]

    result = independent_sources(by_actor + by_name)

    assert result.count == 2
    assert result.groups == (tuple(by_actor), tuple(by_name))


def test_syndicated_copies_count_with_their_original_outlet():
    afp = Outlet.objects.create(name="AFP")
    al_jazeera = Outlet.objects.create(name="Al Jazeera")
    bbc = Outlet.objects.create(name="BBC")
    original = make_claim(document=make_document(outlet=afp))
    copy = make_claim(document=make_document(outlet=al_jazeera, syndicated_from=afp))
    own = make_claim(document=make_document(outlet=bbc))

    result = independent_sources([original, copy, own])

    assert result.count == 2
    assert result.groups == ((original, copy), (own,))


def test_a_media_actor_speaking_and_its_outlets_unattributed_reports_are_one_source():
    tass = Outlet.objects.create(name="TASS")
    tass_actor = Actor.objects.create(name="TASS agency", kind=Actor.Kind.MEDIA, outlet=tass)
    said = make_claim(speaker=tass_actor)
    reported = make_claim(document=make_document(outlet=tass))

    assert independent_sources([said, reported]).count == 1


def test_repeated_sources_join_transitively_through_clusters():
    cluster = ClaimCluster.objects.create()
    putin = Actor.objects.create(name="President (test)", kind=Actor.Kind.PERSON)
    a = make_claim(speaker=putin)
    b = make_claim(speaker=putin, cluster=cluster)
    c = make_claim(speaker_text="the Russian president", cluster=cluster)
    d = make_claim(speaker_text="Zelensky")

    result = independent_sources([a, b, c, d])

    assert result.count == 2
    assert result.groups == ((a, b, c), (d,))


def test_different_speakers_in_one_outlet_are_independent():
    tass = Outlet.objects.create(name="TASS")
    document = make_document(outlet=tass)
    claims = [make_claim(document=document, speaker_text=name) for name in ("Putin", "Bortnikov")]
    assert independent_sources(claims).count == 2


# ---- comparison ----


def test_compare_lists_each_side_strongest_first_with_repeats_after_fresh_sources(analysts):
    event, (_, ukraine) = make_event("ISIS-K", "Ukraine")
    ana = analysts[0]
    fsb = Actor.objects.create(name="FSB", kind=Actor.Kind.GOVERNMENT)
    first_fsb = make_claim("FSB first", speaker=fsb, said_on=MARCH[23])
    second_fsb = make_claim("FSB again", speaker=fsb, said_on=MARCH[24])
    putin = make_claim("Putin", speaker_text="Putin", said_on=MARCH[25])
    strong = make_claim("strong", speaker_text="Patrushev", said_on=MARCH[26])
    for claim in (first_fsb, second_fsb, putin, strong):
        link(claim, ukraine, S)
    rate(strong, ukraine, ana, "CC", "high", "medium")  # 3
    rebuttal = make_claim("Kyiv denies", speaker_text="Kyiv", said_on=MARCH[23])
    link(rebuttal, ukraine, R)

    column = compare(event).columns[1]

    assert column.explanation == ukraine
    assert [item.claim.headline for item in column.supporting] == [
        "strong",
        "FSB first",
        "Putin",
        "FSB again",
    ]
    assert [item.repeat for item in column.supporting] == [False, False, False, True]
    assert (column.supporting_count, column.supporting_sources) == (4, 3)
    assert [item.claim.headline for item in column.rebutting] == ["Kyiv denies"]
    assert (column.rebutting_count, column.rebutting_sources) == (1, 1)
    assert column.ranked.rank == 2


def test_compare_shows_at_most_the_strongest_few_and_counts_the_rest():
    event, (isis,) = make_event("ISIS-K")
    for day in range(20, 27):
        link(make_claim(speaker_text=f"speaker {day}", said_on=MARCH[day]), isis, S)

    (column,) = compare(event, strongest=3).columns

    assert len(column.supporting) == 3
    assert (column.supporting_count, column.supporting_more, column.supporting_sources) == (7, 4, 7)


def test_proposals_are_listed_apart_and_never_counted(analysts):
    event, (isis, ukraine) = make_event("ISIS-K", "Ukraine")
    link(make_claim("confirmed"), ukraine, R)
    proposed = make_claim("proposed", said_on=MARCH[23])
    link(proposed, isis, R, Evidence.Status.PROPOSED)
    link(make_claim("too late", said_on=MARCH[30]), isis, R, Evidence.Status.PROPOSED)
    rate(proposed, isis, analysts[0], "II")  # a rating alone does not make it evidence

    comparison = compare(event)
    isis_column = comparison.columns[0]

    assert [proposal.claim for proposal in isis_column.proposals][:1] == [proposed]
    assert isis_column.proposals[0].stance == R
    assert isis_column.rebutting == () and isis_column.rebutting_count == 0
    assert [row.claim.headline for row in comparison.matrix.rows] == ["confirmed"]
    assert titles(comparison.matrix.ranking) == ["ISIS-K", "Ukraine"]
    assert [p.claim.headline for p in compare(event, as_of=MARCH[25]).columns[0].proposals] == ["proposed"]


def test_who_holds_which_explanation_comes_from_confirmed_stances_of_each_speaker():
    event, (isis, ukraine, fsb) = make_event("ISIS-K", "Ukraine", "FSB")
    kremlin = Actor.objects.create(name="Kremlin", kind=Actor.Kind.GOVERNMENT)
    kyiv = Actor.objects.create(name="Kyiv", kind=Actor.Kind.GOVERNMENT)
    blame = make_claim(speaker=kremlin)
    link(blame, ukraine, S)
    link(blame, isis, R)
    link(make_claim(speaker=kremlin), isis, S)
    link(make_claim(speaker=kyiv), ukraine, R)
    link(make_claim(speaker_text="a blogger"), fsb, S)
    link(make_claim(speaker=kyiv), fsb, S, Evidence.Status.PROPOSED)

    holders = {holder.name: holder for holder in compare(event).holders}

    assert list(holders) == ["Kremlin", "Kyiv", "a blogger"]
    assert holders["Kremlin"].positions == ("both", "holds", "")
    assert holders["Kyiv"].positions == ("", "rejects", "")
    assert holders["a blogger"].positions == ("", "", "holds")
    assert holders["a blogger"].actor_id is None and holders["Kremlin"].actor_id == kremlin.pk


def test_an_event_without_explanations_or_evidence_gives_an_empty_matrix():
    event, _ = make_event()
    matrix = build_matrix(event)
    assert (matrix.explanations, matrix.rows, matrix.ranking, matrix.sensitive) == ((), (), (), ())
    assert compare(event).columns == ()


# ---- queries ----


def _populate(event, explanations, analysts, rows: int) -> None:
    outlet = Outlet.objects.create(name=f"Outlet {rows}")
    speaker = Actor.objects.create(name=f"Speaker {rows}", kind=Actor.Kind.PERSON)
    for number in range(rows):
        claim = make_claim(
            speaker=speaker if number % 2 else None,
            speaker_text="" if number % 2 else f"someone {number}",
            document=make_document(outlet=outlet, published_on=MARCH[20 + number % 5]),
        )
        link(claim, explanations[number % len(explanations)], S if number % 3 else R)
        link(make_claim(said_on=MARCH[22]), explanations[0], S, Evidence.Status.PROPOSED)
        for analyst in analysts:
            rate(claim, explanations[-1], analyst, "I")


def test_matrix_and_comparison_take_the_same_few_queries_however_many_rows(
    analysts, django_assert_max_num_queries
):
    small, small_explanations = make_event("A", "B", "C", slug="small")
    big, big_explanations = make_event("A", "B", "C", slug="big")
    _populate(small, small_explanations, analysts, 2)
    _populate(big, big_explanations, analysts, 12)

    for event in (small, big):
        with django_assert_max_num_queries(3):
            matrix = build_matrix(event, as_of=MARCH[23])
        with django_assert_max_num_queries(4):
            comparison = compare(event)
        # Everything the pages show is loaded.
        with django_assert_max_num_queries(0):
            for row in matrix.rows:
                str(row.claim.speaker or row.claim.speaker_text)
                str(row.claim.document.outlet)
                str(row.claim.post)
                for cell in row.cells:
                    [rating.analyst.get_username() for rating in cell.ratings]
            for column in comparison.columns:
                for proposal in column.proposals:
                    str(proposal.claim.document.outlet)
