"""Serializers of the shared core: regions, member States, offices, bienniums, funding sources."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rbm.api.fields import CodeField, country_field, region_field
from rbm.models import Biennium, Country, FundingSource, Office, OfficeKind, Region

TIMESTAMPS = ("created_at", "updated_at")


class RegionSerializer(serializers.ModelSerializer[Region]):
    label = serializers.CharField(  # type: ignore[assignment]
        read_only=True, help_text=_("The name in the active language.")
    )

    class Meta:
        model = Region
        fields = ("id", "code", "name", "label", "position", *TIMESTAMPS)
        read_only_fields = fields


class CountrySerializer(serializers.ModelSerializer[Country]):
    label = serializers.CharField(  # type: ignore[assignment]
        read_only=True, help_text=_("The name in the active language.")
    )
    region = CodeField(Region, read_only=True)

    class Meta:
        model = Country
        fields = ("id", "alpha3", "alpha2", "name", "label", "region", *TIMESTAMPS)
        read_only_fields = fields


class OfficeSerializer(serializers.ModelSerializer[Office]):
    region = CodeField(Region, read_only=True, allow_null=True)
    countries = CodeField(Country, slug_field="alpha3", many=True, read_only=True)

    class Meta:
        model = Office
        fields = ("id", "code", "name", "kind", "region", "countries", *TIMESTAMPS)
        read_only_fields = fields


class OfficeInputSerializer(serializers.Serializer[Any]):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=160)
    kind = serializers.ChoiceField(choices=OfficeKind.choices)
    region = region_field(required=False, allow_null=True, default=None)
    countries = country_field(many=True, required=False, default=list)


class BienniumSerializer(serializers.ModelSerializer[Biennium]):
    code = serializers.CharField(read_only=True, help_text=_("e.g. 2012-13"))

    class Meta:
        model = Biennium
        fields = ("id", "code", "start_year", "end_year", *TIMESTAMPS)
        read_only_fields = fields


class BienniumInputSerializer(serializers.Serializer[Any]):
    code = serializers.RegexField(
        r"^\d{4}-\d{2}$", max_length=7, help_text=_("The biennium to create, e.g. 2016-17.")
    )


class FundingSourceSerializer(serializers.ModelSerializer[FundingSource]):
    label = serializers.CharField(  # type: ignore[assignment]
        read_only=True, help_text=_("The name in the active language.")
    )

    class Meta:
        model = FundingSource
        fields = ("id", "code", "name", "label", "position", *TIMESTAMPS)
        read_only_fields = fields
