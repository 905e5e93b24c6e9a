"""What every write serializer shares: the version the client read, and the review steps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

YEAR: dict[str, Any] = {"min_value": 1990, "max_value": 2100}
COUNT: dict[str, Any] = {"min_value": 0, "max_value": 2_147_483_647}
MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2, "min_value": Decimal(0)}
VERSION_HELP = gettext_lazy("The version you read: a newer stored version refuses the write (409).")


def request_user(serializer: serializers.Serializer[Any]) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def version_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=2_147_483_647, help_text=VERSION_HELP, **kwargs
    )


class VersionSerializer(serializers.Serializer[Any]):
    version = version_field()


class ReturnSerializer(serializers.Serializer[Any]):
    version = version_field()
    comment = serializers.CharField(help_text=gettext_lazy("What to revise (required)."))
