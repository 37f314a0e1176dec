"""Query parameters taken from the list pages' own filter forms, so a filter added to a page's form shows
up in the API, its OpenAPI document and its validation with no change here."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django import forms
from django.http import QueryDict
from django.utils.choices import CallableChoiceIterator, flatten_choices
from ninja import Schema
from ninja.errors import ValidationError
from pydantic import Field, create_model

# The largest value a bigint primary key can hold: bigger ids are refused before they reach PostgreSQL.
MAX_ID = 2**63 - 1


def _annotation(field: forms.Field) -> Any:
    """The pydantic type a form field accepts from a query string."""
    if isinstance(field, forms.ModelChoiceField):
        return Annotated[int, Field(ge=1, le=MAX_ID)]
    if isinstance(field, forms.ChoiceField) and isinstance(field.choices, CallableChoiceIterator):
        # Choices read from the database when a form is built (explanations, say): the schema states the
        # type, and the form refuses a value that is not a choice.
        return int if getattr(field, "coerce", None) is int else str
    if isinstance(field, forms.ChoiceField) and field.choices:
        values = tuple(str(value) for value, _ in flatten_choices(field.choices))
        return Literal[values]
    if isinstance(field, forms.IntegerField):
        low = field.min_value if field.min_value is not None else -MAX_ID
        high = field.max_value if field.max_value is not None else MAX_ID
        return Annotated[int, Field(ge=low, le=high)]
    if isinstance(field, forms.DateField):
        return datetime.date
    if isinstance(field, forms.BooleanField):
        return bool
    if isinstance(field, forms.CharField):
        return Annotated[str, Field(max_length=field.max_length)]
    return str


def query_schema(form_class: type[forms.Form], name: str) -> type[Schema]:
    """A ninja query schema with one optional parameter per field of `form_class`."""
    fields: dict[str, Any] = {
        name: (
            _annotation(field) | None,
            Field(None, description=str(field.help_text or field.label or "") or None),
        )
        for name, field in form_class.base_fields.items()
    }
    return create_model(name, __base__=Schema, **fields)


def validated(form_class: type[forms.Form], query: QueryDict) -> dict[str, Any]:
    """The form's cleaned data for `query`, or a 422 in the same shape as pydantic's errors."""
    form = form_class(query)
    if form.is_valid():
        return form.cleaned_data
    raise ValidationError(
        [
            {"type": error.code or "invalid", "loc": ["query", field], "msg": " ".join(error.messages)}
            for field, errors in form.errors.as_data().items()
            for error in errors
        ]
    )
