"""API of workplans: reading them, opening a biennium's, their strategy, resources, review
and thread."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dwcp.api.serializers import ReturnSerializer, VersionSerializer
from rbm.api.viewsets import ApiViewSet
from strategic_plans import selectors as framework
from strategic_plans.api.serializers import OutcomeStrategySerializer
from workplans import selectors, services
from workplans.api import filters
from workplans.api.serializers import (
    CommentSerializer,
    StrategyTextSerializer,
    WorkplanEventSerializer,
    WorkplanOpenResultSerializer,
    WorkplanOpenSerializer,
    WorkplanResourcesSerializer,
    WorkplanSerializer,
)
from workplans.models import OutcomeWorkplan, WorkplanResource

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
        chosen = framework.strategy_element(code=element)
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
        strategy = framework.outcome_strategy(workplan.outcome_id, workplan.biennium_id, chosen)
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
