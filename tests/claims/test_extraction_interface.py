"""The entry points the app, the background tasks and the benchmark share."""

import json

import spacy

from claims.extraction.evaluate import extract_dir_to_jsonl
from claims.extraction.pipeline import EXTRACTOR_COMPONENTS, extract_attributions, load_nlp


def test_components_are_registered_and_model_is_cached():
    nlp = load_nlp()
    assert load_nlp() is nlp
    assert all(name in nlp.pipe_names for name in EXTRACTOR_COMPONENTS)
    assert "claimtracker_cues" in spacy.registry.factories


def test_results_keep_input_order():
    texts = ["Nothing to see here.", "The mayor said the road would reopen.", ""]
    results = list(extract_attributions(texts))
    assert [len(r) for r in results] == [0, 1, 0]


def test_extract_dir_to_jsonl_writes_the_scorer_format(tmp_path):
    text = "“No comment,” the mayor said."
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Nothing here.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert extract_dir_to_jsonl(tmp_path, out) == 2
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc"] for r in records] == ["a", "b"]
    (attribution,) = records[1]["attributions"]
    assert {role: [text[start:end] for start, end in spans] for role, spans in attribution.items()} == {
        "source": ["the mayor"],
        "cue": ["said"],
        "content": ["“No comment,”"],
    }
