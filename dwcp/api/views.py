"""API of country programmes, priorities, CPOs, reporting periods and progress reports.

Reads are filtered by what the user may read (``dwcp.selectors.visible_*``): a record outside
that is a 404, whatever id is sent. Writes and workflow steps call ``dwcp.services``, which
check the permission table on the record (403 for a record the user may read but not change)
and the ``version`` the client read (409 when it is stale).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from dwcp import selectors, services, spreadsheets
from dwcp.api import filters
from dwcp.api.bulk import MAX_ITEMS, cpos_bulk_save
from dwcp.api.serializers import (
    CpoBulkItemSerializer,
    CpoBulkResultSerializer,
    CpoCreateSerializer,
    CpoImportSerializer,
    CpoImportUploadSerializer,
    CpoSerializer,
    CpoUpdateSerializer,
    DwcpCreateSerializer,
    DwcpSerializer,
    DwcpUpdateSerializer,
    MovePhaseSerializer,
    PriorityCreateSerializer,
    PrioritySerializer,
    PriorityUpdateSerializer,
    ProgressReportCreateSerializer,
    ProgressReportSerializer,
    ProgressReportUpdateSerializer,
    ReportingPeriodSerializer,
    ReturnSerializer,
    SignedDocumentSerializer,
    VersionSerializer,
    cpo_page_representation,
    cpo_rows,
    read_cpo_rows,
)
from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    CpoImport,
    CpoResource,
    DecentWorkCountryProgramme,
    ProgressReport,
    ReportingPeriod,
)
from dwcp.spreadsheets import jobs
from rbm.api.parsers import JSONParser
from rbm.api.viewsets import ApiViewSet, ReadOnlyApiViewSet
from rbm.permissions import require

READ = "dwcp.list"


class DwcpApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    # Reads for everyone (filtered by scope); writes for signed-in users, checked by services.

    read_action = READ
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


# Programmes --------------------------------------------------------------------------------

DWCP_TAG = ["country programmes"]


@extend_schema_view(
    list=extend_schema(tags=DWCP_TAG, summary=_("Decent Work Country Programmes you may read")),
    retrieve=extend_schema(tags=DWCP_TAG, summary=_("A Decent Work Country Programme")),
    create=extend_schema(
        tags=DWCP_TAG,
        summary=_("Create a programme (field office staff of the country, administrators)"),
        request=DwcpCreateSerializer,
        responses={201: DwcpSerializer},
    ),
    partial_update=extend_schema(
        tags=DWCP_TAG,
        summary=_("Change a programme; `parties`, when given, replaces the list"),
        request=DwcpUpdateSerializer,
        responses={200: DwcpSerializer},
    ),
)
class DwcpViewSet(DwcpApiViewSet):
    serializer_class = DwcpSerializer
    filterset_class = filters.DwcpFilter
    search_fields = ["title", "country__name", "country__alpha3"]
    ordering_fields = ["country__name", "start_year", "phase", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[DecentWorkCountryProgramme]:
        return (
            selectors.visible_programmes(self.request.user)
            .prefetch_related("parties")
            .order_by("country__name", "-start_year", "pk")
        )

    def create(self, request: Request) -> Response:
        data = self.validated(DwcpCreateSerializer)
        parties = data.pop("parties", None)
        with transaction.atomic():
            programme = services.programme_create(user=self.acting_user(), **data)
            if parties is not None:
                services.party_set(user=self.acting_user(), programme=programme, parties=parties)
        return self.answer(programme, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        programme = self.get_object()
        data = self.validated(DwcpUpdateSerializer)
        parties = data.pop("parties", None)
        version = data.pop("version")
        with transaction.atomic():
            programme = services.programme_update(
                user=self.acting_user(), programme=programme, version=version, **data
            )
            if parties is not None:
                services.party_set(user=self.acting_user(), programme=programme, parties=parties)
        return self.answer(programme)

    @extend_schema(
        tags=DWCP_TAG,
        summary=_("Move the programme to another phase of the method"),
        request=MovePhaseSerializer,
        responses={200: DwcpSerializer},
    )
    @action(detail=True, methods=["post"], url_path="move-phase", url_name="move-phase")
    def move_phase(self, request: Request, pk: str) -> Response:
        programme = self.get_object()
        data = self.validated(MovePhaseSerializer)
        programme = services.programme_move_phase(
            user=self.acting_user(), programme=programme, **data
        )
        return self.answer(programme)

    @extend_schema(
        tags=DWCP_TAG,
        summary=_("Publish the programme: anyone can then read it"),
        request=VersionSerializer,
        responses={200: DwcpSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._publish(request, published=True)

    @extend_schema(
        tags=DWCP_TAG,
        summary=_("Withdraw the programme from the public"),
        request=VersionSerializer,
        responses={200: DwcpSerializer},
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, pk: str) -> Response:
        return self._publish(request, published=False)

    def _publish(self, request: Request, *, published: bool) -> Response:
        programme = self.get_object()
        version = self.validated(VersionSerializer)["version"]
        programme = services.programme_set_published(
            user=self.acting_user(), programme=programme, published=published, version=version
        )
        return self.answer(programme)

    @extend_schema(
        tags=DWCP_TAG,
        summary=_("Upload the signed programme document (multipart, up to 10 MB)"),
        request={"multipart/form-data": SignedDocumentSerializer},
        responses={200: DwcpSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="signed-document",
        url_name="signed-document",
        parser_classes=[MultiPartParser],
    )
    def signed_document(self, request: Request, pk: str) -> Response:
        programme = self.get_object()
        data = self.validated(SignedDocumentSerializer)
        programme = services.programme_update(
            user=self.acting_user(),
            programme=programme,
            version=data["version"],
            signed_document=data["file"],
        )
        return self.answer(programme)


# Priorities --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=DWCP_TAG, summary=_("Country programme priorities")),
    retrieve=extend_schema(tags=DWCP_TAG, summary=_("A country programme priority")),
    create=extend_schema(
        tags=DWCP_TAG,
        summary=_("Add a priority (at most three per programme)"),
        request=PriorityCreateSerializer,
        responses={201: PrioritySerializer},
    ),
    partial_update=extend_schema(
        tags=DWCP_TAG,
        summary=_("Change a priority"),
        request=PriorityUpdateSerializer,
        responses={200: PrioritySerializer},
    ),
    destroy=extend_schema(
        tags=DWCP_TAG,
        summary=_("Delete a priority that has no outcomes"),
        responses={204: None},
    ),
)
class PriorityViewSet(DwcpApiViewSet):
    serializer_class = PrioritySerializer
    filterset_class = filters.PriorityFilter
    search_fields = ["title"]
    ordering_fields = ["number", "updated_at"]

    def get_queryset(self) -> QuerySet[CountryProgrammePriority]:
        return (
            CountryProgrammePriority.objects.filter(
                selectors.programme_scope(self.request.user, "programme__")
            )
            .select_related("programme__country")
            .order_by("programme__country__name", "programme_id", "number")
        )

    def create(self, request: Request) -> Response:
        data = self.validated(PriorityCreateSerializer)
        priority = services.priority_create(user=self.acting_user(), **data)
        return self.answer(priority, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        priority = self.get_object()
        data = self.validated(PriorityUpdateSerializer)
        priority = services.priority_update(
            user=self.acting_user(),
            priority=priority,
            version=data["version"],
            title=data.get("title", priority.title),
            description=data.get("description", priority.description),
        )
        return self.answer(priority)

    def destroy(self, request: Request, pk: str) -> Response:
        priority = self.get_object()
        services.priority_delete(user=self.acting_user(), priority=priority)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Country programme outcomes ------------------------------------------------------------

CPO_TAG = ["country programme outcomes"]


@extend_schema_view(
    list=extend_schema(tags=CPO_TAG, summary=_("Country programme outcomes you may read")),
    retrieve=extend_schema(tags=CPO_TAG, summary=_("A country programme outcome")),
    create=extend_schema(
        tags=CPO_TAG,
        summary=_("Create a CPO with its milestones and resources"),
        request=CpoCreateSerializer,
        responses={201: CpoSerializer},
    ),
    partial_update=extend_schema(
        tags=CPO_TAG,
        summary=_("Change a CPO; `milestones` and `resources`, when given, replace its lists"),
        description=_(
            "Sending what is already stored changes nothing and is not an error, even with an "
            "older version."
        ),
        request=CpoUpdateSerializer,
        responses={200: CpoSerializer},
    ),
)
class CpoViewSet(DwcpApiViewSet):
    serializer_class = CpoSerializer
    filterset_class = filters.CpoFilter
    search_fields = ["code", "title"]
    ordering_fields = ["code", "biennium__start_year", "title", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[CountryProgrammeOutcome]:
        return (
            selectors.visible_cpos(self.request.user)
            .select_related(
                "programme__country__region", "biennium", "outcome", "indicator", "priority"
            )
            .prefetch_related(
                "milestones",
                Prefetch(
                    "resources", queryset=CpoResource.objects.select_related("funding_source")
                ),
            )
            .order_by(*self.default_ordering())
        )

    def list(self, request: Request) -> Response:
        # The page is read as rows, not model instances (cpo_rows), and written by hand.
        cpos = self.filter_queryset(selectors.visible_cpos(request.user).order_by())
        if cpos.query.order_by:  # ?ordering=
            rows: Sequence[dict[str, Any]] = cpo_rows(cpos)
        elif request.query_params.get("biennium"):
            rows = cpo_rows(cpos.order_by(*self.default_ordering()))
        else:
            rows = selectors.cpos_by_biennium(cpos, read_cpo_rows)
        page = self.paginate_queryset(rows)
        assert page is not None  # the API always paginates
        return self.get_paginated_response(cpo_page_representation(page))

    def default_ordering(self) -> tuple[str, ...]:
        """By biennium and code; within one biennium (the usual request) by code alone, which
        the unique index on (biennium, code) gives without a join and a sort."""
        if self.request.query_params.get("biennium"):
            return ("code", "pk")
        return ("biennium__start_year", "code", "pk")

    def create(self, request: Request) -> Response:
        serializer = CpoCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        cpo = services.cpo_create(user=self.acting_user(), **serializer.to_service_kwargs())
        return self.answer(cpo, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        cpo = self.get_object()
        serializer = CpoUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.to_service_kwargs()
        version = data.pop("version")
        cpo, _changed = services.cpo_update(
            user=self.acting_user(), cpo=cpo, version=version, **data
        )
        return self.answer(cpo)

    @extend_schema(
        tags=CPO_TAG,
        summary=_("Create and update many CPOs at once, all or nothing"),
        description=_(
            "A JSON list of at most %(max)s CPOs: with `id` and `version` an item updates that "
            "CPO (like PATCH: `version` is required), without `id` it creates one (like POST: "
            "the fields POST requires are required). If any item fails, "
            "nothing is saved and the 400 answer lists each failing item's errors under "
            "`error.items` by its index."
        )
        % {"max": MAX_ITEMS},
        request=CpoBulkItemSerializer(many=True, max_length=MAX_ITEMS),
        responses={200: CpoBulkResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        outcome = cpos_bulk_save(
            user=self.acting_user(), items=request.data, context=self.get_serializer_context()
        )
        saved = self.get_queryset().in_bulk(outcome.ids)
        return Response(
            {
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "results": self.get_serializer([saved[pk] for pk in outcome.ids], many=True).data,
            }
        )


# Reporting periods and progress reports ----------------------------------------------------

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


# CPO imports -------------------------------------------------------------------------------

IMPORT_TAG = ["CPO imports"]


@extend_schema_view(
    list=extend_schema(
        tags=IMPORT_TAG,
        summary=_("CPO spreadsheet imports, latest first (yours; every one for administrators)"),
    ),
    retrieve=extend_schema(tags=IMPORT_TAG, summary=_("A CPO spreadsheet import")),
)
class CpoImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "cpo.import"
    write_action = "cpo.import"
    serializer_class = CpoImportSerializer
    parser_classes = [MultiPartParser]
    ordering_fields = ["created_at", "status"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[CpoImport]:
        return selectors.visible_imports(self.request.user)

    def get_object(self) -> CpoImport:
        job = super().get_object()
        require(self.request.user, "cpo_import.view", job)
        return job

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        context = {**self.get_serializer_context(), "stalled": jobs.stalled_ids(page)}
        data = CpoImportSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def _accepted(self, job: CpoImport) -> Response:
        response = self.answer(job, status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("api:cpo-import-detail", args=[job.pk])
        return response

    @extend_schema(
        tags=IMPORT_TAG,
        summary=_("Upload a CPO workbook or CSV: checked now, imported by a worker (202)"),
        request={"multipart/form-data": CpoImportUploadSerializer},
        responses={202: CpoImportSerializer},
    )
    def create(self, request: Request) -> Response:
        upload = self.validated(CpoImportUploadSerializer)["file"]
        job = jobs.import_request(
            user=self.acting_user(),
            content=spreadsheets.read_upload(upload, size=upload.size),
            filename=upload.name or "",
        )
        return self._accepted(job)

    @extend_schema(
        tags=IMPORT_TAG,
        summary=_("Run a failed or stalled import again (its uploader or an administrator)"),
        request=None,
        responses={202: CpoImportSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def retry(self, request: Request, pk: str) -> Response:
        job = jobs.import_retry(user=self.acting_user(), job=self.get_object())
        return self._accepted(job)
