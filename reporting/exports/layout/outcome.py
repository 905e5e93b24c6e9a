"""One outcome of the report: its indicators with targets and results by region, its results
with country examples, its resources by funding source, its strategy, its mid-term review, its
demand and targets by region."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reporting.exports import common, examples
from reporting.exports.common import JSON
from reporting.exports.layout.blocks import Block, Cell, Heading, Paragraph, Table
from workplans.models import ReallocationKind


def outcome_blocks(content: JSON, outcome: JSON) -> list[Block]:
    blocks: list[Block] = [Heading(common.outcome_heading(outcome), 2)]
    if outcome["statement"]:
        blocks.append(Paragraph(outcome["statement"], "statement"))
    blocks += [Heading(_("Indicators and targets"), 3), _indicators_table(content, outcome)]
    blocks += _target_warnings(outcome)
    blocks += _examples(outcome)
    blocks += [
        Heading(_("Resources by funding source (USD thousands)"), 3),
        _resources_table(content, outcome),
    ]
    blocks += _strategy(outcome)
    blocks += _lessons(outcome)
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
    told, others = examples.featured(outcome["examples"])
    for example in told:
        for index, line in enumerate(examples.narrative_lines(example)):
            blocks.append(Paragraph(line, label=examples.label(example) if index == 0 else ""))
    if others:
        blocks.append(Paragraph(examples.others_text(others), label=examples.others_label()))
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
        text = _(
            "Not written: no element of this outcome's strategy has been written for the "
            "biennium. The completeness check lists it as a gap."
        )
        return [*blocks, Paragraph(text, "note", label=_("Strategy."))]
    for element in outcome["strategy"]:
        lines = [line.strip() for line in element["text"].splitlines() if line.strip()]
        if not lines:  # an element left empty says so, by its name
            blocks.append(Paragraph(_("Not written."), "note", label=f"{element['title']}."))
        for index, line in enumerate(lines):
            label = f"{element['title']}." if index == 0 else ""
            blocks.append(Paragraph(line, "body", label=label))
    return blocks


def _lessons(outcome: JSON) -> list[Block]:
    """The validated lessons the outcome's strategy acts on (content without them: none)."""
    lessons = outcome.get("lessons") or []
    if not lessons:
        return []
    blocks: list[Block] = [Heading(_("Lessons learned acted on"), 3)]
    for lesson in lessons:
        blocks.append(Paragraph(lesson["text"], "body", label=f"{lesson['title']}."))
        if lesson["what_to_change"]:
            blocks.append(Paragraph(lesson["what_to_change"], "body", label=_("What changes:")))
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
        Cell(_("Amount (USD thousands)"), bold=True, numeric=True),
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
