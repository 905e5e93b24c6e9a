"""Who may do what: one table, one question.

``can(user, action, obj)`` is the only place that answers "may this user do this action on
this object". Each app registers its rows (action -> roles and, where it matters, a scope
predicate on the object and the states of the object it applies in: role x status x action,
as UNICEF eTools' permission matrix) in its own ``permissions.py``; views, API, templates and
services all ask here.

``require`` tells the two refusals apart: a role or scope that does not allow the action is
``PermissionDenied`` (403); a role that would, on a record whose state does not allow it now,
is ``StateRefused`` (400) with the action's own message ("A submitted report cannot be
edited.").

Roles are data on the user (``User.role`` with its office or region); anonymous visitors
have the pseudo-role ``PUBLIC``. Selectors filter lists with the same scopes, and the tests
walk the table row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from rbm.errors import ApplicationError
from rbm.models import Role, User

PUBLIC = "public"
ALL_ROLES: frozenset[str] = frozenset(Role.values)
SIGNED_IN: frozenset[str] = ALL_ROLES
EVERYONE: frozenset[str] = ALL_ROLES | {PUBLIC}

AnyUser = User | AnonymousUser
# A scope predicate gets the user (anonymous for the public role) and the object.
Predicate = Callable[[Any, Any], bool]


class StateRefused(ApplicationError):
    """The user's role may take the action, but not on a record in its current state."""


@dataclass(frozen=True)
class Rule:
    """Users whose role is in ``roles`` may act, where ``scope`` (if any) holds, on an object
    whose state (the action's ``state_field``) is in ``states`` (if given)."""

    roles: frozenset[str]
    scope: Predicate | None = None
    states: frozenset[str] | None = None
    note: str = ""

    def allows(self, role: str, user: AnyUser, obj: Any, state: str | None = None) -> bool:
        """``state`` is the object's state, or None to leave the states out of the answer."""
        if role not in self.roles:
            return False
        if self.states is not None and state is not None and state not in self.states:
            return False
        if self.scope is None:
            return True
        if obj is None:
            return False
        return self.scope(user, obj)


@dataclass(frozen=True)
class Action:
    rules: tuple[Rule, ...]
    state_field: str = "status"
    refusal: str | Promise = ""


_TABLE: dict[str, Action] = {}


def register(
    action: str, *rules: Rule, state_field: str = "status", refusal: str | Promise = ""
) -> None:
    """Add an action's rows to the table (once: a second registration is a bug).

    Rows with ``states`` read the object's ``state_field``; ``refusal`` is the message for a
    role that may act, on an object whose state does not allow it (``%(state)s`` is the
    state's label, in lower case).
    """
    if action in _TABLE:
        raise ValueError(f"Permission action {action!r} is registered twice.")
    if any(r.states is not None for r in rules) and not refusal:
        raise ValueError(f"Permission action {action!r} has states but no refusal message.")
    _TABLE[action] = Action(rules=rules, state_field=state_field, refusal=refusal)


def actions() -> dict[str, tuple[Rule, ...]]:
    return {name: action.rules for name, action in _TABLE.items()}


def action_states(action: str) -> dict[str, frozenset[str] | None]:
    """Role -> the states in which it may take ``action`` (None: any state), for docs and tests."""
    states: dict[str, frozenset[str] | None] = {}
    for row in _action(action).rules:
        for role in row.roles:
            if role in states and states[role] is None:
                continue
            states[role] = (
                None if row.states is None else (states.get(role) or frozenset()) | row.states
            )
    return states


def role_of(user: AnyUser | None) -> str:
    if user is None or not user.is_authenticated:
        return PUBLIC
    assert isinstance(user, User)
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return user.role or PUBLIC


def _action(name: str) -> Action:
    try:
        return _TABLE[name]
    except KeyError:
        raise ValueError(f"Unknown permission action {name!r}.") from None


