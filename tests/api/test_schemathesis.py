"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis 4).

Every operation and method is called with data generated from the schema, authenticated as
an administrator with a token (who may try every write); the read operations also as a field
office user. Each answer must not be a 5xx, must have a documented status code and content
type, and must match the documented body. Examples are few and derandomized so that the
run is deterministic and takes about a minute.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.renderers import JSONRenderer
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rbm.services import api_token_create
from rbm.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SETTINGS = settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@pytest.fixture
def same_connection() -> Any:
    """Keep the test's database connection (and its transaction) across WSGI requests.

    Django closes connections at the start and end of each request; the test client avoids
    that, and so must a WSGI client calling the app in the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _load_schema(*, coverage: bool) -> Any:
    """The schema the code generates (docs/openapi.yaml is checked against it elsewhere),
    called through the project's WSGI application."""
    generator = SchemaGenerator()
    document = json.loads(JSONRenderer().render(generator.get_schema(request=None, public=True)))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = application
    # The coverage phase adds the schema's boundary values (deterministic, positive only):
    # for the administrator's run, which reaches every operation; fuzzing does the rest.
    schema.config.phases.coverage.enabled = coverage
    schema.config.phases.coverage.generation.modes = [GenerationMode.POSITIVE]
    return schema


admin_schema = _load_schema(coverage=True)
field_schema = _load_schema(coverage=False).include(method="GET")
CASES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_cases() -> Any:
    yield
    print(f"\nschemathesis cases: {dict(CASES)}")


def _key(world: Any, who: str) -> str:
    _token, key = api_token_create(user=world.user(who), name=f"schemathesis {who}")
    return key


@pytest.fixture
def admin_key(world: Any, same_connection: Any) -> str:
    return _key(world, "administrator")


@pytest.fixture
def field_key(world: Any, same_connection: Any) -> str:
    return _key(world, "field_idn")


@admin_schema.parametrize()
@SETTINGS
@pytest.mark.django_db
def test_every_operation_as_an_administrator(case: Any, admin_key: str) -> None:
    CASES["administrator"] += 1
    case.call_and_validate(headers={"Authorization": f"Token {admin_key}"}, checks=CHECKS)


@field_schema.parametrize()
@SETTINGS
@pytest.mark.django_db
def test_every_read_as_a_field_office_user(case: Any, field_key: str) -> None:
    CASES["field office"] += 1
    case.call_and_validate(headers={"Authorization": f"Token {field_key}"}, checks=CHECKS)
