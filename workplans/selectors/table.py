"""The demand-and-target table (Table 1's layout), counted from the CPOs by the database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from dwcp.models import CountryProgrammeOutcome
from dwcp.selectors import programme_scope
from rbm.models import Biennium, Region
from rbm.permissions import AnyUser
from strategic_plans.models import Outcome

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


def framework_bienniums() -> list[Biennium]:
    """The bienniums a programme and budget covers (their table can be computed), latest
    first."""
    return list(Biennium.objects.filter(programme__isnull=False).order_by("-start_year"))


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
