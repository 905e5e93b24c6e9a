"""The report's executive summary, from the snapshot's content only: the secretariat's
introduction, the key figures (targets set, met and exceeded by strategic objective and by
region; resources by funding source; budget against expenditure) and four charts.

A target is *set* where an indicator (or its region) has a target above zero, *met* where the
validated results reach it and *exceeded* where they pass it (exceeded targets are met too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from reporting.exports import common
from reporting.exports.common import JSON
from reporting.exports.layout.blocks import Block, Cell, Chart, Heading, Paragraph, Series, Table

MILLION = Decimal(1_000_000)


@dataclass
class TargetCount:
    """Targets set, met and exceeded, and the targets' and results' sums, of a group."""

    set: int = 0
    met: int = 0
    exceeded: int = 0
    target: int = 0
    results: int = 0

    def add(self, target: int | None, results: int) -> None:
        if not target:
            return
        self.set += 1
        self.met += results >= target
        self.exceeded += results > target
        self.target += target
        self.results += results


def targets_by_objective(content: JSON) -> list[tuple[JSON, TargetCount]]:
    """(objective, its targets) in the report's order."""
    found = []
    for objective in content["objectives"]:
        count = TargetCount()
        for outcome in objective["outcomes"]:
            for indicator in outcome["indicators"]:
                count.add(indicator["target"], indicator["results"])
        found.append((objective, count))
    return found


def targets_by_region(content: JSON) -> list[tuple[str, TargetCount]]:
    """(region name, its targets: each indicator's regional target) in the report's order."""
    counts = {region.code: TargetCount() for region in common.regions(content)}
    for _objective, _outcome, indicator in common.indicators(content):
        for code, count in counts.items():
            count.add(indicator["target_by_region"].get(code), indicator["results_by_region"][code])
    return [(region.name, counts[region.code]) for region in common.regions(content)]


def _budget(content: JSON, source: str) -> Decimal | None:
    """The P&B budget of a funding source over the outcomes in scope (None for a region)."""
    values = [
        outcome["resources"][source]["budget"]
        for _objective, outcome in common.outcomes(content)
        if source in outcome["resources"]
    ]
    known = [Decimal(value) for value in values if value is not None]
    return sum(known, Decimal(0)) if known else None


def executive_summary(content: JSON) -> list[Block]:
    blocks: list[Block] = [Heading(_("Executive summary"), 1)]
    introduction = [
        " ".join(part.split()) for part in content["meta"].get("introduction", "").split("\n\n")
    ]
    if any(introduction):
        blocks.append(Heading(_("Introduction by the secretariat"), 2))
        blocks += [Paragraph(text) for text in introduction if text]
    blocks += [Heading(_("Key figures"), 2), Paragraph(_overview(content))]
    blocks += [_objectives_table(content), _targets_table(content, by_region=False)]
    if content["meta"]["regions"]:
        blocks.append(_targets_table(content, by_region=True))
    blocks.append(
        Paragraph(
            _(
                "A target is met when the validated results reach it and exceeded when they "
                "pass it; exceeded targets are counted as met too."
            ),
            "note",
        )
    )
    blocks += [_resources_summary_table(content)]
    budget = _budget_table(content)
    if budget is not None:
        blocks.append(budget)
    blocks += [Heading(_("Charts"), 2), *charts(content)]
    return blocks


