"""Human documentation of the API, rendered on the server from the same OpenAPI document it serves.

Swagger UI and Redoc load from a CDN or need inline script, which our Content-Security-Policy forbids;
a plain page generated from the schema needs no script at all and cannot drift from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class TypeLabel:
    """How a value is typed, for people: `text`, `list of ClaimItem`, `one of a, b`; `ref` names the
    component to link to, if any."""

    text: str
    ref: str = ""


@dataclass(frozen=True)
class Row:
    name: str
    type: TypeLabel
    required: bool
    description: str
    where: str = ""


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Row]
    responses: list[Row]


@dataclass(frozen=True)
class Component:
    name: str
    description: str
    fields: list[Row] = field(default_factory=list)


def type_label(schema: dict[str, Any]) -> TypeLabel:
    """A short label for a JSON Schema: enough to read the API by, not a full rendering."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF_PREFIX)
        return TypeLabel(name, name)
    if "anyOf" in schema:
        options = [type_label(option) for option in schema["anyOf"] if option.get("type") != "null"]
        nullable = len(options) < len(schema["anyOf"])
        text = " or ".join(option.text for option in options) + (" or null" if nullable else "")
        return TypeLabel(text, next((option.ref for option in options if option.ref), ""))
    if "enum" in schema:
        return TypeLabel("one of " + ", ".join(repr(value) for value in schema["enum"]))
    kind = schema.get("type", "any")
    if kind == "array":
        item = type_label(schema.get("items", {}))
        return TypeLabel(f"list of {item.text}", item.ref)
    limits = [
        f"{word} {schema[key]}"
        for key, word in (
            ("minimum", "≥"),
            ("maximum", "≤"),
            ("maxLength", "at most"),
            ("pattern", "matching"),
        )
        if key in schema
    ]
    text = schema.get("format", kind) + (f" ({', '.join(limits)})" if limits else "")
    return TypeLabel(text)


def _properties(schema: dict[str, Any]) -> list[Row]:
    required = set(schema.get("required", []))
    return [
        Row(name, type_label(prop), name in required, prop.get("description", ""))
        for name, prop in schema.get("properties", {}).items()
    ]


def documentation(openapi: dict[str, Any]) -> tuple[list[Operation], list[Component]]:
    """The operations and response components of an OpenAPI document, in the order it lists them."""
    operations = []
    for path, methods in openapi.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [
                Row(
                    parameter["name"],
                    type_label(parameter.get("schema", {})),
                    parameter.get("required", False),
                    parameter.get("description", "") or parameter.get("schema", {}).get("description", ""),
                    parameter["in"],
                )
                for parameter in operation.get("parameters", [])
            ]
            responses = [
                Row(
                    status,
                    type_label(response.get("content", {}).get("application/json", {}).get("schema", {})),
                    False,
                    response.get("description", ""),
                )
                for status, response in operation.get("responses", {}).items()
            ]
            operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=operation.get("operationId", f"{method}-{path}"),
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=parameters,
                    responses=responses,
                )
            )
    schemas = openapi.get("components", {}).get("schemas", {})
    shown = _referenced(
        [row.type.ref for operation in operations for row in operation.responses if row.type.ref], schemas
    )
    components = [
        Component(name, schema.get("description", ""), _properties(schema))
        for name, schema in schemas.items()
        if name in shown
    ]
    return operations, components


def _referenced(names: list[str], schemas: dict[str, Any]) -> set[str]:
    """The response components and every component they use: query parameter models are left out, as
    their fields are listed under each operation already."""
    seen: set[str] = set()
    while names:
        name = names.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        names.extend(ref.removeprefix(REF_PREFIX) for ref in _refs(schemas[name]))
    return seen


def _refs(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        own = [schema["$ref"]] if "$ref" in schema else []
        return own + [ref for value in schema.values() for ref in _refs(value)]
    if isinstance(schema, list):
        return [ref for value in schema for ref in _refs(value)]
    return []


class SchemaDocs(DocsBase):
    """django-ninja's docs hook: our own template instead of Swagger UI."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        openapi = api.get_openapi_schema(path_params=kwargs)
        operations, components = documentation(openapi)
        context = {
            "api": openapi["info"],
            "openapi_url": self.get_openapi_url(api, kwargs),
            "operations": operations,
            "components": components,
        }
        return render(request, "api/docs.html", context)
