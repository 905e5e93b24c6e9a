"""Reads of the results framework, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Prefetch, QuerySet

from rbm.models import Biennium, FundingSource, Region
from strategic_plans import lifecycle
from strategic_plans.models import (
    Indicator,
    Outcome,
    OutcomeResource,
    OutcomeStrategy,
    RegionalTarget,
    StrategicObjective,
    StrategicPlan,
    StrategyElement,
    Target,
)
from strategic_plans.services import TargetWarning, target_warning


def plan_list() -> QuerySet[StrategicPlan]:
    return StrategicPlan.objects.annotate(
        objective_count=Count("objectives", distinct=True),
        outcome_count=Count("objectives__outcomes", distinct=True),
        indicator_count=Count("objectives__outcomes__indicators", distinct=True),
    ).prefetch_related("programmes__biennium")


def plan_bienniums(plan: StrategicPlan) -> list[Biennium]:
    """Bienniums inside the plan's period that exist in the system."""
    return list(
        Biennium.objects.filter(
            start_year__gte=plan.start_year, end_year__lte=plan.end_year
        ).select_related("programme")
    )


@dataclass
class IndicatorRow:
    indicator: Indicator
    target: Target | None
    by_region: dict[int, int]
    warning: TargetWarning | None


@dataclass
class OutcomeNode:
    outcome: Outcome
    indicators: list[IndicatorRow]
    resources: list[OutcomeResource]
    resources_total: Decimal
    strategies: list[OutcomeStrategy]


@dataclass
class ObjectiveNode:
    objective: StrategicObjective
    outcomes: list[OutcomeNode] = field(default_factory=list)


@dataclass
class PlanTree:
    plan: StrategicPlan
    biennium: Biennium | None
    regions: list[Region]
    objectives: list[ObjectiveNode]
    warnings: list[TargetWarning]


def _targets_prefetch(biennium: Biennium | None) -> Any:
    targets = Target.objects.select_related("biennium", "indicator").prefetch_related("by_region")
    targets = targets.filter(biennium=biennium) if biennium is not None else targets.none()
    return Prefetch("targets", queryset=targets, to_attr="biennium_targets")


def plan_tree(plan: StrategicPlan, biennium: Biennium | None) -> PlanTree:
    """The plan as a tree, with the targets, resources and strategy of ``biennium``.

    Seven queries, whatever the size of the plan.
    """
    regions = list(Region.objects.all())
    resources = OutcomeResource.objects.select_related("funding_source").none()
    strategies = OutcomeStrategy.objects.select_related("element").none()
    if biennium is not None:
        resources = OutcomeResource.objects.select_related("funding_source").filter(
            biennium=biennium
        )
        strategies = OutcomeStrategy.objects.select_related("element").filter(biennium=biennium)
    objectives = list(
        plan.objectives.prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=Indicator.objects.prefetch_related(_targets_prefetch(biennium)),
                    ),
                    Prefetch("resources", queryset=resources, to_attr="biennium_resources"),
                    Prefetch("strategies", queryset=strategies, to_attr="biennium_strategies"),
                ),
            )
        )
    )
    nodes = []
    warnings = []
    for objective in objectives:
        node = ObjectiveNode(objective=objective)
        for outcome in objective.outcomes.all():
            rows = []
            for indicator in outcome.indicators.all():
                chosen: list[Target] = getattr(indicator, "biennium_targets", [])
                target = chosen[0] if chosen else None
                warning = target_warning(target) if target else None
                if warning:
                    warnings.append(warning)
                rows.append(
                    IndicatorRow(
                        indicator=indicator,
                        target=target,
                        by_region={r.region_id: r.value for r in target.by_region.all()}
                        if target
                        else {},
                        warning=warning,
                    )
                )
            outcome_resources: list[OutcomeResource] = getattr(outcome, "biennium_resources", [])
            node.outcomes.append(
                OutcomeNode(
                    outcome=outcome,
                    indicators=rows,
                    resources=outcome_resources,
                    resources_total=sum((r.amount for r in outcome_resources), Decimal(0)),
                    strategies=getattr(outcome, "biennium_strategies", []),
                )
            )
        nodes.append(node)
    return PlanTree(
        plan=plan, biennium=biennium, regions=regions, objectives=nodes, warnings=warnings
    )


@dataclass
class OutcomeDetail:
    outcome: Outcome
    bienniums: list[Biennium]
    regions: list[Region]
    funding_sources: list[FundingSource]
    indicators: list[Indicator]
    # indicator id -> biennium id -> (target, {region id: value}, warning)
    targets: dict[int, dict[int, tuple[Target, dict[int, int], TargetWarning | None]]]
    # biennium id -> funding source id -> amount
    resources: dict[int, dict[int, Decimal]]
    resource_totals: dict[int, Decimal]
    # biennium id -> list of strategies in element order
    strategies: dict[int, list[OutcomeStrategy]]
    elements: list[StrategyElement]


