"""The report as an Excel workbook (openpyxl): a sheet per section, figures as numbers.

Summary, Indicators, Demand and targets (Table 1's layout), Resources, Countries, Strategy,
Mid-term reviews, Programmes. Every sheet has a bold header that stays in view (frozen) and
columns wide enough to read; money is written as numbers with two decimals, rates as
percentages.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from dwcp.models import Phase
from reporting.exports import common
from reporting.exports.common import JSON
from reporting.exports.layout import reallocation_kind, reallocation_line
from reporting.models import ReportSnapshot

MONEY = "#,##0.00"
WHOLE = "#,##0"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
TEXT = "@"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
SHADED_FILL = PatternFill("solid", fgColor="FFE699")
WRAP = Alignment(wrap_text=True, vertical="top")
LINE_HEIGHT = 13  # points, for 11-point text
MAX_LINES = 30
FORBIDDEN_IN_SHEET_TITLES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    number_format: str = "General"
    wrap: bool = False


def snapshot_xlsx(snapshot: ReportSnapshot) -> bytes:
    """The report of ``snapshot`` as XLSX bytes. Call inside ``translation.override``."""
    content = snapshot.content
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    _summary(_sheet(workbook, _("Summary")), snapshot)
    _indicators(_sheet(workbook, _("Indicators")), content)
    _demand_targets(_sheet(workbook, _("Demand and targets")), content)
    _resources(_sheet(workbook, _("Resources")), content)
    _countries(_sheet(workbook, _("Countries")), content)
    _strategy(_sheet(workbook, _("Strategy")), content)
    _midterm_reviews(_sheet(workbook, _("Mid-term reviews")), content)
    _programmes(_sheet(workbook, _("Programmes")), content)
    _print_setup(workbook)
    workbook.properties.title = str(content["meta"]["title"])
    workbook.properties.subject = common.scope_label(snapshot)
    workbook.properties.creator = _("International Labour Office")
    workbook.properties.identifier = snapshot.content_hash
    workbook.properties.language = snapshot.language
    workbook.properties.created = _naive_utc(snapshot.created_at)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet(workbook: Workbook, title: str) -> Worksheet:
    """A new sheet; its title cut to Excel's 31 characters without the signs Excel refuses."""
    return workbook.create_sheet(title.translate(FORBIDDEN_IN_SHEET_TITLES)[:31])


def _naive_utc(moment: datetime) -> datetime:
    """Excel has no time zones: the moment in UTC, without its zone."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _header(sheet: Worksheet, row: int, columns: list[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index, value=column.title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    lines = max(_lines(column.title, column.width) for column in columns)
    if lines > 1:
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines


def _group_header(sheet: Worksheet, groups: list[tuple[int, str]], span: int = 2) -> None:
    """Row 1 above the column titles: each group's title merged over its ``span`` columns."""
    for column, title in groups:
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        if span > 1:
            sheet.merge_cells(
                start_row=1, start_column=column, end_row=1, end_column=column + span - 1
            )


def _rows(
    sheet: Worksheet, first_row: int, columns: list[Column], rows: Iterable[list[Any]]
) -> int:
    """Write ``rows`` from ``first_row`` with each column's number format; the next free row.

    A row with wrapped text gets the height its longest text needs (spreadsheets do not
    grow rows by themselves when a file gives no height).
    """
    row_number = first_row
    for values in rows:
        lines = 1
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row=row_number, column=index, value=value)
            if value is not None and column.number_format != "General":
                cell.number_format = column.number_format
            if column.wrap:
                cell.alignment = WRAP
                lines = max(lines, _lines(value, column.width))
        if lines > 1:
            sheet.row_dimensions[row_number].height = LINE_HEIGHT * min(lines, MAX_LINES)
        row_number += 1
    return row_number


def _lines(value: Any, width: float) -> int:
    """About how many lines ``value`` takes in a wrapped column ``width`` characters wide."""
    if not isinstance(value, str):
        return 1
    per_line = max(int(width * 1.1), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))


