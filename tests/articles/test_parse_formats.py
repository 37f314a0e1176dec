"""The general rules of each format, on small made-up inputs (none of them copies of the seeds)."""

import datetime as dt

import pytest

from articles.parsing import parse_text
from articles.parsing.captions import caption_credit
from articles.parsing.checks import contract_violations
from articles.parsing.chrome import Chrome, chrome_kind
from articles.parsing.dates import find_dates, latest_date
from articles.parsing.headers import parse_byline, split_pipe_title
from articles.parsing.model import DocumentKind, ParsedFile, Provenance


def parse(text: str) -> ParsedFile:
    parsed = parse_text(text)
    assert contract_violations(parsed, text) == []
    return parsed


def texts(spans, text: str) -> list[str]:
    return [span.text(text) for span in spans]


PROSE = "The committee met on Tuesday and agreed a budget for the new season after a long debate."
SPORT_DUMP = f"""Rovers sign a striker before the deadline | Sport News

{PROSE}

Supporters welcomed the move, the club said in a statement, and tickets sold out within an hour.

====

Harbour bridge reopens after repairs | Local News

{PROSE}

A mended railing was unveiled at dawn [Jane Roe/Harbour Photos]

Engineers said the work had finished early. The bridge closed on 4 June 2023 and reopened on
12 June 2023.

====

City budget passes narrowly | Politics News

{PROSE}
"""


def test_dump_split_by_separators_with_pipe_sections() -> None:
    parsed = parse(SPORT_DUMP)
    assert parsed.format == "article_dump"
    titles = [document.title for document in parsed.documents]
    assert titles == [
        "Rovers sign a striker before the deadline",
        "Harbour bridge reopens after repairs",
        "City budget passes narrowly",
    ]
    assert [document.section for document in parsed.documents] == [
        "Sport News",
        "Local News",
        "Politics News",
    ]
    bridge = parsed.documents[1]
    assert [caption.credit for caption in bridge.captions] == ["Jane Roe/Harbour Photos"]
    assert (bridge.published_on, bridge.published_provenance) == (
        dt.date(2023, 6, 12),
        Provenance.INFERRED,
    )
    assert "====" in texts(parsed.skipped, SPORT_DUMP)


def test_pipe_headlines_split_a_dump_without_separators() -> None:
    text = SPORT_DUMP.replace("====\n\n", "")
    assert [document.section for document in parse(text).documents] == [
        "Sport News",
        "Local News",
        "Politics News",
    ]


def test_headlines_set_apart_by_blank_lines_split_a_dump() -> None:
    first = f"Farmers fear a dry summer\n\n\n{PROSE}\n\nShort subheading\n\n{PROSE}\n\n\n"
    text = f"{first}Port strike ends\n\n\n{PROSE}\n"
    parsed = parse(text)
    assert [document.title for document in parsed.documents] == [
        "Farmers fear a dry summer",
        "Port strike ends",
    ]
    assert "Short subheading" in texts(parsed.documents[0].segments, text)


def test_header_lines_byline_section_standfirst_and_trailer() -> None:
    text = f"""Rain returns to the valley

Rain returns to the valley

WEATHER / REGION

BY ANNA LINDQVIST - REUTERS

Forecasters expect the wettest week of the year across the valley floor

{PROSE}

About: Anna Lindqvist covers the climate.

Rain returns to the valley - The Valley Herald
"""
    (article,) = parse(text).documents
    assert article.title == "Rain returns to the valley"
    assert article.section == "WEATHER / REGION"
    assert article.authors == ["Anna Lindqvist"]
    assert article.syndicated_from == "Reuters"
    assert (article.outlet_name, article.outlet_provenance) == ("The Valley Herald", Provenance.STATED)
    assert article.standfirst.text(text).startswith("Forecasters expect")
    assert texts(article.segments, text) == [article.standfirst.text(text), PROSE]


