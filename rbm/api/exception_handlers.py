"""One JSON shape for every API error.

``{"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}}}``

Services raise Django's ValidationError and PermissionDenied and our ApplicationError
(ConflictError is 409); DRF raises its own. All end here. A refusal to an anonymous client
is a 401 (it should log in or send a token); a file over the upload limit is a 413; a bulk
request's refusal lists its items' errors (``items``). An exception nothing handled is
logged by Django and answered by ``server_error`` (the project's ``handler500``): under
``/api/`` in this shape, as a 500, elsewhere with the error page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from rbm.conflicts import busy_conflict, conflict_for, is_retryable
from rbm.errors import ApplicationError


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def error_fields(error: Exception) -> Any:
    """The messages of a (Django or DRF) validation error, as the ``fields`` of the shape."""
    if isinstance(error, DjangoValidationError):
        error = exceptions.ValidationError(as_serializer_error(error))
    assert isinstance(error, exceptions.ValidationError)
    detail = _flatten(error.detail)
    if isinstance(detail, dict) and list(detail) == ["non_field_errors"]:
        return detail["non_field_errors"]
    return detail


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = gettext_lazy("The request is too large.")
    default_code = "too_large"


def _has_code(codes: Any, code: str) -> bool:
    if isinstance(codes, dict):
        return any(_has_code(value, code) for value in codes.values())
    if isinstance(codes, list):
        return any(_has_code(value, code) for value in codes)
    return bool(codes == code)


def _anonymous(context: dict[str, Any]) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    extra: dict[str, Any] = {}
    if isinstance(exc, IntegrityError):
        # A unique violation that no service mapped (``rbm.conflicts``): a 409 all the same.
        exc = conflict_for(exc) or exc
    elif is_retryable(exc):
        exc = busy_conflict()
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(str(exc) or None)
    elif isinstance(exc, PermissionDenied) and _anonymous(context):
        exc = exceptions.NotAuthenticated()
        exc.auth_header = "Token"  # type: ignore[attr-defined]
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ApplicationError):
        extra = exc.extra
        return Response(
            {
                "error": {
                    "status": exc.status_code,
                    "code": "conflict" if exc.status_code == 409 else "invalid",
                    "message": exc.message,
                    **extra,
                }
            },
            status=exc.status_code,
        )

    if isinstance(exc, exceptions.ValidationError) and _has_code(exc.get_codes(), "file_too_large"):
        fields = _flatten(exc.detail)
        return Response(
            {
                "error": {
                    "status": 413,
                    "code": "file_too_large",
                    "message": _("The file is larger than the limit of 10 MB."),
                    "fields": fields if isinstance(fields, dict) else {},
                }
            },
            status=413,
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    body: dict[str, Any] = {"status": response.status_code, "code": _code(exc)}
    if isinstance(exc, exceptions.ValidationError):
        detail = _flatten(exc.detail)
        if isinstance(detail, dict):
            body["message"] = _("Some fields are not valid.")
            non_field = detail.pop("non_field_errors", None)
            if non_field:
                body["message"] = " ".join(non_field)
            body["fields"] = detail
        else:
            body["message"] = " ".join(detail) if isinstance(detail, list) else str(detail)
    else:
        body["message"] = str(exc.detail)
    response.data = {"error": body}
    return response


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exc.default_code


def server_error(request: HttpRequest) -> HttpResponse:
    """The answer to an exception nothing handled (Django has logged it): JSON in the API's
    shape under ``/api/``, so that clients parse it like any other error; the error page
    elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "error": {
                    "status": 500,
                    "code": "server_error",
                    "message": _("The server failed to answer; the error has been logged."),
                }
            },
            status=500,
        )
    return defaults.server_error(request)
