"""The permission table, row by row: every action for every role, and the scopes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from rbm import permissions
from rbm.models import Role
from rbm.permissions import PUBLIC, can, register, require, rule
from tests import factories

pytestmark = pytest.mark.django_db

FIELD = Role.FIELD_OFFICE_STAFF
RPO = Role.REGIONAL_PROGRAMME_OFFICER
COORD = Role.OUTCOME_COORDINATOR
PO = Role.PROGRAMME_OFFICER
GB = Role.GB_SECRETARIAT
ADMIN = Role.ADMINISTRATOR

# action -> roles that may take it (on any object; scoped rows are tested below)
EXPECTED = {
    "reference.view": {PUBLIC, FIELD, RPO, COORD, PO, GB, ADMIN},
    "reference.manage": {ADMIN},
    "history.view": {FIELD, RPO, COORD, PO, GB, ADMIN},
    "admin.access": {ADMIN},
    "framework.view": {PUBLIC, FIELD, RPO, COORD, PO, GB, ADMIN},
    "framework.manage": {PO, ADMIN},
    # without an outcome: its coordinators' row needs one (tests/strategic_plans)
    "framework.strategy": {PO, ADMIN},
    "users.manage": {ADMIN},
}
ROLES = [PUBLIC, FIELD, RPO, COORD, PO, GB, ADMIN]
TESTED_ACTIONS = set(EXPECTED)


@pytest.mark.parametrize(
    ("action", "role"), [(action, role) for action in EXPECTED for role in ROLES]
)
def test_each_row_of_the_table(action: str, role: str, user_for) -> None:
    user = AnonymousUser() if role == PUBLIC else user_for(role)
    assert can(user, action) is (role in EXPECTED[action])


def test_the_table_has_no_row_the_tests_forgot() -> None:
    core = {
        a
        for a in permissions.actions()
        if a.split(".")[0] in {"reference", "history", "admin", "framework", "users"}
    }
    assert core == set(EXPECTED)


def test_every_action_of_the_table_is_tested_row_by_row() -> None:
    """Each app's tests list the actions they walk row by row (``TESTED_ACTIONS``); together
    they are the whole table: an action nobody tests fails here."""
    import importlib
    import pkgutil

    import tests

    tested: set[str] = set()
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_"):
            tested |= getattr(importlib.import_module(module.name), "TESTED_ACTIONS", set())
    assert set(permissions.actions()) - tested == set()


def test_a_superuser_counts_as_an_administrator(user_for) -> None:
    superuser = user_for(Role.PROGRAMME_OFFICER, is_superuser=True)
    assert can(superuser, "admin.access")


def test_an_inactive_user_may_do_nothing(user_for) -> None:
    user = user_for(ADMIN, is_active=False)
    assert not can(user, "admin.access")
    assert not can(user, "framework.view")


def test_unknown_actions_are_a_programming_error(user_for) -> None:
    with pytest.raises(ValueError, match="Unknown permission action"):
        can(user_for(ADMIN), "no.such.action")


def test_registering_an_action_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register("framework.view", rule({ADMIN}))


def test_require_raises_permission_denied(user_for) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        require(user_for(FIELD), "admin.access")


def test_office_scope_covers_only_the_office_countries(user_for) -> None:
    office = factories.OfficeFactory(countries=[factories.country("IDN"), factories.country("TLS")])
    user = user_for(FIELD, office=office)
    assert permissions.covers_country(user, factories.country("IDN").pk)
    assert permissions.covers_country(user, factories.country("TLS").pk)
    assert not permissions.covers_country(user, factories.country("PHL").pk)
    assert not permissions.covers_country(user, None)


def test_region_scope(user_for) -> None:
    user = user_for(RPO, region=factories.region("africa"))
    assert permissions.in_region(user, factories.region("africa").pk)
    assert not permissions.in_region(user, factories.region("americas").pk)


def test_a_scoped_rule_refuses_without_an_object(user_for) -> None:
    scoped = rule({FIELD}, scope=lambda user, obj: True)
    assert not scoped.allows(FIELD, user_for(FIELD), None)
    assert scoped.allows(FIELD, user_for(FIELD), object())


# Status predicates: role x status x action ---------------------------------------------------


class _Record:
    """A record with a state, as the table reads it (``status`` and its label)."""

    def __init__(self, status: str, owner: int | None = None) -> None:
        self.status = status
        self.owner = owner

    def get_status_display(self) -> str:
        return status_labels[self.status]


status_labels = {"draft": "Draft", "submitted": "Submitted", "approved": "Approved"}


@pytest.fixture
def stepped_action():
    """``test.submit``: field staff on their own records as drafts; administrators also
    submitted ones; nobody once approved."""
    name = "test.submit"
    register(
        name,
        rule({FIELD}, scope=lambda user, obj: obj.owner == user.pk, states={"draft"}),
        rule({ADMIN}, states={"draft", "submitted"}),
        refusal="Only a draft can be submitted; this one is %(state)s (to %(target)s).",
    )
    yield name
    permissions._TABLE.pop(name)


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
@pytest.mark.parametrize("role", [FIELD, ADMIN, PO])
def test_each_role_takes_a_step_in_its_states_only(stepped_action, user_for, role, status) -> None:
    user = user_for(role)
    record = _Record(status, owner=user.pk)
    allowed = {FIELD: {"draft"}, ADMIN: {"draft", "submitted"}, PO: set()}[role]
    assert can(user, stepped_action, record) is (status in allowed)


def test_a_role_outside_the_table_is_denied_whatever_the_state(stepped_action, user_for) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        require(user_for(PO), stepped_action, _Record("draft"))
    stranger = user_for(FIELD)
    with pytest.raises(PermissionDenied):
        require(stranger, stepped_action, _Record("draft", owner=stranger.pk + 1))


def test_a_role_in_the_table_on_a_record_in_the_wrong_state_gets_the_refusal(
    stepped_action, user_for
) -> None:
    from rbm.permissions import StateRefused

    user = user_for(FIELD)
    with pytest.raises(StateRefused) as refused:
        require(user, stepped_action, _Record("approved", owner=user.pk), target="Submitted")
    assert refused.value.message == (
        "Only a draft can be submitted; this one is approved (to submitted)."
    )
    assert refused.value.status_code == 400
    # Asked without the states (the role and scope only), the same user may.
    require(user, stepped_action, _Record("approved", owner=user.pk), states=False)


def test_without_an_object_the_states_are_not_asked(stepped_action, user_for) -> None:
    """Pages without a record (a menu link, a queue) ask whether the role may at all."""
    assert can(user_for(ADMIN), stepped_action)
    assert permissions.action_states(stepped_action) == {
        FIELD: frozenset({"draft"}),
        ADMIN: frozenset({"draft", "submitted"}),
    }


def test_states_without_a_refusal_message_are_refused() -> None:
    with pytest.raises(ValueError, match="no refusal message"):
        register("test.nomessage", rule({ADMIN}, states={"draft"}))
