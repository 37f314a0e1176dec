"""The entry points the app, the background tasks and the benchmark share."""

import json
import math

import pytest
import spacy

from claims.extraction import cues
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


def test_the_cue_finder_scores_exactly_the_candidate_tokens_and_the_rules_sign_the_rest(monkeypatch):
    """It reads string ids instead of tokens for speed; it must pick what `is_candidate` and the two rules
    (signature dash, speaker label) pick, on a text with a bit of everything."""
    nlp = load_nlp()
    finder = nlp.get_pipe("claimtracker_cues")
    text = (
        "PENCE: Well, look, the ministry said on Tuesday that “talks went well.” ― Stephanie Egan\n"
        "Mr. Trump’s campaign ACCUSED Moscow: the Kremlin denied it, according to Reuters — and analysts"
        " believe it. Zero people were hurt, and zero buildings. [File: a picture from 2015]\n"
    )
    with nlp.select_pipes(enable=nlp.pipe_names[: nlp.pipe_names.index("claimtracker_cues")]):
        doc = nlp(text)
    scored = []
    monkeypatch.setattr(cues, "context_features", lambda token, lemma: scored.append(token.i) or [])
    finder(doc)
    signed = [t.i for t in doc if cues.is_signature_dash(t) or cues.is_speaker_label(t)]
    assert signed and scored
    assert {
        index for index, confidence in doc.user_data[cues.CUES_KEY] if confidence == cues.SIGNATURE_CONFIDENCE
    } >= set(signed)
    assert scored == [t.i for t in doc if t.i not in signed and cues.is_candidate(t, finder.lexicon)]


def test_the_cue_finder_scores_a_token_by_all_its_features_with_its_sums_kept_or_emptied(monkeypatch):
    """Its summed weights of a word's own features and of its head's stand for the features themselves,
    also when they were emptied for growing big."""
    nlp = load_nlp()
    finder = nlp.get_pipe("claimtracker_cues")
    text = (
        "“We will win,” the minister said. The minister says so, and aides said it too. Police denied it. "
        "“Aides said it was over.” The minister said so. Police believe she said it. Aides know she said it."
    )
    with nlp.select_pipes(enable=nlp.pipe_names[: nlp.pipe_names.index("claimtracker_cues")]):
        doc = nlp(text)
    mask = cues.quote_mask(doc)
    candidates = [t for t in doc if cues.is_candidate(t, finder.lexicon)]
    assert len({(t.lemma, t.dep, t.head.lemma) for t in candidates}) < len(candidates)  # some sums are reused

    def from_features(token):
        score = 0.25 + sum(
            finder.weights.get(feature, 0.0) for feature in cues.token_features(token, mask[token.i])
        )
        return 1 / (1 + math.exp(-score))

    for max_cached in (cues.MAX_CACHED_STRINGS, 1):
        monkeypatch.setattr(cues, "MAX_CACHED_STRINGS", max_cached)
        finder._word_scores.clear()
        for token in candidates * 2:
            assert finder.probability(token, mask[token.i], 0.25) == pytest.approx(
                from_features(token), abs=1e-12
            )
        assert len(finder._word_scores) <= min(max_cached + 1, len(candidates))
