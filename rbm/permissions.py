"""Who may do what: one table, one question.

``can(user, action, obj)`` is the only place that answers "may this user do this action on
this object". Each app registers its rows (action -> roles and, where it matters, a scope
predicate on the object) in its own ``permissions.py``; views, API and services all ask here.

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
from django.utils.translation import gettext as _

from rbm.models import Role, User

PUBLIC = "public"
ALL_ROLES: frozenset[str] = frozenset(Role.values)
SIGNED_IN: frozenset[str] = ALL_ROLES
EVERYONE: frozenset[str] = ALL_ROLES | {PUBLIC}

AnyUser = User | AnonymousUser
# A scope predicate gets the user (anonymous for the public role) and the object.
Predicate = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Rule:
    """Users whose role is in ``roles`` may act, where ``scope`` (if any) holds."""

    roles: frozenset[str]
    scope: Predicate | None = None
    note: str = ""

    def allows(self, role: str, user: AnyUser, obj: Any) -> bool:
        if role not in self.roles:
            return False
        if self.scope is None:
            return True
        if obj is None:
            return False
        return self.scope(user, obj)


_TABLE: dict[str, tuple[Rule, ...]] = {}


def register(action: str, *rules: Rule) -> None:
    """Add an action's rows to the table (once: a second registration is a bug)."""
    if action in _TABLE:
        raise ValueError(f"Permission action {action!r} is registered twice.")
    _TABLE[action] = rules


def actions() -> dict[str, tuple[Rule, ...]]:
    return dict(_TABLE)


def role_of(user: AnyUser | None) -> str:
    if user is None or not user.is_authenticated:
        return PUBLIC
    assert isinstance(user, User)
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return user.role or PUBLIC


def can(user: AnyUser | None, action: str, obj: Any = None) -> bool:
    """May ``user`` take ``action`` (on ``obj``, for scoped rules)?"""
    try:
        rules = _TABLE[action]
    except KeyError:
        raise ValueError(f"Unknown permission action {action!r}.") from None
    if user is not None and user.is_authenticated and not user.is_active:
        return False
    role = role_of(user)
    return any(rule.allows(role, user, obj) for rule in rules)  # type: ignore[arg-type]


def require(user: AnyUser | None, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def roles_allowed(action: str) -> frozenset[str]:
    """Roles that hold ``action`` at least on some objects (for menus and docs)."""
    return frozenset().union(*(rule.roles for rule in _TABLE[action]))


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


def rule(roles: Iterable[str], scope: Predicate | None = None, note: str = "") -> Rule:
    return Rule(roles=frozenset(roles), scope=scope, note=note)


# The core's own rows -----------------------------------------------------------------------

register("reference.view", rule(EVERYONE))
register("reference.manage", rule({Role.ADMINISTRATOR}))
register("history.view", rule(SIGNED_IN))
register("admin.access", rule({Role.ADMINISTRATOR}))
