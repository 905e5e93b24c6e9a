"""The API's one permission class: it asks ``rbm.permissions.can``, nothing else.

A view names the table's actions it needs: ``read_action`` for reading (GET) and, for a
write whose role does not depend on the object, ``write_action``: a refusal before the
request body is read. Every service checks its own action again (``require``, on the object
and its state), so a view that leaves ``write_action`` unset is still guarded. Without
credentials a refusal is a 401; with them, a 403.
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
