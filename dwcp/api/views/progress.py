"""API of reporting periods and progress reports with their review steps."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from dwcp import selectors, services
from dwcp.api import filters
from dwcp.api.serializers import (
    ProgressReportCreateSerializer,
    ProgressReportSerializer,
    ProgressReportUpdateSerializer,
    ReportingPeriodSerializer,
    ReturnSerializer,
    VersionSerializer,
)
from dwcp.api.views.common import READ, DwcpApiViewSet
from dwcp.models import ProgressReport, ReportingPeriod
from rbm.api.parsers import JSONParser
from rbm.api.viewsets import ReadOnlyApiViewSet
from rbm.files import file_response

PROGRESS_TAG = ["progress reports"]


@extend_schema_view(
    list=extend_schema(tags=PROGRESS_TAG, summary=_("Reporting periods")),
    retrieve=extend_schema(tags=PROGRESS_TAG, summary=_("A reporting period")),
)
class ReportingPeriodViewSet(ReadOnlyApiViewSet):
    read_action = READ
    serializer_class = ReportingPeriodSerializer
    filterset_class = filters.ReportingPeriodFilter
    ordering_fields = ["starts_on", "code"]

    def get_queryset(self) -> QuerySet[ReportingPeriod]:
        return ReportingPeriod.objects.select_related("biennium").order_by("starts_on", "pk")


@extend_schema_view(
    list=extend_schema(tags=PROGRESS_TAG, summary=_("Progress reports you may read")),
    retrieve=extend_schema(tags=PROGRESS_TAG, summary=_("A progress report")),
    create=extend_schema(
        tags=PROGRESS_TAG,
        summary=_("Report progress on a CPO for a period (JSON, or multipart with a file)"),
        request={
            "application/json": ProgressReportCreateSerializer,
            "multipart/form-data": ProgressReportCreateSerializer,
        },
        responses={201: ProgressReportSerializer},
    ),
    partial_update=extend_schema(
        tags=PROGRESS_TAG,
        summary=_("Change a draft or returned report (JSON, or multipart with a file)"),
        request={
            "application/json": ProgressReportUpdateSerializer,
            "multipart/form-data": ProgressReportUpdateSerializer,
        },
        responses={200: ProgressReportSerializer},
    ),
)
class ProgressReportViewSet(DwcpApiViewSet):
    serializer_class = ProgressReportSerializer
    filterset_class = filters.ProgressReportFilter
    search_fields = ["narrative", "cpo__code"]
    ordering_fields = ["period__starts_on", "submitted_at", "updated_at"]
    parser_classes = [JSONParser, MultiPartParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[ProgressReport]:
        return (
            selectors.visible_reports(self.request.user)
            .select_related(
                "cpo__programme__country__region",
                "cpo__biennium",
                "period",
                "submitted_by",
                "validated_by",
            )
            # In the order they were written, which the primary key gives: by period and CPO
            # code the list sorted every readable report before taking a page (2.6 s at
            # 2.4 million reports). ?ordering=period__starts_on still sorts by period.
            .order_by("pk")
        )

    def create(self, request: Request) -> Response:
        data = self.validated(ProgressReportCreateSerializer)
        report = services.progress_report_create(user=self.acting_user(), **data)
        return self.answer(report, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        data = self.validated(ProgressReportUpdateSerializer)
        version = data.pop("version")
        report = services.progress_report_update(
            user=self.acting_user(), report=report, version=version, **data
        )
        return self.answer(report)

    def _step(self, service: Any, serializer_class: type = VersionSerializer) -> Response:
        report = self.get_object()
        data = self.validated(serializer_class)
        report = service(user=self.acting_user(), report=report, **data)
        return self.answer(report)

    @extend_schema(
        tags=PROGRESS_TAG,
        summary=_("Download the report's evidence file (who may read the report)"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def evidence(self, request: Request, pk: str) -> FileResponse:
        return file_response(self.get_object().evidence_file)

    @extend_schema(
        tags=PROGRESS_TAG,
        summary=_("Submit the report for validation (the office)"),
        request=VersionSerializer,
        responses={200: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def submit(self, request: Request, pk: str) -> Response:
        return self._step(services.progress_report_submit)

    @extend_schema(
        tags=PROGRESS_TAG,
        summary=_("Validate a submitted report (the regional officer)"),
        request=VersionSerializer,
        responses={200: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def validate(self, request: Request, pk: str) -> Response:
        return self._step(services.progress_report_validate)

    @extend_schema(
        tags=PROGRESS_TAG,
        summary=_("Return a submitted report for revision, with a comment"),
        request=ReturnSerializer,
        responses={200: ProgressReportSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        parser_classes=[JSONParser],
    )
    def return_report(self, request: Request, pk: str) -> Response:
        return self._step(services.progress_report_return, ReturnSerializer)