def _print_setup(workbook: Workbook) -> None:
    """Every sheet prints in landscape, as wide as one page."""
    for sheet in workbook.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _bold_row(sheet: Worksheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = BOLD


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


# Summary -------------------------------------------------------------------------------------


def _summary(sheet: Worksheet, snapshot: ReportSnapshot) -> None:
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
        (_("Compiled on (UTC)"), _naive_utc(snapshot.created_at), DATETIME),
        (_("Status"), common.status_label(snapshot), "General"),
    ]
    if snapshot.final and snapshot.finalized_at:
        lines.append((_("Marked final on (UTC)"), _naive_utc(snapshot.finalized_at), DATETIME))
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
        Column(_("Planned (USD)"), 22, MONEY),
        Column(_("Spent (USD)"), 22, MONEY),
    ]
    _header(sheet, row, columns)
    resources = totals["resources"]
    sources = common.funding_sources(content)
    row = _rows(
        sheet,
        row + 1,
        columns,
        [
            [s.name, Decimal(resources[s.code]["planned"]), Decimal(resources[s.code]["spent"])]
            for s in sources
        ],
    )
    _rows(
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
    _bold_row(sheet, row)


# Indicators ----------------------------------------------------------------------------------


def _indicators(sheet: Worksheet, content: JSON) -> None:
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
    _group_header(sheet, [(first_region + 2 * i, region.name) for i, region in enumerate(regions)])
    _header(sheet, 2, columns)
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
    _rows(sheet, 3, columns, rows)
    sheet.freeze_panes = "D3"


def _target_note(indicator: JSON) -> str | None:
    if not indicator["target_warning"]:
        return None
    return _("The regional targets add up to %(sum)s, not to the stated total.") % {
        "sum": common.regional_target_sum(indicator)
    }


# Demand and targets (Table 1) ------------------------------------------------------------------


def _demand_targets(sheet: Worksheet, content: JSON) -> None:
    """Table 1: a row per outcome; demand and target in total and per region; totals."""
    regions = common.regions(content)
    groups = [("total", _("Totals"))] + [(r.code, r.name) for r in regions]
    columns = [Column(_("Programme and budget outcome"), 44)]
    for _group in groups:
        columns += [
            Column(_("Prioritized demand"), 12, WHOLE),
            Column(_("Proposed target"), 12, WHOLE),
        ]
    _group_header(sheet, [(2 + 2 * i, title) for i, (_code, title) in enumerate(groups)])
    _header(sheet, 2, columns)
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
    _bold_row(sheet, 2 + len(figures))
    note_row = 4 + len(figures)
    sheet.cell(
        row=note_row,
        column=1,
        value=_("Shaded: the proposed target exceeds the prioritized demand."),
    ).font = Font(italic=True)
    sheet.freeze_panes = "B3"


# Resources -----------------------------------------------------------------------------------


def _resources(sheet: Worksheet, content: JSON) -> None:
    """Outcome × funding source; each outcome's total (source "Total"), each source's total
    (outcome "Total") and the grand total."""
    columns = [
        Column(_("Outcome"), 36),
        Column(_("Funding source"), 40),
        Column(_("P&B budget (USD)"), 18, MONEY),
        Column(_("Planned (USD)"), 18, MONEY),
        Column(_("Spent (USD)"), 18, MONEY),
    ]
    _header(sheet, 1, columns)
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
        row = _rows(sheet, row, columns, lines)
        total = [label, _("Total")] + [common.resource_total(outcome, m) for m in measures]
        _rows(sheet, row, columns, [total])
        _bold_row(sheet, row)
        row += 1
    has_budget = content["meta"]["scope"] != "region"
    for source in sources:
        figures: list[Decimal | None] = [source_totals[source.code][m] for m in measures]
        if not has_budget:
            figures[0] = None
        row = _rows(sheet, row, columns, [[_("Total"), source.name, *figures]])
        _bold_row(sheet, row - 1)
    grand = [sum((source_totals[s.code][m] for s in sources), Decimal(0)) for m in measures]
    _rows(
        sheet,
        row,
        columns,
        [[_("Total"), _("Total"), grand[0] if has_budget else None, grand[1], grand[2]]],
    )
    _bold_row(sheet, row)
    sheet.freeze_panes = "A2"


# Countries, strategy, mid-term reviews, programmes -----------------------------------------------


def _countries(sheet: Worksheet, content: JSON) -> None:
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
    _header(sheet, 1, columns)
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
    _rows(sheet, 2, columns, rows)
    sheet.freeze_panes = "A2"


def _strategy(sheet: Worksheet, content: JSON) -> None:
    columns = [
        Column(_("Outcome"), 30, wrap=True),
        Column(_("Element"), 28, wrap=True),
        Column(_("Text"), 110, wrap=True),
    ]
    _header(sheet, 1, columns)
    rows = [
        [f"{outcome['code']}. {outcome['title']}", element["title"], element["text"]]
        for _objective, outcome in common.outcomes(content)
        for element in outcome["strategy"]
    ]
    _rows(sheet, 2, columns, rows)
    sheet.freeze_panes = "A2"


def _midterm_reviews(sheet: Worksheet, content: JSON) -> None:
    columns = [
        Column(_("Outcome"), 30, wrap=True),
        Column(_("Date"), 12, DATE),
        Column(_("Assessment"), 50, wrap=True),
        Column(_("Lessons learned"), 50, wrap=True),
        Column(_("Corrective actions"), 50, wrap=True),
        Column(_("Reallocations"), 60, wrap=True),
    ]
    _header(sheet, 1, columns)
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
    _rows(sheet, 2, columns, rows)
    sheet.freeze_panes = "A2"


def _reallocation_text(content: JSON, item: JSON) -> str:
    """``Transfer between lines: XBTC · Africa → XBTC · Asia, 172,000.00 USD (reason)``."""
    return _("%(kind)s: %(source)s → %(target)s, %(amount)s USD (%(reason)s)") % {
        "kind": reallocation_kind(item["kind"]),
        "source": reallocation_line(content, item["from_source"], item["from_region"]),
        "target": reallocation_line(content, item["to_source"], item["to_region"]),
        "amount": common.money_text(item["amount"]),
        "reason": item["reason"],
    }


def _programmes(sheet: Worksheet, content: JSON) -> None:
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
    _header(sheet, 1, columns)
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
                    _choice_label(Phase, programme["phase"]),
                    programme["office"],
                    outcome["code"],
                    outcome["title"],
                    outcome["cpos"],
                    outcome["prioritized"],
                    outcome["targeted"],
                    outcome["achieved"],
                ]
            )
    _rows(sheet, 2, columns, rows)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"


def _choice_label(choices: Any, value: str) -> str:
    """A status's label in the active language (the value itself if the code is unknown)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
