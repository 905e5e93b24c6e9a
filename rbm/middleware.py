"""Headers every answer carries: what a browser may use, and what a cache may keep.

- ``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``): no page uses the camera, the
  microphone, geolocation and the like, so none may.
- ``Cache-Control: private, no-store`` on every answer to a signed-in user and on every API
  answer: what is personal is kept by no cache, shared or the browser's (the back button after
  signing out shows nothing). Public pages to visitors keep what their views say.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation

PRIVATE = "private, no-store"


class PrivateResponsesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            response["Cache-Control"] = PRIVATE
        return response


class ApiLanguageMiddleware:
    """``?lang=fr`` on an API request chooses its language, over ``Accept-Language`` (which
    ``LocaleMiddleware``, before this one, has read). An unknown code is ignored: the
    answer says the language it is in (``Content-Language``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = request.GET.get("lang", "") if request.path.startswith("/api/") else ""
        if language not in self.languages:
            return self.get_response(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response["Content-Language"] = language
        return response
