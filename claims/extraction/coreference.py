"""Name the speaker behind a pronoun or descriptive source ("he", "the group", "the Russian president").

Deliberately simple: the nearest preceding named entity whose type suits the
pronoun or noun, preferring entities that were grammatical subjects (speakers
more often than objects), expanded to the longest earlier mention of the same
name ("Trump" -> "Donald Trump").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span

NAMED_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
PERSON_WORDS = {"he", "him", "his", "she", "her", "hers", "i", "me", "my", "who", "whom"}
GROUP_WORDS = {"they", "them", "their", "we", "us", "our", "it", "its", "which"}
GROUP_NOUNS = {
    "group", "party", "ministry", "government", "company", "campaign", "committee", "agency",
    "administration", "department", "organization", "organisation", "office", "council", "court",
    "paper", "newspaper", "network", "channel", "report", "study", "poll", "survey", "country", "state",
    "army", "military", "union", "coalition", "movement", "team", "firm", "bank", "kremlin",
}  # fmt: skip
LOOKBACK_CHARACTERS = 3000
SUBJECTS = {"nsubj", "nsubjpass"}
PRONOUN_GENDER = {"he": "he", "him": "he", "his": "he", "she": "she", "her": "she", "hers": "she"}
GENDERS_KEY = "claimtracker_genders"
MENTIONS_KEY = "claimtracker_mentions"
HONORIFICS = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she", "sir": "he", "madam": "she"}


def wanted_types(source: Span) -> set[str] | None:
    """Entity types that could stand behind this source, or None when the source is already named."""
    if source.root.ent_type_ in NAMED_TYPES or source.root.pos_ == "PROPN":
        return None
    head = source.root.lower_
    if head in PERSON_WORDS:
        return {"PERSON"}
    if head in GROUP_WORDS:
        return (
            {"ORG", "GPE", "NORP", "PERSON"} if head in {"they", "them", "their"} else {"ORG", "GPE", "NORP"}
        )
    if source.root.pos_ in {"NOUN", "PRON"}:
        return {"ORG", "GPE", "NORP"} if head in GROUP_NOUNS else {"PERSON"}
    return None


def _name(entity: Span) -> str:
    """The entity's text without a possessive ending ("Trump’s" -> "Trump")."""
    return entity[:-1].text if len(entity) > 1 and entity[-1].tag_ == "POS" else entity.text


def _full_name(name: str, entities: list[Mention]) -> str:
    """The most frequent earlier full-name mention that contains this name ("Trump" -> "Donald Trump")."""
    mentions = Counter(e.name for e in entities if e.label == "PERSON" and name in e.name)
    return max(mentions, key=lambda mention: (" " in mention, mentions[mention], len(mention)), default=name)


@dataclass(frozen=True, slots=True)
class Mention:
    """A named entity with what the antecedent search asks of it, worked out once per document: every
    access to `doc.ents` builds its spans anew, and each source looks through all of them. No span is kept:
    one in `doc.user_data` would make a reference cycle, and the doc would outlive its use."""

    label: str
    name: str
    start: int
    end: int
    start_char: int
    surname: str  # the root's text, which `_genders` knows people by
    is_subject: bool  # a subject, or a name in apposition to one ("The chairman, Phil Lovas, said")


def _mentions(doc: Doc) -> list[Mention]:
    mentions = doc.user_data.get(MENTIONS_KEY)
    if mentions is None:
        mentions = doc.user_data[MENTIONS_KEY] = [_mention(entity) for entity in doc.ents]
    return mentions


def _mention(entity: Span) -> Mention:
    root = entity.root
    is_subject = root.dep_ in SUBJECTS or (root.dep_ == "appos" and root.head.dep_ in SUBJECTS)
    return Mention(
        entity.label_,
        _name(entity),
        entity.start,
        entity.end,
        entity.start_char,
        root.text,
        is_subject,
    )


def _gender(doc: Doc, surname: str) -> str | None:
    """'he' or 'she' when the document says so for this surname, else None (cached per doc)."""
    genders = doc.user_data.get(GENDERS_KEY)
    if genders is None:
        genders = doc.user_data[GENDERS_KEY] = _genders(doc)
    return genders.get(surname)


def _genders(doc: Doc) -> dict[str, str]:
    """Gender by surname: an honorific decides ("Mrs. Clinton"), else the pronouns after the mentions.

    News text refers back to a person with a pronoun soon after naming them, so
    the pronouns up to the end of the next sentence vote; a clear majority wins.
    """
    votes: dict[str, Counter[str]] = {}
    honorific: dict[str, str] = {}
    for entity in doc.ents:
        if entity.label_ != "PERSON":
            continue
        surname = entity.root.text
        title = doc[entity.start - 1].lower_.rstrip(".") if entity.start else ""
        if title in HONORIFICS:
            honorific.setdefault(surname, HONORIFICS[title])
        window = doc[entity.end : min(entity.sent.end + 25, len(doc))]
        votes.setdefault(surname, Counter()).update(
            PRONOUN_GENDER[t.lower_] for t in window if t.lower_ in PRONOUN_GENDER
        )
    genders = {
        surname: count.most_common(1)[0][0]
        for surname, count in votes.items()
        if count and count.most_common(1)[0][1] >= 2 * min(count["he"], count["she"]) + 1
    }
    return genders | honorific


def antecedent(doc: Doc, before: int, types: set[str], gender: str | None = None) -> Mention | None:
    """The nearest named entity (mention) of these types ending before token ``before``.

    Subjects come first, those of the same sentence before all ("Phil Lovas said he").
    With a gender ("he"/"she"), people known to be of the other one are skipped.
    """
    start_char = doc[before].idx if before < len(doc) else len(doc.text)
    earlier = [
        entity
        for entity in _mentions(doc)
        if entity.end <= before
        and entity.label in types
        and start_char - entity.start_char <= LOOKBACK_CHARACTERS
        and (gender is None or entity.label != "PERSON" or _gender(doc, entity.surname) in (gender, None))
    ]
    subjects = [entity for entity in earlier if entity.is_subject]
    same_sentence = []
    if subjects:
        sentence_start = doc[before].sent.start
        same_sentence = [
            entity for entity in subjects if doc[entity.start : entity.end].sent.start == sentence_start
        ]
    preferred = same_sentence or subjects or earlier
    return preferred[-1] if preferred else None


def resolve_speaker(source: Span) -> str:
    """The antecedent's name for pronoun/descriptive sources; the source text otherwise."""
    root = source.root
    if root.tag_ in {"WP", "WDT"} and root.head.dep_ == "relcl":  # "Smith, who said": Smith
        noun = root.head.head
        return resolve_speaker(source.doc[noun.left_edge.i : noun.i + 1])
    types = wanted_types(source)
    if types is None:
        return source.text
    # A description names someone other than the entities of its own sentence ("In a statement
    # quoted by UNIAN, the ministry said"); a pronoun may point back within it ("Putin said he").
    before = source.start if root.pos_ == "PRON" else source.sent.start
    chosen = antecedent(source.doc, before, types, PRONOUN_GENDER.get(root.lower_))
    if chosen is None:
        return source.text
    if chosen.label == "PERSON":
        return _full_name(chosen.name, [e for e in _mentions(source.doc) if e.end <= source.start])
    return chosen.name
