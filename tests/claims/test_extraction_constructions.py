"""Each construction the extractor must handle, as a small sentence with the expected spans."""

from __future__ import annotations

import pytest

from claims.extraction.model import Attribution
from claims.extraction.pipeline import extract_attributions


def pieces(text: str, spans: list[tuple[int, int]]) -> str:
    return " | ".join(text[start:end] for start, end in spans)


def attribution_with_cue(text: str, cue: str) -> Attribution:
    """The one attribution whose cue reads ``cue`` (fails with what was found otherwise)."""
    (attributions,) = extract_attributions([text])
    found = [a for a in attributions if pieces(text, a.cue) == cue]
    assert found, f"no cue {cue!r} among {[pieces(text, a.cue) for a in attributions]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "cue", "source", "content", "kind"),
    [
        (
            "The minister said the talks had failed.",
            "said",
            "The minister",
            "the talks had failed",
            "statement",
        ),
        (
            "Peskov claimed the sanctions were illegal.",
            "claimed",
            "Peskov",
            "the sanctions were illegal",
            "statement",
        ),
        (
            "The agency warned that prices would rise.",
            "warned",
            "The agency",
            "that prices would rise",
            "warning",
        ),
        (
            "The Kremlin denied that its troops were involved.",
            "denied",
            "The Kremlin",
            "that its troops were involved",
            "denial",
        ),
        ("Kyiv blamed Moscow for the attack.", "blamed", "Kyiv", "Moscow for the attack", "blame"),
        (
            "Zelensky accused Russia of war crimes.",
            "accused",
            "Zelensky",
            "Russia of war crimes",
            "accusation",
        ),
        (
            "The US believes the branch responsible is the Islamic State.",
            "believes",
            "The US",
            "the branch responsible is the Islamic State",
            "belief",
        ),
        ("Trump called the report a hoax.", "called", "Trump", "the report a hoax", "labelling"),
        (
            "The ministry confirmed that two soldiers were killed.",
            "confirmed",
            "The ministry",
            "that two soldiers were killed",
            "confirmation",
        ),
        ("Putin hinted that he could run again.", "hinted", "Putin", "that he could run again", "statement"),
        (
            "She insisted that she had done nothing wrong.",
            "insisted",
            "She",
            "that she had done nothing wrong",
            "insistence",
        ),
    ],
)
def test_reporting_verbs(text: str, cue: str, source: str, content: str, kind: str):
    attribution = attribution_with_cue(text, cue)
    assert pieces(text, attribution.source) == source
    assert pieces(text, attribution.content) == content
    assert attribution.kind == kind
    assert not attribution.is_direct_quote


def test_indirect_speech_with_and_without_that():
    for text in ("The minister said that the talks had failed.", "The minister said the talks had failed."):
        assert "the talks had failed" in pieces(text, attribution_with_cue(text, "said").content)


def test_direct_quote_before_the_cue():
    text = "“We will not surrender,” the president said."
    attribution = attribution_with_cue(text, "said")
    assert pieces(text, attribution.content) == "“We will not surrender,”"
    assert pieces(text, attribution.source) == "the president"
    assert attribution.is_direct_quote and attribution.kind == "quote"


def test_direct_quote_after_the_cue_with_straight_marks():
    text = 'The president said: "We will not surrender."'
    attribution = attribution_with_cue(text, "said")
    assert pieces(text, attribution.content) == '"We will not surrender."'


def test_quote_split_around_the_cue_is_one_attribution_with_two_pieces():
    text = "“We will not surrender,” he said, “and we will win.”"
    attribution = attribution_with_cue(text, "said")
    assert attribution.content == [(0, 24), (34, len(text))]


def test_quote_over_several_sentences_and_paragraphs():
    text = "“We will fight. We will not give up.\n\n“We will win,” Zelensky said in a video address."
    attribution = attribution_with_cue(text, "said")
    assert pieces(text, attribution.content) == text[: text.index(" Zelensky")]
    assert pieces(text, attribution.source) == "Zelensky"


def test_inverted_source_after_the_cue():
    text = '"We are ready," said Jane Smith, a spokeswoman for the company.'
    attribution = attribution_with_cue(text, "said")
    assert pieces(text, attribution.source).startswith("Jane Smith")
    assert pieces(text, attribution.content) == '"We are ready,"'


def test_partial_quotes_in_paraphrase_stay_in_the_content():
    text = 'He said the plan was "a disaster" and "a betrayal".'
    attribution = attribution_with_cue(text, "said")
    assert pieces(text, attribution.content) == 'the plan was "a disaster" and "a betrayal"'
    assert not attribution.is_direct_quote


