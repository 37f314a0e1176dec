"""Recognise photo captions by their credit: "… (Khalil Ashawi/Reuters)", "… [Parwiz/Reuters]",
"… Gaza Strip. MOHAMMED ABED/AFP/GETTY IMAGES", "… PHOTO: ARIEL HERMONI/ISRAEL MOD".

A credit is what makes a caption a caption: prose rarely ends with a bracketed "Name/Agency" or an all-caps
photographer credit, so lines without one stay in the prose even when they describe a picture.
"""

from __future__ import annotations

import re

from articles.parsing.lines import normalise, word_count

BRACKETED_CREDIT = re.compile(r"[\[(](?P<credit>[^\[\]()]{2,120})[\])]$")
PHOTO_WORDS = re.compile(
    r"\b(?:photo|photos|photograph|getty|images|handout|file|pool|courtesy)\b",
    re.IGNORECASE,
)
SLASHED_NAMES = re.compile(r"[^\W\d]\s?/\s?[^\W\d]")
LABELLED_CREDIT = re.compile(
    r"(?:^|(?<=[.!?”\"]\s))(?P<credit>(?:PHOTO|PHOTOGRAPH|IMAGE|PICTURE|CREDIT)S?:\s*\S.{1,120})$",
    re.IGNORECASE,
)
UPPERCASE_CREDIT = re.compile(
    r"(?<=[.!?”\"]\s)(?P<credit>[A-Z][A-Z0-9 .,&'’-]*(?:/\s?[A-Z0-9][A-Z0-9 .,&'’-]*)+)$"
)
MIN_CAPTION_WORDS = 5
MAX_CAPTION_WORDS = 120


def caption_credit(text: str) -> str | None:
    """The credit if the stripped line `text` is a photo caption, else None."""
    if not MIN_CAPTION_WORDS <= word_count(text) <= MAX_CAPTION_WORDS:
        return None
    match = BRACKETED_CREDIT.search(text)
    if match:
        credit = match["credit"].strip()
        described = text[: match.start()].strip()
        looks_like_credit = SLASHED_NAMES.search(credit) or " via " in credit or PHOTO_WORDS.search(credit)
        if credit[0].isupper() and looks_like_credit and word_count(described) >= MIN_CAPTION_WORDS - 1:
            return credit
        return None
    match = LABELLED_CREDIT.search(text) or UPPERCASE_CREDIT.search(text)
    return match["credit"].strip() if match else None


def caption_key(text: str) -> str:
    """What two copies of one caption share (sites often print a caption twice, in two casings)."""
    return normalise(text)
