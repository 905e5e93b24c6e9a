"""Filters of the results framework's lists."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rbm.api import filters
from strategic_plans.models import (
    Indicator,
    Outcome,
    OutcomeResource,
    OutcomeStrategy,
    StrategicObjective,
    StrategicPlan,
    Target,
)

BIENNIUM_HELP = _("Biennium code, e.g. 2012-13.")


def plan_contains(prefix: str = "") -> Any:
    """A filter method: the plan (at ``prefix``) whose period contains the biennium."""

    def method(qs: QuerySet[Any], name: str, value: int | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(**{f"{prefix}start_year__lte": value, f"{prefix}end_year__gte": value + 1})

    return method


class StrategicPlanFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(
        method=plan_contains(), help_text=_("Plans whose period contains this biennium (2012-13).")
    )

    class Meta:
        model = StrategicPlan
        fields: list[str] = []


class StrategicObjectiveFilter(filters.FilterSet):
    plan = filters.IdFilter(field_name="plan_id", help_text=_("Strategic plan id."))
    biennium = filters.BienniumFilter(method=plan_contains("plan__"), help_text=BIENNIUM_HELP)

    class Meta:
        model = StrategicObjective
        fields: list[str] = []


class OutcomeFilter(filters.FilterSet):
    plan = filters.IdFilter(field_name="objective__plan_id", help_text=_("Strategic plan id."))
    objective = filters.IdFilter(field_name="objective_id", help_text=_("Strategic objective id."))
    biennium = filters.BienniumFilter(
        method=plan_contains("objective__plan__"), help_text=BIENNIUM_HELP
    )

    class Meta:
        model = Outcome
        fields: list[str] = []


class IndicatorFilter(filters.FilterSet):
    outcome = filters.IdFilter(field_name="outcome_id", help_text=_("Outcome id."))
    plan = filters.IdFilter(field_name="outcome__objective__plan_id", help_text=_("Plan id."))
    biennium = filters.BienniumFilter(
        method=plan_contains("outcome__objective__plan__"), help_text=BIENNIUM_HELP
    )

    class Meta:
        model = Indicator
        fields: list[str] = []


class TargetFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="biennium", help_text=BIENNIUM_HELP)
    indicator = filters.IdFilter(field_name="indicator_id", help_text=_("Indicator id."))
    outcome = filters.IdFilter(field_name="indicator__outcome_id", help_text=_("Outcome id."))
    region = filters.CodeFilter(
        field_name="by_region__region__code",
        distinct=True,
        help_text=_("Targets with a value for this region (code, e.g. africa)."),
    )

    class Meta:
        model = Target
        fields: list[str] = []


class OutcomeResourceFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="biennium", help_text=BIENNIUM_HELP)
    outcome = filters.IdFilter(field_name="outcome_id", help_text=_("Outcome id."))
    funding_source = filters.CodeFilter(
        field_name="funding_source__code", help_text=_("Funding source code, e.g. RB.")
    )

    class Meta:
        model = OutcomeResource
        fields: list[str] = []


class OutcomeStrategyFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="biennium", help_text=BIENNIUM_HELP)
    outcome = filters.IdFilter(field_name="outcome_id", help_text=_("Outcome id."))
    element = filters.CodeFilter(field_name="element__code", help_text=_("Strategy element code."))

    class Meta:
        model = OutcomeStrategy
        fields: list[str] = []