def test_a_first_paragraph_is_no_standfirst_when_every_paragraph_is_spaced_the_same() -> None:
    text = f"Tides rise\n\n\n{PROSE}\n\n\n{PROSE}\n\n\n{PROSE}\n"
    assert parse(text).documents[0].standfirst is None
    widened = text.replace(f"{PROSE}\n\n\n", f"{PROSE}\n\n\n\n", 1)
    assert parse(widened).documents[0].standfirst is not None


def test_trailer_line_ends_an_article_without_a_separator() -> None:
    text = f"First story here\n\n{PROSE}\n\nFirst story here - Daily Post\n\nSecond story here\n\n{PROSE}\n"
    parsed = parse(text)
    assert [(document.title, document.outlet_name) for document in parsed.documents] == [
        ("First story here", "Daily Post"),
        ("Second story here", ""),
    ]


def test_byline_with_several_authors_and_a_date() -> None:
    byline = parse_byline("By Jane Q. Public and Omar al-Farsi - 3rd March 2024")
    assert byline.authors == ["Jane Q. Public", "Omar al-Farsi"]
    assert byline.published_on == dt.date(2024, 3, 3)
    assert parse_byline("By the end of the week, the talks had stalled") is None
    assert parse_byline("By Harbour Radio Staff").staff_of == "Harbour Radio"


def test_stated_date_line_under_the_headline() -> None:
    header = "Markets rally on rate hopes\n\nPublished Monday, 2024-01-15 09:30 GMT"
    text = f"{header}\n\n{PROSE}\n\nIt was 1 February 2024.\n"
    (article,) = parse(text).documents
    assert (article.published_on, article.published_provenance) == (
        dt.date(2024, 1, 15),
        Provenance.STATED,
    )


def test_from_our_partner_line_names_the_outlet() -> None:
    text = f"Dams and drought\n\n{PROSE}\n\nFrom our partner Lake Review\n\nRead More\n"
    (article,) = parse(text).documents
    assert article.outlet_name == "Lake Review"
    assert texts(article.segments, text) == [PROSE]


def test_teaser_list_of_latest_news_is_chrome() -> None:
    text = (
        f"Dams and drought\n\n{PROSE}\n\nContinue Reading\n\n"
        "Economy12 mins ago\n\nPrices ease again\n\nPrices eased for a third month, the agency said...\n\n"
        "Sport 2 hours ago\n\nRovers win the cup\n\nA late goal settled a final that had...\n"
    )
    parsed = parse(text)
    assert len(parsed.documents) == 1
    assert {"Economy12 mins ago", "Rovers win the cup", "Sport 2 hours ago"} <= set(
        texts(parsed.skipped, text)
    )


def test_self_references_give_the_outlet_to_articles_of_the_same_style() -> None:
    quote = "“We will rebuild,” the mayor told Harbour Radio. Residents told Harbour Radio they were hopeful."
    text = (
        f"Storm hits the coast | Weather News\n\n{quote}\n\nOriginal Source\n\n"
        f"Ferries resume | Transport News\n\n{PROSE}\n\nOriginal Source\n\n"
        f"Opinion: keep the pier | Opinion\n\n{PROSE}\n\n"
        "The views expressed here do not necessarily reflect Harbour Radio’s editorial stance.\n"
    )
    parsed = parse(text)
    assert [document.outlet_name for document in parsed.documents] == ["Harbour Radio"] * 3
    assert {document.outlet_provenance for document in parsed.documents} == {Provenance.INFERRED}


def test_a_quoted_speaker_is_not_taken_for_the_outlet() -> None:
    text = (
        "Talks stall\n\nThe minister told Parliament on Monday that talks had stalled. "
        "Officials told Parliament the same. Aides told Parliament nothing. Parliament said it would wait. "
        "Parliament said more later.\n"
    )
    assert parse(text).documents[0].outlet_name == ""


