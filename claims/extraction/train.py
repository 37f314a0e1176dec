"""Rebuild the cue model from the PolNeAR train split: ``python -m claims.extraction.train``.

Logistic regression, trained by full-batch Adam in numpy: the data (one row
per candidate token, ~25 active features) fits in memory and the weights are
a readable feature -> weight JSON.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from claims.extraction.corpus import GoldDocument, read_split
from claims.extraction.cues import DEFAULT_MODEL_PATH, is_candidate, token_features
from claims.extraction.quotes import quote_mask

DEFAULT_TRAIN_DIR = Path("/work/shared/eval/polnear/train")
MIN_FEATURE_COUNT = 2
# A lemma enters the cue lexicon when it heads a cue at least twice and in at least 0.5% of its uses.
MIN_LEXICON_CUES = 2
MIN_LEXICON_RATE = 0.005


def cue_heads(doc: Doc, gold: GoldDocument) -> set[int]:
    """Token indices of the syntactic heads of the gold cue spans."""
    heads = set()
    for attribution in gold.attributions:
        start, end = attribution["cue"][0][0], attribution["cue"][-1][1]
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            heads.add(span.root.i)
    return heads


def mine_lexicon(docs: list[Doc], heads: list[set[int]]) -> frozenset[str]:
    """Lemmas that head gold cues often enough to be worth scoring."""
    as_cue: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for doc, doc_heads in zip(docs, heads, strict=True):
        for token in doc:
            if is_candidate(token):
                lemma = token.lemma_.lower()
                seen[lemma] += 1
                as_cue[lemma] += token.i in doc_heads
    return frozenset(
        lemma
        for lemma, count in as_cue.items()
        if count >= MIN_LEXICON_CUES and count / seen[lemma] >= MIN_LEXICON_RATE
    )


def examples(docs: list[Doc], heads: list[set[int]]) -> tuple[list[list[str]], np.ndarray, list[int]]:
    """Features and labels (1 = heads a gold cue) of every candidate token.

    Training sees all candidates, not only the lexicon's: the many easy
    negatives keep the model calibrated where the lexicon lets rare words in.
    """
    rows, vectors, labels = [], [], []
    for doc, doc_heads in zip(docs, heads, strict=True):
        mask = quote_mask(doc)
        for token in doc:
            if is_candidate(token):
                rows.append(token_features(token, mask[token.i]))
                vectors.append(doc.tensor[token.i])
                labels.append(int(token.i in doc_heads))
    return rows, np.array(vectors, dtype=np.float64), labels


def train_cue_model(docs: list[Doc], golds: list[GoldDocument]) -> dict[str, object]:
    """Mine the lexicon and fit the weights; the JSON payload of ``data/cue_model.json``."""
    heads = [cue_heads(doc, gold) for doc, gold in zip(docs, golds, strict=True)]
    lexicon = mine_lexicon(docs, heads)
    rows, vectors, labels = examples(docs, heads)
    weights, vector_weights = fit_logistic(rows, vectors, labels)
    return {
        "examples": len(rows),
        "positives": sum(labels),
        "lexicon": sorted(lexicon),
        "weights": weights,
        "vector_weights": vector_weights,
    }


def fit_logistic(
    rows: list[list[str]],
    vectors: np.ndarray,
    labels: list[int],
    l2: float = 1e-5,
    steps: int = 300,
    learning_rate: float = 0.05,
) -> tuple[dict[str, float], list[float]]:
    """Full-batch Adam on the mean log loss with a small L2 penalty.

    Returns the sparse feature weights and the weights of the dense part (the
    model's contextual token vector, which generalises to unseen cue words).
    """
    counts = Counter(feature for row in rows for feature in row)
    vocabulary = {
        feature: i for i, feature in enumerate(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT)
    }
    row_index, column_index = [], []
    for i, row in enumerate(rows):
        for feature in row:
            if (column := vocabulary.get(feature)) is not None:
                row_index.append(i)
                column_index.append(column)
    row_ids, column_ids = np.array(row_index), np.array(column_index)
    targets = np.array(labels, dtype=np.float64)
    sparse_size = len(vocabulary)
    weights = np.zeros(sparse_size + vectors.shape[1])
    first_moment, second_moment = np.zeros_like(weights), np.zeros_like(weights)
    for step in range(1, steps + 1):
        scores = np.bincount(row_ids, weights=weights[column_ids], minlength=len(rows))
        scores += vectors @ weights[sparse_size:]
        errors = 1.0 / (1.0 + np.exp(-scores)) - targets
        gradient = np.concatenate(
            [np.bincount(column_ids, weights=errors[row_ids], minlength=sparse_size), errors @ vectors]
        ) / len(rows)
        gradient += l2 * weights
        first_moment = 0.9 * first_moment + 0.1 * gradient
        second_moment = 0.999 * second_moment + 0.001 * gradient**2
        corrected = first_moment / (1 - 0.9**step) / (np.sqrt(second_moment / (1 - 0.999**step)) + 1e-8)
        weights -= learning_rate * corrected
    sparse = {
        feature: round(float(weights[i]), 4) for feature, i in vocabulary.items() if abs(weights[i]) >= 1e-3
    }
    return sparse, [round(float(w), 5) for w in weights[sparse_size:]]


def main(argv: list[str] | None = None) -> None:
    from claims.extraction.pipeline import BATCH_SIZE, load_nlp

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train-dir", type=Path, default=DEFAULT_TRAIN_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    args = parser.parse_args(argv)
    golds = list(read_split(args.train_dir))
    nlp = load_nlp(with_extractor=False)
    docs = list(nlp.pipe((gold.text for gold in golds), batch_size=BATCH_SIZE))
    model = train_cue_model(docs, golds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=0, sort_keys=True), encoding="utf-8")
    print(
        f"{model['examples']} candidate tokens, {model['positives']} cues, {len(model['lexicon'])} lemmas, "
        f"{len(model['weights'])} weights -> {args.out}"
    )


if __name__ == "__main__":
    main()
