"""Find who a cue attributes the content to, from the dependency parse."""

from __future__ import annotations

from spacy.tokens import Token

from claims.extraction.contents import PSYCH_LEMMAS, RAISING_LEMMAS
from claims.extraction.quotes import is_inside_quote

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
# Clauses that borrow their subject from the verb they hang on: "declined to comment",
# "..., saying", "and added", "who has called".
SUBJECT_FROM_HEAD = {"xcomp", "advcl", "conj", "acl", "pcomp", "ccomp", "prep"}
NOMINAL_SOURCE_PREPOSITIONS = {"from", "by", "of", "at"}
# Where the parser puts the speaker of an inverted '“…,” said Jane Doe, a spokeswoman'.
INVERSION_MARKS = {",", '"', "”", "''", ":"}
INVERTED_SPEAKER_DEPS = {"nsubj", "dobj", "npadvmod", "attr", "dep", "appos", "oprd"}


def _speaker_after(verb: Token) -> Token | None:
    """A name or noun right after an inverted verb ('…,” said Jane Doe'), which parsers often misattach."""
    if verb.i == 0 or verb.doc[verb.i - 1].text not in INVERSION_MARKS:
        return None
    return next(
        (
            child
            for child in verb.rights
            if child.dep_ in INVERTED_SPEAKER_DEPS and child.pos_ in {"PROPN", "NOUN", "PRON"}
        ),
        None,
    )


def _by_agent(cue: Token) -> Token | None:
    for child in cue.children:
        if child.dep_ == "agent":
            return next((grandchild for grandchild in child.children if grandchild.dep_ == "pobj"), None)
    return None


def _subject(verb: Token) -> Token | None:
    passive = any(child.dep_ in {"nsubjpass", "auxpass"} for child in verb.children)
    agent = _by_agent(verb)
    if agent is not None or passive:
        return agent
    return next((child for child in verb.children if child.dep_ in SUBJECTS), None)


def _according_to_source(cue: Token) -> Token | None:
    """'according to X': X is the object of 'to' (or of 'according' when the parse flattens it)."""
    for child in cue.children:
        if child.dep_ == "prep" and child.lower_ == "to":
            return next((obj for obj in child.children if obj.dep_ == "pobj"), None)
        if child.dep_ == "pobj":
            return child
    return None


def _nominal_source(cue: Token) -> Token | None:
    """'his decision', 'a statement from the ministry', 'the ministry's statement'."""
    for child in cue.children:
        if child.dep_ == "poss":
            return child
    for child in cue.children:
        if child.dep_ == "prep" and child.lower_ in NOMINAL_SOURCE_PREPOSITIONS:
            obj = next((obj for obj in child.children if obj.dep_ == "pobj"), None)
            if obj is not None and (obj.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} or obj.pos_ == "PROPN"):
                return obj
    if cue.dep_ in {"dobj", "attr"} and cue.head.pos_ in {"VERB", "AUX"}:
        return _subject(cue.head)
    return None


def find_source_head(cue: Token) -> Token | None:
    """The head token of the source phrase, or None when the text names no source."""
    if cue.lower_ == "according":
        return _according_to_source(cue)
    if cue.pos_ in {"NOUN", "PROPN"}:
        return _nominal_source(cue)
    if cue.pos_ == "ADP":
        return next((child for child in cue.children if child.dep_ == "pobj"), None)
    lemma = cue.lemma_.lower()
    if lemma in RAISING_LEMMAS:
        return _raising_source(cue)
    experiencer = next((child for child in cue.children if child.dep_ == "dobj"), None)
    if lemma in PSYCH_LEMMAS and experiencer is not None:
        return experiencer
    subject = _subject(cue)
    if subject is not None and is_inside_quote(subject) and not is_inside_quote(cue):
        return _speaker_after(cue)
    return _inherited_subject(cue) or _speaker_after(cue) or _speaker_before(cue)


def _raising_source(cue: Token) -> Token | None:
    """'seems to me' names its experiencer; 'appeared to blame …' its subject; 'seems risky' none."""
    for child in cue.children:
        if child.dep_ == "prep" and child.lower_ == "to":
            return next((obj for obj in child.children if obj.dep_ == "pobj"), None)
        if child.dep_ == "xcomp" and child.lemma_ not in {"be", "have"}:
            return _subject(cue)
    return None


def _speaker_before(cue: Token) -> Token | None:
    """The noun right before the cue when the parse left it unattached: '“…,” the strategist said'."""
    index = cue.i - 1
    while index >= cue.sent.start and cue.doc[index].dep_ in {"aux", "neg", "advmod"}:
        index -= 1
    token = cue.doc[index] if index >= cue.sent.start else None
    if token is not None and token.pos_ in {"PROPN", "NOUN", "PRON"} and not is_inside_quote(token):
        return token
    return None


def _inherited_subject(verb: Token) -> Token | None:
    """The verb's subject, or that of the clause it hangs on ("..., saying", "declined to comment")."""
    for _ in range(4):
        subject = _subject(verb)
        if subject is not None:
            return subject
        if verb.dep_ in {"relcl", "acl"}:
            return verb.head
        if verb.dep_ not in SUBJECT_FROM_HEAD or verb.head == verb:
            return None
        verb = verb.head
    return None
