"""Find what a cue attributes: an adjacent direct quote, or the clause or phrase the parse hangs on it."""

from __future__ import annotations

from spacy.tokens import Span, Token

CLAUSE_DEPS = ("ccomp", "xcomp")
OBJECT_DEPS = ("dobj", "oprd", "attr", "acomp", "dative")
CONTENT_PREPOSITIONS = {"about", "on", "of", "for", "against", "over", "as", "to", "with", "that"}
OBJECT_COMPLEMENT_PREPOSITIONS = {"of", "for", "as"}
NOMINAL_CONTENT_DEPS = {"acl", "ccomp", "relcl", "appos"}
# Cues that are modifiers of the clause they attribute: "according to", "in X's view", parentheticals.
MODIFIER_DEPS = {"prep", "parataxis", "advcl", "advmod", "npadvmod"}
# Verbs whose object is the audience, not the content: "told reporters that ...", "asked her: ...".
ADDRESSEE_LEMMAS = {
    "tell", "ask", "inform", "assure", "remind", "urge", "warn", "advise", "promise", "encourage",
}  # fmt: skip
# Raising verbs attribute their own subject: "[the plan] seems [too risky]".
RAISING_LEMMAS = {"seem", "appear"}
# Psych verbs attribute a reaction to their object: "[the remarks] angered [conservatives]".
PSYCH_LEMMAS = {
    "anger", "alarm", "mystify", "worry", "concern", "frustrate", "surprise", "shock", "upset", "outrage",
    "offend", "impress", "trouble", "bother", "irritate", "annoy", "disturb", "delight", "disappoint",
    "infuriate", "enrage", "baffle", "puzzle", "dismay", "horrify", "terrify", "scare", "frighten",
}  # fmt: skip
SEPARATORS = {",", ":", "—", "–", "-", ";"}
MAX_WORDS_BEFORE_QUOTE = 8
OWN_CUE_WINDOW = 6


def _subtree(token: Token) -> set[int]:
    """Indices of `token` and its descendants, walked without recursion: spaCy's `token.subtree` recurses
    once per level, costing size times depth and overflowing the stack on a hostile run-on sentence."""
    found: set[int] = set()
    pending = [token]
    while pending:
        current = pending.pop()
        found.add(current.i)
        pending.extend(current.children)
    return found


def adjacent_quotes(quotes: list[Span], clause: set[int], cue: Token) -> list[Span]:
    """Quotes next to the cue clause (cue, source, auxiliaries), across punctuation.

    '“A,” he said, “B.”' gives both A and B. A quote after the cue may also
    follow the cue's audience ('told reporters: “…”'); it counts only in the
    cue's sentence or after a colon, so the next paragraph's quote is not
    taken for this one's.
    """
    left, right = min(clause), max(clause)
    doc, sentence = cue.doc, cue.sent
    cue_phrase: set[int] | None = None  # made when a quote follows: most cues have none
    found = []
    for quote in quotes:
        if left - 2 <= quote.end <= left:
            if all(t.text in SEPARATORS or t.is_space for t in doc[quote.end : left]):
                found.append(quote)
        elif right < quote.start <= right + MAX_WORDS_BEFORE_QUOTE:
            if cue_phrase is None:
                cue_phrase = _subtree(cue)
            between = [t for t in doc[right + 1 : quote.start] if not t.is_space]
            introduced = not between or between[-1].text in {",", ":"}
            in_phrase = all(t.text in SEPARATORS or t.i in cue_phrase for t in between)
            colon = any(t.text == ":" for t in between)
            if introduced and in_phrase and (colon or quote.start < sentence.end):
                found.append(quote)
    return found


def continuing_quote(cue: Token, quotes: list[Span], cue_heads: set[int]) -> Span | None:
    """'“A,” he said. “B.”': a quote opening the next sentence (or paragraph) carries on A.

    Not when that quote has a cue of its own right after it ('“B,” she added').
    """
    doc = cue.doc
    index = cue.sent.end
    while index < len(doc) and doc[index].is_space:
        index += 1
    quote = next((quote for quote in quotes if quote.start == index), None)
    if quote is None or any(quote.end <= head < quote.end + OWN_CUE_WINDOW for head in cue_heads):
        return None
    return quote


def syntactic_content(cue: Token) -> set[int]:
    """Token indices of the content the parse attaches to the cue (empty when none)."""
    children = list(cue.children)
    clauses = [child for child in children if child.dep_ in CLAUSE_DEPS]
    objects = [child for child in children if child.dep_ in OBJECT_DEPS]
    if cue.pos_ in {"NOUN", "PROPN"}:
        clauses += [child for child in children if child.dep_ in NOMINAL_CONTENT_DEPS]
    prepositions = [
        child for child in children if child.dep_ == "prep" and child.lower_ in CONTENT_PREPOSITIONS
    ]
    lemma = cue.lemma_.lower()
    if lemma in ADDRESSEE_LEMMAS and objects and not clauses:
        after_audience = max(obj.right_edge.i for obj in objects) + 1
        return {t.i for t in cue.doc[after_audience : cue.right_edge.i + 1] if not t.is_punct}
    if lemma in ADDRESSEE_LEMMAS or any(c.dep_ == "ccomp" for c in clauses):
        objects = []
    if lemma in PSYCH_LEMMAS and any(child.dep_ == "dobj" for child in children):
        return set().union(*(_subtree(child) for child in children if child.dep_ in {"nsubj", "csubj"}))
    if lemma in RAISING_LEMMAS:
        objects += [child for child in children if child.dep_ in {"nsubj", "csubj"}]
    if objects:  # "accused Russia of war crimes", "blamed Moscow for the attack"
        objects += [child for child in prepositions if child.lower_ in OBJECT_COMPLEMENT_PREPOSITIONS]
    chosen = clauses + objects or prepositions
    if any(child.dep_ == "auxpass" for child in children):
        chosen += [child for child in children if child.dep_ == "nsubjpass"]
    if cue.lower_ == "according" or cue.pos_ == "ADP" or (not chosen and cue.dep_ in MODIFIER_DEPS):
        return _subtree(cue.head) - _subtree(cue) if cue.head != cue else set()
    return set().union(*(_subtree(child) for child in chosen)) if chosen else set()
