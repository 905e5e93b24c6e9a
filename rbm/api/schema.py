"""The OpenAPI schema: drf-spectacular's, with the error answers every operation can give.

Each operation lists, besides its success, the errors in the one shape of
``rbm.api.exception_handlers``: 400, 401, 403 and 404 everywhere (a bad filter, a wrong key,
a refusal, an unknown or unreadable record or page), 409 where a write can meet a newer
version, and 413 where a file is uploaded.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS

from rbm.permissions import can

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "status": serializers.IntegerField(help_text=_("The HTTP status code.")),
                "code": serializers.CharField(
                    help_text=_("A machine-readable reason: invalid, not_found, conflict…")
                ),
                "message": serializers.CharField(help_text=_("A sentence for a person.")),
                "fields": serializers.DictField(
                    required=False,
                    child=serializers.JSONField(),
                    help_text=_("For 400: the messages for each field at fault."),
                ),
                "items": serializers.ListField(
                    required=False,
                    child=serializers.DictField(child=serializers.JSONField()),
                    help_text=_("For bulk requests: the errors of each item, by index."),
                ),
                "current_version": serializers.IntegerField(
                    required=False, help_text=_("For 409: the version now stored.")
                ),
                "current_text": serializers.CharField(
                    required=False,
                    help_text=_("For 409 on a strategy element: the text now stored."),
                ),
            },
        )
    },
)

ERRORS: dict[str, Any] = {
    "400": _("Bad request: the data, a filter or a parameter is not valid."),
    "401": _("No valid credentials: log in or send a valid API token."),
    "403": _("Your role or office does not allow this."),
    "404": _("Not found, or not visible to you (also for a page number past the end)."),
    "409": _("The record changed since you read it: reload it and send its new version."),
    "413": _("The uploaded file is larger than 10 MB."),
}


class AutoSchema(openapi.AutoSchema):
    def get_auth(self) -> list[dict[str, list[str]]]:
        """The credentials an operation takes; a read the permission table allows anyone
        (the public's published records) takes none as well (``{}``), as the API answers it."""
        auths: list[dict[str, list[str]]] = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            action = getattr(self.view, "read_action", None)
            if action is None or can(AnonymousUser(), action):
                auths.append({})
        return auths

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404"]
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("409")
        if any(issubclass(p, MultiPartParser) for p in self._parser_classes()):
            codes.append("413")
        return codes

    def _parser_classes(self) -> list[type]:
        return [type(parser) for parser in self.view.get_parsers()]

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    ErrorSerializer, code, direction=direction
                )
                response["description"] = str(ERRORS[code])
                responses[code] = response
        return responses
