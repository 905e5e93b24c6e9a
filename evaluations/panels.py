"""The menu link, the home panel of overdue follow-up actions, and the sections evaluations
put on other apps' pages (``rbm.ui`` slots): validated lessons and open recommendations of a
programme's country on its page, and of a CPO's country and outcome on its form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from evaluations import selectors
from rbm.models import User
from rbm.permissions import SIGNED_IN
from rbm.ui import MenuLink, Panel, SlotSection, register_link, register_panel, register_section

OVERDUE_PANEL_SIZE = 8


def _overdue(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    assert isinstance(user, User)
    shown = list(selectors.overdue_follow_ups(user)[: OVERDUE_PANEL_SIZE + 1])
    return {"actions": shown[:OVERDUE_PANEL_SIZE], "more": len(shown) > OVERDUE_PANEL_SIZE}


def _planning(country_id: int | None, outcome_id: int | None) -> dict[str, Any]:
    return {
        "lessons": selectors.planning_lessons(country_id=country_id, outcome_id=outcome_id),
        "recommendations": selectors.open_recommendations(
            country_id=country_id, outcome_id=outcome_id
        ),
    }


def _programme_section(request: HttpRequest, programme: Any) -> dict[str, Any] | None:
    if not selectors.is_staff(request.user):
        return None
    return _planning(programme.country_id, None)


def _cpo_form_section(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    """On the CPO form: ``obj`` is the CPO (edit) or its programme (a new CPO)."""
    if not selectors.is_staff(request.user):
        return None
    programme = getattr(obj, "programme", obj)
    return _planning(programme.country_id, getattr(obj, "outcome_id", None))


register_link(
    MenuLink(
        "evaluations", _("Evaluations and lessons"), "evaluations:search", "evaluation.list", 45
    )
)
register_panel(
    Panel("overdue-follow-ups", SIGNED_IN, "evaluations/panels/overdue.html", _overdue, order=3)
)
register_section(
    SlotSection(
        "dwcp.programme_detail",
        "evaluations.planning",
        "evaluations/slots/planning.html",
        _programme_section,
    )
)
register_section(
    SlotSection(
        "dwcp.cpo_form",
        "evaluations.planning",
        "evaluations/slots/planning.html",
        _cpo_form_section,
    )
)
register_section(
    SlotSection(
        "dwcp.cpo_detail",
        "evaluations.planning",
        "evaluations/slots/planning.html",
        _cpo_form_section,
    )
)
