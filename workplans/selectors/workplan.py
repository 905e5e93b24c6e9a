"""Reads of workplans: lists, the review queue, a workplan's page and its history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet

from dwcp import selectors as dwcp_selectors
from rbm.audit import HistoryEntry, history_entries
from rbm.models import Biennium, FundingSource, Region, User
from strategic_plans.models import Outcome, OutcomeStrategy, StrategyElement
from workplans.models import (
    EventKind,
    MidTermReview,
    OutcomeWorkplan,
    WorkplanEvent,
    WorkplanResource,
    WorkplanStatus,
)
from workplans.selectors.table import DemandTargetTable, demand_target_table


def workplan_list(biennium: Biennium | None = None) -> QuerySet[OutcomeWorkplan]:
    workplans = OutcomeWorkplan.objects.select_related(
        "outcome__objective__plan", "biennium", "coordinator"
    ).annotate(comment_count=Count("events", filter=Q(events__kind="comment")))
    if biennium is not None:
        workplans = workplans.filter(biennium=biennium)
    return workplans.order_by("biennium__start_year", "outcome__position", "outcome__code")


def review_queue() -> QuerySet[OutcomeWorkplan]:
    return workplan_list().filter(status=WorkplanStatus.SUBMITTED)


@dataclass
class RegionProgress:
    region: Region
    demand: int
    targets: int
    reached: int

    @property
    def rate(self) -> float | None:
        return self.reached / self.targets if self.targets else None


@dataclass
class WorkplanDetail:
    workplan: OutcomeWorkplan
    table: DemandTargetTable
    elements: list[StrategyElement]
    strategies: dict[int, OutcomeStrategy]
    funding_sources: list[FundingSource]
    regions: list[Region]
    # (funding source id, region id or None) -> amount
    resources: dict[tuple[int, int | None], Decimal]
    resources_by_source: dict[int, Decimal]
    resources_by_region: dict[int | None, Decimal]
    resources_total: Decimal
    events: list[WorkplanEvent]
    progress: list[RegionProgress]
    review: MidTermReview | None


def reached_targets(biennium: Biennium, outcome: Outcome) -> dict[int, tuple[int, int, int]]:
    """By region id: (demand, targets, targets reached) where a target is reached when its
    CPO has a validated progress report claiming a result (``dwcp.selectors``). One query."""
    return dwcp_selectors.targets_reached(biennium, outcome)


def workplan_detail(workplan: OutcomeWorkplan) -> WorkplanDetail:
    table = demand_target_table(workplan.biennium, outcome=workplan.outcome)
    regions = list(Region.objects.all())
    sources = list(FundingSource.objects.all())
    lines = list(WorkplanResource.objects.filter(workplan=workplan))
    resources = {(line.funding_source_id, line.region_id): line.amount for line in lines}
    by_source: dict[int, Decimal] = defaultdict(Decimal)
    by_region: dict[int | None, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_source[line.funding_source_id] += line.amount
        by_region[line.region_id] += line.amount
    strategies = {
        s.element_id: s
        for s in OutcomeStrategy.objects.filter(
            outcome=workplan.outcome, biennium=workplan.biennium
        )
    }
    progress_rows = reached_targets(workplan.biennium, workplan.outcome)
    review = (
        MidTermReview.objects.filter(workplan=workplan)
        .prefetch_related("corrective_actions__region", "reallocations")
        .first()
    )
    return WorkplanDetail(
        workplan=workplan,
        table=table,
        elements=list(StrategyElement.objects.all()),
        strategies=strategies,
        funding_sources=sources,
        regions=regions,
        resources=resources,
        resources_by_source=dict(by_source),
        resources_by_region=dict(by_region),
        resources_total=sum((line.amount for line in lines), Decimal(0)),
        events=list(workplan.events.select_related("author")),
        progress=[
            RegionProgress(region, *progress_rows.get(region.pk, (0, 0, 0))) for region in regions
        ],
        review=review,
    )


def coordinated_by(user: User) -> QuerySet[OutcomeWorkplan]:
    return workplan_list().filter(outcome__coordinators=user)


# Reads of the pages ------------------------------------------------------------------------


def workplan_bienniums() -> list[Biennium]:
    """The bienniums that have workplans, latest first."""
    return list(Biennium.objects.filter(workplans__isnull=False).distinct().order_by("-start_year"))


def workplan_for_page(pk: int) -> OutcomeWorkplan:
    """The workplan with what every page about it shows (DoesNotExist if there is none)."""
    return OutcomeWorkplan.objects.select_related(
        "outcome__objective__plan", "biennium", "coordinator"
    ).get(pk=pk)


def review_queue_rows() -> QuerySet[OutcomeWorkplan]:
    """Submitted workplans with when they were last submitted, first submitted first."""
    return review_queue().annotate(
        submitted_at=Max("events__created_at", filter=Q(events__kind=EventKind.SUBMITTED))
    )


def workplan_history(workplan: OutcomeWorkplan) -> list[HistoryEntry]:
    """Changes to the workplan, its resource lines (also those since removed) and its
    strategy texts, newest first: one query per model."""
    resource_ids = list(
        WorkplanResource.history.filter(workplan_id=workplan.pk)
        .order_by()
        .values_list("id", flat=True)
        .distinct()
    )
    strategy_ids = list(
        OutcomeStrategy.history.filter(
            outcome_id=workplan.outcome_id, biennium_id=workplan.biennium_id
        )
        .order_by()
        .values_list("id", flat=True)
        .distinct()
    )
    return history_entries(
        [
            (OutcomeWorkplan, [workplan.pk]),
            (WorkplanResource, resource_ids),
            (OutcomeStrategy, strategy_ids),
        ]
    )
