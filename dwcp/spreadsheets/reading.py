"""Reading an uploaded workbook or CSV file into typed rows (step 1 of an import)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from dwcp.models import ResultStatus
from dwcp.spreadsheets.columns import (
    CPO_COLUMNS,
    CPO_SHEET,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    MILESTONE_COLUMNS,
    MILESTONE_SHEET,
    VERSION_COLUMN,
    Column,
    MoneyColumn,
    cell_text,
    money_columns,
    normal_header,
    read_money,
)
from dwcp.spreadsheets.errors import CellError, CheckDeferred, RowError, SpreadsheetRefused
from rbm.archives import ArchiveRefused, check_zip_archive
from rbm.models import FundingSource
from rbm.text import csv_cell_in, csv_refusal


@dataclass
class CpoRow:
    """One row of the CPOs sheet as typed values. ``failed`` names the cells that did not
    parse (their values are left empty), so that later checks skip what they cannot judge."""

    row: int
    code: str = ""
    biennium: str = ""
    country: str = ""
    programme: int | None = None
    priority: int = 0
    priority_title: str = ""
    outcome: str = ""
    indicator: str = ""
    title: str = ""
    description: str = ""
    gender_statement: str = ""
    prioritized: bool = False
    targeted: bool = False
    result_status: str = ResultStatus.PLANNED
    # funding source code -> (planned, spent); a source without a line is absent
    resources: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    version: int | None = None
    failed: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, str]:
        return self.biennium, self.code


@dataclass
class MilestoneRow:
    row: int
    code: str = ""
    biennium: str = ""
    due_on: datetime.date | None = None
    text: str = ""
    reached: bool = False
    failed: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, str]:
        return self.biennium, self.code


@dataclass
class ParsedSpreadsheet:
    cpo_rows: list[CpoRow]
    # None when the file has no Milestones sheet (a CSV): the CPOs' milestones stay as they are
    milestone_rows: list[MilestoneRow] | None
    sources: list[FundingSource]
    errors: list[RowError]


# Reading the file -----------------------------------------------------------------------------


def read_upload(upload: IO[bytes], *, size: int | None = None) -> bytes:
    """The uploaded file's bytes, refused (413) beyond the limit without reading it all."""
    if size is not None and size > MAX_IMPORT_BYTES:
        raise _too_large(size)
    data = upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_large(len(data))
    return data


def _too_large(size: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The file is %(size)s MB; the limit is %(limit)s MB. Import it in parts.")
        % {"size": round(size / 1024 / 1024, 1), "limit": MAX_IMPORT_BYTES // 1024**2},
        status_code=413,
    )


def _too_many_rows() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The file has more than %(limit)s rows. Import it in parts.")
        % {"limit": f"{MAX_IMPORT_ROWS:,}"},
        status_code=413,
    )


Table = tuple[list[object], list[tuple[int, list[object]]]]


def _table(
    rows: Iterable[Sequence[object]], budget: list[int], defer_after: int | None = None
) -> Table:
    """The header row and the non-empty data rows with their numbers (the header is row 1).

    ``budget`` holds the rows still allowed in the file, shared by its sheets. Past
    ``defer_after`` rows (in the request), reading stops with ``CheckDeferred``.
    """
    header: list[object] = []
    data: list[tuple[int, list[object]]] = []
    for number, cells in enumerate(rows, start=1):
        values = list(cells)
        if number == 1:
            header = values
            continue
        if all(cell_text(v) == "" for v in values):
            continue
        budget[0] -= 1
        if budget[0] < 0:
            raise _too_many_rows()
        if defer_after is not None and MAX_IMPORT_ROWS - budget[0] > defer_after:
            raise CheckDeferred
        data.append((number, values))
    return header, data


def _read_xlsx(content: bytes, defer_after: int | None) -> tuple[Table, Table | None]:
    # The archive first: what it states and what it really inflates to, before openpyxl
    # inflates a sheet of gigabytes.
    try:
        check_zip_archive(content)
    except ArchiveRefused as refused:
        raise SpreadsheetRefused(refused.message) from refused
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetRefused(
            _("This file could not be read as an Excel workbook (.xlsx).")
        ) from error
    try:
        sheets = {normal_header(name): name for name in workbook.sheetnames}
        if normal_header(CPO_SHEET) not in sheets:
            raise SpreadsheetRefused(
                _("The workbook has no sheet named “%(sheet)s”; its sheets are: %(sheets)s.")
                % {"sheet": CPO_SHEET, "sheets": ", ".join(workbook.sheetnames)}
            )
        budget = [MAX_IMPORT_ROWS]
        tables: list[Table | None] = []
        for name in (CPO_SHEET, MILESTONE_SHEET):
            if normal_header(name) not in sheets:
                tables.append(None)
                continue
            sheet = workbook[sheets[normal_header(name)]]
            sheet.reset_dimensions()  # trust the rows, not the size the file states
            tables.append(_table(sheet.iter_rows(values_only=True), budget, defer_after))
    finally:
        workbook.close()
    cpos, milestones = tables
    assert cpos is not None
    return cpos, milestones


