"""A claim as a reader would say it in a list: speaker, verb, gist, and the date when known.

"Putin blamed Ukraine", "ISIS-K claimed responsibility", "US warned on 8 March (of imminent attacks on
concerts)". The gist comes from the parse (the extractor's `gist`: object or complement head with its
target entities); without one, the content's first words stand in.
"""

from __future__ import annotations

import datetime as dt
import re

MAX_GIST_WORDS = 12
MAX_HEADLINE_CHARS = 300
MAX_SPEAKER_WORDS = 6

IRREGULAR_PAST = {
    "say": "said",
    "tell": "told",
    "write": "wrote",
    "think": "thought",
    "hold": "held",
    "speak": "spoke",
    "feel": "felt",
    "know": "knew",
    "find": "found",
    "see": "saw",
    "show": "showed",
    "make": "made",
    "put": "put",
    "read": "read",
    "give": "gave",
    "take": "took",
    "mean": "meant",
    "according to": "says",
    "accord": "says",
    "quote": "quoted",
    "label": "labelled",
    "signal": "signalled",
}
DOUBLED_FINAL = frozenset("refer prefer infer confer occur admit commit omit permit submit regret".split())
NOUN_CUES = {  # a nominal cue reads as the verb it stands for
    "statement": "said",
    "comment": "said",
    "remark": "said",
    "claim": "claimed",
    "warning": "warned",
    "denial": "denied",
    "accusation": "accused",
    "report": "reported",
    "editorial": "wrote",
    "interview": "said",
    "view": "thinks",
    "belief": "believes",
    "allegation": "alleged",
}


def past_tense(lemma: str) -> str:
    """Past tense of a cue lemma ("warn" → "warned", "deny" → "denied"); phrasal parts are kept."""
    lemma = lemma.strip().lower()
    if not lemma:
        return "said"
    if lemma in IRREGULAR_PAST:
        return IRREGULAR_PAST[lemma]
    if lemma in NOUN_CUES:
        return NOUN_CUES[lemma]
    verb, _, particle = lemma.partition(" ")
    if verb in IRREGULAR_PAST:
        past = IRREGULAR_PAST[verb]
    elif verb.endswith("e"):
        past = verb + "d"
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        past = verb[:-1] + "ied"
    elif (re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb) and len(verb) <= 4) or verb in DOUBLED_FINAL:
        past = verb + verb[-1] + "ed"  # "stop" → "stopped", "refer" → "referred", but "warn" → "warned"
    else:
        past = verb + "ed"
    return f"{past} {particle}".strip()


def shorten(text: str, max_words: int = MAX_GIST_WORDS) -> str:
    """The first words of `text` without a leading "that", closing punctuation or dangling quote marks."""
    text = " ".join(text.split())
    text = re.sub(r"^(that|whether|if)\s+", "", text, flags=re.IGNORECASE)
    words = text.split()
    if len(words) > max_words:
        text = " ".join(words[:max_words]).rstrip(",;:–—-") + "…"
    text = text.rstrip(".,;: ")
    if text.count("“") > text.count("”"):
        text += "”"
    if text.count('"') % 2:
        text += '"'
    return text


def when_said(date: dt.date, precision: str) -> str:
    """ "on 8 March", "in March 2023", "in 1999": only as precise as the text was."""
    if precision == "year":
        return f"in {date.year}"
    if precision == "month":
        return f"in {date:%B %Y}"
    if precision == "week":
        return f"in the week of {date.day} {date:%B}"
    return f"on {date.day} {date:%B}"


def build_headline(
    *,
    speaker: str,
    cue_lemma: str,
    gist: str,
    said_on: dt.date | None = None,
    precision: str = "day",
) -> str:
    """Speaker, verb and gist, with the date the text gave (if any): "US warned on 8 March (of …)"."""
    verb = past_tense(cue_lemma)
    speaker = shorten(speaker.split(",")[0], MAX_SPEAKER_WORDS) if speaker else "Unattributed"
    gist = shorten(gist)
    when = f" {when_said(said_on, precision)}" if said_on else ""
    if when and gist:
        headline = f"{speaker} {verb}{when} ({gist})"
    else:
        headline = f"{speaker} {verb}{when} {gist}".strip()
    return headline[:MAX_HEADLINE_CHARS]