@pytest.mark.parametrize(
    "text",
    [
        "According to the Pentagon, the strike killed 40 fighters.",
        "The strike killed 40 fighters, according to the Pentagon.",
    ],
)
def test_according_to(text: str):
    attribution = attribution_with_cue(text, text[text.lower().index("according") :][:12])
    assert pieces(text, attribution.source) == "the Pentagon"
    assert "the strike killed 40 fighters" in pieces(text, attribution.content).lower()
    assert attribution.kind == "report"


def test_told_a_news_outlet():
    text = "The commander told Al Jazeera that the city had fallen."
    attribution = attribution_with_cue(text, "told")
    assert pieces(text, attribution.source) == "The commander"
    assert pieces(text, attribution.content) == "that the city had fallen"


def test_statement_quoted_by_an_agency():
    text = "In a statement quoted by UNIAN, the ministry said the attack was repelled."
    attribution = attribution_with_cue(text, "said")
    assert pieces(text, attribution.source) == "the ministry"
    assert pieces(text, attribution.content) == "the attack was repelled"


def test_editorial_as_source():
    text = "An editorial in the Moskovskiy Komsomolets argued that the West was weakening."
    attribution = attribution_with_cue(text, "argued")
    assert pieces(text, attribution.source) == "An editorial in the Moskovskiy Komsomolets"


def test_passive_with_agent():
    text = "The move was described as blackmail by the Ukrainian foreign minister."
    attribution = attribution_with_cue(text, "was described")
    assert pieces(text, attribution.source) == "the Ukrainian foreign minister"
    assert pieces(text, attribution.content) == "The move | as blackmail"


def test_headline_colon():
    text = "Lewandowski: FBI director acted as judge and jury\n\nThe story."
    attribution = attribution_with_cue(text, ":")
    assert pieces(text, attribution.source) == "Lewandowski"
    assert pieces(text, attribution.content) == "FBI director acted as judge and jury"


def test_signed_quote():
    text = "“Mr. Trump is clueless about our struggles.” ― Stephanie Egan\n\nNext."
    attribution = attribution_with_cue(text, "―")
    assert pieces(text, attribution.source) == "Stephanie Egan"
    assert pieces(text, attribution.content) == "“Mr. Trump is clueless about our struggles.”"


def test_raising_verb_has_no_source():
    text = "The plan seems too risky to most economists."
    attribution = attribution_with_cue(text, "seems")
    assert attribution.source == []
    assert "The plan" in pieces(text, attribution.content)


def test_negated_cue_is_a_denial():
    text = "The spokesman did not say whether the troops would leave."
    attribution = attribution_with_cue(text, "did not say")
    assert attribution.polarity == "deny"


def test_date_of_the_statement():
    text = "Biden said on March 8 that the sanctions would stay."
    attribution = attribution_with_cue(text, "said")
    assert pieces(text, attribution.date_expressions) == "March 8"
    assert attribution.sentence == (0, len(text))
    assert 0.0 <= attribution.confidence <= 1.0


def test_sentences_without_attribution_give_nothing():
    (attributions,) = extract_attributions(["The bridge was built in 1932 and painted red."])
    assert attributions == []


def test_transcript_speaker_label():
    text = "WALLACE: Will she attend the debate?\n\nPENCE: Well, she will not be attending."
    attribution = attribution_with_cue(text, ":")
    assert pieces(text, attribution.source) == "WALLACE"
    assert pieces(text, attribution.content) == "Will she attend the debate?"


def test_source_does_not_run_into_the_dateline():
    text = "12:15 p.m.\n\nDonald Trump says the military has gone soft."
    attribution = attribution_with_cue(text, "says")
    assert pieces(text, attribution.source) == "Donald Trump"


def test_responsibility_claim():
    text = "ISIS-K claimed responsibility for the bombing."
    attribution = attribution_with_cue(text, "claimed")
    assert attribution.kind == "responsibility_claim"
    assert pieces(text, attribution.source) == "ISIS-K"


def test_quote_continued_after_the_cue_sentence():
    text = "“We will fight,” he said. “We will never give up.”\n\n“No,” she replied."
    attribution = attribution_with_cue(text, "said")
    assert pieces(text, attribution.content) == "“We will fight,” | “We will never give up.”"


def test_partial_quote_ending_the_paraphrase_keeps_its_closing_mark():
    text = "Spokeswoman Haley Morris says the candidate has “always run a lean campaign.”"
    attribution = attribution_with_cue(text, "says")
    assert pieces(text, attribution.content) == "the candidate has “always run a lean campaign.”"
    assert pieces(text, attribution.source) == "Spokeswoman Haley Morris"
