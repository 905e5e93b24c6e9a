"""API of the results framework: read by everyone, written by HQ programme officers and
administrators (``framework.manage``) through ``strategic_plans.services``."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from rbm.api.viewsets import ApiViewSet
from strategic_plans import services
from strategic_plans.api import filters
from strategic_plans.api.serializers import (
    IndicatorInputSerializer,
    IndicatorSerializer,
    OutcomeInputSerializer,
    OutcomeResourceInputSerializer,
    OutcomeResourceSerializer,
    OutcomeSerializer,
    OutcomeStrategyInputSerializer,
    OutcomeStrategySerializer,
    StrategicObjectiveInputSerializer,
    StrategicObjectiveSerializer,
    StrategicPlanInputSerializer,
    StrategicPlanSerializer,
    TargetInputSerializer,
    TargetSerializer,
)
from strategic_plans.models import (
    Indicator,
    Outcome,
    OutcomeResource,
    OutcomeStrategy,
    RegionalTarget,
    StrategicObjective,
    StrategicPlan,
    Target,
)

TAG = ["results framework"]


class FrameworkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_action = "framework.view"
    write_action = "framework.manage"


def _views(
    noun: StrOrPromise, plural: StrOrPromise, request: type, response: type
) -> dict[str, Any]:
    return {
        "list": extend_schema(tags=TAG, summary=plural),
        "retrieve": extend_schema(tags=TAG, summary=noun),
        "create": extend_schema(
            tags=TAG,
            summary=_("Create (programme officers, administrators)"),
            request=request,
            responses={201: response},
        ),
    }


@extend_schema_view(
    **_views(
        _("A strategic plan"),
        _("Strategic plans"),
        StrategicPlanInputSerializer,
        StrategicPlanSerializer,
    )
)
class StrategicPlanViewSet(FrameworkViewSet):
    serializer_class = StrategicPlanSerializer
    filterset_class = filters.StrategicPlanFilter
    search_fields = ["title", "short_name"]
    ordering_fields = ["start_year", "short_name"]

    def get_queryset(self) -> QuerySet[StrategicPlan]:
        return StrategicPlan.objects.all()

    def create(self, request: Request) -> Response:
        plan = services.plan_create(
            user=self.acting_user(), **self.validated(StrategicPlanInputSerializer)
        )
        return self.answer(plan, status.HTTP_201_CREATED)


@extend_schema_view(
    **_views(
        _("A strategic objective"),
        _("Strategic objectives"),
        StrategicObjectiveInputSerializer,
        StrategicObjectiveSerializer,
    )
)
class StrategicObjectiveViewSet(FrameworkViewSet):
    serializer_class = StrategicObjectiveSerializer
    filterset_class = filters.StrategicObjectiveFilter
    search_fields = ["title"]
    ordering_fields = ["plan", "number"]

    def get_queryset(self) -> QuerySet[StrategicObjective]:
        return StrategicObjective.objects.all()

    def create(self, request: Request) -> Response:
        objective = services.objective_create(
            user=self.acting_user(), **self.validated(StrategicObjectiveInputSerializer)
        )
        return self.answer(objective, status.HTTP_201_CREATED)


@extend_schema_view(
    **_views(_("An outcome"), _("Outcomes"), OutcomeInputSerializer, OutcomeSerializer)
)
class OutcomeViewSet(FrameworkViewSet):
    serializer_class = OutcomeSerializer
    filterset_class = filters.OutcomeFilter
    search_fields = ["code", "title"]
    ordering_fields = ["position", "code", "title"]

    def get_queryset(self) -> QuerySet[Outcome]:
        return Outcome.objects.select_related("objective")

    def create(self, request: Request) -> Response:
        outcome = services.outcome_create(
            user=self.acting_user(), **self.validated(OutcomeInputSerializer)
        )
        return self.answer(outcome, status.HTTP_201_CREATED)


@extend_schema_view(
    **_views(_("An indicator"), _("Indicators"), IndicatorInputSerializer, IndicatorSerializer)
)
class IndicatorViewSet(FrameworkViewSet):
    serializer_class = IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    search_fields = ["code", "text"]
    ordering_fields = ["position", "code"]

    def get_queryset(self) -> QuerySet[Indicator]:
        return Indicator.objects.select_related("outcome")

    def create(self, request: Request) -> Response:
        indicator = services.indicator_create(
            user=self.acting_user(), **self.validated(IndicatorInputSerializer)
        )
        return self.answer(indicator, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("Targets, with their values by region")),
    retrieve=extend_schema(tags=TAG, summary=_("A target, with its values by region")),
    create=extend_schema(
        tags=TAG,
        summary=_("Set an indicator's target for a biennium (programme officers, administrators)"),
        description=_(
            "Creates the target or replaces its total and note, and sets the regional values "
            "given (others are kept). When the regional values do not add up to the total, "
            "both are stored as given and `warning` says so."
        ),
        request=TargetInputSerializer,
        responses={200: TargetSerializer, 201: TargetSerializer},
    ),
)
class TargetViewSet(FrameworkViewSet):
    serializer_class = TargetSerializer
    filterset_class = filters.TargetFilter
    ordering_fields = ["biennium__start_year", "indicator__code", "total"]

    def get_queryset(self) -> QuerySet[Target]:
        return Target.objects.select_related("indicator", "biennium").prefetch_related(
            Prefetch("by_region", queryset=RegionalTarget.objects.select_related("region"))
        )

    def create(self, request: Request) -> Response:
        data = self.validated(TargetInputSerializer)
        existed = Target.objects.filter(
            indicator=data["indicator"], biennium=data["biennium"]
        ).exists()
        target, _warning = services.target_set(
            user=self.acting_user(),
            indicator=data["indicator"],
            biennium=data["biennium"],
            total=data["total"],
            note=data["note"],
            by_region={item["region"]: item["value"] for item in data["by_region"]},
        )
        return self.answer(target, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("Outcome resources by funding source (USD)")),
    retrieve=extend_schema(tags=TAG, summary=_("An outcome resource")),
    create=extend_schema(
        tags=TAG,
        summary=_("Set an outcome's amount from a source for a biennium"),
        request=OutcomeResourceInputSerializer,
        responses={200: OutcomeResourceSerializer, 201: OutcomeResourceSerializer},
    ),
)
class OutcomeResourceViewSet(FrameworkViewSet):
    serializer_class = OutcomeResourceSerializer
    filterset_class = filters.OutcomeResourceFilter
    ordering_fields = ["biennium__start_year", "amount"]

    def get_queryset(self) -> QuerySet[OutcomeResource]:
        return OutcomeResource.objects.select_related("biennium", "funding_source")

    def create(self, request: Request) -> Response:
        data = self.validated(OutcomeResourceInputSerializer)
        existed = OutcomeResource.objects.filter(
            outcome=data["outcome"],
            biennium=data["biennium"],
            funding_source=data["funding_source"],
        ).exists()
        resource = services.outcome_resource_set(user=self.acting_user(), **data)
        return self.answer(resource, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("Outcome strategies by element and biennium")),
    retrieve=extend_schema(tags=TAG, summary=_("An outcome strategy text")),
    create=extend_schema(
        tags=TAG,
        summary=_("Set an outcome's strategy text for an element and a biennium"),
        request=OutcomeStrategyInputSerializer,
        responses={200: OutcomeStrategySerializer, 201: OutcomeStrategySerializer},
    ),
)
class OutcomeStrategyViewSet(FrameworkViewSet):
    serializer_class = OutcomeStrategySerializer
    filterset_class = filters.OutcomeStrategyFilter
    search_fields = ["text"]
    ordering_fields = ["biennium__start_year", "element__position"]

    def get_queryset(self) -> QuerySet[OutcomeStrategy]:
        return OutcomeStrategy.objects.select_related("biennium", "element")

    def create(self, request: Request) -> Response:
        data = self.validated(OutcomeStrategyInputSerializer)
        existed = OutcomeStrategy.objects.filter(
            outcome=data["outcome"], biennium=data["biennium"], element=data["element"]
        ).exists()
        strategy = services.outcome_strategy_set(user=self.acting_user(), **data)
        return self.answer(strategy, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)
