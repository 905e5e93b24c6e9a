"""Serializer fields for reference data, written and read by code, not by id.

A biennium is "2012-13", a region "africa", a member State "IDN", a funding source "RB":
what people write in spreadsheets and what other systems already know.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rbm.fields import max_length, model_field
from rbm.ids import MAX_ID, parse_id
from rbm.models import Biennium, Country, FundingSource, Region
from rbm.text import text_validator

BIENNIUM_SCHEMA = {"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2012-13"}


@extend_schema_field(BIENNIUM_SCHEMA)
class BienniumField(serializers.Field):  # type: ignore[type-arg]
    """A biennium by its code ("2012-13"); it must exist."""

    default_error_messages = {
        "invalid": _("Write the biennium as 2012-13."),
        "does_not_exist": _("There is no biennium %(code)s."),
    }

    def to_representation(self, value: Biennium) -> str:
        return value.code

    def to_internal_value(self, data: Any) -> Biennium:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            start, _end = Biennium.parse_code(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        biennium = Biennium.objects.filter(start_year=start).first()
        if biennium is None:
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"code": data.strip()}
            )
        return biennium


@extend_schema_field({"type": "string"})
class CodeField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A related record by its code; codes of member States are upper-cased."""

    def __init__(self, model: type[Model], slug_field: str = "code", **kwargs: Any) -> None:
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.all())
        self.upper = model is Country
        super().__init__(slug_field=slug_field, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and self.upper:
            data = data.strip().upper()
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


def region_field(**kwargs: Any) -> CodeField:
    return CodeField(Region, help_text=_("Region code, e.g. africa."), **kwargs)


def country_field(**kwargs: Any) -> CodeField:
    return CodeField(
        Country, slug_field="alpha3", help_text=_("ISO 3166-1 alpha-3 code, e.g. IDN."), **kwargs
    )


def funding_source_field(**kwargs: Any) -> CodeField:
    return CodeField(FundingSource, help_text=_("Funding source code, e.g. RB."), **kwargs)


class IdField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A related record by id, looked up in ``queryset`` (e.g. only what the user may read)."""

    def __init__(self, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        if queryset is not None:
            kwargs["queryset"] = queryset
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or (isinstance(data, int) and not 0 < data <= MAX_ID):
            self.fail("does_not_exist", pk_value=data)
        if isinstance(data, str) and parse_id(data) is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def model_text_field(model: type[Model], name: str, **kwargs: Any) -> serializers.CharField:
    """A text field as long as the model's field (``rbm.fields``), refusing what the model's
    field refuses (control characters: ``rbm.text``): the model holds the rule, the
    serializer takes it from there."""
    validators = [*kwargs.pop("validators", []), text_validator(model_field(model, name))]
    return serializers.CharField(
        max_length=max_length(model, name), validators=validators, **kwargs
    )


@extend_schema_field({"type": "string", "format": "uri", "nullable": True, "readOnly": True})
class StoredFileLinkField(serializers.Field):  # type: ignore[type-arg]
    """A stored file as the address of the view that serves it after checking the reader's
    permission (``url_name`` with the record's id), or null when there is none. The file's
    storage path is never shown: nothing serves the media folder itself (``rbm.files``)."""

    def __init__(self, url_name: str, **kwargs: Any) -> None:
        self.url_name = url_name
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        stored = getattr(value, self.field_name or "")
        if not stored:
            return None
        url = reverse(self.url_name, args=[value.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
