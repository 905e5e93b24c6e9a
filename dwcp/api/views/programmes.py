"""API of country programmes and their priorities."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponseBase
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
    DwcpCreateSerializer,
    DwcpSerializer,
    DwcpUpdateSerializer,
    MovePhaseSerializer,
    PriorityCreateSerializer,
    PrioritySerializer,
    PriorityUpdateSerializer,
    SignedDocumentSerializer,
    VersionSerializer,
)
from dwcp.api.views.common import DwcpApiViewSet
from dwcp.models import CountryProgrammePriority, DecentWorkCountryProgramme
from rbm.files import file_response

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
        methods=["GET"],
        tags=DWCP_TAG,
        summary=_("Download the signed programme document (who may read the programme)"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @extend_schema(
        methods=["POST"],
        tags=DWCP_TAG,
        summary=_("Upload the signed programme document (multipart, up to 10 MB)"),
        request={"multipart/form-data": SignedDocumentSerializer},
        responses={200: DwcpSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="signed-document",
        url_name="signed-document",
        parser_classes=[MultiPartParser],
    )
    def signed_document(self, request: Request, pk: str) -> HttpResponseBase:
        programme = self.get_object()
        if request.method == "GET":
            return file_response(programme.signed_document)
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
