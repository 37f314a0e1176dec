"""Assemble attributions around each cue: source, content, kind, speaker, dates.

Sets ``doc._.attributions`` (a list of ``Attribution``); the cue finder and
the quote marker must run first.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claims.extraction.contents import adjacent_quotes, continuing_quote, syntactic_content
from claims.extraction.coreference import resolve_speaker
from claims.extraction.cues import CUES_KEY, QUOTE_TOKENS, is_signature_dash
from claims.extraction.model import Attribution
from claims.extraction.quotes import QUOTES_KEY
from claims.extraction.sources import find_source_head

CUE_MODIFIERS = {"aux", "auxpass", "neg", "prt"}
# Longer "sentences" are run-on text (a megabyte line of pasted data), not prose: each cue there would cost
# time in proportion to the sentence, so the whole line quadratic, for attributions nobody could use.
MAX_SENTENCE_TOKENS = 500
CUE_FOLLOWERS = {"to", "for", "about", "against"}
EDGE_PUNCTUATION = {",", ".", ";", ":", "—", "–", "-", "(", ")"}
KIND_BY_LEMMA = {
    "blame": "blame",
    "accuse": "accusation",
    "charge": "accusation",
    "allege": "accusation",
    "deny": "denial",
    "reject": "denial",
    "dismiss": "denial",
    "refute": "denial",
    "warn": "warning",
    "caution": "warning",
    "threaten": "warning",
    "believe": "belief",
    "think": "belief",
    "feel": "belief",
    "suspect": "belief",
    "fear": "belief",
    "hope": "belief",
    "expect": "belief",
    "report": "report",
    "accord": "report",  # "according to"
    "confirm": "confirmation",
    "insist": "insistence",
    "call": "labelling",
    "describe": "labelling",
    "label": "labelling",
}
DENYING_LEMMAS = {"deny", "reject", "dismiss", "refute"}
DATE_LABELS = {"DATE", "TIME"}
LINE_BREAKS_KEY = "claimtracker_line_breaks"

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


def cue_tokens(cue: Token) -> set[int]:
    """The cue word with its auxiliaries, negation and particles ("has not backed down"), and the
    preposition right after it that PolNeAR counts in ("according to", "called for", "talked about").
    """
    tokens = {cue.i} | {child.i for child in cue.children if child.dep_ in CUE_MODIFIERS}
    following = cue.doc[cue.i + 1] if cue.i + 1 < len(cue.doc) else None
    if following is not None and following.head == cue and following.lower_ in CUE_FOLLOWERS:
        tokens.add(following.i)
    return tokens


def line_bounds(token: Token) -> tuple[int, int]:
    """Token range of the line (paragraph) holding this token; line breaks are indexed once per doc."""
    doc = token.doc
    breaks = doc.user_data.get(LINE_BREAKS_KEY)
    if breaks is None:
        breaks = doc.user_data[LINE_BREAKS_KEY] = [t.i for t in doc if "\n" in t.text]
    position = bisect.bisect_left(breaks, token.i)
    start = breaks[position - 1] + 1 if position else 0
    end = breaks[position] if position < len(breaks) else len(doc)
    return start, end


def source_tokens(source: Token, cue: Token) -> set[int]:
    """The source phrase, within its line (parses glue datelines and timestamps onto names).

    For a relative clause ("Smith, who said") only the noun phrase before it.
    """
    line_start, line_end = line_bounds(source)
    if source in cue.ancestors:
        return set(range(max(source.left_edge.i, line_start), source.i + 1))
    return {token.i for token in source.subtree if line_start <= token.i < line_end}


def to_char_spans(doc: Doc, indices: Iterable[int], strip: bool = True) -> list[tuple[int, int]]:
    """Merge token indices into character spans, dropping spaces and (optionally) edge punctuation."""
    runs: list[list[Token]] = []
    for index in sorted(indices):
        token = doc[index]
        if runs and index == runs[-1][-1].i + 1:
            runs[-1].append(token)
        else:
            runs.append([token])
    spans = []
    for run in runs:
        while run and (run[0].is_space or (strip and run[0].text in EDGE_PUNCTUATION)):
            run.pop(0)
        while run and (run[-1].is_space or (strip and run[-1].text in EDGE_PUNCTUATION)):
            run.pop()
        if run:
            spans.append((run[0].idx, run[-1].idx + len(run[-1].text)))
    return spans


def punctuation_roles(cue: Token, quotes: list[Span]) -> tuple[set[int], set[int]]:
    """Source and content around a colon or dash cue, within its line.

    'Lewandowski: FBI director acted as judge' (the words before the colon said
    those after it) or '“He is clueless.” ― Stephanie Egan' (a quote signed
    after a dash).
    """
    line_start, line_end = line_bounds(cue)
    before = set(range(line_start, cue.i))
    after = set(range(cue.i + 1, line_end))
    if not is_signature_dash(cue):
        return before, after
    signed = [quote for quote in quotes if quote.start < cue.i and cue.i - 1 <= quote.end <= cue.i + 1]
    return after, set(range(signed[-1].start, signed[-1].end)) if signed else before


def roles(cue: Token, quotes: list[Span]) -> tuple[set[int], set[int], set[int], bool]:
    """Cue, source and content token indices, and whether the content is a direct quote."""
    if cue.is_punct:
        source, content = punctuation_roles(cue, quotes)
        signed_quote = bool(content) and cue.doc[min(content)].text in QUOTE_TOKENS
        return {cue.i}, source, content, signed_quote
    cue_part = cue_tokens(cue)
    source_head = find_source_head(cue)
    source = source_tokens(source_head, cue) if source_head is not None else set()
    content = syntactic_content(cue)
    sentence = cue.sent
    quoted = adjacent_quotes(quotes, cue_part | source, cue)
    quote_tokens = {i for quote in quoted for i in range(quote.start, quote.end)}
    is_direct_quote = bool(quoted) and content <= quote_tokens
    if is_direct_quote and all(quote.end <= cue.i for quote in quoted):
        cue_heads = {index for index, _ in cue.doc.user_data[CUES_KEY]}
        if (continuation := continuing_quote(cue, quotes, cue_heads)) is not None:
            quote_tokens |= set(range(continuation.start, continuation.end))
    if is_direct_quote:
        content = quote_tokens
    else:
        line_start, line_end = line_bounds(cue)
        content = {i for i in content if line_start <= i < line_end}
        for (
            quote
        ) in quotes:  # a partial quote ends with its closing mark: 'has “always run a lean campaign.”'
            if quote.start in content:
                content |= set(range(quote.start, quote.end))
    if not content:
        content = {t.i for t in sentence} - cue_part - source
    return cue_part, source, content - cue_part - source, is_direct_quote


def kind_and_polarity(cue: Token, is_direct_quote: bool) -> tuple[str, str]:
    """What sort of claim the cue makes, and whether it is negated ("did not say", "denied")."""
    lemma = cue.lemma_.lower()
    negated = any(child.dep_ == "neg" for child in cue.children)
    polarity = "deny" if negated != (lemma in DENYING_LEMMAS) else "assert"
    kind = KIND_BY_LEMMA.get(lemma, "quote" if is_direct_quote else "statement")
    if lemma == "claim" and any(t.lower_ == "responsibility" for t in cue.subtree):
        kind = "responsibility_claim"
    return kind, polarity


def date_expressions(sentence: Span, dates: list[Span], content: set[int]) -> list[tuple[int, int]]:
    """When it was said: the DATE/TIME entities of the cue's sentence outside the content."""
    return [
        (entity.start_char, entity.end_char)
        for entity in dates
        if sentence.start <= entity.start < sentence.end and not any(t.i in content for t in entity)
    ]