def test_captions_by_credit_shape() -> None:
    assert caption_credit("Divers search the harbour at dawn on Monday (Lee Park/AFP)") == "Lee Park/AFP"
    assert (
        caption_credit("Crowds gather outside the court in the rain [File: Getty Images]")
        == "File: Getty Images"
    )
    assert caption_credit("A ferry leaves the port. JOHN DOE/PORT NEWS/POOL") == "JOHN DOE/PORT NEWS/POOL"
    assert caption_credit("The mayor greets the crew at the dock. Photo: Sam Lee/Harbour Times") is not None
    assert (
        caption_credit("Turnout was about half (50/50) in the final count of the night (see above)") is None
    )
    assert caption_credit("He said the vote was fair, according to officials (Reuters)") is None


def test_a_caption_printed_twice_is_stored_once() -> None:
    caption = "Rescue teams carry supplies across the flooded square (Ana Diaz/Reuters)"
    text = f"Floods recede\n\n{caption}\n\n{caption.upper()}\n\n{PROSE}\n"
    parsed = parse(text)
    (article,) = parsed.documents
    assert len(article.captions) == 1
    assert caption.upper() in texts(parsed.skipped, text)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("CONTINUE READING", Chrome.END),
        ("Continue reading…", Chrome.END),
        ("original source.", Chrome.END),
        ("Sign in to comment!", Chrome.BOILERPLATE),
        ("to view or add a comment, sign in", Chrome.BOILERPLATE),
        ("Connect With Us", Chrome.BOILERPLATE),
        ("Related: how the port was built", Chrome.BOILERPLATE),
        ("With reporting by Sam Lee in Oslo", Chrome.BOILERPLATE),
        ("Dancing Cat GIF by Cats Daily", Chrome.BOILERPLATE),
        ("More articles by Jane Roe", Chrome.REPOST),
        ("= = = = =", Chrome.SEPARATOR),
        ("THE END ~~~~~~", Chrome.SEPARATOR),
        ("318", Chrome.COUNT),
        ("1,204 followers", Chrome.BOILERPLATE),
        ("Please continue reading the report before you vote.", None),
        ("Connect with us at the town hall on Friday", None),
    ],
)
def test_chrome_rules_match_whole_lines_whatever_the_case_and_punctuation(
    line: str, kind: Chrome | None
) -> None:
    assert chrome_kind(line) == kind


def test_pipe_title_with_section_and_outlet() -> None:
    assert split_pipe_title("Ferries resume | Transport | Coast Daily") == (
        "Ferries resume",
        "Transport",
        "Coast Daily",
    )
    assert split_pipe_title("No pipe in this title") == ("No pipe in this title", "", "")


def test_dates_are_read_only_from_full_date_shapes() -> None:
    found = [
        mention.key for mention in find_dates("On March 3 and 4 May 2021, then 2022-07-09; not 31 Foo 2020.")
    ]
    assert found == [(2021, 5, 4), (2022, 7, 9)]
    assert latest_date(["February 30, 2024 never was", "but January 2, 2024 was"]) == dt.date(2024, 1, 2)


DISCOURSE = """Town council votes to close the old library

Originally published at: https://www.example-news.org/2023/11/05/library-vote.html

3 Likes

Sad news. I grew up there.

12 Likes

Same here.

Happy Dance GIF by Studio

1 Like

They should keep it:

  1. It is the only quiet place in town.
  2. The building is listed.

7 Likes

What a shame
"""


def test_discourse_thread_posts_closed_by_likes_lines() -> None:
    parsed = parse(DISCOURSE)
    assert parsed.format == "discourse_thread"
    (thread,) = parsed.documents
    assert thread.kind == DocumentKind.FORUM_THREAD
    assert thread.title == "Town council votes to close the old library"
    assert thread.outlet_domain == "example-news.org"
    assert (thread.published_on, thread.published_provenance) == (dt.date(2023, 11, 5), Provenance.STATED)
    assert [post.likes for post in thread.posts] == [3, 12, 1, 7, None]
    assert texts(thread.posts[0].segments, DISCOURSE) == [DISCOURSE.splitlines()[2]]
    assert texts(thread.posts[2].segments, DISCOURSE) == ["Same here."]
    assert texts(thread.posts[3].segments, DISCOURSE)[1] == "1. It is the only quiet place in town."
    assert "Happy Dance GIF by Studio" in texts(parsed.skipped, DISCOURSE)