def outcome_detail(outcome: Outcome) -> OutcomeDetail:
    plan = outcome.objective.plan
    bienniums = plan_bienniums(plan)
    indicators = list(
        outcome.indicators.prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.select_related("biennium", "indicator").prefetch_related(
                    "by_region"
                ),
            )
        )
    )
    targets: dict[int, dict[int, tuple[Target, dict[int, int], TargetWarning | None]]] = (
        defaultdict(dict)
    )
    for indicator in indicators:
        for target in indicator.targets.all():
            targets[indicator.pk][target.biennium_id] = (
                target,
                {r.region_id: r.value for r in target.by_region.all()},
                target_warning(target),
            )
    resources: dict[int, dict[int, Decimal]] = defaultdict(dict)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for resource in outcome.resources.all():
        resources[resource.biennium_id][resource.funding_source_id] = resource.amount
        totals[resource.biennium_id] += resource.amount
    strategies: dict[int, list[OutcomeStrategy]] = defaultdict(list)
    for strategy in outcome.strategies.select_related("element"):
        strategies[strategy.biennium_id].append(strategy)
    return OutcomeDetail(
        outcome=outcome,
        bienniums=bienniums,
        regions=list(Region.objects.all()),
        funding_sources=list(FundingSource.objects.all()),
        indicators=indicators,
        targets=dict(targets),
        resources=dict(resources),
        resource_totals=dict(totals),
        strategies=dict(strategies),
        elements=list(StrategyElement.objects.all()),
    )


@dataclass(frozen=True)
class TargetInfo:
    total: int
    by_region: dict[int, int]


@dataclass
class ReportFramework:
    """What the implementation report needs of one outcome's framework for a biennium."""

    outcome: Outcome
    indicators: list[Indicator]
    targets: dict[int, TargetInfo]  # indicator id ->
    budget: dict[int, Decimal]  # funding source id -> P&B resources
    strategies: list[OutcomeStrategy]


def report_outcome_frameworks(
    outcome_ids: Collection[int], biennium: Biennium
) -> dict[int, ReportFramework]:
    """The report's framework of each outcome (by id) for ``biennium``: indicators by
    position and code with their targets, P&B budget by funding source, strategies in the
    order of their elements; the texts as the biennium adopted them (ADR 0022). Seven
    queries, whatever the number of outcomes and indicators."""
    targets = Target.objects.filter(biennium=biennium).prefetch_related("by_region")
    outcomes = (
        Outcome.objects.filter(pk__in=outcome_ids)
        .select_related("objective__plan")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("targets", queryset=targets)
                ).order_by("position", "code"),
            )
        )
    )
    budgets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for resource in OutcomeResource.objects.filter(outcome_id__in=outcome_ids, biennium=biennium):
        budgets[resource.outcome_id][resource.funding_source_id] = resource.amount
    strategies: dict[int, list[OutcomeStrategy]] = defaultdict(list)
    for strategy in (
        OutcomeStrategy.objects.filter(outcome_id__in=outcome_ids, biennium=biennium)
        .select_related("element")
        .order_by("element__position")
    ):
        strategies[strategy.outcome_id].append(strategy)
    read = list(outcomes)
    # What the biennium adopted, not what drafts of later bienniums say (ADR 0022).
    lifecycle.apply_adopted(
        lifecycle.adopted_programme(biennium.pk),
        [
            *(o.objective for o in read),
            *read,
            *(i for o in read for i in o.indicators.all()),
        ],
    )
    frameworks = {}
    for outcome in read:
        indicators = list(outcome.indicators.all())
        frameworks[outcome.pk] = ReportFramework(
            outcome=outcome,
            indicators=indicators,
            targets={
                indicator.pk: TargetInfo(
                    total=target.total,
                    by_region={r.region_id: r.value for r in target.by_region.all()},
                )
                for indicator in indicators
                for target in indicator.targets.all()
            },
            budget=budgets.get(outcome.pk, {}),
            strategies=strategies.get(outcome.pk, []),
        )
    return frameworks


# Reads the other apps make: the framework of a biennium, choices, lookups ----------------


def framework_outcomes(biennium: Biennium) -> QuerySet[Outcome]:
    """The outcomes of the framework whose programme and budget covers ``biennium``."""
    return Outcome.objects.filter(
        objective__plan__start_year__lte=biennium.start_year,
        objective__plan__end_year__gte=biennium.end_year,
        objective__plan__programmes__biennium=biennium,
    ).order_by("objective__plan", "position", "code")


def framework_bienniums() -> QuerySet[Biennium]:
    """The bienniums a programme and budget covers, latest first."""
    return Biennium.objects.filter(programme__isnull=False).order_by("-start_year")


def outcomes() -> QuerySet[Outcome]:
    """Every outcome with its plan (what the CPO rules read), to look one up by id."""
    return Outcome.objects.select_related("objective__plan")


def indicators() -> QuerySet[Indicator]:
    """Every indicator, to look one up by id."""
    return Indicator.objects.all()


