"""The reporting rows of the permission table, role by role and state by state."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from rbm import permissions
from rbm.models import Role
from rbm.permissions import PUBLIC, can
from reporting.models import ReportRun, ReportSnapshot, RunStatus, SnapshotState
from tests import factories

pytestmark = pytest.mark.django_db

WHO = [
    PUBLIC,
    Role.FIELD_OFFICE_STAFF,
    Role.REGIONAL_PROGRAMME_OFFICER,
    Role.OUTCOME_COORDINATOR,
    Role.PROGRAMME_OFFICER,
    Role.GB_SECRETARIAT,
    Role.ADMINISTRATOR,
]
SECRETARIAT = {Role.GB_SECRETARIAT, Role.ADMINISTRATOR}
READERS = SECRETARIAT | {Role.PROGRAMME_OFFICER, Role.OUTCOME_COORDINATOR}

# action -> (who may, the object, the states it may be taken in: None for every state)
ROWS = {
    "report.request": (SECRETARIAT, None, None),
    "report.view": (READERS, None, None),
    "report.download": (READERS, "snapshot", None),
    "report.retry": (
        SECRETARIAT,
        "run",
        {RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.FAILED, RunStatus.NOT_QUEUED},
    ),
    "report.finalize": (SECRETARIAT, "snapshot", {SnapshotState.DRAFT}),
}
TESTED_ACTIONS = set(ROWS)  # for tests/rbm's completeness test


def test_every_action_of_the_app_has_its_rows_here() -> None:
    assert {a for a in permissions.actions() if a.startswith("report.")} == set(ROWS)


def _states(kind):
    if kind == "run":
        return RunStatus.values
    if kind == "snapshot":
        return SnapshotState.values
    return [None]


def _object(kind, state):
    biennium = factories.biennium("2012-13")
    if kind == "run":
        return ReportRun(biennium=biennium, status=state)
    if kind == "snapshot":
        return ReportSnapshot(
            biennium=biennium,
            scope="whole",
            language="en",
            content={},
            content_hash="0" * 64,
            final=state == SnapshotState.FINAL,
        )
    return None


@pytest.mark.parametrize(
    ("action", "state", "who"),
    [(action, state, who) for action in ROWS for state in _states(ROWS[action][1]) for who in WHO],
)
def test_who_may_take_each_step_in_each_state(user_for, action, state, who) -> None:
    allowed, kind, states = ROWS[action]
    user = AnonymousUser() if who == PUBLIC else user_for(who)
    obj = _object(kind, state)
    expected = who in allowed and (states is None or state in states)
    assert can(user, action, obj) is expected
