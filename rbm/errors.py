"""The errors services raise. Views and the API turn them into messages and 4xx answers.

* ``django.core.exceptions.ValidationError``: the data is wrong (400), with field messages;
* ``django.core.exceptions.PermissionDenied``: the role or office does not allow it (403);
* ``ConflictError``: someone saved the record since the editor read it (409).
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A refusal with a message meant for the user."""

    status_code = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ConflictError(ApplicationError):
    """The record changed since the editor read it: a silent overwrite is refused."""

    status_code = 409
