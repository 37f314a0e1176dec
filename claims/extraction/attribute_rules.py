"""The model's attribute ruler, its rules matched on token arrays instead of with spaCy's Matcher.

en_core_web_sm's attribute ruler maps tags to parts of speech and fixes
contractions ("gonna", "ain't") with 179 one- and two-token rules. spaCy's
Matcher tries every rule at every token and calls back into Python for each
IN, NOT_IN and REGEX condition, then sets the attributes match by match:
1.8 s of the 12 s spaCy spends on 200 news articles. Here the tag map is
applied as whole columns and each other condition is a lookup or a
comparison over a column of the document's token array: 0.4 s. The matches
after the tag map, their order and the setting of their attributes are the
stock component's own, so the annotations are the model's (a test compares
them on news text); a rule this module cannot read (operators such as "OP",
other comparisons) is left to a Matcher of its own.
"""

from __future__ import annotations

import re
from collections.abc import Hashable

import numpy as np
from spacy.attrs import IDS, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc

STRING_ATTRIBUTES = {
    "ORTH": "ORTH",
    "TEXT": "ORTH",
    "LOWER": "LOWER",
    "NORM": "NORM",
    "TAG": "TAG",
    "DEP": "DEP",
}
FLAG_ATTRIBUTES = {"IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_PUNCT", "IS_SPACE", "IS_TITLE", "IS_UPPER"}
MAX_CACHED_STRINGS = 100_000
MAPPABLE = {POS, MORPH, LEMMA}
# Which condition indexes a rule: the rarest kind of value first.
INDEX_PREFERENCE = ["ORTH", "LOWER", "NORM", "TAG", "DEP", *sorted(FLAG_ATTRIBUTES)]

# A condition on one token attribute: ("==", column, value), ("in", column, values), ("not in", column,
# values) or ("regex", column, compiled pattern); a rule is one tuple of conditions per token.
Condition = tuple[str, str, Hashable]
Rule = tuple[tuple[Condition, ...], ...]


def compile_token(spec: dict) -> tuple[Condition, ...] | None:
    """The conditions of one token of a rule, or None when it uses anything else than the plain forms."""
    conditions = []
    for key, value in spec.items():
        key = key.upper()
        if key in FLAG_ATTRIBUTES and isinstance(value, bool | int):
            conditions.append(("==", key, int(value)))
        elif key not in STRING_ATTRIBUTES:
            return None
        elif isinstance(value, str | int) and not isinstance(value, bool):
            conditions.append(("==", STRING_ATTRIBUTES[key], get_string_id(value)))
        elif isinstance(value, dict) and len(value) == 1:
            ((operator, operand),) = value.items()
            if operator in ("IN", "NOT_IN") and isinstance(operand, list):
                ids = frozenset(get_string_id(item) for item in operand)
                conditions.append(("in" if operator == "IN" else "not in", STRING_ATTRIBUTES[key], ids))
            elif operator == "REGEX" and isinstance(operand, str):
                conditions.append(("regex", STRING_ATTRIBUTES[key], re.compile(operand)))
            else:
                return None
        else:
            return None
    return tuple(conditions) if conditions else None


