"""Reads of workplans: the demand-and-target table computed from the CPOs, its comparison
with published figures, and the progress of a workplan by region."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from dwcp.models import CountryProgrammeOutcome, ProgressReport, ReviewState
from dwcp.selectors import programme_scope
from rbm.audit import HistoryEntry, history_entries
from rbm.models import Biennium, FundingSource, Region, User
from rbm.permissions import AnyUser
from strategic_plans.models import Outcome, OutcomeStrategy, StrategyElement
from workplans.models import (
    CorrectiveAction,
    EventKind,
    MidTermReview,
    OutcomeWorkplan,
    PublishedTable,
    Reallocation,
    ReallocationKind,
    WorkplanEvent,
    WorkplanResource,
    WorkplanStatus,
)

TOTAL = "Total"
DEMAND_TARGET_CACHE_SECONDS = 24 * 3600
CSV_HEADER = ["outcome", "region", "demand", "target"]


@dataclass(frozen=True)
class Cell:
    demand: int = 0
    target: int = 0

    @property
    def flagged(self) -> bool:
        """Targets exceed demand: donors fund what constituents did not prioritize."""
        return self.target > self.demand

    def __add__(self, other: Cell) -> Cell:
        return Cell(self.demand + other.demand, self.target + other.target)


@dataclass
class DemandTargetTable:
    """Table 1's layout: outcomes by regions, with totals computed from the records."""

    biennium: Biennium
    outcomes: list[Outcome]
    regions: list[Region]
    cells: dict[tuple[int, int], Cell]  # (outcome id, region id)
    outcome_totals: dict[int, Cell] = field(default_factory=dict)
    region_totals: dict[int, Cell] = field(default_factory=dict)
    grand_total: Cell = field(default_factory=Cell)

    def cell(self, outcome: Outcome, region: Region) -> Cell:
        return self.cells.get((outcome.pk, region.pk), Cell())

    def rows(self) -> list[tuple[Outcome, list[tuple[Region, Cell]], Cell]]:
        return [
            (
                outcome,
                [(region, self.cell(outcome, region)) for region in self.regions],
                self.outcome_totals.get(outcome.pk, Cell()),
            )
            for outcome in self.outcomes
        ]

    def flagged_cells(self) -> list[tuple[Outcome, Region, Cell]]:
        return [
            (outcome, region, cell)
            for outcome, cells, _total in self.rows()
            for region, cell in cells
            if cell.flagged
        ]

    def figures(self) -> list[tuple[str, str, int, int]]:
        """The CSV layout: (outcome, region, demand, target) per cell, then each outcome's
        total (region "Total"), each region's total (outcome "Total") and the grand total."""
        rows: list[tuple[str, str, int, int]] = []
        for outcome, cells, total in self.rows():
            rows.extend((outcome.code, r.name, c.demand, c.target) for r, c in cells)
            rows.append((outcome.code, TOTAL, total.demand, total.target))
        for region in self.regions:
            total = self.region_totals.get(region.pk, Cell())
            rows.append((TOTAL, region.name, total.demand, total.target))
        rows.append((TOTAL, TOTAL, self.grand_total.demand, self.grand_total.target))
        return rows


def framework_outcomes(biennium: Biennium) -> QuerySet[Outcome]:
    """The outcomes of the framework whose programme and budget covers ``biennium``."""
    return Outcome.objects.filter(
        objective__plan__start_year__lte=biennium.start_year,
        objective__plan__end_year__gte=biennium.end_year,
        objective__plan__programmes__biennium=biennium,
    ).order_by("objective__plan", "position", "code")


