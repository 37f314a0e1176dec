"""The array attribute ruler annotates exactly as spaCy's AttributeRuler does with the same rules."""

from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler

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
    """The extraction pipeline, and the same pipeline with the model's own attribute ruler."""
    ours = load_nlp(with_extractor=False)
    stock = spacy.load(MODEL_NAME)
    stock.add_pipe("claimtracker_paragraphs", before="parser")
    return stock, ours


def test_the_pipeline_uses_the_array_ruler_in_place_of_the_models(pipelines):
    _, ours = pipelines
    assert "attribute_ruler" not in ours.pipe_names
    assert ours.pipe_names.index("claimtracker_attribute_rules") == ours.pipe_names.index("parser") + 1


def test_the_models_rules_give_the_same_annotations_on_news_and_contractions(pipelines):
    stock, ours = pipelines
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))] + [CONTRACTIONS]
    compared = 0
    for expected, found in zip(stock.pipe(texts), ours.pipe(texts), strict=True):
        assert found.to_array(ANNOTATIONS).tolist() == expected.to_array(ANNOTATIONS).tolist()
        compared += len(found)
    assert compared > 10_000


RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
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
]


def test_any_rules_give_the_same_annotations_readable_or_not(pipelines):
    _, ours = pipelines
    stock_ruler = AttributeRuler(ours.vocab)
    stock_ruler.add_patterns(RULES)
    ruler = AttributeRuler(ours.vocab)
    ruler.add_patterns(RULES)
    array_ruler = ArrayAttributeRuler(ruler)
    assert len(array_ruler.unreadable) == 2
    texts = ["The cats does not sleep; a dog is very very tall and happy.", "Dog", "", "cats do not"]
    with ours.select_pipes(
        disable=["claimtracker_attribute_rules", "lemmatizer", "ner", "claimtracker_quotes"]
    ):
        for text in texts:
            expected, found = ours(text), ours(text)
            assert array_ruler.match(found) == stock_ruler.match(expected)
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