def _overview(content: JSON) -> str:
    totals = content["totals"]
    outcome_count = sum(len(o["outcomes"]) for o in content["objectives"])
    overall = _rate(totals["results"], totals["targets"])
    return _(
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


def _rate(done: int | Decimal, target: int | Decimal | None) -> Decimal | None:
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


def _targets_table(content: JSON, *, by_region: bool) -> Table:
    """Targets set, met and exceeded, by strategic objective or by region, with a total."""
    groups = (
        targets_by_region(content)
        if by_region
        else [(common.objective_heading(o), c) for o, c in targets_by_objective(content)]
    )
    header = [
        Cell(_("Region") if by_region else _("Strategic objective"), bold=True),
        Cell(_("Targets set"), bold=True, numeric=True),
        Cell(_("Met"), bold=True, numeric=True),
        Cell(_("Exceeded"), bold=True, numeric=True),
        Cell(_("Not met"), bold=True, numeric=True),
    ]
    total = TargetCount()
    rows = []
    for name, count in groups:
        total.set += count.set
        total.met += count.met
        total.exceeded += count.exceeded
        rows.append(_count_row(Cell(name), count, bold=False))
    rows.append(_count_row(Cell(_("Total"), bold=True), total, bold=True))
    key = "summary-targets-regions" if by_region else "summary-targets-objectives"
    return Table([header], rows, [6, 1.3, 1.3, 1.3, 1.3], key=key)


def _count_row(label: Cell, count: TargetCount, *, bold: bool) -> list[Cell]:
    figures = (count.set, count.met, count.exceeded, count.set - count.met)
    return [label, *(Cell(common.count_text(f), bold=bold, numeric=True) for f in figures)]


def _resources_summary_table(content: JSON) -> Table:
    header = [
        Cell(_("Funding source"), bold=True),
        Cell(_("Planned (USD thousands)"), bold=True, numeric=True),
        Cell(_("Spent (USD thousands)"), bold=True, numeric=True),
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


def _budget_table(content: JSON) -> Table | None:
    """The P&B budget against expenditure by funding source, with the delivery rate; none
    for a regional report (the budget is not broken down by region)."""
    budgets = {s.code: _budget(content, s.code) for s in common.funding_sources(content)}
    if all(value is None for value in budgets.values()):
        return None
    header = [
        Cell(_("Source of funds"), bold=True),
        Cell(_("P&B budget (USD thousands)"), bold=True, numeric=True),
        Cell(_("Expenditure (USD thousands)"), bold=True, numeric=True),
        Cell(_("Delivery"), bold=True, numeric=True),
    ]
    rows = []
    budget_total = spent_total = Decimal(0)
    for source in common.funding_sources(content):
        budget = budgets[source.code] or Decimal(0)
        spent = Decimal(content["totals"]["resources"][source.code]["spent"])
        budget_total += budget
        spent_total += spent
        rows.append(_budget_row(Cell(source.name), budget, spent, bold=False))
    rows.append(_budget_row(Cell(_("Total"), bold=True), budget_total, spent_total, bold=True))
    return Table([header], rows, [5, 2.3, 2.3, 1.4], key="summary-budget")


def _budget_row(label: Cell, budget: Decimal, spent: Decimal, *, bold: bool) -> list[Cell]:
    return [
        label,
        Cell(common.money_text(budget), bold=bold, numeric=True),
        Cell(common.money_text(spent), bold=bold, numeric=True),
        Cell(common.percent_text(_rate(spent, budget)), bold=bold, numeric=True),
    ]


# Charts --------------------------------------------------------------------------------------


def charts(content: JSON) -> list[Chart]:
    """Results against targets by objective and by region, resources by source, delivery."""
    found = [
        _results_chart(
            "chart-objectives",
            _("Results against targets by strategic objective"),
            [(_objective_short(o), count) for o, count in targets_by_objective(content)],
        )
    ]
    if content["meta"]["regions"]:
        found.append(
            _results_chart(
                "chart-regions",
                _("Results against targets by region"),
                targets_by_region(content),
            )
        )
    found.append(_resources_chart(content))
    delivery = _delivery_chart(content)
    if delivery is not None:
        found.append(delivery)
    return found


def _objective_short(objective: JSON) -> str:
    if objective["cross_cutting"]:
        return str(objective["title"])
    return _("Objective %(number)s") % {"number": objective["number"]}


def _listing(pairs: Iterable[tuple[str, str]]) -> str:
    return "; ".join(f"{name}: {text}" for name, text in pairs)


def _results_chart(key: str, title: str, groups: list[tuple[str, TargetCount]]) -> Chart:
    alt = _("Bar chart. %(title)s. %(figures)s.") % {
        "title": title,
        "figures": _listing(
            (
                name,
                _("target %(target)s, results %(results)s")
                % {
                    "target": common.count_text(count.target),
                    "results": common.count_text(count.results),
                },
            )
            for name, count in groups
        ),
    }
    return Chart(
        key=key,
        title=title,
        alt=alt,
        categories=[name for name, _count in groups],
        series=[
            Series(_("Target"), [float(count.target) for _name, count in groups]),
            Series(_("Results"), [float(count.results) for _name, count in groups]),
        ],
        unit=_("Member States"),
    )


def _millions(value: Decimal) -> float:
    return float(round(value / MILLION, 1))


def _resources_chart(content: JSON) -> Chart:
    title = _("Resources by funding source (USD millions)")
    sources = common.funding_sources(content)
    lines = [content["totals"]["resources"][s.code] for s in sources]
    planned = [_millions(Decimal(line["planned"])) for line in lines]
    spent = [_millions(Decimal(line["spent"])) for line in lines]
    alt = _("Bar chart. %(title)s. %(figures)s.") % {
        "title": title,
        "figures": _listing(
            (
                source.code,
                _("planned %(planned)s, spent %(spent)s")
                % {"planned": f"{p:,.1f}", "spent": f"{s:,.1f}"},
            )
            for source, p, s in zip(sources, planned, spent, strict=True)
        ),
    }
    return Chart(
        key="chart-resources",
        title=title,
        alt=alt,
        categories=[source.code for source in sources],
        series=[Series(_("Planned"), planned), Series(_("Spent"), spent)],
        unit=_("USD millions"),
    )


def _delivery_chart(content: JSON) -> Chart | None:
    """Expenditure as a share of the P&B budget by funding source (none for a region)."""
    sources = common.funding_sources(content)
    budgets = [_budget(content, s.code) for s in sources]
    if all(value is None for value in budgets):
        return None
    title = _("Delivery: expenditure against the P&B budget")
    rates = [
        float(_rate(Decimal(content["totals"]["resources"][s.code]["spent"]), b) or 0)
        for s, b in zip(sources, budgets, strict=True)
    ]
    alt = _("Bar chart. %(title)s. %(figures)s.") % {
        "title": title,
        "figures": _listing(
            (source.code, common.percent_text(Decimal(str(rate))))
            for source, rate in zip(sources, rates, strict=True)
        ),
    }
    return Chart(
        key="chart-delivery",
        title=title,
        alt=alt,
        categories=[source.code for source in sources],
        series=[Series(_("Delivery"), rates)],
        unit=_("Share of the budget spent"),
        percent=True,
    )
