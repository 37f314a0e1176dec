import datetime as dt

import pytest

from claims.headlines import build_headline, past_tense, shorten


@pytest.mark.parametrize(
    ("lemma", "past"),
    [
        ("say", "said"),
        ("warn", "warned"),
        ("deny", "denied"),
        ("blame", "blamed"),
        ("claim", "claimed"),
        ("stop", "stopped"),
        ("label", "labelled"),
        ("point out", "pointed out"),
        ("according to", "says"),
        ("refer", "referred"),
        ("statement", "said"),
        ("", "said"),
    ],
)
def test_cue_lemmas_become_past_tense_verbs(lemma, past):
    assert past_tense(lemma) == past


def test_headline_has_speaker_verb_and_gist():
    assert build_headline(speaker="Putin", cue_lemma="blame", gist="Ukraine") == "Putin blamed Ukraine"


def test_a_date_from_the_text_goes_after_the_verb_with_the_gist_in_brackets():
    headline = build_headline(
        speaker="US",
        cue_lemma="warn",
        gist="of imminent attacks on concerts",
        said_on=dt.date(2024, 3, 8),
    )
    assert headline == "US warned on 8 March (of imminent attacks on concerts)"


def test_without_a_date_from_the_text_the_headline_has_none():
    assert (
        build_headline(speaker="ISIS-K", cue_lemma="claim", gist="responsibility")
        == "ISIS-K claimed responsibility"
    )


@pytest.mark.parametrize(
    ("precision", "when"), [("day", "on 1 March"), ("month", "in March 1999"), ("year", "in 1999")]
)
def test_the_date_is_only_as_precise_as_the_text(precision, when):
    headline = build_headline(
        speaker="Putin", cue_lemma="say", gist="x", said_on=dt.date(1999, 3, 1), precision=precision
    )
    assert headline == f"Putin said {when} (x)"


def test_a_long_descriptive_speaker_is_cut_short():
    headline = build_headline(
        speaker="the 51-year-old teacher of Russian language and literature at a public school",
        cue_lemma="tell",
        gist="lax security",
    )
    assert headline == "the 51-year-old teacher of Russian language… told lax security"


def test_long_content_is_cut_to_its_first_words_and_quotes_are_closed():
    gist = shorten(
        "that “the attack was organised by Russian special services in order to blame Ukraine and more”"
    )
    assert gist == "“the attack was organised by Russian special services in order to blame…”"
