"""Menu links of development cooperation and its sections on the country programme pages
(``rbm.ui`` slots): a CPO's funding and the projects serving it, a programme's funding by
biennium."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cooperation import selectors
from rbm.permissions import can
from rbm.ui import MenuLink, SlotSection, register_link, register_section


def _cpo_section(request: HttpRequest, cpo: Any) -> dict[str, Any] | None:
    staff = can(request.user, "funding.view")
    projects = selectors.cpo_projects(cpo.pk, request.user)
    if not staff and not projects:
        return None
    return {
        "funding": selectors.cpo_funding([cpo.pk])[cpo.pk] if staff else None,
        "projects": projects,
        "threshold": selectors.delivery_threshold(),
    }


def _programme_section(request: HttpRequest, programme: Any) -> dict[str, Any] | None:
    if not can(request.user, "funding.view"):
        return None
    return {"bienniums": selectors.programme_funding(programme.pk)}


register_link(
    MenuLink("projects", _("Projects"), "cooperation:project-list", "project.list", order=45)
)
register_link(
    MenuLink(
        "mobilization",
        _("Resource mobilization"),
        "cooperation:mobilization",
        "funding.view",
        order=46,
    )
)
register_section(
    SlotSection(
        "dwcp.cpo_detail",
        "cooperation.funding",
        "cooperation/slots/cpo_funding.html",
        _cpo_section,
        order=10,
    )
)
register_section(
    SlotSection(
        "dwcp.programme_detail",
        "cooperation.funding",
        "cooperation/slots/programme_funding.html",
        _programme_section,
        order=10,
    )
)
