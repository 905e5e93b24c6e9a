"""Who may read and change the results framework.

- framework.view: everyone (the strategic framework and programme and budget are public).
- framework.manage: HQ programme officers and administrators write the framework.
- framework.strategy: an outcome's strategy texts: the same, and the outcome's coordinators
  (who write them in the outcome's workplan, whose own rows then say when).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from rbm.models import Role, User
from rbm.permissions import EVERYONE, register, rule


def coordinated_outcome_ids(user: User) -> frozenset[int]:
    """Ids of the outcomes the user coordinates, read once per user object."""
    cached: frozenset[int] | None = getattr(user, "_rbm_coordinated_outcome_ids", None)
    if cached is None:
        cached = frozenset(user.coordinated_outcomes.values_list("pk", flat=True))
        user._rbm_coordinated_outcome_ids = cached  # type: ignore[attr-defined]
    return cached


def _coordinates(user: Any, outcome: Any) -> bool:
    return isinstance(user, User) and getattr(outcome, "pk", None) in coordinated_outcome_ids(user)


MANAGERS = {Role.PROGRAMME_OFFICER, Role.ADMINISTRATOR}

register("framework.view", rule(EVERYONE))
register("framework.manage", rule(MANAGERS, note="HQ programme officers"))
register(
    "framework.strategy",
    rule(MANAGERS),
    rule({Role.OUTCOME_COORDINATOR}, scope=_coordinates, note="the outcome's coordinators"),
)

# The lifecycle of a biennium's programme and budget: draft -> proposed -> adopted.
register(
    "programme.propose",
    rule(MANAGERS, states={"draft"}),
    refusal=_("Only a draft programme and budget can be proposed; this one is %(state)s."),
)
register(
    "programme.adopt",
    rule(MANAGERS, states={"proposed"}),
    refusal=_("Only a proposed programme and budget can be adopted; this one is %(state)s."),
)
