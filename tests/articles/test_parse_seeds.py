"""The five seed files parse into the documents a reader sees in them."""

import datetime as dt
from pathlib import Path

import pytest

from articles.parsing import parse_text
from articles.parsing.checks import contract_violations
from articles.parsing.lines import split_lines
from articles.parsing.model import DocumentKind, ParsedFile, Provenance

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def parse_seed(prefix: str) -> tuple[ParsedFile, str]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    parsed = parse_text(text, filename=path.name)
    assert contract_violations(parsed, text) == []
    return parsed, text


def skipped_texts(parsed: ParsedFile, text: str) -> list[str]:
    return [span.text(text) for span in parsed.skipped]


def test_linkedin_repost_of_two_articles() -> None:
    parsed, text = parse_seed("000")
    assert parsed.format == "article_dump"
    assert parsed.reposted_by == "Udo von Massenbach"
    first, second = parsed.documents
    assert first.title == "Putin forgot Islamic State thinks he too is the West"
    assert first.authors == ["Marc Champion"]
    assert first.syndicated_from == "Bloomberg"
    assert (first.outlet_name, first.outlet_provenance) == ("The Japan Times", Provenance.STATED)
    assert first.section == "COMMENTARY / WORLD"
    assert first.standfirst.text(text).startswith("Three lessons on the perils")
    assert second.title == "Behind Closed Doors, the U.S. Pushes to Shape, Not Stop, the Rafah Operation"
    assert second.authors == ["Michael R. Gordon", "Vivian Salama"]
    assert second.outlet_name == "WSJ"
    assert (second.published_on, second.published_provenance) == (dt.date(2024, 3, 27), Provenance.STATED)
    assert second.standfirst.text(text).startswith("Israeli defense minister met")
    assert [caption.credit for caption in second.captions] == [
        "MOHAMMED ABED/AGENCE FRANCE-PRESSE/GETTY IMAGES",
        "PHOTO: ARIEL HERMONI/ISRAEL MOD/ZUMA PRESS",
    ]
    kept = " ".join(segment.text(text) for document in parsed.documents for segment in document.segments)
    for chrome in ("++++++++++", "The End", "About: Marc Champion", "More articles by", "Explore topics"):
        assert chrome not in kept
    assert "The End++++++++++" in skipped_texts(parsed, text)


def test_article_with_a_comment_tree() -> None:
    parsed, text = parse_seed("001")
    article, thread = parsed.documents
    assert article.title == "Allies with benefits: The cost of a coalition with Russia"
    assert article.standfirst.text(text).startswith("If the West unites with Russia")
    assert [caption.credit for caption in article.captions] == [
        "RUSSIAN DEFENCE MINISTRY PRESS/EPA",
        "Khalil Ashawi/Reuters",
    ]
    prose = [segment.text(text) for segment in article.segments]
    assert not any(line.startswith(("Related:", "A handout frame grab", "Civil defense")) for line in prose)
    assert prose[-1].startswith("“If they are getting back in the game")
    assert article.published_on == dt.date(2015, 11, 18)
    assert article.published_provenance == Provenance.INFERRED
    assert "22" in skipped_texts(parsed, text)

    assert thread.kind == DocumentKind.COMMENT_THREAD
    assert thread.comments_on == 0
    posts = thread.posts
    assert len(posts) == 22
    assert sum(post.parent is None for post in posts) == 4
    assert max(post.depth for post in posts) == 4
    assert posts[0].segments[0].text(text).startswith("Given how gutless")
    assert len(posts[0].segments) == 5
    assert posts[1].parent == 0 and posts[1].segments[0].text(text).startswith("Yes! Let’s change")
    assert [post.parent for post in posts[18:]] == [17, 17, 17, 17]
    assert posts[6].parent is None and posts[6].segments[0].text(text).startswith("As much as I hate Putin")
    assert "Sign in to comment." in skipped_texts(parsed, text)