def demand_target_table(
    biennium: Biennium, *, outcome: Outcome | None = None, region: Region | None = None
) -> DemandTargetTable:
    """Demand (prioritized CPOs) and targets (targeted CPOs) by outcome and region, counted
    by the database in one query, whatever the number of CPOs."""
    outcomes = list(framework_outcomes(biennium))
    if outcome is not None:
        outcomes = [o for o in outcomes if o.pk == outcome.pk]
    regions = list(Region.objects.all())
    if region is not None:
        regions = [r for r in regions if r.pk == region.pk]
    outcome_ids, region_ids = {o.pk for o in outcomes}, {r.pk for r in regions}
    cells = {
        (outcome_id, region_id): Cell(demand, target)
        for outcome_id, region_id, demand, target in _demand_target_counts(biennium)
        if outcome_id in outcome_ids and region_id in region_ids
    }
    table = DemandTargetTable(biennium=biennium, outcomes=outcomes, regions=regions, cells=cells)
    outcome_totals: dict[int, Cell] = defaultdict(Cell)
    region_totals: dict[int, Cell] = defaultdict(Cell)
    grand = Cell()
    for (outcome_id, region_id), cell in cells.items():
        outcome_totals[outcome_id] += cell
        region_totals[region_id] += cell
        grand += cell
    table.outcome_totals = dict(outcome_totals)
    table.region_totals = dict(region_totals)
    table.grand_total = grand
    return table


def _demand_target_counts(biennium: Biennium) -> list[tuple[int, int, int, int]]:
    """(outcome id, region id, demand, target) of every cell of the biennium, counted by the
    database, and cached under the CPOs' stamp: their number and latest change.

    Every write of a CPO (services, admin, import, API) saves it and so moves ``updated_at``;
    a deletion lowers the number. The stamp is read from the index on (biennium, updated_at)
    without touching the rows, so a request that finds the table cached costs one small
    query instead of counting every CPO of the biennium (see ADR 0009).
    """
    stamp = CountryProgrammeOutcome.objects.filter(biennium=biennium).aggregate(
        rows=Count("*"), changed=Max("updated_at")
    )
    changed = stamp["changed"].isoformat() if stamp["changed"] else "-"
    key = f"demand-target:{biennium.pk}:{stamp['rows']}:{changed}"
    counts: list[tuple[int, int, int, int]] | None = cache.get(key)
    if counts is None:
        rows = (
            CountryProgrammeOutcome.objects.filter(biennium=biennium)
            .values_list("outcome_id", "programme__country__region_id")
            .annotate(
                demand=Count("pk", filter=Q(prioritized=True)),
                target=Count("pk", filter=Q(targeted=True)),
            )
            .order_by()
        )
        counts = [tuple(row) for row in rows]
        cache.set(key, counts, timeout=DEMAND_TARGET_CACHE_SECONDS)
    return counts


@dataclass(frozen=True)
class Difference:
    outcome: str
    region: str
    measure: str  # "demand" or "target"
    published: int | None
    computed: int


def compare_with_published(table: DemandTargetTable, published: PublishedTable) -> list[Difference]:
    """Every figure of ``published`` that differs from the records, in the table's order.

    Figures the published table leaves out are not compared; a figure for an outcome or
    region the records do not know is reported with computed 0.
    """
    computed = {(_norm_outcome(o), _norm_region(r)): (d, t) for o, r, d, t in table.figures()}
    order = {key: index for index, key in enumerate(computed)}
    differences = []
    for figure in published.figures.all():
        key = (_norm_outcome(figure.outcome_code), _norm_region(figure.region_code))
        demand, target = computed.get(key, (0, 0))
        for measure, printed, value in (
            ("demand", figure.demand, demand),
            ("target", figure.target, target),
        ):
            if printed is not None and printed != value:
                differences.append(
                    Difference(figure.outcome_code, figure.region_code, measure, printed, value)
                )
    differences.sort(
        key=lambda d: (
            order.get((_norm_outcome(d.outcome), _norm_region(d.region)), len(order)),
            d.measure,
        )
    )
    return differences


def _norm_outcome(code: str) -> str:
    code = code.strip()
    if code.lower() == TOTAL.lower():
        return TOTAL
    return code.lstrip("0") or "0"


_REGION_KEYS: dict[str, str] = {}


