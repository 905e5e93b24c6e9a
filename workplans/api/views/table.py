"""API of the demand-and-target table, as JSON or CSV."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, renderers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rbm.api.schema import AutoSchema
from workplans import selectors
from workplans.api.serializers import DemandTargetTableSerializer, TableQuerySerializer, table_data
from workplans.api.views.workplan import TAG
from workplans.exports import table_csv
from workplans.models import OutcomeWorkplan


class CsvRenderer(renderers.BaseRenderer):
    """``?format=csv`` (or ``Accept: text/csv``): the view hands over the CSV text."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        return str(data).encode(self.charset)


class JsonErrorsSchema(AutoSchema):
    """Errors are documented as JSON only: they answer in the one shape, whatever format the
    success is asked in."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, response in responses.items():
            if not code.startswith("2") and "content" in response:
                response["content"] = {
                    media: body
                    for media, body in response["content"].items()
                    if media == "application/json"
                }
        return responses


@extend_schema(
    tags=TAG,
    summary=gettext_lazy("Demand and targets by outcome and region (Table 1)"),
    description=gettext_lazy(
        "Computed from the CPOs: demand counts the CPOs prioritized by constituents, target "
        "those the Office targets; totals are the sums of the records. `flagged`: the target "
        "exceeds the demand. With `format=csv`, the CSV export: outcome,region,demand,target, "
        "one row per cell, then each outcome's total, each region's total and the grand total."
    ),
    parameters=[
        OpenApiParameter(
            "biennium",
            {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
            required=True,
            description=gettext_lazy("Biennium code, e.g. 2012-13."),
        ),
        OpenApiParameter(
            "region",
            OpenApiTypes.STR,
            description=gettext_lazy("Only this region (code, e.g. africa)."),
        ),
    ],
    responses={
        (200, "application/json"): DemandTargetTableSerializer,
        (200, "text/csv"): OpenApiTypes.STR,
    },
)
class DemandTargetTableView(APIView):
    read_action = "workplan.table"
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, CsvRenderer]
    schema = JsonErrorsSchema()

    def get(self, request: Request) -> Response:
        query = TableQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        biennium, region = query.validated_data["biennium"], query.validated_data["region"]
        if biennium not in selectors.framework_bienniums():
            raise exceptions.ValidationError(
                {
                    "biennium": [
                        _("No programme and budget covers %(code)s: there is no table to compute.")
                        % {"code": biennium.code}
                    ]
                }
            )
        table = selectors.demand_target_table(biennium, region=region)
        if request.accepted_renderer.format == CsvRenderer.format:
            name = f"demand-and-targets-{biennium.code}" + (f"-{region.code}" if region else "")
            response = Response(table_csv(table))
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        workplans = {w.outcome_id: w.pk for w in OutcomeWorkplan.objects.filter(biennium=biennium)}
        return Response(table_data(table, region=region, workplans=workplans))

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        try:
            return super().perform_content_negotiation(request, force)
        except (Http404, exceptions.NotFound):
            raise exceptions.ValidationError(
                {"format": [_("Ask for format=json or format=csv.")]}
            ) from None

    def handle_exception(self, exc: Exception) -> Response:
        # Errors answer in the one JSON shape, whatever format was asked for.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return super().handle_exception(exc)
