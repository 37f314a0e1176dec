"""Pronoun and descriptive sources are resolved to the nearest plausible named antecedent."""

import pytest

from claims.extraction.pipeline import extract_attributions


def speakers(text: str) -> list[tuple[str, str]]:
    (attributions,) = extract_attributions([text])
    return [(a.speaker_text, a.speaker_resolved) for a in attributions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Vladimir Putin arrived in Minsk on Friday. He said the union was strong.",
            ("He", "Vladimir Putin"),
        ),
        ("Hamas fired rockets on Saturday. The group said it would retaliate.", ("The group", "Hamas")),
        (
            "Sergei Lavrov met reporters in Moscow. The Russian foreign minister said the talks were useful.",
            ("The Russian foreign minister", "Sergei Lavrov"),
        ),
        (
            "Donald Trump spoke in Ohio. Later Trump left. He said the polls were rigged.",
            ("He", "Donald Trump"),
        ),
    ],
)
def test_pronoun_and_descriptive_sources(text: str, expected: tuple[str, str]):
    assert expected in speakers(text)


def test_named_sources_stay_as_written():
    assert ("Angela Merkel", "Angela Merkel") in speakers("Angela Merkel said the euro was safe.")


def test_description_does_not_take_an_entity_of_its_own_sentence():
    text = "In a statement quoted by UNIAN, the ministry said the attack was repelled."
    assert ("the ministry", "the ministry") in speakers(text)
