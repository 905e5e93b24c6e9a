"""Development cooperation's rows of the permission table, walked role by role.

The project is an Indonesian one (the office covering Indonesia is responsible for it), in
Asia and the Pacific; each step is asked in the state it is taken from. The field office
user is that office's; the regional programme officer is Asia and the Pacific's; the HQ
technical unit services the outcome of the project's CPO.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from cooperation.models import Project, ProjectStatus
from rbm.models import Office, OfficeKind, Region, Role, User
from rbm.permissions import PUBLIC, can
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = [*Role.values, PUBLIC]
SIGNED_IN = set(Role.values)
MANAGERS = {Role.FIELD_OFFICE_STAFF, Role.ADMINISTRATOR}
ADMIN = {Role.ADMINISTRATOR}

# action -> (the project's state, or None for an action on no project; roles that may)
ROWS: dict[str, tuple[str | None, set[str]]] = {
    "donor.view": (None, SIGNED_IN | {PUBLIC}),
    "donor.manage": (None, ADMIN),
    "project.list": (None, SIGNED_IN | {PUBLIC}),
    # A proposal is internal: the public reads approved projects of published programmes.
    "project.view": (ProjectStatus.PROPOSAL, SIGNED_IN),
    "appraisal.view": (ProjectStatus.APPRAISED, SIGNED_IN),
    "project.create": (None, {Role.FIELD_OFFICE_STAFF, Role.HQ_TECHNICAL_UNIT, *ADMIN}),
    "project.import": (None, {Role.FIELD_OFFICE_STAFF, Role.HQ_TECHNICAL_UNIT, *ADMIN}),
    "funding.view": (None, SIGNED_IN),
    "project.manage": (ProjectStatus.ONGOING, MANAGERS),
    "project.propose": (ProjectStatus.CONCEPT, MANAGERS),
    "project.appraise": (ProjectStatus.PROPOSAL, {Role.REGIONAL_PROGRAMME_OFFICER, *ADMIN}),
    "project.submit": (ProjectStatus.APPRAISED, MANAGERS),
    "project.fund": (ProjectStatus.SUBMITTED, MANAGERS),
    "project.start": (ProjectStatus.FUNDED, MANAGERS),
    "project.close": (ProjectStatus.ONGOING, MANAGERS),
    "project.close_financially": (ProjectStatus.OPERATIONALLY_CLOSED, MANAGERS),
    "project.drop": (ProjectStatus.CONCEPT, MANAGERS),
    "cpo_link.service": (None, {Role.HQ_TECHNICAL_UNIT, *ADMIN}),
}
TESTED_ACTIONS = set(ROWS)


@pytest.fixture
def unit(cpo: Any) -> Office:
    """A technical unit servicing the outcome of the project's CPO."""
    unit = factories.OfficeFactory(kind=OfficeKind.TECHNICAL_UNIT, region=None, countries=[])
    cpo.outcome.technical_units.add(unit)
    return unit


@pytest.fixture
def people(
    user_for: Callable[..., User],
    field_user: User,
    unit: Office,
    reference: dict[str, Region],
) -> dict[str, Any]:
    people: dict[str, Any] = {role: user_for(role) for role in Role.values}
    people[Role.FIELD_OFFICE_STAFF] = field_user
    people[Role.HQ_TECHNICAL_UNIT] = user_for(Role.HQ_TECHNICAL_UNIT, office=unit)
    people[Role.REGIONAL_PROGRAMME_OFFICER] = user_for(
        Role.REGIONAL_PROGRAMME_OFFICER, region=reference["asia-pacific"]
    )
    people[PUBLIC] = AnonymousUser()
    return people


@pytest.mark.parametrize("action", list(ROWS))
@pytest.mark.parametrize("role", ROLES)
def test_each_row(
    make_project: Callable[..., Project],
    cpo: Any,
    people: dict[str, Any],
    action: str,
    role: str,
) -> None:
    state, allowed = ROWS[action]
    project = make_project(status="concept", links=[(cpo, 50)])
    assert project.region is not None
    assert project.region.code == "asia-pacific"
    target: Any = None
    if action == "cpo_link.service":
        target = project.cpo_links.select_related("cpo__outcome").get()
    elif state is not None:
        project.status = state
        target = project
    assert can(people[role], action, target) is (role in allowed)


def test_a_regional_officer_of_another_region_does_not_appraise(
    make_project: Callable[..., Project],
    user_for: Callable[..., User],
    reference: dict[str, Region],
) -> None:
    project = make_project()
    africa = user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=reference["africa"])
    assert not can(africa, "project.appraise", project)


def test_the_public_reads_an_approved_project_of_a_published_programme(
    make_project: Callable[..., Project], cpo: Any
) -> None:
    project = make_project(status="funded", links=[(cpo, 50)])
    assert can(AnonymousUser(), "project.view", project)
    assert not can(AnonymousUser(), "appraisal.view", project)
