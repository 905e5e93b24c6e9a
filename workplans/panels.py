"""Menu links and home panels of the workplans (registered with the pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rbm.models import Role, User
from rbm.ui import MenuLink, Panel, register_link, register_panel
from workplans import selectors

COORDINATOR_PANEL_SIZE = 6


def _my_workplans(request: HttpRequest) -> dict[str, Any]:
    """The workplans of the outcomes the coordinator coordinates, latest biennium first."""
    user = request.user
    assert isinstance(user, User)
    workplans = selectors.coordinated_by(user).order_by(
        "-biennium__start_year", "outcome__position", "outcome__code"
    )
    shown = list(workplans[: COORDINATOR_PANEL_SIZE + 1])
    return {
        "workplans": shown[:COORDINATOR_PANEL_SIZE],
        "more": len(shown) > COORDINATOR_PANEL_SIZE,
    }


def _review_queue(request: HttpRequest) -> dict[str, Any]:
    """How many submitted workplans wait for a programme officer."""
    return {"waiting": selectors.review_queue().count()}


register_link(MenuLink("workplans", _("Workplans"), "workplans:list", "workplan.view", order=45))
register_panel(
    Panel(
        "my-workplans",
        frozenset({Role.OUTCOME_COORDINATOR}),
        "workplans/panels/my_workplans.html",
        _my_workplans,
        order=5,
    )
)
register_panel(
    Panel(
        "workplan-review-queue",
        frozenset({Role.PROGRAMME_OFFICER, Role.ADMINISTRATOR}),
        "workplans/panels/review_queue.html",
        _review_queue,
        order=6,
    )
)
