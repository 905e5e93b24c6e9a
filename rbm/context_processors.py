from typing import Any

from django.http import HttpRequest

from rbm.notifications import unread_count
from rbm.permissions import can, role_of
from rbm.ui import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the page frame needs: the visitor's role and the menu their role allows."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        # The bell's count: one query on the partial index notification_unread.
        "unread_notifications": (lambda: unread_count(user)) if signed_in else 0,  # type: ignore[arg-type]
        "current_role": role_of(user),
        "menu": menu_for(request),
        "may_admin": can(user, "admin.access"),
    }
