"""API of outcome-based workplans, mid-term reviews, the demand-and-target table and published
tables.

Every signed-in user reads workplans (``workplan.view``) and the table (``workplan.table``);
visitors are asked to authenticate (401). Writes and workflow steps call
``workplans.services``, which check the permission table on the workplan (the coordinators of
its outcome, programme officers, administrators: 403 for others) and the ``version`` the
client read (409 when it is stale).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, renderers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dwcp.api.serializers import ReturnSerializer, VersionSerializer
from rbm.api.parsers import JSONParser
from rbm.api.schema import AutoSchema
from rbm.api.viewsets import ApiViewSet
from rbm.errors import ApplicationError
from strategic_plans.api.serializers import OutcomeStrategySerializer
from strategic_plans.models import OutcomeStrategy, StrategyElement
from workplans import selectors, services
from workplans.api import filters
from workplans.api.serializers import (
    CommentSerializer,
    ComparisonSerializer,
    CorrectiveActionSerializer,
    DemandTargetTableSerializer,
    MidTermReviewCreateSerializer,
    MidTermReviewSerializer,
    MidTermReviewUpdateSerializer,
    PublishedTableDetailSerializer,
    PublishedTableInputSerializer,
    PublishedTableSerializer,
    ReallocationSerializer,
    StrategyTextSerializer,
    TableQuerySerializer,
    WorkplanEventSerializer,
    WorkplanOpenResultSerializer,
    WorkplanOpenSerializer,
    WorkplanResourcesSerializer,
    WorkplanSerializer,
    difference_data,
    table_data,
)
from workplans.exports import table_csv
from workplans.models import (
    CorrectiveAction,
    MidTermReview,
    OutcomeWorkplan,
    PublishedTable,
    Reallocation,
    WorkplanResource,
)

TAG = ["outcome-based workplans"]
ELEMENT_PATTERN = "[A-Za-z0-9_-]{1,40}"


# Workplans ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=gettext_lazy("Outcome-based workplans")),
    retrieve=extend_schema(
        tags=TAG, summary=gettext_lazy("An outcome-based workplan, with its resources")
    ),
)
class WorkplanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "workplan.view"
    serializer_class = WorkplanSerializer
    filterset_class = filters.WorkplanFilter
    search_fields = ["outcome__code", "outcome__title"]
    ordering_fields = ["biennium__start_year", "outcome__position", "status", "updated_at"]
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self) -> QuerySet[OutcomeWorkplan]:
        return selectors.workplan_list().prefetch_related(
            Prefetch(
                "resources",
                queryset=WorkplanResource.objects.select_related("funding_source", "region"),
            )
        )

    def _step(self, service: Any, serializer_class: type = VersionSerializer) -> Response:
        workplan = self.get_object()
        data = self.validated(serializer_class)
        workplan = service(user=self.acting_user(), workplan=workplan, **data)
        return self.answer(workplan)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Submit the workplan to the programme officers (its coordinator)"),
        request=VersionSerializer,
        responses={200: WorkplanSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._step(services.workplan_submit)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Approve a submitted workplan (programme officers)"),
        request=VersionSerializer,
        responses={200: WorkplanSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._step(services.workplan_approve)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Return a submitted workplan to its coordinator, with a comment"),
        request=ReturnSerializer,
        responses={200: WorkplanSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_workplan(self, request: Request, pk: str) -> Response:
        return self._step(services.workplan_return, ReturnSerializer)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Add a comment to the review thread"),
        request=CommentSerializer,
        responses={201: WorkplanEventSerializer},
    )
    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: str) -> Response:
        workplan = self.get_object()
        data = self.validated(CommentSerializer)
        event = services.workplan_comment(user=self.acting_user(), workplan=workplan, **data)
        return Response(WorkplanEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("The review thread: comments and workflow steps, oldest first"),
        responses={200: WorkplanEventSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request: Request, pk: str) -> Response:
        workplan = self.get_object()
        events = workplan.events.select_related("author").order_by("created_at", "pk")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(WorkplanEventSerializer(page, many=True).data)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Replace the workplan's resources by funding source and region"),
        description=gettext_lazy(
            "Send every line: a line not sent, or of 0, is removed. Only a draft or returned "
            "workplan changes; after approval, money moves through the mid-term review."
        ),
        request=WorkplanResourcesSerializer,
        responses={200: WorkplanSerializer},
    )
    @action(detail=True, methods=["put"])
    def resources(self, request: Request, pk: str) -> Response:
        workplan = self.get_object()
        data = self.validated(WorkplanResourcesSerializer)
        workplan = services.workplan_resources_set(
            user=self.acting_user(),
            workplan=workplan,
            version=data["version"],
            lines={
                (line["funding_source"], line["region"]): line["amount"] for line in data["lines"]
            },
        )
        return self.answer(workplan)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Write one element of the workplan's strategy"),
        description=gettext_lazy(
            "The element by its code (e.g. knowledge); the text is kept as the outcome's "
            "strategy for the biennium, also at /api/v1/outcome-strategies/."
        ),
        request=StrategyTextSerializer,
        responses={200: OutcomeStrategySerializer},
    )
    @action(
        detail=True,
        methods=["put"],
        url_path=f"strategy/(?P<element>{ELEMENT_PATTERN})",
        url_name="strategy",
    )
    def strategy(self, request: Request, pk: str, element: str) -> Response:
        workplan = self.get_object()
        chosen = StrategyElement.objects.filter(code=element).first()
        if chosen is None:
            raise exceptions.NotFound(
                _("There is no strategy element %(code)s.") % {"code": element}
            )
        data = self.validated(StrategyTextSerializer)
        services.workplan_strategy_set(
            user=self.acting_user(),
            workplan=workplan,
            element=chosen,
            text=data["text"],
            previous=data["previous_text"],
        )
        strategy = OutcomeStrategy.objects.select_related("biennium", "element").get(
            outcome=workplan.outcome_id, biennium=workplan.biennium_id, element=chosen
        )
        return Response(OutcomeStrategySerializer(strategy).data)

    @extend_schema(
        tags=TAG,
        summary=gettext_lazy("Open the workplans of a biennium, one per outcome"),
        description=gettext_lazy(
            "Opens the workplans missing for the outcomes of the biennium's programme and "
            "budget (programme officers, administrators); those already open are left as "
            "they are. 201 when some were opened, 200 when none was missing."
        ),
        request=WorkplanOpenSerializer,
        responses={200: WorkplanOpenResultSerializer, 201: WorkplanOpenResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def open(self, request: Request) -> Response:
        data = self.validated(WorkplanOpenSerializer)
        created = services.workplans_open(user=self.acting_user(), **data)
        opened = self.get_queryset().filter(pk__in=[w.pk for w in created])
        return Response(
            {
                "created": len(created),
                "results": self.get_serializer(opened, many=True).data,
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# Mid-term reviews --------------------------------------------------------------------------

MIDTERM_TAG = ["mid-term reviews"]


@extend_schema_view(
    list=extend_schema(tags=MIDTERM_TAG, summary=gettext_lazy("Mid-term reviews of workplans")),
    retrieve=extend_schema(
        tags=MIDTERM_TAG,
        summary=gettext_lazy("A mid-term review, with its corrective actions and reallocations"),
    ),
    create=extend_schema(
        tags=MIDTERM_TAG,
        summary=gettext_lazy("Hold the mid-term review of an approved workplan"),
        request=MidTermReviewCreateSerializer,
        responses={201: MidTermReviewSerializer},
    ),
    partial_update=extend_schema(
        tags=MIDTERM_TAG,
        summary=gettext_lazy("Change a mid-term review"),
        request=MidTermReviewUpdateSerializer,
        responses={200: MidTermReviewSerializer},
    ),
)
class MidTermReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "workplan.view"
    serializer_class = MidTermReviewSerializer
    filterset_class = filters.MidTermReviewFilter
    ordering_fields = ["review_date", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[MidTermReview]:
        return (
            MidTermReview.objects.select_related("workplan__outcome", "workplan__biennium")
            .prefetch_related(
                Prefetch(
                    "corrective_actions",
                    queryset=CorrectiveAction.objects.select_related("region"),
                ),
                Prefetch(
                    "reallocations",
                    queryset=Reallocation.objects.select_related(
                        "from_source", "from_region", "to_source", "to_region", "decided_by"
                    ),
                ),
            )
            .order_by("workplan__biennium__start_year", "workplan__outcome__position", "pk")
        )

    def create(self, request: Request) -> Response:
        data = self.validated(MidTermReviewCreateSerializer)
        review = services.midterm_review_save(user=self.acting_user(), **data)
        return self.answer(review, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        data = self.validated(MidTermReviewUpdateSerializer)
        review = services.midterm_review_save(
            user=self.acting_user(),
            workplan=review.workplan,
            version=data["version"],
            review_date=data.get("review_date", review.review_date),
            summary=data.get("summary", review.summary),
            lessons_learned=data.get("lessons_learned", review.lessons_learned),
        )
        return self.answer(review)

    @extend_schema(
        tags=MIDTERM_TAG,
        summary=gettext_lazy("Add a corrective action to the review"),
        request=CorrectiveActionSerializer,
        responses={201: CorrectiveActionSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="corrective-actions",
        url_name="corrective-actions",
    )
    def corrective_actions(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        data = self.validated(CorrectiveActionSerializer)
        added = services.corrective_action_add(user=self.acting_user(), review=review, **data)
        return Response(CorrectiveActionSerializer(added).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=MIDTERM_TAG,
        summary=gettext_lazy("Record a reallocation decided at the review"),
        description=gettext_lazy(
            "A transfer takes the amount from the line (from_source, from_region) and adds it "
            "to the line (to_source, to_region): the workplan's total does not change, and a "
            "line cannot give more than it holds. A new allocation adds money to the "
            "destination line only (from_source and from_region are null)."
        ),
        request=ReallocationSerializer,
        responses={201: ReallocationSerializer},
    )
    @action(detail=True, methods=["post"])
    def reallocations(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        data = self.validated(ReallocationSerializer)
        record = services.reallocation_record(user=self.acting_user(), review=review, **data)
        return Response(ReallocationSerializer(record).data, status=status.HTTP_201_CREATED)


# The demand-and-target table ---------------------------------------------------------------


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


# Published tables --------------------------------------------------------------------------


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
