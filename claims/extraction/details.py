"""What the app needs about an attribution beyond its spans, read off the parse.

- `gist`: the content cut down to its core (subject, verb, object or complement, or a noun phrase), so a
  headline reads "FSB said they were going to cross into Ukraine", not a whole paragraph.
- `speaker_name`: the named entity inside the source ("Alexander Khinstein" in "Politician Alexander
  Khinstein"), so actors are named by their names and not by their roles.
- Pronoun sources continue the speaker of the attribution just before ("It said …" after "ISIS-K claimed
  …"), which is how news text refers back; possessive descriptions ("the country's mission") name the
  place or body mentioned last.
- A sentence without a date takes the date of the sentence that introduced the statement ("a public alert
  from the United States on March 8. '…,' the mission wrote.").

Also `claimtracker_paragraphs`: a blank line always ends a sentence, so a subheading never becomes part
of the next sentence's subject.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claims.extraction.model import Attribution

MAX_WHOLE_GIST_TOKENS = 10
MAX_PART_TOKENS = 7
MAX_CORE_DEPTH = 50  # clause levels a gist follows down the parse
NAMED_TYPES = ("PERSON", "ORG", "GPE", "NORP", "FAC")
PERSON_PRONOUNS = frozenset("he she him her".split())
GROUP_PRONOUNS = frozenset("it they we".split())
POSSESSIVE_DESCRIPTIONS = ("the country", "the group", "the organisation", "the organization", "the city")
SPEECH_NOUNS = frozenset(
    "alert warning statement announcement message post claim report advisory notice remarks comments"
    " interview speech address letter tweet communique".split()
)
AGE_OR_DURATION = re.compile(r"year-old|years? old|\b(?:for|over|within|the (?:past|next|last))\b", re.I)
PUBLICATION_NOUNS = frozenset("editorial article column op-ed commentary broadcast bulletin".split())
SENTENCES_BACK = 2  # how far back a pronoun may find the speaker it continues
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
OBJECT_DEPS = frozenset({"dobj", "attr", "acomp", "oprd", "xcomp", "ccomp", "dative"})
CLAUSE_DEPS = frozenset({"aux", "auxpass", "neg", "prt"})


@Language.factory("claimtracker_paragraphs")
def make_paragraph_breaks(nlp: Language, name: str) -> ParagraphBreaks:
    return ParagraphBreaks()


class ParagraphBreaks:
    """Runs before the parser: the token after a blank line starts a sentence."""

    def __call__(self, doc: Doc) -> Doc:
        for token in doc[:-1]:
            if token.is_space and token.text.count("\n") >= 2:
                doc[token.i + 1].is_sent_start = True
        return doc


@Language.factory("claimtracker_details")
def make_details(nlp: Language, name: str) -> AttributionDetails:
    return AttributionDetails()


class AttributionDetails:
    """Runs after `claimtracker_attributions` and fills in gist, speaker name, antecedents and dates."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        entity_at = {i: e for e in doc.ents if e.label_ in NAMED_TYPES for i in range(e.start, e.end)}
        previous: tuple[Attribution, bool] | None = (
            None  # the last attribution with a source, and if a person
        )
        for attribution in doc._.attributions or []:
            source = _span(doc, attribution.source)
            attribution.speaker_name = named_entity(source, entity_at)
            if source is not None:
                _resolve_reference(doc, source, attribution, previous)
                previous = (attribution, _is_person(source))
            attribution.gist = gist(doc, attribution)
            attribution.date_expressions = [
                (start, end)
                for start, end in attribution.date_expressions
                if not AGE_OR_DURATION.search(text[start:end])
            ] or introducing_dates(doc, attribution)
        return doc