def outcomes_among(ids: Any) -> list[Outcome]:
    """The outcomes whose ids are ``ids`` (a list or a subquery), with their plan, in the
    framework's order: a filter's choices."""
    return list(
        Outcome.objects.filter(pk__in=ids)
        .select_related("objective__plan")
        .order_by("objective__plan__start_year", "objective__number", "position", "code")
    )


def outcomes_by_code(codes: Collection[str]) -> dict[str, list[Outcome]]:
    """Outcomes by code (a code may be in several frameworks), with their plan. One query."""
    found: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in Outcome.objects.filter(code__in=codes).select_related("objective__plan"):
        found[outcome.code].append(outcome)
    return found


def indicators_by_code(codes: Collection[str]) -> dict[str, list[Indicator]]:
    """Indicators by code (a code may be in several frameworks), with their outcome."""
    found: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(code__in=codes).select_related("outcome"):
        found[indicator.code].append(indicator)
    return found


def objectives() -> QuerySet[StrategicObjective]:
    """Every strategic objective with its plan, to look one up by id."""
    return StrategicObjective.objects.select_related("plan")


def objectives_with_programme() -> QuerySet[StrategicObjective]:
    """The objectives of the plans a programme and budget implements: a report's choices."""
    return (
        StrategicObjective.objects.filter(plan__programmes__isnull=False)
        .select_related("plan")
        .distinct()
        .order_by("plan__start_year", "number")
    )


def objective_of(biennium: Biennium, number: int) -> StrategicObjective | None:
    """Objective ``number`` of the framework of ``biennium``'s programme and budget."""
    return StrategicObjective.objects.filter(
        plan__programmes__biennium=biennium, number=number
    ).first()


def strategy_elements() -> list[StrategyElement]:
    return list(StrategyElement.objects.all())


def strategy_element(*, pk: int | None = None, code: str | None = None) -> StrategyElement | None:
    """A strategy element by id or code, or None."""
    elements = StrategyElement.objects.all()
    if pk is not None:
        elements = elements.filter(pk=pk)
    if code is not None:
        elements = elements.filter(code=code)
    return elements.first()


def outcome_strategy(
    outcome_id: int, biennium_id: int, element: StrategyElement
) -> OutcomeStrategy:
    """The strategy text of an outcome for a biennium and element (DoesNotExist if none)."""
    return OutcomeStrategy.objects.select_related("biennium", "element").get(
        outcome=outcome_id, biennium=biennium_id, element=element
    )


def framework_stamp() -> tuple[int, Any]:
    """What changes when the framework the public reads changes (plans, objectives,
    outcomes, indicators, targets): the rows' number and latest change, for the public
    portal's ETag. One small query per table."""
    total, stamps = 0, []
    for model in (StrategicPlan, StrategicObjective, Outcome, Indicator, Target, RegionalTarget):
        row = model.objects.order_by().aggregate(n=Count("pk"), at=Max("updated_at"))
        total = total * 31 + row["n"]
        if row["at"] is not None:
            stamps.append(row["at"])
    return total, max(stamps) if stamps else None


@dataclass(frozen=True)
class MissingText:
    """A framework text with no translation into some of the other languages."""

    kind: str  # the record's type, translated
    code: str  # "Objective 1", "16", "16.1"
    field: str  # the field's label, translated
    english: str
    missing: tuple[str, ...]  # language codes
    outcome_id: int | None  # the outcome page to edit it from


def missing_translations(plan: StrategicPlan) -> list[MissingText]:
    """Every text of the plan (its objectives, outcomes and indicators) whose French or
    Spanish version is missing, in the framework's order. Four queries."""
    from strategic_plans import texts

    rows: list[MissingText] = []

    def add(record: Any, code: str, outcome_id: int | None) -> None:
        for name in texts.translated_fields(type(record)):
            english = getattr(record, texts.column(name, texts.DEFAULT_LANGUAGE)) or ""
            missing = tuple(
                language
                for language in texts.OTHER_LANGUAGES
                if english and not getattr(record, texts.column(name, language))
            )
            if missing:
                rows.append(
                    MissingText(
                        kind=str(record._meta.verbose_name),
                        code=code,
                        field=str(record._meta.get_field(name).verbose_name),
                        english=english,
                        missing=missing,
                        outcome_id=outcome_id,
                    )
                )

    add(plan, plan.short_name, None)
    indicators = Prefetch("indicators", queryset=Indicator.objects.order_by("position", "code"))
    outcome_rows = Prefetch(
        "outcomes",
        queryset=Outcome.objects.order_by("position", "code").prefetch_related(indicators),
    )
    for objective in plan.objectives.order_by("number").prefetch_related(outcome_rows):
        add(objective, str(objective.number), None)
        for outcome in objective.outcomes.all():
            add(outcome, outcome.code, outcome.pk)
            for indicator in outcome.indicators.all():
                add(indicator, indicator.code, outcome.pk)
    return rows
