"""Menu links and home panels of the country programmes (registered with the pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dwcp import selectors
from rbm.models import Role, User
from rbm.ui import MenuLink, Panel, register_link, register_panel

OFFICE_PANEL_SIZE = 8


def _office_programmes(request: HttpRequest) -> dict[str, Any]:
    """The programmes of the countries the user's office covers."""
    user = request.user
    assert isinstance(user, User)
    programmes = selectors.programme_list(user, office_only=True)
    shown = list(programmes[: OFFICE_PANEL_SIZE + 1])
    return {
        "programmes": shown[:OFFICE_PANEL_SIZE],
        "more": len(shown) > OFFICE_PANEL_SIZE,
        "may_create": selectors.may_create_programme(user),
    }


def _queue(request: HttpRequest) -> dict[str, Any]:
    """The region's work: reports waiting for validation, oldest first, with the days they
    have waited; extensions its offices asked for."""
    user = request.user
    assert isinstance(user, User)
    queue = selectors.region_queue(user, timezone.localdate())
    return {
        "waiting": queue.waiting.count,
        "reports": queue.waiting.rows,
        "extensions": queue.extensions,
        "region": user.region,
    }


def _office_work(request: HttpRequest) -> dict[str, Any]:
    """The office's work: returned reports, reports due this period, overdue milestones,
    the user's last imports."""
    user = request.user
    assert isinstance(user, User)
    return {"queue": selectors.office_queue(user, timezone.localdate())}


def _coordinator_cpos(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    assert isinstance(user, User)
    period, item = selectors.coordinator_unreported(user, timezone.localdate())
    return {"period": period, "unreported": item}


register_link(
    MenuLink("programmes", _("Country programmes"), "dwcp:programme-list", "dwcp.list", order=20)
)
register_link(MenuLink("cpos", _("Outcomes (CPOs)"), "dwcp:cpo-list", "dwcp.list", order=30))
register_link(
    MenuLink(
        "validation",
        _("Validation queue"),
        "dwcp:validation-queue",
        "progress.queue",
        order=40,
    )
)
register_panel(
    Panel(
        "office-programmes",
        frozenset({Role.FIELD_OFFICE_STAFF}),
        "dwcp/panels/office_programmes.html",
        _office_programmes,
        order=5,
    )
)
register_panel(
    Panel(
        "office-work",
        frozenset({Role.FIELD_OFFICE_STAFF}),
        "dwcp/panels/office_work.html",
        _office_work,
        order=1,
    )
)
register_panel(
    Panel(
        "coordinator-cpos",
        frozenset({Role.OUTCOME_COORDINATOR}),
        "dwcp/panels/coordinator_cpos.html",
        _coordinator_cpos,
        order=6,
    )
)
register_panel(
    Panel(
        "validation-queue",
        frozenset({Role.REGIONAL_PROGRAMME_OFFICER, Role.ADMINISTRATOR}),
        "dwcp/panels/validation_queue.html",
        _queue,
        order=1,
    )
)
register_link(
    MenuLink("calendar", _("Reporting calendar"), "dwcp:calendar", "calendar.view", order=45)
)
register_link(
    MenuLink("reminders", _("Reporting coverage"), "dwcp:reminders", "reminder.send", order=46)
)
