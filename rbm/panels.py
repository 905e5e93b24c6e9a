"""The core's home-page panels: who you are and what your role covers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from rbm.models import Country, Office, Region, User
from rbm.permissions import ALL_ROLES, PUBLIC
from rbm.ui import Panel, register_panel


def _role_context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    assert isinstance(user, User)
    context: dict[str, Any] = {"role_user": user}
    if user.office_id:
        context["office_countries"] = list(
            Country.objects.filter(offices=user.office_id).order_by("name")
        )
    if user.region_id:
        context["region_country_count"] = Country.objects.filter(region=user.region_id).count()
    if user.is_administrator:
        context["reference_counts"] = {
            "regions": Region.objects.count(),
            "countries": Country.objects.count(),
            "offices": Office.objects.count(),
            "users": User.objects.count(),
        }
    return context


def _welcome_context(request: HttpRequest) -> dict[str, Any]:
    return {}


register_panel(
    Panel("welcome", frozenset({PUBLIC}), "rbm/panels/welcome.html", _welcome_context, 0)
)
register_panel(Panel("role", ALL_ROLES, "rbm/panels/role.html", _role_context, 0))
