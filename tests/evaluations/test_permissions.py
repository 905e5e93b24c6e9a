"""The evaluations' rows of the permission table, walked role by role."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from evaluations.models import EvaluationStatus
from rbm.models import Role
from rbm.permissions import can
from tests.evaluations.conftest import World

pytestmark = pytest.mark.django_db

ROLES = [*Role.values, "public"]


def _user(world: World, role: str) -> Any:
    if role == "public":
        return AnonymousUser()
    if role == Role.FIELD_OFFICE_STAFF:
        return world.field
    if role == Role.EVALUATION_MANAGER:
        return world.manager
    if role == Role.REGIONAL_PROGRAMME_OFFICER:
        return world.user_for(role, region=world.regions["asia-pacific"])
    return world.user_for(role)


# action -> (state of the evaluation, roles that may take it on an evaluation of the
# Indonesian programme managed in Asia and the Pacific)
EVALUATION_ROWS = {
    "evaluation.create": (None, {Role.EVALUATION_MANAGER, Role.ADMINISTRATOR}),
    "evaluation.manage": (
        EvaluationStatus.IN_PROGRESS,
        {Role.EVALUATION_MANAGER, Role.ADMINISTRATOR},
    ),
    "evaluation.start": (EvaluationStatus.PLANNED, {Role.EVALUATION_MANAGER, Role.ADMINISTRATOR}),
    "evaluation.complete": (
        EvaluationStatus.IN_PROGRESS,
        {Role.EVALUATION_MANAGER, Role.ADMINISTRATOR},
    ),
    "evaluation.close": (
        EvaluationStatus.COMPLETED,
        {Role.EVALUATION_MANAGER, Role.ADMINISTRATOR},
    ),
    "evaluation.view": (EvaluationStatus.PLANNED, set(Role.values)),
}


@pytest.mark.parametrize("action", list(EVALUATION_ROWS))
@pytest.mark.parametrize("role", ROLES)
def test_evaluation_rows(world: World, action: str, role: str) -> None:
    state, allowed = EVALUATION_ROWS[action]
    evaluation = world.evaluation()
    if state is not None:
        evaluation.status = state
    user = _user(world, role)
    target = None if action == "evaluation.create" else evaluation
    assert can(user, action, target) == (role in allowed)


@pytest.mark.parametrize("role", ROLES)
def test_response_and_lesson_rows(world: World, role: str) -> None:
    from evaluations import services

    evaluation = world.completed()
    recommendation = services.recommendation_add(
        user=world.manager,
        evaluation=evaluation,
        text="R",
        addressee_kind="office",
        addressee_office=world.programme.office,
    )
    lesson = world.lesson()
    user = _user(world, role)
    responders = {
        Role.FIELD_OFFICE_STAFF,
        Role.REGIONAL_PROGRAMME_OFFICER,
        Role.EVALUATION_MANAGER,
        Role.ADMINISTRATOR,
    }
    assert can(user, "recommendation.respond", recommendation) == (role in responders)
    validators = {Role.EVALUATION_MANAGER, Role.ADMINISTRATOR}
    assert can(user, "lesson.validate", lesson) == (role in validators)
    # A proposed lesson is read by its author, the evaluation managers and administrators
    readers = {Role.FIELD_OFFICE_STAFF, Role.EVALUATION_MANAGER, Role.ADMINISTRATOR}
    assert can(user, "lesson.view", lesson) == (role in readers)
    assert can(user, "lesson.create") == (role != "public")
    linkers = {Role.PROGRAMME_OFFICER, Role.ADMINISTRATOR}
    assert can(user, "lesson.link", world.outcome) == (role in linkers)
    assert can(user, "evaluation.list")
    assert can(user, "follow_up.mine") == (role != "public")
    # Follow-up actions: added by those who respond, once the evaluation is completed;
    # updated by their owner, the evaluation's managers and administrators
    assert can(user, "follow_up.add", recommendation) == (role in responders)
    action = services.follow_up_add(
        user=world.admin,
        recommendation=services.recommendation_respond(
            user=world.admin, recommendation=recommendation, response="accepted", version=1
        ),
        description="Act",
        owner=world.field,
        due_date=datetime.date(2016, 1, 1),
    )
    updaters = {Role.FIELD_OFFICE_STAFF, Role.EVALUATION_MANAGER, Role.ADMINISTRATOR}
    assert can(user, "follow_up.update", action) == (role in updaters)


TESTED_ACTIONS = {
    *EVALUATION_ROWS,
    "evaluation.list",
    "recommendation.respond",
    "follow_up.add",
    "follow_up.update",
    "follow_up.mine",
    "lesson.create",
    "lesson.view",
    "lesson.validate",
    "lesson.link",
}