class ArrayAttributeRuler:
    """Match the rules of an AttributeRuler on token arrays, then let that ruler set the attributes.

    The leading rules that only map a tag to attributes (the model's tag map:
    "NN" is a singular noun) are applied as whole columns, before the
    others, as their order has them. Of the other rules, one with an
    equality or IN condition is indexed by it: one pass over that column
    finds the places where it may match, and only there are its other
    conditions checked. A rule without one is evaluated as boolean masks
    over whole columns.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        # tag -> {attribute: value}, from the leading rules that only map a tag (see `_maps_a_tag`)
        self.by_tag: dict[int, dict[int, int]] = {}
        self.tag_map_rules = 0
        # column -> value -> (offset of the indexed token, rule number, match id, length, other conditions)
        self.indexed: dict[str, dict[int, list[tuple[int, int, int, int, list[tuple[int, Condition]]]]]] = {}
        self.scanned: list[tuple[int, int, Rule]] = []
        self.unreadable = Matcher(ruler.vocab)
        columns = set()
        for attr_id, entry in enumerate(ruler.patterns):
            key = ruler.vocab.strings.add(str(attr_id))
            if (
                attr_id == self.tag_map_rules
                and (tag := _maps_a_tag(entry, ruler.attrs[attr_id])) is not None
            ):
                self.by_tag.setdefault(tag, {}).update(ruler.attrs[attr_id])
                self.tag_map_rules += 1
                continue
            for pattern in entry["patterns"]:
                rule = tuple(compile_token(spec) for spec in pattern)
                if not pattern or None in rule:
                    self.unreadable.add(str(attr_id), [pattern])
                else:
                    self._add(attr_id, key, rule)
                    columns.update(column for token in rule for _, column, _ in token)
        self.columns = sorted(columns)
        self.column_ids = [IDS[column] for column in self.columns]
        # The tag map as rows over the attributes it sets: a tag's values, and which of them it sets.
        self.mapped = sorted({attribute for attributes in self.by_tag.values() for attribute in attributes})
        self.tag_rows = {
            tag: (
                [attributes.get(attribute, 0) for attribute in self.mapped],
                [attribute in attributes for attribute in self.mapped],
            )
            for tag, attributes in self.by_tag.items()
        }
        self.untouched = ([0] * len(self.mapped), [False] * len(self.mapped))
        self.indexed_values = {
            column: np.fromiter(index, dtype=np.uint64, count=len(index))
            for column, index in self.indexed.items()
        }
        self._regex_results: dict[tuple[re.Pattern, int], bool] = {}

    def _add(self, attr_id: int, key: int, rule: Rule) -> None:
        placed = [(offset, condition) for offset, token in enumerate(rule) for condition in token]
        anchors = [item for item in placed if item[1][0] in ("==", "in")]
        if not anchors:
            self.scanned.append((attr_id, key, rule))
            return
        anchor = min(anchors, key=lambda item: INDEX_PREFERENCE.index(item[1][1]))
        offset, (operator, column, operand) = anchor
        others = [item for item in placed if item is not anchor]
        index = self.indexed.setdefault(column, {})
        for value in [operand] if operator == "==" else operand:
            index.setdefault(value, []).append((offset, attr_id, key, len(rule), others))

    def __call__(self, doc: Doc) -> Doc:
        if self.by_tag and len(doc):
            self._map_tags(doc)
        self.ruler.set_annotations(doc, self.match(doc))
        return doc

    def _map_tags(self, doc: Doc) -> None:
        tags, positions = np.unique(doc.to_array(TAG), return_inverse=True)
        rows = [self.tag_rows.get(tag, self.untouched) for tag in tags.tolist()]
        mapped = np.array([row for row, _ in rows], dtype=np.uint64)[positions]
        is_set = np.array([flags for _, flags in rows], dtype=bool)[positions]
        table = doc.to_array(self.mapped).reshape(len(doc), len(self.mapped))
        doc.from_array(self.mapped, np.where(is_set, mapped, table))

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(rule number, match id, start, end) of every match of the rules after the tag map, in the order
        AttributeRuler.match gives."""
        matches = []
        if len(self.unreadable):
            strings = self.ruler.vocab.strings
            matches = [(int(strings[key]), key, start, end) for key, start, end in self.unreadable(doc)]
        if not len(doc):
            return sorted(matches)
        table = doc.to_array(self.column_ids).reshape(len(doc), len(self.column_ids))
        values = {name: table[:, index].tolist() for index, name in enumerate(self.columns)}
        length = len(doc)
        for column, index in self.indexed.items():
            column_values = values[column]
            indexed = np.isin(table[:, self.columns.index(column)], self.indexed_values[column])
            for position in np.flatnonzero(indexed).tolist():
                for offset, attr_id, key, size, others in index[column_values[position]]:
                    start = position - offset
                    if 0 <= start <= length - size and (
                        not others
                        or all(
                            self._holds(condition, values[condition[1]][start + at], doc)
                            for at, condition in others
                        )
                    ):
                        matches.append((attr_id, key, start, start + size))
        if self.scanned:
            columns = {name: table[:, index] for index, name in enumerate(self.columns)}
            for attr_id, key, rule in self.scanned:
                matches.extend(
                    (attr_id, key, start, start + len(rule)) for start in self._starts(rule, columns, doc)
                )
        # Like the Matcher, one match per rule and span, though several of the rule's patterns match there.
        return sorted(set(matches))

    def _holds(self, condition: Condition, value: int, doc: Doc) -> bool:
        operator, _, operand = condition
        if operator == "==":
            return value == operand
        if operator == "in":
            return value in operand
        if operator == "not in":
            return value not in operand
        return self._regex(operand, value, doc)

    def _starts(self, rule: Rule, columns: dict[str, np.ndarray], doc: Doc) -> list[int]:
        """Token indices where `rule` matches, all its tokens inside the document."""
        span = len(doc) - len(rule) + 1
        if span <= 0:
            return []
        hits = np.ones(span, dtype=bool)
        for offset, token in enumerate(rule):
            for condition in token:
                hits &= self._mask(condition, columns[condition[1]], doc)[offset : offset + span]
        return np.flatnonzero(hits).tolist()

    def _mask(self, condition: Condition, column: np.ndarray, doc: Doc) -> np.ndarray:
        operator, _, operand = condition
        if operator == "==":
            return column == np.uint64(operand)
        if operator in ("in", "not in"):
            found = np.isin(column, np.fromiter(operand, dtype=np.uint64, count=len(operand)))
            return found if operator == "in" else ~found
        values, positions = np.unique(column, return_inverse=True)
        return np.array([self._regex(operand, value, doc) for value in values.tolist()])[positions]

    def _regex(self, pattern: re.Pattern, string_id: int, doc: Doc) -> bool:
        key = (pattern, string_id)
        found = self._regex_results.get(key)
        if found is None:
            if len(self._regex_results) > MAX_CACHED_STRINGS:
                self._regex_results.clear()
            found = self._regex_results[key] = pattern.search(doc.vocab.strings[string_id]) is not None
        return found


def _maps_a_tag(entry: dict, attributes: dict[int, int]) -> int | None:
    """The tag an AttributeRuler entry maps to attributes when it is one plain tag and sets only what a
    column can take as it is (part of speech, morphology, lemma), else None."""
    if len(entry["patterns"]) != 1 or entry.get("index", 0) != 0 or not set(attributes) <= MAPPABLE:
        return None
    (pattern,) = entry["patterns"]
    if len(pattern) != 1 or len(pattern[0]) != 1:
        return None
    ((key, value),) = pattern[0].items()
    return get_string_id(value) if key.upper() == "TAG" and isinstance(value, str) else None


@Language.factory("claimtracker_attribute_rules")
def make_array_attribute_ruler(nlp: Language, name: str) -> ArrayAttributeRuler:
    """The rules of the pipeline's "attribute_ruler" (added after it, which load_nlp then removes)."""
    ruler = AttributeRuler(nlp.vocab, name)
    ruler.add_patterns(nlp.get_pipe("attribute_ruler").patterns)
    return ArrayAttributeRuler(ruler)
