"""Find cue words ("said", "according to", "accused", a headline colon) with a learned linear model.

The model is logistic regression over parse features of each token (lemma,
part of speech, dependency, children, nearby quotation marks) plus the
parser's own contextual token vector. Only words of a cue lexicon are scored
(lemmas that head cues in train), which keeps the component cheap. Both are
rebuilt from the PolNeAR train split by ``python -m claims.extraction.train``
and shipped as ``data/cue_model.json``: a lexicon alone cannot tell "called
him a liar" from "called the meeting", the parse context can.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from itertools import repeat
from pathlib import Path

import numpy as np
from spacy import parts_of_speech
from spacy.attrs import LEMMA, ORTH, POS
from spacy.language import Language
from spacy.tokens import Doc, Token

from claims.extraction.quotes import quote_mask

DEFAULT_MODEL_PATH = Path(__file__).parent / "data" / "cue_model.json"
CUES_KEY = "claimtracker_cues"
FIRST_LINE_BREAK_KEY = "claimtracker_first_line_break"
NEVER_CUES = {"PUNCT", "DET", "CCONJ", "PRON", "NUM", "SYM", "SPACE", "PART"}
QUOTE_TOKENS = {'"', "“", "”", "''", "``"}
WINDOW = 3
DASHES_AND_COLON = {":", "—", "―", "–", "--"}
SIGNATURE_CONFIDENCE = 0.9
MAX_LABEL_WORDS = 4
CHILD_WORD_DEPS = frozenset({"prep", "prt", "agent", "dative", "mark", "neg", "acomp", "auxpass"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})
SIGNATURE_DASHES = DASHES_AND_COLON - {":"}
MAX_CACHED_STRINGS = 100_000


def is_candidate(token: Token, lexicon: frozenset[str] | None = None) -> bool:
    """Tokens worth scoring: content words, prepositions (according to, in), colons and dashes.

    With a lexicon (lemmas mined from train), only its words: that keeps the
    scoring cheap (a fifth of the tokens) at little cost in recall.
    """
    if token.text in DASHES_AND_COLON:
        return True
    if token.pos_ in NEVER_CUES:
        return False
    return lexicon is None or token.lemma_.lower() in lexicon


def token_features(token: Token, in_quote: bool) -> list[str]:
    """Sparse string features for one candidate cue token: the word's own, its head's, its context's."""
    # Each attribute of a token is looked up in spaCy's string store anew: read each once.
    lemma = token.lemma_.lower()
    dep = token.dep_
    head = token.head
    return [
        *word_features(lemma, token.pos_, token.tag_, dep, token.ent_type_, in_quote),
        *head_features(lemma, dep, head.lemma_.lower(), head.pos_),
        *context_features(token, lemma),
    ]


def word_features(lemma: str, pos: str, tag: str, dep: str, entity: str, in_quote: bool) -> list[str]:
    """What the word is: lemma, part of speech, tag, dependency, entity type, inside a quote or not."""
    return [
        "bias",
        f"l={lemma}",
        f"p={pos}",
        f"t={tag}",
        f"d={dep}",
        f"l,t={lemma},{tag}",
        f"l,d={lemma},{dep}",
        f"ent={entity}",
        f"q={in_quote}",
        f"l,q={lemma},{in_quote}",
    ]


def head_features(lemma: str, dep: str, head_lemma: str, head_pos: str) -> list[str]:
    """What the word hangs from in the parse."""
    return [
        f"hl={head_lemma}",
        f"hp,d={head_pos},{dep}",
        f"l,hl={lemma},{head_lemma}",
        f"l,hp={lemma},{head_pos}",
    ]


