"""API of the shared core: reference data (read by everyone, written by administrators)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.request import Request
from rest_framework.response import Response

from rbm.api import filters
from rbm.api.serializers import (
    BienniumInputSerializer,
    BienniumSerializer,
    CountrySerializer,
    FundingSourceSerializer,
    OfficeInputSerializer,
    OfficeSerializer,
    RegionSerializer,
)
from rbm.api.viewsets import ApiViewSet, ReadOnlyApiViewSet
from rbm.models import Biennium, Country, FundingSource, Office, OfficeKind, Region
from rbm.services import biennium_get_or_create, office_create

TAG = ["reference data"]


class CountryFilter(filters.FilterSet):
    region = filters.CodeFilter(field_name="region__code", help_text=_("Region code, e.g. africa."))

    class Meta:
        model = Country
        fields: list[str] = []


class OfficeFilter(filters.FilterSet):
    region = filters.CodeFilter(field_name="region__code", help_text=_("Region code."))
    country = filters.CountryFilter(
        field_name="countries__alpha3", help_text=_("Offices covering this member State (alpha-3).")
    )
    kind = django_filters.ChoiceFilter(choices=OfficeKind.choices)

    class Meta:
        model = Office
        fields: list[str] = []


class BienniumFilterSet(filters.FilterSet):
    class Meta:
        model = Biennium
        fields: list[str] = []


class UpdatedSinceOnly(filters.FilterSet):
    class Meta:
        model = Region
        fields: list[str] = []


class FundingSourceFilter(filters.FilterSet):
    class Meta:
        model = FundingSource
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("The five regions")),
    retrieve=extend_schema(tags=TAG, summary=_("A region")),
)
class RegionViewSet(ReadOnlyApiViewSet):
    read_action = "reference.view"
    serializer_class = RegionSerializer
    filterset_class = UpdatedSinceOnly
    search_fields = ["code", "name"]
    ordering_fields = ["position", "code", "name"]

    def get_queryset(self) -> QuerySet[Region]:
        return Region.objects.all()


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("Member States")),
    retrieve=extend_schema(tags=TAG, summary=_("A member State")),
)
class CountryViewSet(ReadOnlyApiViewSet):
    read_action = "reference.view"
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    search_fields = ["name", "alpha3", "alpha2"]
    ordering_fields = ["name", "alpha3"]

    def get_queryset(self) -> QuerySet[Country]:
        return Country.objects.select_related("region")


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("Offices and the member States they cover")),
    retrieve=extend_schema(tags=TAG, summary=_("An office")),
    create=extend_schema(
        tags=TAG,
        summary=_("Create an office (administrators)"),
        request=OfficeInputSerializer,
        responses={201: OfficeSerializer},
    ),
)
class OfficeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "reference.view"
    write_action = "reference.manage"
    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter
    search_fields = ["code", "name"]
    ordering_fields = ["name", "code", "kind"]

    def get_queryset(self) -> QuerySet[Office]:
        return Office.objects.select_related("region").prefetch_related("countries")

    def create(self, request: Request) -> Response:
        data = self.validated(OfficeInputSerializer)
        office = office_create(user=self.acting_user(), **data)
        return self.answer(office, 201)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("Bienniums")),
    retrieve=extend_schema(tags=TAG, summary=_("A biennium")),
    create=extend_schema(
        tags=TAG,
        summary=_("Create a biennium (administrators); an existing one is returned as it is"),
        request=BienniumInputSerializer,
        responses={201: BienniumSerializer},
    ),
)
class BienniumViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "reference.view"
    write_action = "reference.manage"
    serializer_class = BienniumSerializer
    filterset_class = BienniumFilterSet
    ordering_fields = ["start_year"]

    def get_queryset(self) -> QuerySet[Biennium]:
        return Biennium.objects.all()

    def create(self, request: Request) -> Response:
        data = self.validated(BienniumInputSerializer)
        biennium = biennium_get_or_create(user=self.acting_user(), code=data["code"])
        return self.answer(biennium, 201)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("Funding sources")),
    retrieve=extend_schema(tags=TAG, summary=_("A funding source")),
)
class FundingSourceViewSet(ReadOnlyApiViewSet):
    read_action = "reference.view"
    serializer_class = FundingSourceSerializer
    filterset_class = FundingSourceFilter
    search_fields = ["code", "name"]
    ordering_fields = ["position", "code"]

    def get_queryset(self) -> QuerySet[FundingSource]:
        return FundingSource.objects.all()
