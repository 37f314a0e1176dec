"""The attribution record every caller (app, tasks, benchmark) receives."""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]
KINDS = (
    "statement", "quote", "blame", "accusation", "denial", "warning", "responsibility_claim", "belief",
    "report", "confirmation", "insistence", "labelling",
)  # fmt: skip


@dataclass
class Attribution:
    """One attribution: who (source) said, with which words (cue), what (content).

    Spans are character offsets into the input text, end exclusive; a role may
    have several pieces (a quote split around "he said"). ``kind`` is one of
    KINDS; ``polarity`` is "deny" for negated or denying cues ("did not say",
    "denied"), else "assert"; ``confidence`` is the cue model's probability.
    """

    source: list[Span]
    cue: list[Span]
    content: list[Span]
    sentence: Span
    cue_lemma: str
    kind: str = "statement"
    polarity: str = "assert"
    is_direct_quote: bool = False
    speaker_text: str = ""
    speaker_resolved: str = ""
    date_expressions: list[Span] = field(default_factory=list)
    confidence: float = 0.0
    # Filled in by claimtracker_details: the content's core, and the name inside the source phrase.
    gist: str = ""
    speaker_name: str = ""

    def to_scorer_dict(self) -> dict[str, list[list[int]]]:
        """The three roles in the JSON shape the PolNeAR scorer reads."""
        return {
            "source": [list(span) for span in self.source],
            "cue": [list(span) for span in self.cue],
            "content": [list(span) for span in self.content],
        }
