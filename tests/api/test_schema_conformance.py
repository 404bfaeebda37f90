"""Schemathesis against the OpenAPI schema the app serves: generated requests to every
operation, signed in with an administrator-like token (HR of the whole municipality), get no
server error and answers that conform to the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from evne.wsgi import application

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application
# The coverage phase tries every boundary of every field, hundreds of requests per operation:
# too slow for every test run. Explicit examples and random fuzzing remain.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture
def connection_kept_open():
    """The WSGI handler closes the database connection around each request, which would end
    the test's transaction; Django's own test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(
    case, connection_kept_open, municipality, catalog, issue_token
):
    _token, key = issue_token("hr", "K")
    case.call_and_validate(
        headers={"Authorization": f"Bearer {key}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
