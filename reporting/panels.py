"""Menu link and home panel of the implementation report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rbm.models import Role
from rbm.ui import MenuLink, Panel, register_link, register_panel
from reporting import selectors


def _runs(request: HttpRequest) -> dict[str, Any]:
    return {"runs": list(selectors.run_list()[:5])}


register_link(MenuLink("dashboards", _("Dashboards"), "reporting:dashboard", "dashboard.view", 45))
register_link(MenuLink("reports", _("Implementation report"), "reporting:index", "report.view", 50))
register_panel(
    Panel(
        "report-runs",
        frozenset({Role.GB_SECRETARIAT, Role.ADMINISTRATOR}),
        "reporting/panels/secretariat.html",
        _runs,
        order=5,
    )
)