def _read_csv(content: bytes, defer_after: int | None) -> Table:
    if b"\x00" in content[:4096]:
        raise SpreadsheetRefused(_("This file is not a CSV file: it holds binary data."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # "CSV" saved by Excel on Windows
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = ([csv_cell_in(cell) for cell in row] for row in reader)
    try:
        return _table(rows, [MAX_IMPORT_ROWS], defer_after)
    except csv.Error as error:
        raise SpreadsheetRefused(csv_refusal(error, reader.line_num)) from None


def _read(content: bytes, filename: str, defer_after: int | None) -> tuple[Table, Table | None]:
    name = filename.lower()
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content, defer_after)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetRefused(
            _("Excel 97-2003 workbooks (.xls) cannot be read: save the file as .xlsx.")
        )
    if name.endswith((".csv", ".txt")):
        return _read_csv(content, defer_after), None
    raise SpreadsheetRefused(
        _("Upload the workbook (.xlsx) or a CSV file (.csv) made from the export.")
    )


def _columns_of(
    sheet: str, header: list[object], columns: Sequence[Column], money: Sequence[MoneyColumn]
) -> tuple[dict[str, int], dict[int, MoneyColumn], list[RowError]]:
    """Where each column is; refuses the file if a column is missing or doubled."""
    wanted = {normal_header(c.header): c for c in columns}
    wanted_money = {normal_header(m.header): m for m in money}
    found: dict[str, int] = {}
    found_money: dict[int, MoneyColumn] = {}
    seen: set[str] = set()
    errors: list[RowError] = []
    for index, cell in enumerate(header):
        name = normal_header(cell)
        if not name:
            continue
        if name in seen:
            raise SpreadsheetRefused(
                _("The column “%(column)s” appears twice in the sheet “%(sheet)s”.")
                % {"column": cell_text(cell), "sheet": sheet}
            )
        seen.add(name)
        if name in wanted:
            found[wanted[name].key] = index
        elif name in wanted_money:
            found_money[index] = wanted_money[name]
        elif money and re.fullmatch(r"\S+ (planned|spent)", name):
            errors.append(
                RowError(
                    sheet,
                    1,
                    cell_text(cell),
                    _("No funding source has the code %(code)s; the sources are %(codes)s.")
                    % {
                        "code": cell_text(cell).split()[0],
                        "codes": ", ".join(sorted({m.source.code for m in money})),
                    },
                )
            )
    missing = [c.header for c in columns if c.key not in found]
    missing += [m.header for m in money if m not in found_money.values()]
    if missing:
        raise SpreadsheetRefused(
            ngettext(
                "The sheet “%(sheet)s” lacks the column %(columns)s.",
                "The sheet “%(sheet)s” lacks the columns %(columns)s.",
                len(missing),
            )
            % {"sheet": sheet, "columns": ", ".join(f"“{m}”" for m in missing)}
        )
    return found, found_money, errors


def _cell(values: list[object], index: int) -> object:
    return values[index] if index < len(values) else None


def parse_spreadsheet(
    *, content: bytes, filename: str, defer_after: int | None = None
) -> ParsedSpreadsheet:
    """Read an exported workbook (or its CSV) into typed rows and the errors of their cells.

    Raises ``SpreadsheetRefused`` when the file as a whole cannot be used, and
    ``CheckDeferred`` as soon as it has more than ``defer_after`` rows (when given).
    """
    (header, data), milestone_table = _read(content, filename, defer_after)
    if not header:
        raise SpreadsheetRefused(_("The sheet “%(sheet)s” is empty.") % {"sheet": CPO_SHEET})
    sources = list(FundingSource.objects.all())
    money = money_columns(sources)
    columns = (*CPO_COLUMNS, VERSION_COLUMN)
    where, where_money, errors = _columns_of(CPO_SHEET, header, columns, money)
    if not data:
        raise SpreadsheetRefused(
            _("The sheet “%(sheet)s” has no rows to import.") % {"sheet": CPO_SHEET}
        )
    rows = []
    for number, values in data:
        row = CpoRow(row=number)
        for column in columns:
            try:
                setattr(row, column.key, column.parse(_cell(values, where[column.key])))
            except CellError as error:
                row.failed.add(column.key)
                errors.append(RowError(CPO_SHEET, number, column.header, str(error)))
        amounts: dict[str, list[Decimal | None]] = defaultdict(lambda: [None, None])
        for index, money_column in where_money.items():
            try:
                amount = read_money(_cell(values, index))
            except CellError as error:
                row.failed.add("resources")
                errors.append(RowError(CPO_SHEET, number, money_column.header, str(error)))
                continue
            amounts[money_column.source.code][int(money_column.spent)] = amount
        row.resources = {
            code: (planned or Decimal(0), spent or Decimal(0))
            for code, (planned, spent) in amounts.items()
            if planned is not None or spent is not None
        }
        rows.append(row)
    milestones = None
    if milestone_table is not None:
        milestones, milestone_errors = _parse_milestones(*milestone_table)
        errors += milestone_errors
    return ParsedSpreadsheet(rows, milestones, sources, errors)


def _parse_milestones(
    header: list[object], data: list[tuple[int, list[object]]]
) -> tuple[list[MilestoneRow], list[RowError]]:
    if not header and not data:
        return [], []
    where, _money_columns, errors = _columns_of(MILESTONE_SHEET, header, MILESTONE_COLUMNS, [])
    rows = []
    for number, values in data:
        row = MilestoneRow(row=number)
        for column in MILESTONE_COLUMNS:
            try:
                setattr(row, column.key, column.parse(_cell(values, where[column.key])))
            except CellError as error:
                row.failed.add(column.key)
                errors.append(RowError(MILESTONE_SHEET, number, column.header, str(error)))
        rows.append(row)
    return rows, errors
