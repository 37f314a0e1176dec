"""The faster stand-ins for two of the model's components annotate exactly as the model's own do: the array
attribute ruler as spaCy's AttributeRuler with the same rules, the caching lemmatizer as the model's."""

from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler

from claims.extraction import lemmas
from claims.extraction.attribute_rules import ArrayAttributeRuler, compile_token
from claims.extraction.pipeline import MODEL_NAME, load_nlp

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
CONTRACTIONS = (
    "We're gonna win, y'all ain't ready. C'mon, I'm doin' nothin' about it, let's go, I gotta get 'em.\n\n"
    "There's a man who did it. Did he do his homework? Ol' Bill said somethin'. You know it's true.\n"
    "  \n"
)
ANNOTATIONS = [TAG, POS, MORPH, LEMMA, DEP]


@pytest.fixture(scope="module")
def pipelines():
    """The pipeline with the model's own attribute ruler and lemmatizer, and the extraction pipeline."""
    ours = load_nlp(with_extractor=False)
    stock = spacy.load(MODEL_NAME)
    stock.add_pipe("claimtracker_paragraphs", before="parser")
    return stock, ours


def test_the_pipeline_uses_the_stand_ins_in_place_of_the_models_components(pipelines):
    stock, ours = pipelines
    assert ours.pipe_names[: len(stock.pipe_names)] == [
        {"attribute_ruler": "claimtracker_attribute_rules", "lemmatizer": "claimtracker_lemmas"}.get(
            name, name
        )
        for name in stock.pipe_names
    ]


def news_and_contractions() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))] + [CONTRACTIONS]


def test_the_pipeline_annotates_news_and_contractions_as_the_model_does(pipelines):
    stock, ours = pipelines
    compared = 0
    for expected, found in zip(
        stock.pipe(news_and_contractions()), ours.pipe(news_and_contractions()), strict=True
    ):
        assert found.to_array(ANNOTATIONS).tolist() == expected.to_array(ANNOTATIONS).tolist()
        compared += len(found)
    assert compared > 10_000


def test_lemmas_stay_the_models_when_the_cache_is_emptied_as_it_fills(pipelines, monkeypatch):
    stock, ours = pipelines
    monkeypatch.setattr(lemmas, "MAX_CACHED_LEMMAS", 3)
    ours.get_pipe("claimtracker_lemmas").lemmas.clear()
    for expected, found in zip(
        stock.pipe(news_and_contractions()), ours.pipe(news_and_contractions()), strict=True
    ):
        assert [t.lemma_ for t in found] == [t.lemma_ for t in expected]
    assert len(ours.get_pipe("claimtracker_lemmas").lemmas) <= 4


RULES = [
    # A tag map: applied as columns, the second rule adding to the first.
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"LEMMA": "thing"}},
    {"patterns": [[{"LOWER": "cats", "TAG": "NNS"}]], "attrs": {"LEMMA": "feline"}},
    {"patterns": [[{"LOWER": {"IN": ["the", "a"]}}]], "attrs": {"POS": "DET"}},
    {
        "patterns": [[{"TAG": {"NOT_IN": ["NN", "NNS", "DT"]}, "IS_ALPHA": True}]],
        "attrs": {"MORPH": "Foo=Bar"},
    },
    {
        "patterns": [[{"lower": {"REGEX": "^do(es)?$"}}, {"TEXT": "not"}]],
        "attrs": {"LEMMA": "negation"},
        "index": 1,
    },
    {"patterns": [[{"IS_PUNCT": True}]], "attrs": {"POS": "PUNCT"}},
    # Not readable as arrays (an operator, a comparison): left to a Matcher, in the same order.
    {"patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], "attrs": {"LEMMA": "intense"}, "index": -1},
    {"patterns": [[{"LENGTH": {">=": 5}}]], "attrs": {"POS": "X"}},
    {"patterns": [[{"TAG": "NN"}], [{"ORTH": "dog"}]], "attrs": {"LEMMA": "overridden"}},
    # A tag rule after the others: it comes after them still, overriding "feline".
    {"patterns": [[{"TAG": "NNS"}]], "attrs": {"LEMMA": "plural"}},
]


def test_any_rules_give_the_same_annotations_readable_or_not(pipelines):
    _, ours = pipelines
    stock_ruler = AttributeRuler(ours.vocab)
    stock_ruler.add_patterns(RULES)
    ruler = AttributeRuler(ours.vocab)
    ruler.add_patterns(RULES)
    array_ruler = ArrayAttributeRuler(ruler)
    assert (array_ruler.tag_map_rules, len(array_ruler.unreadable)) == (2, 2)
    texts = ["The cats does not sleep; a dog is very very tall and happy.", "Dog", "", "cats do not"]
    with ours.select_pipes(
        disable=["claimtracker_attribute_rules", "claimtracker_lemmas", "ner", "claimtracker_quotes"]
    ):
        for text in texts:
            expected, found = ours(text), ours(text)
            after_tag_map = [match for match in stock_ruler.match(expected) if match[0] >= 2]
            assert array_ruler.match(found) == after_tag_map
            stock_ruler(expected)
            array_ruler(found)
            assert found.to_array(ANNOTATIONS).tolist() == expected.to_array(ANNOTATIONS).tolist()


@pytest.mark.parametrize(
    "spec",
    [
        {"LOWER": "x", "OP": "?"},
        {"LENGTH": 3},
        {"LOWER": {"IN": ["a"], "NOT_IN": ["b"]}},
        {"POS": "NOUN"},
        {},
    ],
)
def test_token_conditions_outside_the_plain_forms_are_not_compiled(spec):
    assert compile_token(spec) is None
