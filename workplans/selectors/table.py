"""The demand-and-target table (Table 1's layout), counted from the CPOs by the database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache

from dwcp import selectors as dwcp_selectors
from rbm.models import Biennium, Region
from rbm.permissions import AnyUser
from strategic_plans import selectors as framework
from strategic_plans.models import Outcome
from strategic_plans.selectors import framework_outcomes

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

    def outcome_total(self, outcome: Outcome) -> Cell:
        """The outcome's total over the table's regions."""
        return self.outcome_totals.get(outcome.pk, Cell())

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


def demand_target_table(
    biennium: Biennium,
    *,
    outcome: Outcome | None = None,
    region: Region | None = None,
    cached: bool = True,
) -> DemandTargetTable:
    """Demand (prioritized CPOs) and targets (targeted CPOs) by outcome and region, counted
    by the database in one query, whatever the number of CPOs.

    ``cached=False`` counts in the caller's transaction, never from the cache: the report
    does, so that its table counts the very state of the data its other parts read (a cached
    count may come from another moment under the same stamp)."""
    outcomes = list(framework_outcomes(biennium))
    if outcome is not None:
        outcomes = [o for o in outcomes if o.pk == outcome.pk]
    regions = list(Region.objects.all())
    if region is not None:
        regions = [r for r in regions if r.pk == region.pk]
    outcome_ids, region_ids = {o.pk for o in outcomes}, {r.pk for r in regions}
    cells = {
        (outcome_id, region_id): Cell(demand, target)
        for outcome_id, region_id, demand, target in (
            _demand_target_counts(biennium)
            if cached
            else dwcp_selectors.demand_target_counts(biennium)
        )
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
    """(outcome id, region id, demand, target) of every cell of the biennium, counted by
    ``dwcp.selectors.demand_target_counts`` and cached under the CPOs' stamp (their number
    and latest change, ``dwcp.selectors.cpo_stamp``): a request that finds the table cached
    costs one small query instead of counting every CPO of the biennium (see ADR 0009)."""
    rows, changed = dwcp_selectors.cpo_stamp(biennium)
    key = f"demand-target:{biennium.pk}:{rows}:{changed.isoformat() if changed else '-'}"
    counts: list[tuple[int, int, int, int]] | None = cache.get(key)
    if counts is None:
        counts = dwcp_selectors.demand_target_counts(biennium)
        cache.set(key, counts, timeout=DEMAND_TARGET_CACHE_SECONDS)
    return counts


def framework_bienniums() -> list[Biennium]:
    """The bienniums a programme and budget covers (their table can be computed), latest
    first."""
    return list(framework.framework_bienniums())


def unlisted_cpo_count(
    user: AnyUser | None,
    biennium: Biennium,
    *,
    outcome: Outcome | None = None,
    region: Region | None = None,
) -> int:
    """How many CPOs the table counts that the user's CPO list does not show (programmes
    not yet published, outside their office or region). One query."""
    return dwcp_selectors.counted_cpos_not_readable(user, biennium, outcome=outcome, region=region)
