"""The calendar's and the reminders' rows of the permission table, person by person."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from rbm.models import Role
from rbm.permissions import can
from tests import factories
from tests.notify.conftest import World

pytestmark = pytest.mark.django_db

PEOPLE = ["public", "field_idn", "field_phl", "rpo_asia", "rpo_africa", "po", "admin", "gb"]
# action -> (the object: none, or an office), who may.
ROWS = {
    "calendar.view": (
        None,
        {"field_idn", "field_phl", "rpo_asia", "rpo_africa", "po", "admin", "gb"},
    ),
    "calendar.edit": (None, {"po", "admin"}),
    "extension.request": ("idn_office", {"field_idn", "admin"}),
    "extension.grant": ("idn_office", {"rpo_asia", "admin"}),
    "reminder.send": (None, {"po", "admin"}),
}
TESTED_ACTIONS = set(ROWS)  # for tests/rbm's completeness test


@pytest.mark.parametrize("action", sorted(ROWS))
@pytest.mark.parametrize("who", PEOPLE)
def test_each_row_for_each_person(world: World, user_for, action: str, who: str) -> None:
    people = {
        "public": AnonymousUser(),
        "field_idn": world.field_idn,
        "field_phl": world.field_phl,
        "rpo_asia": world.rpo_asia,
        "rpo_africa": world.rpo_africa,
        "po": world.po,
        "admin": user_for(Role.ADMINISTRATOR),
        "gb": factories.UserFactory(role=Role.GB_SECRETARIAT),
    }
    target, allowed = ROWS[action]
    obj = getattr(world, target) if target else None
    assert can(people[who], action, obj) is (who in allowed)
