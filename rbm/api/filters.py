"""What the apps' FilterSets are built from, and strict search and ordering.

Every filter validates its value: a value that cannot be what it names ("2012-14" as a
biennium, "abc" as an id, "maybe" as a boolean, an unknown ordering field) is a 400 naming
the parameter, never an empty list by accident and never a 500.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters
from rest_framework.request import Request

from rbm.ids import MAX_ID, NUMBER
from rbm.models import Biennium


class BienniumCodeField(forms.CharField):
    """A biennium code ("2012-13"), cleaned to its start year."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        start, _end = Biennium.parse_code(text)
        return start


class StrictBooleanField(forms.Field):
    """``true``/``false`` (or 1/0, yes/no); anything else is an error, not "no filter"."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise ValidationError(_("Use true or false."), code="invalid")


class SafeIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 datetime that the database can compare (years 1 to 9999 in UTC)."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        result = super().to_python(value)
        if result is None:
            return None
        try:
            # In UTC: the database refuses offsets beyond ±15:59 that ISO 8601 allows.
            return result.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise ValidationError(_("This moment is out of range."), code="invalid") from None


class IdField(forms.IntegerField):
    """An id as ``rbm.ids.parse_id`` reads it: ASCII digits, from 1."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not NUMBER.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)  # the range is checked by min_value and max_value


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2012-13"})
class BienniumFilter(django_filters.Filter):
    """``?biennium=2012-13`` on ``field_name`` (a path to a Biennium)."""

    field_class = BienniumCodeField

    def filter(self, qs: QuerySet[Any], value: int | None) -> QuerySet[Any]:
        if value is None:
            return qs
        # ``= (SELECT id ...)``, not a join on the start year: the database then reads the
        # rows of one biennium through the index on the foreign key (see ADR 0009).
        biennium = Biennium.objects.filter(start_year=value).values("pk")[:1]
        return qs.filter(**{self.field_name: Subquery(biennium)})


@extend_schema_field({"type": "string"})
class CodeFilter(django_filters.CharFilter):
    """A code (region "africa", funding source "RB"): exact, format checked."""

    def __init__(self, *args: Any, pattern: str = r"^[A-Za-z0-9_-]{1,40}$", **kwargs: Any) -> None:
        kwargs.setdefault("validators", [RegexValidator(pattern, _("This is not a valid code."))])
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{3}$", "example": "IDN"})
class CountryFilter(django_filters.CharFilter):
    """A member State by ISO 3166-1 alpha-3 code (case-insensitive)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "validators",
            [RegexValidator(r"^[A-Za-z]{3}$", _("Use the three-letter ISO code, e.g. IDN."))],
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: str | None) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(**{self.field_name: value.upper()}).distinct()


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """A record by id: a whole number from 1."""

    field_class = IdField

    def filter(self, qs: QuerySet[Any], value: int | None) -> QuerySet[Any]:
        if value is None:
            return qs
        qs = qs.filter(**{self.field_name: value})
        return qs.distinct() if self.distinct else qs


@extend_schema_field({"type": "boolean"})
class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = SafeIsoDateTimeField


class FilterSet(django_filters.FilterSet):
    """Every domain resource can be read incrementally: ``?updated_since=<ISO datetime>``."""

    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_(
            "Only records changed at or after this moment (ISO 8601, e.g. 2026-01-31T12:00:00Z)."
        ),
    )


def covers_biennium(prefix: str = "") -> Any:
    """A filter method: records whose start_year..end_year period meets the biennium."""

    def method(qs: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(
            Q(**{f"{prefix}start_year__lte": value + 1}) & Q(**{f"{prefix}end_year__gte": value})
        )

    return method


class SearchFilter(filters.SearchFilter):
    """DRF's search; a value it cannot search for is a 400 on ``search``."""

    def get_search_terms(self, request: Request) -> list[str]:
        try:
            return list(super().get_search_terms(request))
        except exceptions.ValidationError as error:
            raise exceptions.ValidationError({self.search_param: error.detail}) from None


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering; an unknown field is a 400, and ties are broken by id."""

    def remove_invalid_fields(
        self, queryset: QuerySet[Any], fields: Iterable[str], view: Any, request: Request
    ) -> list[str]:
        fields = [term for term in fields if term]
        valid = [item[0] for item in self.get_valid_fields(queryset, view, {"request": request})]
        wrong = [term for term in fields if term.lstrip("-") not in valid]
        if wrong:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Unknown ordering %(fields)s; choose among %(valid)s.")
                        % {"fields": ", ".join(wrong), "valid": ", ".join(valid)}
                    ]
                }
            )
        return fields

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering, "pk")
        return queryset
