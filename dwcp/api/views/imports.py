"""API of CPO spreadsheet imports: upload, follow, retry."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from dwcp import selectors, spreadsheets
from dwcp.api.serializers import CpoImportSerializer, CpoImportUploadSerializer
from dwcp.models import CpoImport
from dwcp.spreadsheets import jobs
from rbm.api.parsers import JSONParser
from rbm.api.viewsets import ApiViewSet
from rbm.permissions import require

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