def build_attribution(cue: Token, probability: float, quotes: list[Span], dates: list[Span]) -> Attribution:
    """The full record for one cue, with character offsets into the document text."""
    doc = cue.doc
    cue_part, source, content, is_direct_quote = roles(cue, quotes)
    # The source span keeps the commas closing an apposition (as PolNeAR marks it); the speaker does not.
    speaker_spans = to_char_spans(doc, source)
    speaker_text = " ".join(doc.char_span(start, end).text for start, end in speaker_spans)
    speaker_resolved = speaker_text
    if speaker_spans:
        span = doc.char_span(speaker_spans[0][0], speaker_spans[-1][1], alignment_mode="expand")
        speaker_resolved = resolve_speaker(span) if span is not None else speaker_text
    kind, polarity = kind_and_polarity(cue, is_direct_quote)
    sentence = cue.sent
    return Attribution(
        source=to_char_spans(doc, source, strip=False),
        cue=to_char_spans(doc, cue_part, strip=not cue.is_punct),
        content=to_char_spans(doc, content, strip=not is_direct_quote),
        sentence=(sentence.start_char, sentence.end_char),
        cue_lemma=cue.lemma_.lower(),
        kind=kind,
        polarity=polarity,
        is_direct_quote=is_direct_quote,
        speaker_text=speaker_text,
        speaker_resolved=speaker_resolved,
        date_expressions=date_expressions(sentence, dates, content),
        confidence=round(probability, 3),
    )


class AttributionAssembler:
    """Build an attribution around every cue; a cue that names no source must be surer.

    Verbs without a source are often not attributions at all ("the plan
    calls for ..."), so they need ``sourceless_threshold`` rather than the
    cue finder's threshold (+0.4 whole F1 on dev, neutral on train).
    """

    def __init__(self, sourceless_threshold: float) -> None:
        self.sourceless_threshold = sourceless_threshold

    def __call__(self, doc: Doc) -> Doc:
        quotes = list(doc.spans.get(QUOTES_KEY, []))
        dates = [entity for entity in doc.ents if entity.label_ in DATE_LABELS]
        run_on = [(s.start, s.end) for s in doc.sents if len(s) > MAX_SENTENCE_TOKENS]
        attributions = (
            build_attribution(doc[index], probability, quotes, dates)
            for index, probability in doc.user_data[CUES_KEY]
            if not _inside_any(index, run_on)
        )
        doc._.attributions = [
            attribution
            for attribution in attributions
            if attribution.source or attribution.confidence >= self.sourceless_threshold
        ]
        return doc


def _inside_any(index: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether `index` falls in one of the sorted, disjoint [start, end) `ranges`."""
    position = bisect.bisect_right(ranges, (index, float("inf"))) - 1
    return position >= 0 and index < ranges[position][1]


@Language.factory("claimtracker_attributions", default_config={"sourceless_threshold": 0.6})
def make_attribution_assembler(nlp: Language, name: str, sourceless_threshold: float) -> AttributionAssembler:
    return AttributionAssembler(sourceless_threshold)
