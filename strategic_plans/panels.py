"""Home-page panels and menu links of the results framework."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rbm.models import Role, User
from rbm.permissions import EVERYONE
from rbm.ui import MenuLink, Panel, register_link, register_panel
from strategic_plans import selectors
from strategic_plans.models import Outcome


def _plans(request: HttpRequest) -> dict[str, Any]:
    return {"plans": selectors.plan_list()}


def _coordinated(request: HttpRequest) -> dict[str, Any]:
    assert isinstance(request.user, User)
    return {
        "outcomes": Outcome.objects.filter(coordinators=request.user).select_related(
            "objective__plan"
        )
    }


register_link(MenuLink("plans", _("Strategic plans"), "plan-list", "framework.view", order=10))
register_panel(
    Panel(
        "coordinated-outcomes",
        frozenset({Role.OUTCOME_COORDINATOR}),
        "strategic_plans/panels/coordinated.html",
        _coordinated,
        order=5,
    )
)
register_panel(Panel("plans", EVERYONE, "strategic_plans/panels/plans.html", _plans, order=90))