def context_features(token: Token, lemma: str) -> list[str]:
    """The word's children, the quotation marks near it, its neighbours, its place in the sentence."""
    doc = token.doc
    features = []
    for child in token.children:
        child_dep = child.dep_
        features.append(f"c={child_dep}")
        features.append(f"l,c={lemma},{child_dep}")
        if child_dep in CHILD_WORD_DEPS:
            features.append(f"l,c,w={lemma},{child_dep},{child.lower_}")
        if child_dep in SUBJECT_DEPS:
            features.append(f"subj={child.ent_type_ or child.pos_}")
    for offset in range(1, WINDOW + 1):
        for direction, name in ((-1, "prev"), (1, "next")):
            index = token.i + direction * offset
            if 0 <= index < len(doc) and doc[index].text in QUOTE_TOKENS:
                features.append(f"{name}quote")
                features.append(f"l,{name}quote={lemma}")
    if token.i + 1 < len(doc):
        features.append(f"l,nx={lemma},{doc[token.i + 1].lower_}")
    if token.i > 0:
        features.append(f"pv,l={doc[token.i - 1].lower_},{lemma}")
    # Neither `token.sent` nor a scan of the tokens before: both cost the length of the text, so a hostile
    # megabyte line of colons would take hours.
    if token.is_sent_start or (token.i > 0 and doc[token.i - 1].is_sent_start):
        features.append("sentstart")
    if token.text == ":" and _first_line_break(doc) >= token.i:
        features.append("headline_colon")
    return features


def _first_line_break(doc: Doc) -> int:
    """Index of the first token holding a line break (len(doc) without one), found once per doc."""
    if FIRST_LINE_BREAK_KEY not in doc.user_data:
        doc.user_data[FIRST_LINE_BREAK_KEY] = next((t.i for t in doc if "\n" in t.text), len(doc))
    return doc.user_data[FIRST_LINE_BREAK_KEY]


def _neighbour(token: Token, step: int) -> Token | None:
    """The nearest non-space token before (step -1) or after (step 1)."""
    index = token.i + step
    while 0 <= index < len(token.doc) and token.doc[index].is_space:
        index += step
    return token.doc[index] if 0 <= index < len(token.doc) else None


def is_signature_dash(token: Token) -> bool:
    """The dash that signs a quote: '“Mr. Trump is clueless.” ― Stephanie Egan' (rare in train, so a rule)."""
    dash = token.text.lstrip('”"')
    if dash not in SIGNATURE_DASHES:
        return False
    previous, following = _neighbour(token, -1), _neighbour(token, 1)
    if following is None:
        return False
    after_quote = dash != token.text or (previous is not None and previous.text in {"”", '"'})
    return after_quote and following.is_title


def is_speaker_label(token: Token) -> bool:
    """The colon of a transcript line: 'PENCE: Well, look, …' (capitalised name opening the line)."""
    if token.text != ":":
        return False
    label = []
    previous = token.doc[token.i - 1] if token.i else None
    while previous is not None and "\n" not in previous.text and len(label) <= MAX_LABEL_WORDS:
        label.append(previous)
        previous = token.doc[previous.i - 1] if previous.i else None
    words = [t for t in label if t.is_alpha]
    return 0 < len(label) <= MAX_LABEL_WORDS and bool(words) and all(t.is_upper for t in words)


