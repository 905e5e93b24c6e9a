"""The sheets of the report's workbook, one function per section of the report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dwcp.models import Phase
from reporting.exports import common, examples
from reporting.exports.common import JSON
from reporting.exports.layout import reallocation_kind, reallocation_line
from reporting.exports.xlsx.cells import (
    BOLD,
    DATE,
    DATETIME,
    MONEY,
    PERCENT,
    SHADED_FILL,
    TEXT,
    WHOLE,
    Column,
    bold_row,
    choice_label,
    naive_utc,
    write_group_header,
    write_header,
    write_rows,
)
from reporting.models import ReportSnapshot

# Summary -------------------------------------------------------------------------------------


def summary(sheet: Worksheet, snapshot: ReportSnapshot) -> None:
    content = snapshot.content
    meta = content["meta"]
    totals = content["totals"]
    sheet.column_dimensions["A"].width = 34
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 22
    lines: list[tuple[str, Any, str]] = [
        (_("Title"), meta["title"], "General"),
        (_("Biennium"), meta["biennium"], TEXT),
        (_("Scope"), common.scope_label(snapshot), "General"),
        (_("Language"), common.language_label(snapshot), "General"),
        (_("Snapshot (SHA-256)"), snapshot.content_hash, TEXT),
        (_("Compiled on (UTC)"), naive_utc(snapshot.created_at), DATETIME),
        (_("Status"), common.status_label(snapshot), "General"),
    ]
    if snapshot.final and snapshot.finalized_at:
        lines.append((_("Marked final on (UTC)"), naive_utc(snapshot.finalized_at), DATETIME))
    outcome_count = sum(len(o["outcomes"]) for o in content["objectives"])
    lines += [
        (_("Outcomes"), outcome_count, WHOLE),
        (_("Indicators"), totals["indicators"], WHOLE),
        (_("Target"), totals["targets"], WHOLE),
        (_("Results"), totals["results"], WHOLE),
        (
            _("Rate"),
            Decimal(totals["results"]) / Decimal(totals["targets"]) if totals["targets"] else None,
            PERCENT,
        ),
        (_("Prioritized demand"), totals["demand_target"]["total"]["demand"], WHOLE),
        (_("Proposed target"), totals["demand_target"]["total"]["target"], WHOLE),
    ]
    for row, (label, value, number_format) in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=label).font = BOLD
        cell = sheet.cell(row=row, column=2, value=value)
        cell.number_format = number_format
    row = len(lines) + 2
    columns = [
        Column(_("Funding source"), 34),
        Column(_("Planned (USD thousands)"), 22, MONEY),
        Column(_("Spent (USD thousands)"), 22, MONEY),
    ]
    write_header(sheet, row, columns)
    resources = totals["resources"]
    sources = common.funding_sources(content)
    row = write_rows(
        sheet,
        row + 1,
        columns,
        [
            [s.name, Decimal(resources[s.code]["planned"]), Decimal(resources[s.code]["spent"])]
            for s in sources
        ],
    )
    write_rows(
        sheet,
        row,
        columns,
        [
            [
                _("Total"),
                sum((Decimal(resources[s.code]["planned"]) for s in sources), Decimal(0)),
                sum((Decimal(resources[s.code]["spent"]) for s in sources), Decimal(0)),
            ]
        ],
    )
    bold_row(sheet, row)


# Indicators ----------------------------------------------------------------------------------


def indicators(sheet: Worksheet, content: JSON) -> None:
    """A row per indicator: its figures, then target and results in each region, then a
    note where the regional targets do not add up to the stated total."""
    regions = common.regions(content)
    columns = [
        Column(_("Objective"), 10, WHOLE),
        Column(_("Outcome"), 26),
        Column(_("Indicator"), 10, TEXT),
        Column(_("Indicator text"), 60, wrap=True),
        Column(_("Unit"), 16),
        Column(_("Target"), 10, WHOLE),
        Column(_("Results"), 10, WHOLE),
        Column(_("Rate"), 10, PERCENT),
    ]
    first_region = len(columns) + 1
    for _region in regions:
        columns += [Column(_("Target"), 10, WHOLE), Column(_("Results"), 10, WHOLE)]
    columns.append(Column(_("Note"), 40, wrap=True))
    write_group_header(
        sheet, [(first_region + 2 * i, region.name) for i, region in enumerate(regions)]
    )
    write_header(sheet, 2, columns)
    rows = []
    for objective, outcome, indicator in common.indicators(content):
        row = [
            objective["number"],
            f"{outcome['code']}. {outcome['title']}",
            indicator["code"],
            indicator["text"],
            indicator["unit"],
            indicator["target"],
            indicator["results"],
            common.decimal(indicator["rate"]),
        ]
        for region in regions:
            row += [
                indicator["target_by_region"][region.code],
                indicator["results_by_region"][region.code],
            ]
        rows.append([*row, _target_note(indicator)])
    write_rows(sheet, 3, columns, rows)
    sheet.freeze_panes = "D3"


def _target_note(indicator: JSON) -> str | None:
    if not indicator["target_warning"]:
        return None
    return _("The regional targets add up to %(sum)s, not to the stated total.") % {
        "sum": common.regional_target_sum(indicator)
    }


# Demand and targets (Table 1) ------------------------------------------------------------------


def demand_targets(sheet: Worksheet, content: JSON) -> None:
    """Table 1: a row per outcome; demand and target in total and per region; totals."""
    regions = common.regions(content)
    groups = [("total", _("Totals"))] + [(r.code, r.name) for r in regions]
    columns = [Column(_("Programme and budget outcome"), 44)]
    for _group in groups:
        columns += [
            Column(_("Prioritized demand"), 12, WHOLE),
            Column(_("Proposed target"), 12, WHOLE),
        ]
    write_group_header(sheet, [(2 + 2 * i, title) for i, (_code, title) in enumerate(groups)])
    write_header(sheet, 2, columns)
    figures = [
        (f"{outcome['code']}. {outcome['title']}", outcome["demand_target"])
        for _objective, outcome in common.outcomes(content)
    ]
    figures.append((_("Totals"), content["totals"]["demand_target"]))
    for row, (label, cells) in enumerate(figures, start=3):
        sheet.cell(row=row, column=1, value=label)
        for index, (code, _title) in enumerate(groups):
            demand, target = cells[code]["demand"], cells[code]["target"]
            sheet.cell(row=row, column=2 + 2 * index, value=demand).number_format = WHOLE
            cell = sheet.cell(row=row, column=3 + 2 * index, value=target)
            cell.number_format = WHOLE
            if target > demand:
                cell.fill = SHADED_FILL
    bold_row(sheet, 2 + len(figures))
    note_row = 4 + len(figures)
    sheet.cell(
        row=note_row,
        column=1,
        value=_("Shaded: the proposed target exceeds the prioritized demand."),
    ).font = Font(italic=True)
    sheet.freeze_panes = "B3"


# Resources -----------------------------------------------------------------------------------


def resources(sheet: Worksheet, content: JSON) -> None:
    """Outcome × funding source; each outcome's total (source "Total"), each source's total
    (outcome "Total") and the grand total."""
    columns = [
        Column(_("Outcome"), 36),
        Column(_("Funding source"), 40),
        Column(_("P&B budget (USD thousands)"), 18, MONEY),
        Column(_("Planned (USD thousands)"), 18, MONEY),
        Column(_("Spent (USD thousands)"), 18, MONEY),
    ]
    write_header(sheet, 1, columns)
    measures = ("budget", "planned", "spent")
    sources = common.funding_sources(content)
    source_totals = {s.code: dict.fromkeys(measures, Decimal(0)) for s in sources}
    row = 2
    for _objective, outcome in common.outcomes(content):
        label = f"{outcome['code']}. {outcome['title']}"
        lines = []
        for source in sources:
            money = outcome["resources"][source.code]
            lines.append([label, source.name] + [common.decimal(money[m]) for m in measures])
            for measure in measures:
                source_totals[source.code][measure] += common.decimal(money[measure]) or 0
        row = write_rows(sheet, row, columns, lines)
        total = [label, _("Total")] + [common.resource_total(outcome, m) for m in measures]
        write_rows(sheet, row, columns, [total])
        bold_row(sheet, row)
        row += 1
    has_budget = content["meta"]["scope"] != "region"
    for source in sources:
        figures: list[Decimal | None] = [source_totals[source.code][m] for m in measures]
        if not has_budget:
            figures[0] = None
        row = write_rows(sheet, row, columns, [[_("Total"), source.name, *figures]])
        bold_row(sheet, row - 1)
    grand = [sum((source_totals[s.code][m] for s in sources), Decimal(0)) for m in measures]
    write_rows(
        sheet,
        row,
        columns,
        [[_("Total"), _("Total"), grand[0] if has_budget else None, grand[1], grand[2]]],
    )
    bold_row(sheet, row)
    sheet.freeze_panes = "A2"


# Countries, strategy, mid-term reviews, programmes -----------------------------------------------


def countries(sheet: Worksheet, content: JSON) -> None:
    """Results by country: a row per indicator and country with a result."""
    regions = {r.code: r.name for r in common.regions(content)}
    columns = [
        Column(_("Outcome"), 30),
        Column(_("Indicator"), 10, TEXT),
        Column(_("Region"), 24),
        Column(_("Country code"), 10),
        Column(_("Country"), 30),
        Column(_("Results"), 10, WHOLE),
    ]
    write_header(sheet, 1, columns)
    rows = [
        [
            f"{outcome['code']}. {outcome['title']}",
            indicator["code"],
            regions.get(country["region"], country["region"]),
            country["country"],
            country["name"],
            country["results"],
        ]
        for _objective, outcome, indicator in common.indicators(content)
        for country in indicator["results_by_country"]
    ]
    write_rows(sheet, 2, columns, rows)
    sheet.freeze_panes = "A2"


def country_examples(sheet: Worksheet, content: JSON) -> None:
    """Results achieved, with country examples: a row per CPO whose validated progress report
    claims a result, under its outcome, with the report's narrative."""
    regions = {r.code: r.name for r in common.regions(content)}
    columns = [
        Column(_("Outcome"), 30, wrap=True),
        Column(_("Indicator"), 10, TEXT),
        Column(_("Region"), 24),
        Column(_("Country code"), 10),
        Column(_("Country"), 24),
        Column(_("CPO"), 10),
        Column(_("Title"), 40, wrap=True),
        Column(_("Narrative"), 80, wrap=True),
    ]
    write_header(sheet, 1, columns)
    rows = [
        [
            f"{outcome['code']}. {outcome['title']}",
            example["indicator"],
            regions.get(example["region"], example["region"]),
            example["country"],
            example["country_name"],
            example["cpo"],
            example["title"],
            "\n".join(examples.narrative_lines(example)),
        ]
        for _objective, outcome in common.outcomes(content)
        for example in outcome.get("examples", [])
    ]
    write_rows(sheet, 2, columns, rows)
    sheet.freeze_panes = "A2"


