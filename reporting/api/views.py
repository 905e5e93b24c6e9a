"""API of the implementation report: report runs (requested, watched, retried) and the
immutable snapshots they make (read, compared, marked final, downloaded).

The Governing Body secretariat and administrators request runs and mark snapshots final
(``report.request``, ``report.finalize``); they, programme officers and outcome coordinators
read and download them (``report.view``, ``report.download``, checked on every download).
Others are refused: 401 without credentials, 403 with them.
"""

from __future__ import annotations

import io
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response

from rbm.api.viewsets import ApiViewSet
from rbm.permissions import can
from reporting import selectors, services
from reporting.api import filters
from reporting.api.serializers import (
    ReportRunRequestSerializer,
    ReportRunSerializer,
    ReportSnapshotSerializer,
    SnapshotCompareQuerySerializer,
    SnapshotComparisonSerializer,
    SnapshotFinalSerializer,
)
from reporting.exports import FORMATS, export_snapshot
from reporting.models import ReportRun, ReportSnapshot

TAG = ["implementation report"]
INCLUDE_CONTENT = "content"

# The media type of each export, as documented (a test checks them against the exports).
MEDIA_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "iati": "application/xml",
}


# Report runs -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=gettext_lazy("Report runs, latest first")),
    retrieve=extend_schema(
        tags=TAG,
        summary=gettext_lazy("A report run: poll it for its status and progress"),
    ),
    create=extend_schema(
        tags=TAG,
        summary=gettext_lazy("Request a report run (the Governing Body secretariat)"),
        description=gettext_lazy(
            "The report is compiled by the workers: the answer (202) is the queued run. Poll "
            "it until `status` is succeeded (then `snapshot` is the compiled report's id) or "
            "failed (then `error` says why). `region` is required for the scope region, "
            "`objective` for the scope objective."
        ),
        request=ReportRunRequestSerializer,
        responses={202: ReportRunSerializer},
    ),
)
class ReportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "report.view"
    write_action = "report.request"
    serializer_class = ReportRunSerializer
    filterset_class = filters.ReportRunFilter
    ordering_fields = ["created_at", "status", "updated_at"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[ReportRun]:
        return selectors.run_list()

    def _accepted(self, run: ReportRun) -> Response:
        response = self.answer(run, status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("api:report-run-detail", args=[run.pk])
        return response

    def create(self, request: Request) -> Response:
        data = self.validated(ReportRunRequestSerializer)
        run = services.report_run_request(user=self.acting_user(), **data)
        return self._accepted(run)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Run a failed or stalled run again"),
        request=None,
        responses={202: ReportRunSerializer},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        run = self.get_object()
        run = services.report_run_retry(user=self.acting_user(), run=run)
        return self._accepted(run)


# Report snapshots --------------------------------------------------------------------------


class IgnoreAccept(BaseContentNegotiation):
    """A download answers its file whatever the client accepts (errors in JSON)."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


INCLUDE = OpenApiParameter(
    "include",
    OpenApiTypes.STR,
    enum=[INCLUDE_CONTENT],
    description=gettext_lazy("content: add the compiled report (large) to each snapshot."),
)


@extend_schema_view(
    list=extend_schema(
        tags=TAG,
        summary=gettext_lazy("Report snapshots, latest first"),
        parameters=[INCLUDE],
    ),
    retrieve=extend_schema(
        tags=TAG, summary=gettext_lazy("A report snapshot"), parameters=[INCLUDE]
    ),
)
class ReportSnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "report.view"
    write_action = "report.finalize"
    serializer_class = ReportSnapshotSerializer
    filterset_class = filters.ReportSnapshotFilter
    ordering_fields = ["created_at", "updated_at"]
    http_method_names = ["get", "post", "head", "options"]

    def include_content(self) -> bool:
        value = self.request.query_params.get("include", "") if self.request else ""
        if value not in ("", INCLUDE_CONTENT):
            raise exceptions.ValidationError(
                {"include": [_("Write include=content, or leave it out.")]}
            )
        return value == INCLUDE_CONTENT

    def get_queryset(self) -> QuerySet[ReportSnapshot]:
        snapshots = selectors.snapshot_list()
        if self.action in ("download", "compare", "retrieve", "final") or (
            self.action in ("list", "retrieve") and self.include_content()
        ):
            snapshots = snapshots.defer(None)
        return snapshots

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["include_content"] = self.action in ("list", "retrieve") and self.include_content()
        return context

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Mark the snapshot final: the version the Governing Body receives"),
        description=gettext_lazy(
            "A final snapshot never changes; a snapshot is marked once. With gaps open, "
            "confirm_gaps must name every one of them by its key (400 otherwise); they are "
            "kept as final_gaps."
        ),
        request=SnapshotFinalSerializer,
        responses={200: ReportSnapshotSerializer},
    )
    @action(detail=True, methods=["post"])
    def final(self, request: Request, pk: str) -> Response:
        snapshot = self.get_object()
        data = self.validated(SnapshotFinalSerializer, data=request.data)
        snapshot = services.snapshot_mark_final(
            user=self.acting_user(), snapshot=snapshot, confirm_gaps=data["confirm_gaps"]
        )
        return self.answer(snapshot)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Download the snapshot as XLSX, DOCX, PDF, CSV or IATI 2.03 XML"),
        description=gettext_lazy(
            "Made from the snapshot's content only, in its language: a final snapshot always "
            "gives the same document. The permission is checked on every download."
        ),
        parameters=[
            OpenApiParameter(
                "export_format",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(FORMATS),
                description=gettext_lazy("xlsx, docx, pdf, csv or iati"),
            )
        ],
        responses={
            (200, media): OpenApiTypes.STR if media.startswith("text/") else OpenApiTypes.BINARY
            for media in MEDIA_TYPES.values()
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"download/(?P<export_format>[^/]+)",
        url_name="download",
        content_negotiation_class=IgnoreAccept,
    )
    def download(self, request: Request, pk: str, export_format: str) -> FileResponse:
        snapshot = self.get_object()
        if not can(request.user, "report.download", snapshot):
            raise exceptions.PermissionDenied(_("You are not allowed to do this."))
        if export_format not in FORMATS:
            raise exceptions.NotFound(
                _("Unknown format %(format)s: choose among %(formats)s.")
                % {"format": export_format, "formats": ", ".join(FORMATS)}
            )
        export = export_snapshot(snapshot, export_format)
        response = FileResponse(
            io.BytesIO(export.content),
            as_attachment=True,
            filename=export.filename,
            content_type=export.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("What changed from snapshot a to snapshot b"),
        description=gettext_lazy(
            "Every figure that differs: targets, results, resources, demand and targets."
        ),
        parameters=[
            OpenApiParameter(
                name,
                {"type": "integer", "minimum": 1},
                required=True,
                description=text,
            )
            for name, text in (
                ("a", gettext_lazy("The earlier snapshot's id.")),
                ("b", gettext_lazy("The later snapshot's id.")),
            )
        ],
        responses={200: SnapshotComparisonSerializer},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def compare(self, request: Request) -> Response:
        data = self.validated(SnapshotCompareQuerySerializer, data=request.query_params)
        before, after = data["a"], data["b"]
        changes = selectors.compare_snapshots(before, after)
        summary = ReportSnapshotSerializer(
            [before, after], many=True, context={**self.get_serializer_context()}
        ).data
        return Response(
            {
                "a": summary[0],
                "b": summary[1],
                "changes": [change.__dict__ for change in changes],
            }
        )