def test_modern_diplomacy_dump_with_teaser_list() -> None:
    parsed, text = parse_seed("002")
    assert [document.title for document in parsed.documents] == [
        "Is Putin’s Russia threatened by Uzbek Jihadists?",
        "Hybrid Warfare Against Pakistan: Challenges and Response",
        "How Putin’s Russia is Exploiting Jihadists Against pro-Navalny Protesters?",
        "Corona pandemic: Realism limitation in solving 21st century security threats",
    ]
    assert parsed.documents[3].outlet_name == "Tehran Times"
    assert [document.outlet_name for document in parsed.documents[:3]] == ["", "", ""]
    first_prose = [segment.text(text) for segment in parsed.documents[0].segments]
    assert "Will Hayat Tahrir al-Sham’s new strategy appeal to Russian interests?" in first_prose
    skipped = skipped_texts(parsed, text)
    assert {"EU Politics31 mins ago", "The global plastic problem", "Connect with us"} <= set(skipped)
    assert parsed.documents[-1].span.end < text.index("EU Politics31 mins ago")


def test_al_jazeera_dump() -> None:
    parsed, text = parse_seed("003")
    documents = parsed.documents
    assert len(documents) == 10
    assert documents[0].title == "‘Old friend’ Putin arrives in China for state visit, summit with Xi Jinping"
    assert [document.section for document in documents[:4]] == [
        "Politics News",
        "Vladimir Putin News",
        "Freedom of the Press News",
        "Vladimir Putin",
    ]
    assert documents[6].title == "Putin wins again but what happened in Russia’s election protests?"
    assert {document.outlet_name for document in documents} == {"Al Jazeera"}
    assert {document.outlet_provenance for document in documents} == {Provenance.INFERRED}
    blame = documents[4]
    assert blame.title == "Who’s to blame for the Moscow massacre? ISIL, Ukraine or Russia itself?"
    assert (blame.published_on, blame.published_provenance) == (dt.date(2024, 3, 23), Provenance.INFERRED)
    assert blame.captions[0].credit == "Vitaly Smolnikov/AP Photo"
    assert all(" | " not in document.title for document in documents)
    assert not any(document.published_provenance == Provenance.STATED for document in documents)
    for chrome in (
        "Original Source",
        "Check out our Latest News and Follow us at Facebook",
        "Exit mobile version",
    ):
        assert chrome in skipped_texts(parsed, text)


def test_discourse_thread() -> None:
    parsed, text = parse_seed("004")
    assert parsed.format == "discourse_thread"
    (thread,) = parsed.documents
    assert thread.kind == DocumentKind.FORUM_THREAD
    assert thread.title == "Islamic State Claims Deadly Assault on Russian Music Venue: 40 Dead"
    assert thread.url.startswith("https://boingboing.net/2024/03/22/")
    assert thread.outlet_domain == "boingboing.net"
    posts = thread.posts
    assert len(posts) == 20
    assert posts[0].likes == 6
    assert [segment.text(text) for segment in posts[0].segments] == [text.splitlines()[2]]
    assert [post.likes for post in posts[1:4]] == [16, 14, 15]
    assert all(post.parent is None and post.depth == 0 for post in posts)
    post_texts = [" ".join(segment.text(text) for segment in post.segments) for post in posts]
    assert not any("GIF by" in post_text for post_text in post_texts)
    assert any("1. Russia’s security apparatus" in post_text for post_text in post_texts)
    assert post_texts[-1] == "Putin is fine." and posts[-1].likes == 4


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_line_is_kept_or_skipped_once(prefix: str) -> None:
    parsed, text = parse_seed(prefix)
    kept = [span for document in parsed.documents for span in document.segments]
    kept += [caption.span for document in parsed.documents for caption in document.captions]
    kept += [span for document in parsed.documents for post in document.posts for span in post.segments]
    kept += [document.title_span for document in parsed.documents if document.title_span]
    for line in split_lines(text):
        if line.blank:
            continue
        keeping = [span for span in kept if line.start <= span.start and span.end <= line.end]
        skipping = [span for span in parsed.skipped if span == line.span]
        assert len(keeping) + len(skipping) == 1, line.text