def strategy(sheet: Worksheet, content: JSON) -> None:
    columns = [
        Column(_("Outcome"), 30, wrap=True),
        Column(_("Element"), 28, wrap=True),
        Column(_("Text"), 110, wrap=True),
    ]
    write_header(sheet, 1, columns)
    rows = [
        [f"{outcome['code']}. {outcome['title']}", element["title"], element["text"]]
        for _objective, outcome in common.outcomes(content)
        for element in outcome["strategy"]
    ]
    write_rows(sheet, 2, columns, rows)
    sheet.freeze_panes = "A2"


def midterm_reviews(sheet: Worksheet, content: JSON) -> None:
    columns = [
        Column(_("Outcome"), 30, wrap=True),
        Column(_("Date"), 12, DATE),
        Column(_("Assessment"), 50, wrap=True),
        Column(_("Lessons learned"), 50, wrap=True),
        Column(_("Corrective actions"), 50, wrap=True),
        Column(_("Reallocations"), 60, wrap=True),
    ]
    write_header(sheet, 1, columns)
    rows = []
    for _objective, outcome in common.outcomes(content):
        review = outcome["midterm_review"]
        if review is None:
            continue
        actions = "\n".join(
            f"{common.region_name(content, a['region'])}: {a['text']}"
            for a in review["corrective_actions"]
        )
        reallocations = "\n".join(_reallocation_text(content, r) for r in review["reallocations"])
        rows.append(
            [
                f"{outcome['code']}. {outcome['title']}",
                date.fromisoformat(review["date"]),
                review["summary"],
                review["lessons_learned"],
                actions,
                reallocations,
            ]
        )
    write_rows(sheet, 2, columns, rows)
    sheet.freeze_panes = "A2"


