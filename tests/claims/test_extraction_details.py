"""Gist, speaker names, pronoun chains, introducing dates and paragraph breaks (claimtracker_details)."""

import pytest

from claims.extraction.pipeline import load_nlp


@pytest.fixture(scope="module")
def extract():
    nlp = load_nlp()

    def run(text: str):
        doc = nlp(text)
        return doc, doc._.attributions

    return run


def by_speaker(attributions, speaker_text):
    (found,) = [a for a in attributions if a.speaker_text == speaker_text]
    return found


def test_a_long_indirect_content_is_cut_to_its_core(extract):
    text = (
        "The ministry said that the two suspects, who had been detained near the border late on Friday "
        "after a long chase through the forest, were planning to cross into the neighbouring country."
    )
    _, attributions = extract(text)
    gist = by_speaker(attributions, "The ministry").gist
    assert gist.startswith("the two suspects")
    assert "cross into the neighbouring country" in gist
    assert "forest" not in gist


def test_a_paraphrase_split_around_its_cue_is_summed_up_by_its_longest_part(extract):
    _, attributions = extract("The talks, the minister said, would resume in Geneva next week.")
    assert by_speaker(attributions, "the minister").gist == "would resume in Geneva next week"


def test_a_short_content_is_its_own_gist(extract):
    _, attributions = extract("The group claimed responsibility for the attack.")
    assert by_speaker(attributions, "The group").gist == "responsibility for the attack"


def test_the_name_inside_a_source_phrase_is_found(extract):
    _, attributions = extract(
        "Politician Alexander Khinstein said the police had stopped a car near the border."
    )
    assert attributions[0].speaker_name == "Alexander Khinstein"


def test_it_continues_the_body_that_spoke_just_before(extract):
    text = (
        "The Afghan branch of the movement claimed responsibility for the bombing. "
        "It said its fighters had attacked the police station."
    )
    _, attributions = extract(text)
    assert by_speaker(attributions, "It").speaker_resolved == "The Afghan branch of the movement"


def test_she_continues_the_person_who_spoke_just_before(extract):
    text = "Maria Lopez, a senior analyst, said the plan would fail. She said the budget was far too small."
    _, attributions = extract(text)
    assert by_speaker(attributions, "Maria Lopez, a senior analyst").speaker_name == "Maria Lopez"
    assert by_speaker(attributions, "She").speaker_resolved == "Maria Lopez, a senior analyst"


def test_a_quote_without_a_date_takes_the_date_of_the_sentence_that_introduced_it(extract):
    text = (
        "The warnings included a public alert from France on March 3. "
        "“Avoid large gatherings in the capital,” the embassy wrote on its website."
    )
    doc, attributions = extract(text)
    quote = by_speaker(attributions, "the embassy")
    assert [doc.text[start:end] for start, end in quote.date_expressions] == ["March 3"]


def test_the_countrys_mission_is_named_after_the_country_mentioned_last(extract):
    text = "The alert came from France on Monday. “Avoid crowds,” the country’s mission in the capital wrote."
    _, attributions = extract(text)
    assert by_speaker(attributions, "the country’s mission in the capital").speaker_resolved == (
        "France’s mission in the capital"
    )


def test_a_blank_line_ends_a_sentence_so_subheadings_stay_out_of_sources(extract):
    text = "Militants claim the attack\n\nThe group said it had carried out the attack on the hall."
    _, attributions = extract(text)
    assert any(a.speaker_text == "The group" for a in attributions)
    assert all("Militants claim" not in a.speaker_text for a in attributions)


def test_ages_are_not_dates_said(extract):
    doc, attributions = extract("“It was chaos,” the 51-year-old teacher said.")
    assert all("year-old" not in doc.text[s:e] for a in attributions for s, e in a.date_expressions)