class CueFinder:
    """Score every candidate token and keep those above the threshold as cue heads."""

    def __init__(
        self,
        weights: dict[str, float],
        vector_weights: list[float],
        lexicon: frozenset[str],
        threshold: float,
    ) -> None:
        self.weights = weights
        self.vector_weights = np.array(vector_weights, dtype=np.float32)
        self.lexicon = lexicon
        self.threshold = threshold
        self._never_pos = {parts_of_speech.IDS[name] for name in NEVER_CUES}
        # By string id: whether a text may sign or label (a dash or colon), and whether it is a dash or colon;
        # whether a lemma is in the lexicon. Emptied when big: a worker meets new names all the time.
        self._texts: dict[int, tuple[bool, bool]] = {}
        self._lemmas: dict[int, bool] = {}
        # Summed weights of a word's own features and of its head's (see `probability`), by string ids.
        self._word_scores: dict[tuple[int, int, int, int, int, bool], float] = {}
        self._head_scores: dict[tuple[int, int, int, int], float] = {}

    def probability(self, token: Token, in_quote: bool, vector_score: float) -> float:
        """The model's probability that `token` heads a cue (its features are `token_features`), given the
        token vector's share of the score.

        Most candidates are a word seen before with the same tag and dependency, under a head seen before:
        the weights of the word's own features and of its head's are summed once for each.
        """
        head = token.head
        lemma = token.lemma_.lower()
        word = self._summed(
            self._word_scores,
            (token.lemma, token.pos, token.tag, token.dep, token.ent_type, in_quote),
            lambda: word_features(lemma, token.pos_, token.tag_, token.dep_, token.ent_type_, in_quote),
        )
        under = self._summed(
            self._head_scores,
            (token.lemma, token.dep, head.lemma, head.pos),
            lambda: head_features(lemma, token.dep_, head.lemma_.lower(), head.pos_),
        )
        score = vector_score + word + under + self._weight(context_features(token, lemma))
        return 1.0 / (1.0 + math.exp(-score))

    def _summed(self, sums: dict, key: tuple, features: Callable[[], list[str]]) -> float:
        """The summed weights kept in `sums` under `key`, from `features()` the first time."""
        found = sums.get(key)
        if found is None:
            if len(sums) > MAX_CACHED_STRINGS:
                sums.clear()
            found = sums[key] = self._weight(features())
        return found

    def _weight(self, features: list[str]) -> float:
        return sum(map(self.weights.get, features, repeat(0.0)))

    def __call__(self, doc: Doc) -> Doc:
        mask = quote_mask(doc)
        vector_scores = (doc.tensor @ self.vector_weights).tolist() if len(doc) else []
        cues = []
        # The tokens' attributes as string ids, not as Token objects with their strings: four in five tokens
        # are neither cues nor candidates, and making each one's strings cost more than scoring the rest.
        rows = doc.to_array([ORTH, POS, LEMMA]).tolist() if len(doc) else []
        for index, (orth, pos, lemma) in enumerate(rows):
            may_sign, dash_or_colon = self._text_kind(orth, doc)
            if may_sign and (is_signature_dash(doc[index]) or is_speaker_label(doc[index])):
                cues.append((index, SIGNATURE_CONFIDENCE))
            # `is_candidate` with this finder's lexicon
            elif dash_or_colon or (pos not in self._never_pos and self._in_lexicon(lemma, doc)):
                probability = self.probability(doc[index], mask[index], vector_scores[index])
                if probability >= self.threshold:
                    cues.append((index, probability))
        doc.user_data[CUES_KEY] = cues
        return doc

    def _text_kind(self, orth: int, doc: Doc) -> tuple[bool, bool]:
        kind = self._texts.get(orth)
        if kind is None:
            if len(self._texts) > MAX_CACHED_STRINGS:
                self._texts.clear()
            text = doc.vocab.strings[orth]
            kind = self._texts[orth] = (
                text == ":" or text.lstrip('”"') in SIGNATURE_DASHES,  # else neither rule can hold
                text in DASHES_AND_COLON,
            )
        return kind

    def _in_lexicon(self, lemma: int, doc: Doc) -> bool:
        known = self._lemmas.get(lemma)
        if known is None:
            if len(self._lemmas) > MAX_CACHED_STRINGS:
                self._lemmas.clear()
            known = self._lemmas[lemma] = doc.vocab.strings[lemma].lower() in self.lexicon
        return known


@Language.factory(
    "claimtracker_cues",
    default_config={"model_path": str(DEFAULT_MODEL_PATH), "threshold": 0.4},
)
def make_cue_finder(nlp: Language, name: str, model_path: str, threshold: float) -> CueFinder:
    model = json.loads(Path(model_path).read_text(encoding="utf-8"))
    return CueFinder(model["weights"], model["vector_weights"], frozenset(model["lexicon"]), threshold)
