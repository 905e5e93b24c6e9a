"""Menu links and home panels of the country programmes (registered with the pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
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
    """How many submitted reports wait for this reviewer."""
    user = request.user
    assert isinstance(user, User)
    return {"waiting": selectors.validation_queue(user).count(), "region": user.region}


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
        "validation-queue",
        frozenset({Role.REGIONAL_PROGRAMME_OFFICER, Role.ADMINISTRATOR}),
        "dwcp/panels/validation_queue.html",
        _queue,
        order=5,
    )
)
register_link(
    MenuLink("calendar", _("Reporting calendar"), "dwcp:calendar", "calendar.view", order=45)
)
