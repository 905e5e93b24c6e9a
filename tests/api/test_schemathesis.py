"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis 4).

Every operation and method is called with data generated from the schema, authenticated
with a token, twice: as an administrator (who may try every write) and as a field office
user (whose writes are mostly refused, reads scoped to the office). Each answer must not be
a 5xx, must have a documented status code, content type and headers, and must match the
documented body; and an operation that needs credentials must refuse a call without them
(``ignored_auth``: the schema says which reads are public). Examples are derandomized so
that the run is deterministic: 15 per operation (``SCHEMATHESIS_EXAMPLES`` changes it),
about three minutes on two cores.

The operations of the workplans and of the report also run on real records: every other case
of theirs is pointed at a workplan, a mid-term review, a published table, a report run and a
snapshot made for the purpose (generated ids rarely exist), so that what those records answer
is checked against the schema too.
"""

from __future__ import annotations

import datetime
import json
import os
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
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
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rbm.services import api_token_create, system_user
from rbm.wsgi import application
from reporting.models import RunStatus
from reporting.services import report_run_request
from tests import factories
from workplans import services as workplans
from workplans.exports import table_csv
from workplans.models import OutcomeWorkplan
from workplans.selectors import demand_target_table

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
]
SETTINGS = settings(
    max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15")),
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
field_schema = _load_schema(coverage=False)
CASES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_cases() -> Any:
    yield
    print(f"\nschemathesis cases: {dict(CASES)}; on the workplans' and report's: {REAL.total()}")


def _key(world: Any, who: str) -> str:
    _token, key = api_token_create(user=world.user(who), name=f"schemathesis {who}")
    return key


@pytest.fixture
def admin_key(world: Any, same_connection: Any) -> str:
    return _key(world, "administrator")


@pytest.fixture
def field_key(world: Any, same_connection: Any) -> str:
    return _key(world, "field_idn")


@pytest.fixture
def records(world: Any, django_capture_on_commit_callbacks: Any) -> Callable[[], dict[str, Any]]:
    """``records()``: real records for the workplans' and the report's operations, made on
    first use (once per operation)."""
    made: dict[str, Any] = {}

    def make() -> dict[str, Any]:
        if made:
            return made
        _plan, (child_labour, _standards) = factories.framework_2012_13()
        child_labour.coordinators.add(world.user("coordinator"))
        officer, admin = world.user("programme_officer"), world.user("administrator")
        biennium = factories.biennium("2012-13")
        workplans.workplans_open(user=officer, biennium=biennium)  # a case may have opened some
        draft, approved = OutcomeWorkplan.objects.filter(biennium=biennium).order_by("pk")[:2]
        lines = {
            (factories.funding_source("RB"), factories.region("africa")): Decimal(100_000),
            (factories.funding_source("XBTC"), None): Decimal(50_000),
        }
        draft = workplans.workplan_resources_set(user=admin, workplan=draft, version=1, lines=lines)
        workplans.workplan_comment(user=officer, workplan=draft, text="Say which donor.")
        approved = workplans.workplan_resources_set(
            user=admin, workplan=approved, version=1, lines=lines
        )
        approved = workplans.workplan_submit(user=admin, workplan=approved, version=2)
        approved = workplans.workplan_approve(user=officer, workplan=approved, version=3)
        review = workplans.midterm_review_save(
            user=officer, workplan=approved, review_date=datetime.date(2012, 10, 15)
        )
        workplans.corrective_action_add(user=officer, review=review, text="Find a donor.")
        table = workplans.published_table_record(
            user=officer,
            biennium=biennium,
            name="As printed",
            text=table_csv(demand_target_table(biennium)).replace(",2,", ",3,"),
        )
        with django_capture_on_commit_callbacks(execute=True):
            run = report_run_request(user=system_user(), biennium=biennium)
        run.refresh_from_db()
        assert run.status == RunStatus.SUCCEEDED, run.error
        made.update(
            workplans=[draft.pk, approved.pk],
            **{"midterm-reviews": [review.pk], "published-tables": [table.pk]},
            **{"report-runs": [run.pk], "report-snapshots": [run.snapshot_id]},
        )
        return made

    return make


NEW = ("workplans", "midterm-reviews", "published-tables", "report-runs", "report-snapshots")
REAL: Counter[str] = Counter()


def _point_at_records(case: Any, records: Callable[[], dict[str, Any]]) -> None:
    """Every other case of the workplans' and the report's operations: on real records."""
    resource = case.path.removeprefix("/api/v1/").split("/")[0]
    if resource not in (*NEW, "demand-target-table"):
        return
    REAL[case.path] += 1
    if REAL[case.path] % 2:
        return
    ids = records()
    if resource == "demand-target-table":
        case.query = {**(case.query or {}), "biennium": "2012-13"}
    elif case.path == "/api/v1/report-snapshots/compare/":
        snapshot = ids["report-snapshots"][0]
        case.query = {**(case.query or {}), "a": snapshot, "b": snapshot}
    elif "id" in case.path_parameters:
        choices = ids[resource]
        parameters = {
            **case.path_parameters,
            "id": str(choices[REAL[case.path] // 2 % len(choices)]),
        }
        if "element" in parameters:
            parameters["element"] = "knowledge"
        case.path_parameters = parameters


@admin_schema.parametrize()
@SETTINGS
@pytest.mark.django_db
def test_every_operation_as_an_administrator(case: Any, admin_key: str, records: Any) -> None:
    CASES["administrator"] += 1
    _point_at_records(case, records)
    case.call_and_validate(headers={"Authorization": f"Token {admin_key}"}, checks=CHECKS)


@field_schema.parametrize()
@SETTINGS
@pytest.mark.django_db
def test_every_operation_as_a_field_office_user(case: Any, field_key: str, records: Any) -> None:
    CASES["field office"] += 1
    _point_at_records(case, records)
    case.call_and_validate(headers={"Authorization": f"Token {field_key}"}, checks=CHECKS)
