"""Serializers of country programmes, their tripartite parties and priorities."""

from __future__ import annotations

from typing import Any

from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from dwcp import selectors
from dwcp.api.serializers.common import YEAR, request_user, version_field
from dwcp.models import (
    DOCUMENT_EXTENSIONS,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    PartyKind,
    Phase,
    TripartiteParty,
    validate_upload_size,
)
from rbm.api.fields import CodeField, IdField, StoredFileLinkField, country_field
from rbm.api.serializers import TIMESTAMPS
from rbm.models import Country, Office, Region


class PartySerializer(serializers.ModelSerializer[TripartiteParty]):
    class Meta:
        model = TripartiteParty
        fields = ("kind", "name", "agreed_on")
        read_only_fields = fields


class PartyInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    name = serializers.CharField(max_length=250)
    agreed_on = serializers.DateField(required=False, allow_null=True, default=None)


class DwcpSerializer(serializers.ModelSerializer[DecentWorkCountryProgramme]):
    country = CodeField(Country, slug_field="alpha3", read_only=True)
    region = CodeField(Region, source="country.region", read_only=True)
    office = serializers.PrimaryKeyRelatedField[Office](read_only=True)
    period = serializers.CharField(read_only=True)
    undaf_url = serializers.CharField(read_only=True)
    national_plan_url = serializers.CharField(read_only=True)
    signed_document = StoredFileLinkField("api:dwcp-signed-document")
    parties = PartySerializer(many=True, read_only=True)

    class Meta:
        model = DecentWorkCountryProgramme
        fields = (
            "id",
            "country",
            "region",
            "office",
            "title",
            "start_year",
            "end_year",
            "period",
            "phase",
            "undaf_title",
            "undaf_url",
            "national_plan_title",
            "national_plan_url",
            "signed_document",
            "published",
            "published_at",
            "parties",
            "version",
            *TIMESTAMPS,
        )
        read_only_fields = fields


class DwcpFieldsSerializer(serializers.Serializer[Any]):
    office = IdField(Office.objects.all(), help_text=gettext_lazy("The responsible office's id."))
    title = serializers.CharField(max_length=250)
    start_year = serializers.IntegerField(**YEAR)
    end_year = serializers.IntegerField(**YEAR)
    undaf_title = serializers.CharField(max_length=250, required=False, allow_blank=True)
    undaf_url = serializers.URLField(max_length=200, required=False, allow_blank=True)
    national_plan_title = serializers.CharField(max_length=250, required=False, allow_blank=True)
    national_plan_url = serializers.URLField(max_length=200, required=False, allow_blank=True)
    parties = PartyInputSerializer(
        many=True,
        required=False,
        help_text=gettext_lazy("When given, replaces the list of tripartite parties."),
    )


class DwcpCreateSerializer(DwcpFieldsSerializer):
    country = country_field()


class DwcpUpdateSerializer(DwcpFieldsSerializer):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class MovePhaseSerializer(serializers.Serializer[Any]):
    phase = serializers.ChoiceField(choices=Phase.choices)
    version = version_field()


class SignedDocumentSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_upload_size],
        help_text=gettext_lazy("PDF, Word or OpenDocument, up to 10 MB."),
    )
    version = version_field()


# Priorities --------------------------------------------------------------------------------


class PrioritySerializer(serializers.ModelSerializer[CountryProgrammePriority]):
    country = CodeField(Country, slug_field="alpha3", source="programme.country", read_only=True)

    class Meta:
        model = CountryProgrammePriority
        fields = (
            "id",
            "programme",
            "country",
            "number",
            "title",
            "description",
            "version",
            *TIMESTAMPS,
        )
        read_only_fields = fields


class PriorityCreateSerializer(serializers.Serializer[Any]):
    programme = IdField(DecentWorkCountryProgramme.objects.none())
    title = serializers.CharField(max_length=250)
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.visible_programmes(request_user(self))  # type: ignore[attr-defined]


class PriorityUpdateSerializer(serializers.Serializer[Any]):
    version = version_field()
    title = serializers.CharField(max_length=250, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
