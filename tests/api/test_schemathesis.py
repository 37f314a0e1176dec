"""Property-based tests of the API against its own OpenAPI document: schemathesis generates parameters
from the served schema and checks every answer is no server error, has a documented status and matches
the documented body. In process (WSGI), bounded, no network."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from claimtracker.wsgi import application

SCHEMA_URL = "/api/v1/openapi.json"
CHECKS = [
    not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


# Loaded from the running app at collection (building the schema reads no database). Schemathesis's lazy
# `from_fixture` loader does not work under pytest 9.
schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application)
# Only values the schema allows; no example database left in the work tree; the same run every time.
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE], database="none", deterministic=True
)


@pytest.fixture
def served(story):
    """The story, and the WSGI app kept from closing the test's database connection after each request,
    as Django's own test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield story
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    # The story fixture is built once per operation, not per example: every example only reads it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented(case, served):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/claims/{id}", lambda story: {"id": story.washington.pk}),
        ("/api/v1/claims/{id}", lambda story: {"id": story.amaq.pk}),
        ("/api/v1/actors/{id}", lambda story: {"id": story.isis_k.pk}),
        ("/api/v1/documents/{id}", lambda story: {"id": story.document.pk}),
        ("/api/v1/events/{slug}", lambda story: {"slug": story.event.slug}),
        ("/api/v1/explanations/{id}", lambda story: {"id": story.isis_did_it.pk}),
    ],
)
def test_details_of_real_rows_match_the_schema(served, path, parameter):
    """Generated ids rarely name a row; these do, so each detail body is checked against the schema."""
    case = schema[path]["GET"].Case(path_parameters=parameter(served))
    assert case.call_and_validate(checks=CHECKS).status_code == 200
