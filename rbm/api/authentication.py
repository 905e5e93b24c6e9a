"""API tokens: ``Authorization: Token <key>`` (or ``Bearer <key>``) for scripts and systems.

Users create and revoke their tokens on their account page (``rbm.views``); only a hash of
each key is stored (``rbm.models.ApiToken``). A wrong or revoked key is a 401, never a silent
fall-back to the anonymous user.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from rbm.api.throttling import BadKeyThrottle
from rbm.models import ApiToken, User
from rbm.services import api_token_hash, api_token_touch

KEYWORDS = (b"token", b"bearer")


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the key as “Authorization: Token <key>”, with no spaces in the key.")
            )
        throttle = BadKeyThrottle()
        wait = throttle.wait_before_trying(request)
        if wait is not None:
            raise exceptions.Throttled(wait)
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            throttle.record_wrong_key(request)
            raise exceptions.AuthenticationFailed(_("This key is not valid.")) from None
        try:
            return self.authenticate_key(key)
        except exceptions.AuthenticationFailed:
            throttle.record_wrong_key(request)
            raise

    def authenticate_key(self, key: str) -> tuple[User, ApiToken]:
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=api_token_hash(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("This key is not valid or was revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "rbm.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "“Token <key>” (or “Bearer <key>”), with a key created on your account page."
            ),
        }
