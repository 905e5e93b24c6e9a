"""The API's one permission class: it asks ``rbm.permissions.can``, nothing else.

A view names the table's actions it needs: ``read_action`` for reading (GET) and, where the
service does not check the permission itself (the reference data and the framework),
``write_action`` for changing. DWCP services check their own actions on the object
(``require``), so their views leave ``write_action`` unset. Without credentials a refusal is
a 401; with them, a 403.
"""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from rbm.permissions import can


class TablePermission(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            action = getattr(view, "read_action", None)
            return action is None or can(request.user, action)
        if not (request.user and request.user.is_authenticated):
            return False
        action = getattr(view, "write_action", None)
        return action is None or can(request.user, action)
