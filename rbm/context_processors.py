from typing import Any

from django.http import HttpRequest

from rbm.permissions import can, role_of
from rbm.ui import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the page frame needs: the visitor's role and the menu their role allows."""
    user = getattr(request, "user", None)
    return {
        "current_role": role_of(user),
        "menu": menu_for(request),
        "may_admin": can(user, "admin.access"),
    }