def _reallocation_text(content: JSON, item: JSON) -> str:
    """``Transfer between lines: XBTC · Africa → XBTC · Asia, USD 172 thousand (reason)``."""
    return _("%(kind)s: %(source)s → %(target)s, USD %(amount)s thousand (%(reason)s)") % {
        "kind": reallocation_kind(item["kind"]),
        "source": reallocation_line(content, item["from_source"], item["from_region"]),
        "target": reallocation_line(content, item["to_source"], item["to_region"]),
        "amount": common.money_text(item["amount"]),
        "reason": item["reason"],
    }


def programmes(sheet: Worksheet, content: JSON) -> None:
    """The programmes annex: a row per country programme and P&B outcome."""
    columns = [
        Column(_("Region"), 22),
        Column(_("Country code"), 10),
        Column(_("Country"), 24),
        Column(_("Programme"), 44),
        Column(_("Period"), 11),
        Column(_("Phase"), 26),
        Column(_("Office"), 30),
        Column(_("Outcome"), 9, TEXT),
        Column(_("Outcome title"), 36, wrap=True),
        Column(_("CPOs"), 9, WHOLE),
        Column(_("Prioritized"), 11, WHOLE),
        Column(_("Targeted"), 11, WHOLE),
        Column(_("Achieved (validated)"), 14, WHOLE),
    ]
    write_header(sheet, 1, columns)
    rows = []
    for part, programme in common.programmes(content):
        for outcome in programme["outcomes"]:
            rows.append(
                [
                    part["region_name"],
                    programme["country"],
                    programme["country_name"],
                    programme["title"],
                    f"{programme['start_year']}-{programme['end_year']}",
                    choice_label(Phase, programme["phase"]),
                    programme["office"],
                    outcome["code"],
                    outcome["title"],
                    outcome["cpos"],
                    outcome["prioritized"],
                    outcome["targeted"],
                    outcome["achieved"],
                ]
            )
    write_rows(sheet, 2, columns, rows)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