def _state_of(entry: Action, obj: Any) -> str | None:
    if obj is None or not any(r.states is not None for r in entry.rules):
        return None
    value = getattr(obj, entry.state_field, None)
    return None if value is None else str(value)


def _allowed(user: AnyUser | None, entry: Action, obj: Any, *, states: bool) -> bool:
    if user is not None and user.is_authenticated and not user.is_active:
        return False
    role = role_of(user)
    state = _state_of(entry, obj) if states else None
    return any(rule.allows(role, user, obj, state) for rule in entry.rules)  # type: ignore[arg-type]


def can(user: AnyUser | None, action: str, obj: Any = None, *, states: bool = True) -> bool:
    """May ``user`` take ``action`` (on ``obj``, for scoped rules, in its current state)?

    ``states=False`` asks about the role and scope only: a page that lets the service answer
    a step out of order with its own message (400) rather than a 403.
    """
    return _allowed(user, _action(action), obj, states=states)


def require(
    user: AnyUser | None,
    action: str,
    obj: Any = None,
    *,
    states: bool = True,
    target: str | None = None,
) -> None:
    """Raise PermissionDenied unless the role and scope allow ``action`` on ``obj``, then
    (with ``states``) StateRefused unless the object's state does too.

    The refusal is formatted with ``state`` (and ``current``): the object's state, and
    ``target``: the state a transition would move it to, both as lower-case labels.
    """
    entry = _action(action)
    if not _allowed(user, entry, obj, states=False):
        raise PermissionDenied(_("You are not allowed to do this."))
    if states and not _allowed(user, entry, obj, states=True):
        label = _state_label(obj, entry.state_field)
        params = {"state": label, "current": label, "target": (target or "").lower()}
        raise StateRefused(str(entry.refusal) % params, extra={"state": label})


def state_allows(action: str, obj: Any) -> bool:
    """Whether ``obj``'s current state is one in which some role may take ``action``: for a
    page that says why nobody may change a record now ("approved: resources move through the
    mid-term review"). The states come from the table, like every other answer."""
    entry = _action(action)
    state = _state_of(entry, obj)
    return state is None or any(r.states is None or state in r.states for r in entry.rules)


def _state_label(obj: Any, field: str) -> str:
    display = getattr(obj, f"get_{field}_display", None)
    return str(display() if callable(display) else getattr(obj, field, "")).lower()


def roles_allowed(action: str) -> frozenset[str]:
    """Roles that hold ``action`` at least on some objects (for menus and docs)."""
    return frozenset().union(*(rule.roles for rule in _action(action).rules))


# Scope predicates shared by the apps ------------------------------------------------------


def office_country_ids(user: User) -> frozenset[int]:
    """Ids of the countries the user's office covers, read once per user object."""
    cached: frozenset[int] | None = getattr(user, "_rbm_office_country_ids", None)
    if cached is None:
        if user.office_id is None:
            cached = frozenset()
        else:
            from rbm.models import Country

            cached = frozenset(
                Country.objects.filter(offices=user.office_id).values_list("id", flat=True)
            )
        user._rbm_office_country_ids = cached  # type: ignore[attr-defined]
    return cached


def covers_country(user: User, country_id: int | None) -> bool:
    return country_id is not None and country_id in office_country_ids(user)


def in_region(user: User, region_id: int | None) -> bool:
    return region_id is not None and user.region_id == region_id


def rule(
    roles: Iterable[str],
    scope: Predicate | None = None,
    note: str = "",
    *,
    states: Iterable[str] | None = None,
) -> Rule:
    return Rule(
        roles=frozenset(roles),
        scope=scope,
        states=None if states is None else frozenset(str(s) for s in states),
        note=note,
    )


# The core's own rows -----------------------------------------------------------------------

register("reference.view", rule(EVERYONE))
register("reference.manage", rule({Role.ADMINISTRATOR}))
register("users.manage", rule({Role.ADMINISTRATOR}))
register("history.view", rule(SIGNED_IN))
register("admin.access", rule({Role.ADMINISTRATOR}))
