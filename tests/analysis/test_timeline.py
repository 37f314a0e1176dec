import datetime as dt

import pytest
from django.urls import reverse

from analysis.models import Event, Evidence, Explanation
from analysis.timeline import axis_range, layout, stack, tick_days, x_for
from articles.ingest import ingest_bytes
from articles.models import Document
from claims.models import Claim
from sources.models import Actor

D = dt.date


def test_the_axis_spans_the_claims_and_the_event():
    assert axis_range([D(2024, 3, 8), D(2024, 3, 28)], D(2024, 3, 22)) == (D(2024, 3, 8), D(2024, 3, 28))
    assert axis_range([D(2024, 3, 23)], D(2024, 3, 22)) == (D(2024, 3, 22), D(2024, 3, 23))
    assert axis_range([D(2024, 3, 22)], D(2024, 3, 22)) == (D(2024, 3, 21), D(2024, 3, 22))


def test_days_get_equal_columns_left_to_right():
    start, end = D(2024, 3, 1), D(2024, 3, 10)
    xs = [x_for(start + dt.timedelta(days=i), start, end, 1000) for i in range(10)]
    assert xs == sorted(xs) and xs[0] > 0 and xs[-1] < 1000
    assert round(xs[1] - xs[0], 1) == round(xs[9] - xs[8], 1)


def test_ticks_thin_out_on_long_ranges():
    assert len(tick_days(D(2024, 3, 1), D(2024, 3, 10))) == 10
    ticks = tick_days(D(2024, 1, 1), D(2024, 12, 31), most=12)
    assert len(ticks) <= 12 and ticks[0] == D(2024, 1, 1)


def test_claims_of_one_day_stack_and_the_chart_grows_with_the_stack():
    claims = [
        Claim(pk=i, said_on=day) for i, day in enumerate([D(2024, 3, 8), D(2024, 3, 23), D(2024, 3, 23)])
    ]
    assert [place for _, place in stack(claims)] == [0, 0, 1]
    chart = layout(claims, D(2024, 3, 22))
    first, second = chart.marks[1], chart.marks[2]
    assert first.x == second.x and second.y > first.y
    assert chart.event_x is not None and chart.marks[0].x < chart.event_x < first.x
    tall = layout([Claim(pk=i, said_on=D(2024, 3, 23)) for i in range(20)], None)
    assert tall.height > chart.height


@pytest.fixture
def timeline(db):
    ingest_bytes(b"Attack | World\n\nGunmen attacked the Crocus City Hall near Moscow.\n", name="c.txt")
    document = Document.objects.get()
    event = Event.objects.create(name="Crocus City Hall attack", slug="crocus", occurred_on=D(2024, 3, 22))
    explanation = Explanation.objects.create(event=event, title="ISIS-K did it")
    putin = Actor.objects.get(short_name="Putin")
    made = {}
    for key, day, speaker, text in [
        ("warning", D(2024, 3, 8), None, "Extremists plan to target concerts <b>soon</b>"),
        ("blackmail", D(2024, 3, 19), putin, "the warnings were blackmail"),
        ("claim", D(2024, 3, 23), None, "ISKP claimed responsibility"),
        ("undated", None, None, "something undated"),
    ]:
        made[key] = Claim.objects.create(
            document=document,
            sentence_start=0,
            sentence_end=5,
            content_text=text,
            headline=text,
            said_on=day,
            said_on_precision="day" if day else "",
            speaker=speaker,
        )
    Evidence.objects.create(
        explanation=explanation, claim=made["claim"], stance="supports", status="confirmed"
    )
    return event, explanation, made


def test_the_timeline_page_draws_an_accessible_svg_and_lists_claims_in_order(client, timeline):
    event, _, made = timeline
    response = client.get(reverse("event-timeline", args=[event.slug]))
    page = response.text
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    assert 'role="img" aria-labelledby="timeline-title timeline-desc"' in page
    assert '<title id="timeline-title">' in page and "style=" not in page
    assert page.count('class="tl-claim"') == 3  # dated claims only
    assert f'href="{reverse("claim-detail", args=[made["blackmail"].pk])}"' in page
    listed = page.index("8 Mar 2024"), page.index("19 Mar 2024"), page.index("23 Mar 2024")
    assert list(listed) == sorted(listed)
    assert "&lt;b&gt;soon&lt;/b&gt;" in page and "<b>soon" not in page
    assert "22 Mar: the event" in page


def test_filtering_by_explanation_and_speaker_with_htmx_returns_the_fragment(client, timeline):
    event, explanation, made = timeline
    url = reverse("event-timeline", args=[event.slug])
    response = client.get(url, {"explanation": explanation.pk}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="timeline-results"')
    assert response.text.count('class="tl-claim"') == 1 and "tl-supports" in response.text
    page = client.get(url, {"speaker": made["blackmail"].speaker_id}).text
    assert page.count('class="tl-claim"') == 1 and "<html" in page
    assert client.get(url, {"speaker": "x", "explanation": "nope"}).status_code == 200
