"""The model's lemmatizer with every lemma it finds kept, looked up on token arrays.

spaCy's rule lemmatizer keeps only the lemmas it derives by rule. A word it
returns as it is (a singular noun, a verb in its base form: most words) has
its morphology turned into a dict again at each occurrence, and every token
goes through a Python Token object: 0.4 s of the 12 s spaCy spends on 200
news articles. A lemma depends only on the word, its part of speech and its
morphology, so here each such triple is asked of the model's lemmatizer once
and looked up after that.

Deriving a lemma by rule checks each candidate form against the model's word
lists (57,528 adjectives, say) by scanning them: 0.1 ms a word, 1.6 s over
the words new to a fresh process. The lists become sets, which answer the
same; nothing else of the lemmatizer changes, so the lemmas are the model's
own (a test compares them on news text). This pipeline is never saved, so
the sets never meet spaCy's serialiser, which wants lists.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

MAX_CACHED_LEMMAS = 200_000


class CachingLemmatizer:
    """Ask `lemmatizer` the lemma of each (word, part of speech, morphology) once, and set it on every token
    that has no lemma yet (the attribute ruler gives some: "was" is "be")."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        if lemmatizer.lookups.has_table("lemma_index"):
            words = lemmatizer.lookups.get_table("lemma_index")
            for part_of_speech in list(words):
                words[part_of_speech] = frozenset(words[part_of_speech])
        # (word, part of speech, morphology) -> lemma, as string ids. Emptied when big: a worker meets new
        # words all the time.
        self.lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        lemmas = []
        for index, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemma and not self.lemmatizer.overwrite:
                lemmas.append(lemma)
                continue
            key = (orth, pos, morph)
            found = self.lemmas.get(key)
            if found is None:
                if len(self.lemmas) > MAX_CACHED_LEMMAS:
                    self.lemmas.clear()
                found = self.lemmas[key] = strings.add(self.lemmatizer.lemmatize(doc[index])[0])
            lemmas.append(found)
        doc.from_array([LEMMA], np.array(lemmas, dtype=np.uint64))
        return doc


@Language.factory("claimtracker_lemmas")
def make_caching_lemmatizer(nlp: Language, name: str) -> CachingLemmatizer:
    """The pipeline's "lemmatizer", kept (load_nlp removes it from the pipeline once this is added)."""
    return CachingLemmatizer(nlp.get_pipe("lemmatizer"))
