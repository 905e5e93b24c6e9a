"""The cells of the report's workbook: number formats, styles, and the helpers that write
sheets, headers and rows with them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from rbm.text import text_cell

# Money as the Governing Body prints it: in USD thousands, without cents. The trailing comma
# scales the display by a thousand; the cell keeps the amount in USD, to the cent.
MONEY = "#,##0,"
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


def new_sheet(workbook: Workbook, title: str) -> Worksheet:
    """A new sheet; its title cut to Excel's 31 characters without the signs Excel refuses."""
    return workbook.create_sheet(title.translate(FORBIDDEN_IN_SHEET_TITLES)[:31])


def naive_utc(moment: datetime) -> datetime:
    """Excel has no time zones: the moment in UTC, without its zone."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def write_header(sheet: Worksheet, row: int, columns: list[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index, value=column.title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    lines = max(line_count(column.title, column.width) for column in columns)
    if lines > 1:
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines


def write_group_header(sheet: Worksheet, groups: list[tuple[int, str]], span: int = 2) -> None:
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


def write_rows(
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
            cell = text_cell(sheet.cell(row=row_number, column=index), value)
            if value is not None and column.number_format != "General":
                cell.number_format = column.number_format
            if column.wrap:
                cell.alignment = WRAP
                lines = max(lines, line_count(value, column.width))
        if lines > 1:
            sheet.row_dimensions[row_number].height = LINE_HEIGHT * min(lines, MAX_LINES)
        row_number += 1
    return row_number


def line_count(value: Any, width: float) -> int:
    """About how many lines ``value`` takes in a wrapped column ``width`` characters wide."""
    if not isinstance(value, str):
        return 1
    per_line = max(int(width * 1.1), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))


def print_setup(workbook: Workbook) -> None:
    """Every sheet prints in landscape, as wide as one page."""
    for sheet in workbook.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def bold_row(sheet: Worksheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = BOLD


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def choice_label(choices: Any, value: str) -> str:
    """A status's label in the active language (the value itself if the code is unknown)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
