"""The table's numbers with their links and the chart, shown on the table and workplan pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from rbm.models import Biennium, Region
from workplans.models import OutcomeWorkplan
from workplans.selectors import Cell, DemandTargetTable

if TYPE_CHECKING:
    from strategic_plans.models import Outcome


def flag_title() -> str:
    return _(
        "Targets exceed prioritized demand: donor resources fund work that constituents "
        "support but did not rank among their highest priorities (as for child labour in "
        "Asia, or HIV/AIDS in Europe)."
    )


# The numbers of the table, each with the CPOs behind it -------------------------------------


@dataclass
class Figure:
    """One number of the table and the address of the CPO list that counts it."""

    value: int
    url: str | None
    flagged: bool = False  # shaded: the cell's target exceeds its demand
    marked: bool = False  # the target itself carries the ▲


@dataclass
class TableRow:
    outcome: Outcome | None  # None: the totals row
    cells: list[tuple[Region, Figure, Figure]]
    total: tuple[Figure, Figure]
    workplan: OutcomeWorkplan | None = None


@dataclass
class TableView:
    table: DemandTargetTable
    rows: list[TableRow]
    totals: TableRow
    flagged: int = 0
    regions: list[Region] = field(default_factory=list)


def cpo_list_url(
    biennium: Biennium,
    measure: str,
    *,
    outcome: Outcome | None = None,
    region: Region | None = None,
) -> str:
    """The CPO list of ``dwcp:cpo-list`` counting one figure: the biennium's CPOs that are
    prioritized (demand) or targeted (target), of the outcome and region when given, in every
    office (a field officer's list otherwise shows their office only)."""
    params: dict[str, Any] = {"biennium": biennium.code}
    if outcome is not None:
        params["outcome"] = outcome.pk
    if region is not None:
        params["region"] = region.code
    params["prioritized" if measure == "demand" else "targeted"] = "yes"
    params["office"] = ""
    return f"{reverse('dwcp:cpo-list')}?{urlencode(params)}"


def _figures(
    biennium: Biennium,
    cell: Cell,
    *,
    outcome: Outcome | None,
    region: Region | None,
    flag: bool = False,
) -> tuple[Figure, Figure]:
    """Demand and target of a cell; a zero is no link (there is nothing to list)."""
    return (
        Figure(
            cell.demand,
            cpo_list_url(biennium, "demand", outcome=outcome, region=region)
            if cell.demand
            else None,
            flagged=flag and cell.flagged,
        ),
        Figure(
            cell.target,
            cpo_list_url(biennium, "target", outcome=outcome, region=region)
            if cell.target
            else None,
            flagged=flag and cell.flagged,
            marked=flag and cell.flagged,
        ),
    )


def table_view(
    table: DemandTargetTable, *, workplans: dict[int, OutcomeWorkplan] | None = None
) -> TableView:
    """The table with a link on every number (the CPO list that counts it)."""
    biennium = table.biennium
    rows = []
    flagged = 0
    for outcome, cells, total in table.rows():
        row_cells = []
        for cell_region, cell in cells:
            row_cells.append(
                (
                    cell_region,
                    *_figures(biennium, cell, outcome=outcome, region=cell_region, flag=True),
                )
            )
            flagged += cell.flagged
        rows.append(
            TableRow(
                outcome=outcome,
                cells=row_cells,
                total=_figures(biennium, total, outcome=outcome, region=None),
                workplan=(workplans or {}).get(outcome.pk),
            )
        )
    totals = TableRow(
        outcome=None,
        cells=[
            (r, *_figures(biennium, table.region_totals.get(r.pk, Cell()), outcome=None, region=r))
            for r in table.regions
        ],
        total=_figures(biennium, table.grand_total, outcome=None, region=None),
    )
    return TableView(table=table, rows=rows, totals=totals, flagged=flagged, regions=table.regions)


# The chart of demand against targets --------------------------------------------------------

BAR = 18  # px, the height of one bar
GROUP = 2 * BAR + 30  # px: the region's name above its two bars, and a gap
LEGEND = 4  # px above the first region (the legend is the figure's caption)
MAX_WIDTH = 80.0  # % of the chart's width for the longest bar, leaving room for its number


@dataclass
class Bar:
    """One bar; coordinates are strings so that no locale puts a comma in them."""

    measure: str
    label: str
    value: int
    y: str
    text_y: str
    width: str  # % of the chart's width
    text_x: str  # % of the chart's width


@dataclass
class BarGroup:
    region: Region
    y: str
    flagged: bool
    bars: list[Bar]


def chart(table: DemandTargetTable, outcome: Outcome) -> dict[str, Any]:
    """Horizontal grouped bars, demand and target for each region, drawn as inline SVG.

    Widths are percentages of the chart's width and the texts keep their size, so the chart
    reads the same on a phone and on a laptop without any script.
    """
    cells = [(region, table.cell(outcome, region)) for region in table.regions]
    largest = max([max(c.demand, c.target) for _r, c in cells] + [1])
    groups = []
    for index, (region, cell) in enumerate(cells):
        top = LEGEND + index * GROUP
        bars = []
        for offset, (measure, label, value) in enumerate(
            (
                ("demand", _("Prioritized demand"), cell.demand),
                ("target", _("Proposed target"), cell.target),
            )
        ):
            width = MAX_WIDTH * value / largest
            y = top + 22 + offset * (BAR + 2)
            bars.append(
                Bar(
                    measure=measure,
                    label=str(label),
                    value=value,
                    y=str(y),
                    text_y=str(y + BAR - 5),
                    width=f"{width:.2f}",
                    text_x=f"{width + 1.2:.2f}",
                )
            )
        groups.append(BarGroup(region=region, y=str(top + 14), flagged=cell.flagged, bars=bars))
    summary = "; ".join(
        _("%(region)s: demand %(demand)s, target %(target)s")
        % {"region": region.label, "demand": cell.demand, "target": cell.target}
        for region, cell in cells
    )
    return {
        "groups": groups,
        "height": str(LEGEND + len(groups) * GROUP),
        "summary": summary,
        "bar": str(BAR),
    }
