"""API of published tables and their comparison with the records."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from rbm.api.parsers import JSONParser
from rbm.api.viewsets import ApiViewSet
from rbm.errors import ApplicationError
from workplans import selectors, services
from workplans.api import filters
from workplans.api.serializers import (
    ComparisonSerializer,
    PublishedTableDetailSerializer,
    PublishedTableInputSerializer,
    PublishedTableSerializer,
    difference_data,
)
from workplans.api.views.workplan import TAG
from workplans.models import PublishedTable


@extend_schema_view(
    list=extend_schema(
        tags=TAG, summary=gettext_lazy("Published tables of demand and targets (as printed)")
    ),
    retrieve=extend_schema(
        tags=TAG, summary=gettext_lazy("A published table, with its figures as printed")
    ),
    create=extend_schema(
        tags=TAG,
        summary=gettext_lazy("Record a published table from CSV (programme officers)"),
        description=gettext_lazy(
            "JSON with the CSV text in `csv`, or multipart with the CSV file in `file`: "
            "columns outcome,region,demand,target, “Total” for the totals. All or nothing: "
            "a file with errors saves nothing, and the 400 answer lists every error under "
            "`error.rows` (`row`, `column`, `message`)."
        ),
        request={
            "application/json": PublishedTableInputSerializer,
            "multipart/form-data": PublishedTableInputSerializer,
        },
        responses={201: PublishedTableDetailSerializer},
    ),
)
class PublishedTableViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "workplan.table"
    serializer_class = PublishedTableSerializer
    filterset_class = filters.PublishedTableFilter
    search_fields = ["name", "source"]
    ordering_fields = ["created_at", "name"]
    parser_classes = [JSONParser, MultiPartParser]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[PublishedTable]:
        tables = selectors.published_tables().order_by("-created_at", "-pk")
        if self.action != "list":
            tables = tables.prefetch_related("figures")
        return tables

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return PublishedTableSerializer
        return PublishedTableDetailSerializer

    def create(self, request: Request) -> Response:
        data = self.validated(PublishedTableInputSerializer)
        try:
            table = services.published_table_record(user=self.acting_user(), **data)
        except services.PublishedFiguresInvalid as error:
            raise ApplicationError(
                error.message, extra={"rows": [e.__dict__ for e in error.errors]}
            ) from None
        return self.answer(table, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Where the published table differs from what the records give"),
        responses={200: ComparisonSerializer},
    )
    @action(detail=True, methods=["get"])
    def comparison(self, request: Request, pk: str) -> Response:
        published = self.get_object()
        table = selectors.demand_target_table(published.biennium)
        differences = selectors.compare_with_published(table, published)
        return Response(
            {
                "table": published.pk,
                "name": published.name,
                "biennium": published.biennium.code,
                "figure_count": len(published.figures.all()),
                "differences": [difference_data(d) for d in differences],
            }
        )