def _norm_region(value: str) -> str:
    """Region names, codes and the seed's short names ("Asia", "Europe") to one key."""
    value = value.strip()
    if value.lower() == TOTAL.lower():
        return TOTAL
    if not _REGION_KEYS:
        for region in Region.objects.all():
            for alias in (region.code, region.name, region.name.split(" ")[0]):
                _REGION_KEYS[alias.lower()] = region.code
    return _REGION_KEYS.get(value.lower(), value.lower())


def region_for(value: str) -> Region | None:
    """The region a published table names (name, code or short name), or None."""
    key = _norm_region(value)
    return Region.objects.filter(code=key).first()


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
    CPO has a validated progress report claiming a result. One query."""
    validated = ProgressReport.objects.filter(
        cpo=OuterRef("pk"),
        period__biennium=biennium,
        review_state=ReviewState.VALIDATED,
        result_claimed=True,
    )
    rows = (
        CountryProgrammeOutcome.objects.filter(biennium=biennium, outcome=outcome)
        .annotate(reached=Exists(validated))
        .values("programme__country__region_id")
        .annotate(
            demand=Count("pk", filter=Q(prioritized=True)),
            targets=Count("pk", filter=Q(targeted=True)),
            reached_count=Count("pk", filter=Q(targeted=True, reached=True)),
        )
        .order_by()
    )
    return {
        row["programme__country__region_id"]: (row["demand"], row["targets"], row["reached_count"])
        for row in rows
    }


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


def published_tables(biennium: Biennium | None = None) -> QuerySet[PublishedTable]:
    tables = PublishedTable.objects.select_related("biennium", "recorded_by").annotate(
        figure_count=Count("figures")
    )
    if biennium is not None:
        tables = tables.filter(biennium=biennium)
    return tables


def published_table_with_figures(pk: int) -> PublishedTable:
    return PublishedTable.objects.prefetch_related(Prefetch("figures")).get(pk=pk)


def report_midterm_reviews(
    biennium: Biennium, outcome_ids: Collection[int]
) -> dict[int, dict[str, object]]:
    """The mid-term reviews of the outcomes' workplans, as the report shows them, by outcome
    id (an outcome whose workplan has no review is left out). Three queries, whatever the
    number of outcomes."""
    reviews = (
        MidTermReview.objects.filter(
            workplan__biennium=biennium, workplan__outcome_id__in=outcome_ids
        )
        .select_related("workplan")
        .prefetch_related(
            Prefetch(
                "corrective_actions", queryset=CorrectiveAction.objects.select_related("region")
            ),
            Prefetch(
                "reallocations",
                queryset=Reallocation.objects.select_related(
                    "from_source", "from_region", "to_source", "to_region"
                ),
            ),
        )
    )
    return {review.workplan.outcome_id: _review_for_report(review) for review in reviews}


def _review_for_report(review: MidTermReview) -> dict[str, object]:
    return {
        "date": review.review_date.isoformat(),
        "summary": review.summary,
        "lessons_learned": review.lessons_learned,
        "corrective_actions": [
            {"region": a.region.code if a.region else None, "text": a.text}
            for a in review.corrective_actions.all()
        ],
        "reallocations": [
            {
                "kind": r.kind,
                "from_source": r.from_source.code if r.from_source else None,
                "from_region": r.from_region.code if r.from_region else None,
                "to_source": r.to_source.code,
                "to_region": r.to_region.code if r.to_region else None,
                "amount": f"{r.amount:.2f}",
                "reason": r.reason,
            }
            for r in review.reallocations.all()
        ],
    }


# Reads of the pages ------------------------------------------------------------------------


def workplan_bienniums() -> list[Biennium]:
    """The bienniums that have workplans, latest first."""
    return list(Biennium.objects.filter(workplans__isnull=False).distinct().order_by("-start_year"))


def framework_bienniums() -> list[Biennium]:
    """The bienniums a programme and budget covers (their table can be computed), latest
    first."""
    return list(Biennium.objects.filter(programme__isnull=False).order_by("-start_year"))


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


@dataclass
class ResourceChange:
    """One resource line of a workplan before the mid-term review's reallocations and now."""

    funding_source: FundingSource
    region: Region | None
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass
class MidtermDetail:
    workplan: OutcomeWorkplan
    review: MidTermReview | None
    corrective_actions: list[CorrectiveAction]
    reallocations: list[Reallocation]
    progress: list[RegionProgress]
    lines: list[ResourceChange]
    total_before: Decimal
    total_after: Decimal
    transferred: Decimal  # moved between lines by transfers
    added: Decimal  # brought in by new allocations
    regions: list[Region]
    funding_sources: list[FundingSource]


