"""Limits and fields the workplans' serializers share."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rbm.api.fields import CodeField
from rbm.models import Region, User

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}
GLOBAL = "global"
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_RESOURCE_LINES = 100
TEXT = 5000  # the longest comment or corrective action the pages take
LONG_TEXT = 20000  # the longest strategy text or assessment

AMOUNTS = serializers.DictField(
    child=serializers.DecimalField(max_digits=17, decimal_places=2), read_only=True
)


def region_or_global(help_text: Any) -> CodeField:
    """A region by code, or null for global and headquarters work."""
    return CodeField(Region, required=False, allow_null=True, default=None, help_text=help_text)


def username_field(**kwargs: Any) -> CodeField:
    return CodeField(User, slug_field="username", read_only=True, allow_null=True, **kwargs)