def named_entity(source: Span | None, entity_at: dict[int, Span] | None = None) -> str:
    """The name the source phrase is headed by: "Alexander Khinstein" in "Politician Alexander Khinstein",
    "Moskovskiy Komsomolets" in "an editorial in the Moskovskiy Komsomolets". Names inside modifiers
    ("the country's mission in Moscow") are not the speaker, so they give nothing."""
    if source is None:
        return ""
    head = source.root
    if head.lemma_.lower() in SPEECH_NOUNS | PUBLICATION_NOUNS:
        # "a statement by X", "an editorial in X": the speaker is the object of the preposition.
        objects = [
            t for t in head.subtree if t.dep_ == "pobj" and (t.ent_type_ in NAMED_TYPES or t.pos_ == "PROPN")
        ]
        head = objects[0] if objects else head
    if entity_at is None:
        entity_at = {i: e for e in source.ents if e.label_ in NAMED_TYPES for i in range(e.start, e.end)}
    entity = entity_at.get(head.i)
    if entity is not None and not (source.start <= entity.start and entity.end <= source.end):
        entity = None
    if entity is not None:
        name = _with_first_name(entity)
    elif head.pos_ == "PROPN":
        name = _proper_noun_phrase(head)
    else:
        return ""
    return (name[:-1] if len(name) > 1 and name[-1].tag_ == "POS" else name).text


def _with_first_name(entity: Span) -> Span:
    """NER sometimes tags only a surname: "Alisher [Ilkhamov]". A capitalised word before a one-word name,
    not at the start of the sentence (where titles stand: "Politician Alexander …"), joins it."""
    before = entity.doc[entity.start - 1] if entity.start > 0 else None
    if (
        len(entity) == 1
        and before is not None
        and before.pos_ == "PROPN"
        and not before.ent_type_
        and not before.is_sent_start
    ):
        return entity.doc[entity.start - 1 : entity.end]
    return entity


def _proper_noun_phrase(head: Token) -> Span:
    """A name NER missed, as its phrase up to the first punctuation: "the Forum for Free Russia, an
    alliance …" gives "Forum for Free Russia"."""
    doc, start, end = head.doc, head.left_edge.i, head.i + 1
    while end < head.right_edge.i + 1 and not doc[end].is_punct:
        end += 1
    while start < head.i and doc[start].dep_ in {"det", "poss", "case"}:
        start += 1
    return doc[start:end]


def gist(doc: Doc, attribution: Attribution) -> str:
    """The content's core: short contents and quotes as they are, longer ones cut down along the parse."""
    pieces = [span for span in (_span(doc, [piece]) for piece in attribution.content) if span is not None]
    if not pieces:
        return ""
    if not attribution.is_direct_quote:
        # A paraphrase split around its cue ("But …, he said, … beyond Syria"): its longest part carries it.
        pieces = [max(pieces, key=len)]
    text = " … ".join(piece.text for piece in pieces)
    tokens = [token for piece in pieces for token in piece]
    if attribution.is_direct_quote or len(tokens) <= MAX_WHOLE_GIST_TOKENS:
        return text
    inside = {token.i for token in tokens}
    root = next((token for token in tokens if token.head.i not in inside or token.head == token), tokens[0])
    kept = _clause_core(root) if root.pos_ in {"VERB", "AUX"} else _phrase_core(root)
    return _join(doc, sorted(i for i in kept if i in inside))


def _join(doc: Doc, indices: list[int]) -> str:
    """Tokens in order; where words were left out between two tokens, a space still separates them."""
    words = []
    for index, next_index in zip(indices, [*indices[1:], None], strict=True):
        token = doc[index]
        words.append(token.text_with_ws if next_index == index + 1 else token.text + " ")
    return "".join(words).strip()


def introducing_dates(doc: Doc, attribution: Attribution) -> list[tuple[int, int]]:
    """DATE entities of the sentence before, when that sentence introduces a statement (alert, warning…)."""
    sentence = _span(doc, [attribution.sentence])
    if sentence is None or sentence.start == 0:
        return []
    before = doc[sentence.start - 1].sent
    if not any(token.lemma_.lower() in SPEECH_NOUNS for token in before):
        return []
    return [(entity.start_char, entity.end_char) for entity in before.ents if is_date_said(entity)]


def is_date_said(entity: Span) -> bool:
    """DATE entities that could say when something was said: not ages ("51-year-old") or durations."""
    return entity.label_ == "DATE" and not AGE_OR_DURATION.search(entity.text)