def midterm_detail(workplan: OutcomeWorkplan) -> MidtermDetail:
    """The mid-term review of a workplan with its decisions, the progress by region and the
    resources before and after the reallocations, in a fixed number of queries.

    After approval resources change only through reallocations, so the lines before the
    review are the lines now with each reallocation undone.
    """
    regions = list(Region.objects.all())
    sources = list(FundingSource.objects.all())
    review = MidTermReview.objects.filter(workplan=workplan).first()
    actions: list[CorrectiveAction] = []
    reallocations: list[Reallocation] = []
    if review is not None:
        actions = list(review.corrective_actions.select_related("region"))
        reallocations = list(
            review.reallocations.select_related(
                "from_source", "from_region", "to_source", "to_region", "decided_by"
            )
        )
    after: dict[tuple[int, int | None], Decimal] = defaultdict(Decimal)
    for line in WorkplanResource.objects.filter(workplan=workplan):
        after[(line.funding_source_id, line.region_id)] += line.amount
    before = defaultdict(Decimal, after)
    transferred = added = Decimal(0)
    for record in reallocations:
        before[(record.to_source_id, record.to_region_id)] -= record.amount
        if record.kind == ReallocationKind.TRANSFER:
            assert record.from_source_id is not None
            before[(record.from_source_id, record.from_region_id)] += record.amount
            transferred += record.amount
        else:
            added += record.amount
    region_order = {r.pk: n for n, r in enumerate(regions)}
    source_order = {s.pk: n for n, s in enumerate(sources)}
    sources_by_id = {s.pk: s for s in sources}
    regions_by_id = {r.pk: r for r in regions}
    keys = sorted(
        (key for key in set(after) | set(before) if after.get(key) or before.get(key)),
        key=lambda k: (
            source_order.get(k[0], 0),
            len(regions) if k[1] is None else region_order.get(k[1], 0),
        ),
    )
    progress_rows = reached_targets(workplan.biennium, workplan.outcome)
    return MidtermDetail(
        workplan=workplan,
        review=review,
        corrective_actions=actions,
        reallocations=reallocations,
        progress=[
            RegionProgress(region, *progress_rows.get(region.pk, (0, 0, 0))) for region in regions
        ],
        lines=[
            ResourceChange(
                funding_source=sources_by_id[source_id],
                region=regions_by_id[region_id] if region_id is not None else None,
                before=before.get((source_id, region_id), Decimal(0)),
                after=after.get((source_id, region_id), Decimal(0)),
            )
            for source_id, region_id in keys
        ],
        total_before=sum(before.values(), Decimal(0)),
        total_after=sum(after.values(), Decimal(0)),
        transferred=transferred,
        added=added,
        regions=regions,
        funding_sources=sources,
    )


def unlisted_cpo_count(
    user: AnyUser | None,
    biennium: Biennium,
    *,
    outcome: Outcome | None = None,
    region: Region | None = None,
) -> int:
    """How many CPOs the table counts that the user's CPO list does not show (programmes
    not yet published, outside their office or region). One query."""
    counted = CountryProgrammeOutcome.objects.filter(biennium=biennium).filter(
        Q(prioritized=True) | Q(targeted=True)
    )
    if outcome is not None:
        counted = counted.filter(outcome=outcome)
    if region is not None:
        counted = counted.filter(programme__country__region=region)
    scope = programme_scope(user, "programme__")
    if not scope:  # the user reads every programme
        return 0
    # The negated scope of the CPOs' programmes, not NOT IN (the visible CPOs): with 100,000
    # CPOs in a biennium that subquery is too large to hash and the count took minutes.
    return counted.exclude(scope).count()
