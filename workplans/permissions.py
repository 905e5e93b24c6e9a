"""Who may do what with outcome-based workplans.

- workplan.view, workplan.table: every signed-in user (workplans are internal documents).
- workplan.edit (strategy, resources, coordinator's submission): the coordinators of the
  workplan's outcome; administrators.
- workplan.review (approve, return): programme officers; administrators.
- workplan.comment: the outcome's coordinators, programme officers, regional programme
  officers; administrators.
- workplan.create (open the workplans of a biennium), published.manage (record published
  figures): programme officers; administrators.
- midterm.edit (the mid-term review, its corrective actions and reallocations): the outcome's
  coordinators and programme officers; administrators; on an approved workplan.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from rbm.models import Role, User
from rbm.permissions import SIGNED_IN, register, rule
from strategic_plans.permissions import coordinated_outcome_ids
from workplans.models import WorkplanStatus

ADMIN = {Role.ADMINISTRATOR}
PO = {Role.PROGRAMME_OFFICER}
COORDINATOR = {Role.OUTCOME_COORDINATOR}


def _coordinates(user: Any, obj: Any) -> bool:
    outcome_id = getattr(obj, "outcome_id", None)
    if outcome_id is None and hasattr(obj, "workplan"):
        outcome_id = obj.workplan.outcome_id
    return isinstance(user, User) and outcome_id in coordinated_outcome_ids(user)


register("workplan.view", rule(SIGNED_IN))
register("workplan.table", rule(SIGNED_IN))
# Strategy and resources change, and the coordinator submits, only as a draft or returned;
# programme officers approve or return a submitted workplan.
EDITABLE = (WorkplanStatus.DRAFT, WorkplanStatus.RETURNED)
register(
    "workplan.edit",
    rule(COORDINATOR, scope=_coordinates, states=EDITABLE),
    rule(ADMIN, states=EDITABLE),
    refusal=_(
        "The workplan is %(state)s: it can be changed only as a draft or when "
        "returned. After approval, resources move through the mid-term review."
    ),
)
register(
    "workplan.submit",
    rule(COORDINATOR, scope=_coordinates, states=EDITABLE),
    rule(ADMIN, states=EDITABLE),
    refusal=_("The workplan is %(current)s: it cannot become %(target)s."),
)
register(
    "workplan.review",
    rule(PO | ADMIN, states={WorkplanStatus.SUBMITTED}),
    refusal=_("The workplan is %(current)s: it cannot become %(target)s."),
)
register(
    "workplan.comment",
    rule(COORDINATOR, scope=_coordinates),
    rule(PO | {Role.REGIONAL_PROGRAMME_OFFICER} | ADMIN),
)
register("workplan.create", rule(PO | ADMIN))
register("published.manage", rule(PO | ADMIN))
# The mid-term review (and its corrective actions and reallocations) is held on an approved
# workplan.
MIDTERM = {WorkplanStatus.APPROVED}
register(
    "midterm.edit",
    rule(COORDINATOR, scope=_coordinates, states=MIDTERM),
    rule(PO | ADMIN, states=MIDTERM),
    refusal=_("A mid-term review is held on an approved workplan."),
)