def test_a_like_counter_in_an_article_footer_is_no_thread() -> None:
    text = "Tides rise\n\n" + f"{PROSE}\n\n" * 60 + "12 Likes\n\n3 Likes\n"
    parsed = parse(text)
    assert parsed.format == "article_dump"
    assert "12 Likes" in texts(parsed.skipped, text)


def test_opening_post_text_besides_the_link() -> None:
    text = DISCOURSE.replace("\n\n3 Likes", "\n\nWhat do you all think?\n\n3 Likes")
    (thread,) = parse(text).documents
    assert texts(thread.posts[0].segments, text) == ["What do you all think?"]
    assert thread.url == "https://www.example-news.org/2023/11/05/library-vote.html"


COMMENTS = """Council approves new bike lanes

The council approved four new bike lanes on Thursday after a two-hour public hearing in the hall.

Council approves new bike lanes

1. Finally! This took years.
   - Years too many.
     * And it is still not enough,
       if you ask me.

     * Agreed.
   - Better late than never.
2) I drive, and I am worried about parking.

   Where do delivery vans stop now?
\t- Loading bays, per the plan.
3. Good news for the kids.

Load more comments
"""


def test_comment_tree_from_markers_and_indentation() -> None:
    parsed = parse(COMMENTS)
    article, thread = parsed.documents
    assert article.title == "Council approves new bike lanes"
    assert (thread.kind, thread.comments_on) == (DocumentKind.COMMENT_THREAD, 0)
    posts = thread.posts
    assert [(post.parent, post.depth) for post in posts] == [
        (None, 0),
        (0, 1),
        (1, 2),
        (1, 2),
        (0, 1),
        (None, 0),
        (5, 1),
        (None, 0),
    ]
    assert texts(posts[2].segments, COMMENTS) == ["And it is still not enough,", "if you ask me."]
    assert texts(posts[5].segments, COMMENTS) == [
        "I drive, and I am worried about parking.",
        "Where do delivery vans stop now?",
    ]
    assert "Load more comments" in texts(parsed.skipped, COMMENTS)
    assert "Council approves new bike lanes" in texts(parsed.skipped, COMMENTS)


def test_a_flat_list_ending_an_article_is_prose_not_comments() -> None:
    text = f"Three things to know\n\n{PROSE}\n\n- Lanes open in May.\n- Parking moves to Elm Street.\n"
    parsed = parse(text)
    assert [document.kind for document in parsed.documents] == [DocumentKind.ARTICLE]
    assert texts(parsed.documents[0].segments, text)[-1] == "- Parking moves to Elm Street."


@pytest.mark.parametrize(
    "cue", ["2 Comments\n\n- Great news.\n- About time.", "  1. Great news.\n  2. About time."]
)
def test_a_flat_list_after_a_comments_heading_or_indented_is_a_thread(cue: str) -> None:
    text = f"Three things to know\n\n{PROSE}\n\n{cue}\n"
    parsed = parse(text)
    assert [len(document.posts) for document in parsed.documents] == [0, 2]


def test_file_of_nothing_but_a_comment_tree() -> None:
    text = "- top one\n  - reply\n- top two\n"
    parsed = parse(text)
    assert parsed.format == "comment_tree"
    assert [post.parent for post in parsed.documents[0].posts] == [None, 0, None]
    assert parsed.documents[0].comments_on is None


def test_prose_without_structure_is_one_document_with_a_warning() -> None:
    text = f"{PROSE} {PROSE}\n{PROSE}\n\nContinue Reading\n"
    parsed = parse(text)
    assert parsed.format == "unstructured"
    assert "no recognisable structure; stored as one document" in parsed.warnings
    (document,) = parsed.documents
    assert (document.kind, document.title) == (DocumentKind.ARTICLE, "")
    assert len(document.segments) == 2
