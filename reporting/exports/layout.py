"""The report as a Governing Body document, independent of the file format: a list of
headings, paragraphs and tables that the DOCX and PDF writers render the same way.

A cover block, a short summary, a Heading 1 per strategic objective and a Heading 2 per
outcome (its indicators with targets and results by region, its results with country examples,
its resources by funding source, its strategy, its mid-term review, its demand and targets by
region), then an annex in landscape: demand and targets of every outcome by region, in the
layout of Table 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from reporting.exports import common, examples
from reporting.exports.common import JSON
from reporting.models import ReportSnapshot
from workplans.models import ReallocationKind

INDENT = "    "


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1  # columns this cell covers (header cells)
    bold: bool = False
    numeric: bool = False  # a figure: aligned right
    shaded: bool = False  # a figure to notice: a target above demand
    indent: int = 0  # levels (a region under its indicator)


@dataclass(frozen=True)
class Table:
    header: list[list[Cell]]  # one or more rows, repeated on every page
    rows: list[list[Cell]]
    widths: list[float]  # relative column widths
    key: str = ""  # what the table shows, e.g. "indicators-16" (for tests and readers' tools)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body, statement, bullet, note, cover, title, subtitle, meta
    label: str = ""  # a bold lead-in, e.g. "Lessons learned:"


@dataclass(frozen=True)
class Landscape:
    """What follows starts on a new page in landscape."""


Block = Heading | Paragraph | Table | Landscape


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def report_document(snapshot: ReportSnapshot) -> Document:
    """The whole report of a snapshot. Call inside ``translation.override``."""
    content = snapshot.content
    document = Document(title=str(content["meta"]["title"]))
    document.add(*_cover(snapshot))
    document.add(*_summary(content))
    for objective in content["objectives"]:
        document.add(Heading(common.objective_heading(objective), 1))
        for outcome in objective["outcomes"]:
            document.add(*_outcome(content, outcome))
    document.add(Landscape(), *_annex(content))
    return document


def _cover(snapshot: ReportSnapshot) -> list[Block]:
    meta = snapshot.content["meta"]
    return [
        Paragraph(_("GOVERNING BODY"), "cover"),
        Paragraph(_("Biennium %(biennium)s") % {"biennium": meta["biennium"]}, "subtitle"),
        Paragraph(str(meta["title"]), "title"),
        Paragraph(common.scope_label(snapshot), "subtitle"),
        Paragraph(
            _("Compiled on %(date)s from validated data · snapshot %(hash)s · %(status)s")
            % {
                "date": common.compiled_text(snapshot),
                "hash": snapshot.short_hash,
                "status": common.status_label(snapshot),
            },
            "meta",
        ),
    ]


# Summary -------------------------------------------------------------------------------------


def _summary(content: JSON) -> list[Block]:
    totals = content["totals"]
    outcome_count = sum(len(o["outcomes"]) for o in content["objectives"])
    overall = _rate(totals["results"], totals["targets"])
    text = _(
        "This report covers %(outcomes)s outcomes and %(indicators)s indicators. Offices "
        "reported %(results)s results validated against the indicators' measurement "
        "criteria, for targets of %(targets)s: %(rate)s of the targets."
    ) % {
        "outcomes": common.count_text(outcome_count),
        "indicators": common.count_text(totals["indicators"]),
        "targets": common.count_text(totals["targets"]),
        "results": common.count_text(totals["results"]),
        "rate": common.percent_text(overall),
    }
    return [
        Heading(_("Summary"), 1),
        Paragraph(text),
        _objectives_table(content),
        _resources_summary_table(content),
    ]


def _rate(done: int, target: int | None) -> Decimal | None:
    return Decimal(done) / Decimal(target) if target else None


def _objectives_table(content: JSON) -> Table:
    header = [
        Cell(_("Strategic objective"), bold=True),
        Cell(_("Outcomes"), bold=True, numeric=True),
        Cell(_("Target"), bold=True, numeric=True),
        Cell(_("Results"), bold=True, numeric=True),
        Cell(_("Rate"), bold=True, numeric=True),
    ]
    rows = []
    for objective in content["objectives"]:
        target = sum(i["target"] or 0 for o in objective["outcomes"] for i in o["indicators"])
        results = sum(i["results"] for o in objective["outcomes"] for i in o["indicators"])
        rows.append(
            [
                Cell(common.objective_heading(objective)),
                Cell(common.count_text(len(objective["outcomes"])), numeric=True),
                Cell(common.count_text(target), numeric=True),
                Cell(common.count_text(results), numeric=True),
                Cell(common.percent_text(_rate(results, target)), numeric=True),
            ]
        )
    totals = content["totals"]
    rows.append(
        [
            Cell(_("Total"), bold=True),
            Cell(
                common.count_text(sum(len(o["outcomes"]) for o in content["objectives"])),
                bold=True,
                numeric=True,
            ),
            Cell(common.count_text(totals["targets"]), bold=True, numeric=True),
            Cell(common.count_text(totals["results"]), bold=True, numeric=True),
            Cell(
                common.percent_text(_rate(totals["results"], totals["targets"])),
                bold=True,
                numeric=True,
            ),
        ]
    )
    return Table([header], rows, [6, 1.3, 1.3, 1.3, 1.3], key="summary-objectives")


def _resources_summary_table(content: JSON) -> Table:
    header = [
        Cell(_("Funding source"), bold=True),
        Cell(_("Planned (USD)"), bold=True, numeric=True),
        Cell(_("Spent (USD)"), bold=True, numeric=True),
    ]
    rows = []
    planned_total = spent_total = Decimal(0)
    for source in common.funding_sources(content):
        line = content["totals"]["resources"][source.code]
        planned_total += Decimal(line["planned"])
        spent_total += Decimal(line["spent"])
        rows.append(
            [
                Cell(source.name),
                Cell(common.money_text(line["planned"]), numeric=True),
                Cell(common.money_text(line["spent"]), numeric=True),
            ]
        )
    rows.append(
        [
            Cell(_("Total"), bold=True),
            Cell(common.money_text(planned_total), bold=True, numeric=True),
            Cell(common.money_text(spent_total), bold=True, numeric=True),
        ]
    )
    return Table([header], rows, [6, 2.5, 2.5], key="summary-resources")


# One outcome ---------------------------------------------------------------------------------


def _outcome(content: JSON, outcome: JSON) -> list[Block]:
    blocks: list[Block] = [Heading(common.outcome_heading(outcome), 2)]
    if outcome["statement"]:
        blocks.append(Paragraph(outcome["statement"], "statement"))
    blocks += [Heading(_("Indicators and targets"), 3), _indicators_table(content, outcome)]
    blocks += _target_warnings(outcome)
    blocks += _examples(outcome)
    blocks += [
        Heading(_("Resources by funding source (USD)"), 3),
        _resources_table(content, outcome),
    ]
    blocks += _strategy(outcome)
    blocks += _midterm_review(content, outcome)
    blocks += [
        Heading(_("Prioritized demand and proposed targets by region"), 3),
        _demand_table(content, outcome),
    ]
    return blocks


def _indicators_table(content: JSON, outcome: JSON) -> Table:
    """A row per indicator (its total), then a row per region under it."""
    header = [
        Cell(_("Indicator"), bold=True),
        Cell(_("Target"), bold=True, numeric=True),
        Cell(_("Results"), bold=True, numeric=True),
        Cell(_("Rate"), bold=True, numeric=True),
    ]
    rows = []
    for indicator in outcome["indicators"]:
        rows.append(
            [
                Cell(f"{indicator['code']} {indicator['text']}", bold=True),
                Cell(common.count_text(indicator["target"]), bold=True, numeric=True),
                Cell(common.count_text(indicator["results"]), bold=True, numeric=True),
                Cell(common.percent_text(indicator["rate"]), bold=True, numeric=True),
            ]
        )
        for region in common.regions(content):
            rows.append(
                [
                    Cell(region.name, indent=1),
                    Cell(
                        common.count_text(indicator["target_by_region"][region.code]), numeric=True
                    ),
                    Cell(
                        common.count_text(indicator["results_by_region"][region.code]), numeric=True
                    ),
                    Cell(
                        common.percent_text(indicator["rate_by_region"][region.code]), numeric=True
                    ),
                ]
            )
    return Table([header], rows, [7, 1.4, 1.4, 1.4], key=f"indicators-{outcome['code']}")


def _target_warnings(outcome: JSON) -> list[Block]:
    return [
        Paragraph(
            _(
                "Indicator %(code)s: the regional targets add up to %(sum)s, not to the "
                "stated total of %(total)s."
            )
            % {
                "code": indicator["code"],
                "sum": common.count_text(common.regional_target_sum(indicator)),
                "total": common.count_text(indicator["target"]),
            },
            "note",
        )
        for indicator in outcome["indicators"]
        if indicator["target_warning"]
    ]


def _examples(outcome: JSON) -> list[Block]:
    if not examples.has_examples(outcome):
        return []
    blocks: list[Block] = [Heading(examples.heading(), 3)]
    if not outcome["examples"]:
        return [*blocks, Paragraph(examples.none_text(), "note")]
    for example in outcome["examples"]:
        for index, line in enumerate(examples.narrative_lines(example)):
            blocks.append(Paragraph(line, label=examples.label(example) if index == 0 else ""))
    return blocks


def _resources_table(content: JSON, outcome: JSON) -> Table:
    """Planned and spent by source; the P&B budget too when the scope has one (not a region)."""
    has_budget = any(line["budget"] is not None for line in outcome["resources"].values())
    measures = (["budget"] if has_budget else []) + ["planned", "spent"]
    titles = {"budget": _("P&B budget"), "planned": _("Planned"), "spent": _("Spent")}
    header = [Cell(_("Funding source"), bold=True)] + [
        Cell(titles[measure], bold=True, numeric=True) for measure in measures
    ]
    rows = []
    for source in common.funding_sources(content):
        line = outcome["resources"][source.code]
        rows.append(
            [Cell(source.name)]
            + [Cell(common.money_text(line[measure]), numeric=True) for measure in measures]
        )
    rows.append(
        [Cell(_("Total"), bold=True)]
        + [
            Cell(
                common.money_text(common.resource_total(outcome, measure)), bold=True, numeric=True
            )
            for measure in measures
        ]
    )
    return Table([header], rows, [5] + [2.2] * len(measures), key=f"resources-{outcome['code']}")


def _strategy(outcome: JSON) -> list[Block]:
    blocks: list[Block] = [Heading(_("Strategy"), 3)]
    if not outcome["strategy"]:
        return [*blocks, Paragraph(_("No strategy written yet."), "note")]
    for element in outcome["strategy"]:
        lines = [line.strip() for line in element["text"].splitlines() if line.strip()]
        for index, line in enumerate(lines):
            label = f"{element['title']}." if index == 0 else ""
            blocks.append(Paragraph(line, "body", label=label))
    return blocks


def _midterm_review(content: JSON, outcome: JSON) -> list[Block]:
    review = outcome["midterm_review"]
    blocks: list[Block] = [Heading(_("Mid-term review"), 3)]
    if review is None:
        return [*blocks, Paragraph(_("No mid-term review was recorded."), "note")]
    blocks += [
        Paragraph(common.date_text(review["date"]), label=_("Reviewed on:")),
        Paragraph(review["summary"], label=_("Assessment:")),
    ]
    if review["lessons_learned"]:
        blocks.append(Paragraph(review["lessons_learned"], label=_("Lessons learned:")))
    if review["corrective_actions"]:
        blocks.append(Paragraph("", label=_("Corrective actions:")))
        blocks += [
            Paragraph(
                f"{common.region_name(content, action['region'])}: {action['text']}", "bullet"
            )
            for action in review["corrective_actions"]
        ]
    if review["reallocations"]:
        blocks.append(Paragraph("", label=_("Reallocations:")))
        blocks.append(_reallocations_table(content, outcome, review["reallocations"]))
    return blocks


def reallocation_line(content: JSON, source: str | None, region: str | None) -> str:
    """``XBTC · Africa`` for one side of a reallocation; a dash for new money."""
    if source is None:
        return common.NO_FIGURE
    return f"{source} · {common.region_name(content, region)}"


def reallocation_kind(kind: str) -> str:
    try:
        return str(ReallocationKind(kind).label)
    except ValueError:
        return kind


def _reallocations_table(content: JSON, outcome: JSON, reallocations: list[JSON]) -> Table:
    header = [
        Cell(_("Kind"), bold=True),
        Cell(_("From"), bold=True),
        Cell(_("To"), bold=True),
        Cell(_("Amount (USD)"), bold=True, numeric=True),
        Cell(_("Reason"), bold=True),
    ]
    rows = [
        [
            Cell(reallocation_kind(item["kind"])),
            Cell(reallocation_line(content, item["from_source"], item["from_region"])),
            Cell(reallocation_line(content, item["to_source"], item["to_region"])),
            Cell(common.money_text(item["amount"]), numeric=True),
            Cell(item["reason"]),
        ]
        for item in reallocations
    ]
    return Table([header], rows, [2, 2.4, 2.4, 2, 4], key=f"reallocations-{outcome['code']}")


def _demand_table(content: JSON, outcome: JSON) -> Table:
    header = [
        Cell(_("Region"), bold=True),
        Cell(_("Prioritized demand"), bold=True, numeric=True),
        Cell(_("Proposed target"), bold=True, numeric=True),
    ]
    rows = []
    for region in common.regions(content):
        cell = outcome["demand_target"][region.code]
        rows.append(
            [
                Cell(region.name),
                Cell(common.count_text(cell["demand"]), numeric=True),
                Cell(
                    common.count_text(cell["target"]),
                    numeric=True,
                    shaded=cell["target"] > cell["demand"],
                ),
            ]
        )
    total = outcome["demand_target"]["total"]
    rows.append(
        [
            Cell(_("Total"), bold=True),
            Cell(common.count_text(total["demand"]), bold=True, numeric=True),
            Cell(
                common.count_text(total["target"]),
                bold=True,
                numeric=True,
                shaded=total["target"] > total["demand"],
            ),
        ]
    )
    return Table([header], rows, [5, 2.5, 2.5], key=f"demand-{outcome['code']}")


# Annex ---------------------------------------------------------------------------------------


def _annex(content: JSON) -> list[Block]:
    return [
        Heading(
            _(
                "Annex. Distribution of prioritized demand and proposed targets by region and by "
                "outcome"
            ),
            1,
        ),
        Paragraph(
            _(
                "Demand: the country programme outcomes that constituents prioritized. Target: "
                "those the Office proposes to target. Shaded: the proposed target exceeds the "
                "prioritized demand."
            ),
            "note",
        ),
        demand_target_annex(content),
    ]


def demand_target_annex(content: JSON) -> Table:
    """Table 1: a row per outcome, demand and target in total and per region, a totals row."""
    regions = common.regions(content)
    groups = [(_("Totals"), "total")] + [(region.name, region.code) for region in regions]
    header = [
        [Cell("", bold=True)]
        + [Cell(name, span=2, bold=True, numeric=True) for name, _code in groups],
        [Cell(_("Programme and budget outcome"), bold=True)]
        + [
            Cell(title, bold=True, numeric=True)
            for _group in groups
            for title in (_("Demand"), _("Target"))
        ],
    ]
    rows = []
    for _objective, outcome in common.outcomes(content):
        label = f"{outcome['code']}. {outcome['title']}"
        rows.append([Cell(label), *_demand_cells(outcome["demand_target"], groups, bold=False)])
    rows.append(
        [
            Cell(_("Totals"), bold=True),
            *_demand_cells(content["totals"]["demand_target"], groups, bold=True),
        ]
    )
    return Table(header, rows, [3.6] + [1.2] * (2 * len(groups)), key="annex-demand-target")


def _demand_cells(figures: JSON, groups: list[tuple[str, str]], *, bold: bool) -> list[Cell]:
    cells = []
    for _name, code in groups:
        cell = figures[code]
        cells.append(Cell(common.count_text(cell["demand"]), bold=bold, numeric=True))
        cells.append(
            Cell(
                common.count_text(cell["target"]),
                bold=bold,
                numeric=True,
                shaded=cell["target"] > cell["demand"],
            )
        )
    return cells