def _resolve_reference(
    doc: Doc, source: Span, attribution: Attribution, previous: tuple[Attribution, bool] | None
) -> None:
    head = source.root.lower_
    if len(source) == 1 and head in PERSON_PRONOUNS | GROUP_PRONOUNS:
        if previous is None:
            return
        earlier, earlier_is_person = previous
        # "he"/"she" continue a person, "it"/"they" a body or a place.
        if _within_sentences(doc, earlier, attribution) and earlier_is_person == (head in PERSON_PRONOUNS):
            # Continue the earlier speaker as the text named it; a pronoun passes on its own antecedent.
            earlier_is_pronoun = earlier.speaker_text.strip().lower() in PERSON_PRONOUNS | GROUP_PRONOUNS
            attribution.speaker_resolved = (
                earlier.speaker_resolved if earlier_is_pronoun else earlier.speaker_text
            )
        return
    lowered = source.text.lower()
    for description in POSSESSIVE_DESCRIPTIONS:
        if lowered.startswith(description + "’s") or lowered.startswith(description + "'s"):
            antecedent = _last_entity_before(
                doc, source.start, ("GPE",) if "country" in description else None
            )
            if antecedent:
                attribution.speaker_resolved = antecedent + source.text[len(description) :]
            return


def _is_person(source: Span) -> bool:
    """Judged by the source's head word: "The Afghan arm of … ISIS-K" is a body whatever NER says of its
    parts, "Nikolay Mitrokhin, research fellow …" a person."""
    return source.root.lower_ in PERSON_PRONOUNS or source.root.ent_type_ == "PERSON"


def _within_sentences(doc: Doc, previous: Attribution, current: Attribution) -> bool:
    sentence = _span(doc, [current.sentence])
    earlier = _span(doc, [previous.sentence])
    if sentence is None or earlier is None:
        return False
    starts = [s.start for s in doc.sents if earlier.start <= s.start <= sentence.start]
    return len(starts) - 1 <= SENTENCES_BACK


def _last_entity_before(doc: Doc, token_index: int, labels: tuple[str, ...] | None) -> str:
    wanted = labels or NAMED_TYPES
    entities = [e for e in doc.ents if e.end <= token_index and e.label_ in wanted]
    return entities[-1].text if entities else ""


def _clause_core(root: Token, depth: int = 0) -> set[int]:
    kept = {root.i}
    for child in root.children:
        if child.dep_ in CLAUSE_DEPS:
            kept.add(child.i)
        elif child.dep_ in SUBJECT_DEPS or child.dep_ in OBJECT_DEPS:
            kept |= _bounded_subtree(child, depth + 1)
    if not any(child.dep_ in OBJECT_DEPS for child in root.children):
        preposition = next((c for c in root.rights if c.dep_ in {"prep", "agent"}), None)
        if preposition is not None:
            kept |= _bounded_subtree(preposition, depth + 1)
    return kept


def _phrase_core(root: Token) -> set[int]:
    kept = _noun_core(root)
    preposition = next((c for c in root.rights if c.dep_ == "prep"), None)
    if preposition is not None:
        kept |= _bounded_subtree(preposition)
    return kept


def _bounded_subtree(token: Token, depth: int = 0) -> set[int]:
    """A dependent's words, or only its core when the whole would be too long."""
    subtree = _first_descendants(token, MAX_PART_TOKENS + 1)
    if len(subtree) <= MAX_PART_TOKENS:
        return subtree
    if depth >= MAX_CORE_DEPTH:
        # Only a run-on "sentence" thousands of words long nests this deep; stop before Python's stack does.
        return {token.i}
    if token.pos_ in {"VERB", "AUX"}:
        return _clause_core(token, depth)
    if token.dep_ in {"prep", "agent"}:
        objects = [c for c in token.children if c.dep_ in {"pobj", "pcomp"}]
        return {token.i}.union(*(_bounded_subtree(o, depth + 1) for o in objects))
    return _noun_core(token)


def _first_descendants(token: Token, limit: int) -> set[int]:
    """`token` and its descendants, at most `limit` of them: the whole subtree when it is smaller.

    Not `token.subtree`: spaCy walks it recursively, so it costs size times depth and overflows the stack on
    a hostile megabyte-long sentence.
    """
    found: set[int] = set()
    pending = [token]
    while pending and len(found) < limit:
        current = pending.pop()
        found.add(current.i)
        pending.extend(current.children)
    return found


def _noun_core(token: Token) -> set[int]:
    return {token.i} | {c.i for c in token.lefts if c.dep_ in {"det", "amod", "compound", "poss", "nummod"}}


def _span(doc: Doc, pieces: list[tuple[int, int]]) -> Span | None:
    if not pieces:
        return None
    start, end = pieces[0]
    return doc.char_span(start, end, alignment_mode="expand")
