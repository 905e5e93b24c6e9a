"""How often the API answers one caller: per address for anonymous callers, per user for
signed-in ones (session or token), and how many wrong keys an address may try.

Rates are read from ``settings.API_THROTTLE_RATES`` when a request comes (not when this module
is imported), so that a deployment, or a test, sets them like any other setting; a rate of
``None`` turns that limit off. Counts live in the cache: in production share it (Redis), or
each process counts alone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        rate: str | None = settings.API_THROTTLE_RATES.get(self.scope or "")
        return rate


class AnonymousThrottle(_SettingsRate, AnonRateThrottle):
    scope = "anon"


class UserThrottle(_SettingsRate, UserRateThrottle):
    scope = "user"


class BadKeyThrottle(_SettingsRate):
    """Wrong API keys from one address: past the rate, every key from it is refused (429) until
    the window passes, the right one too, so that keys cannot be guessed by trying."""

    scope = "bad_key"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def wait_before_trying(self, request: Request) -> float | None:
        """Seconds the address must wait before sending a key again; None when it may now."""
        if self.rate is None:
            return None
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        num_requests, duration = self.parse_rate(self.rate)
        while self.history and self.history[-1] <= self.now - (duration or 0):
            self.history.pop()
        if len(self.history) >= (num_requests or 0):
            return self.wait() or 1.0
        return None

    def record_wrong_key(self, request: Request) -> None:
        if self.rate is None:
            return
        self.wait_before_trying(request)
        self.throttle_success()
