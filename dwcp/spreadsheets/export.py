"""The export: the CPOs a user may read as a workbook or a CSV file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dwcp.models import (
    CountryProgrammeOutcome,
    CpoResource,
    DecentWorkCountryProgramme,
    Milestone,
    ResultStatus,
)
from dwcp.selectors import cpo_list, programme_scope
from dwcp.spreadsheets.columns import (
    CPO_COLUMNS,
    CPO_SHEET,
    MILESTONE_COLUMNS,
    MILESTONE_SHEET,
    NO,
    README_SHEET,
    VERSION_COLUMN,
    YES,
    MoneyColumn,
    money_columns,
)
from dwcp.spreadsheets.guide import column_guide, import_notes
from rbm.ids import parse_id
from rbm.models import Biennium, FundingSource, Office, Region
from rbm.permissions import AnyUser
from rbm.text import control_character_error, csv_cell, text_cell, workbook_bytes


@dataclass(frozen=True)
class ExportScope:
    """Which CPOs to export, and how (from the address's parameters)."""

    office: Office | None = None
    programme: DecentWorkCountryProgramme | None = None
    region: Region | None = None
    biennium: Biennium | None = None
    format: str = "xlsx"
    template: bool = False

    def filters(self) -> dict[str, Any]:
        return {
            "office": self.office,
            "programme": self.programme,
            "region": self.region,
            "biennium": self.biennium,
        }

    def filename(self) -> str:
        parts = ["cpos"]
        if self.template:
            parts.append("template")
        if self.office:
            parts.append(self.office.code)
        if self.programme:
            parts.append(f"{self.programme.country.alpha3.lower()}-{self.programme.pk}")
        if self.region:
            parts.append(self.region.code)
        if self.biennium:
            parts.append(self.biennium.code)
        return "_".join(parts) + "." + self.format

    def describe(self) -> str:
        parts = []
        if self.template:
            parts.append(_("an empty template"))
        if self.office:
            parts.append(_("the countries of %(office)s") % {"office": self.office})
        if self.programme:
            parts.append(_("the programme %(title)s") % {"title": self.programme})
        if self.region:
            parts.append(_("the region %(region)s") % {"region": self.region})
        if self.biennium:
            parts.append(_("the biennium %(biennium)s") % {"biennium": self.biennium})
        return "; ".join(parts) or _("every CPO you may read")


def export_scope_parse(*, user: AnyUser, params: Mapping[str, str]) -> ExportScope:
    """The export's parameters, checked; ValidationError names each bad one."""
    errors: dict[str, str] = {}
    found: dict[str, Any] = {}
    typed = {name: params.get(name, "").strip() for name in ("office", "programme", "region")}
    for name, value in typed.items():
        # A code or an id is one line of text; NUL and other controls never reach the database
        refused = control_character_error(value, multiline=False)
        if refused is not None:
            errors[name] = refused
            typed[name] = ""
    office = typed["office"]
    if office:
        office_id = parse_id(office)
        lookup = Q(pk=office_id) if office_id is not None else Q(code=office)
        found["office"] = Office.objects.filter(lookup).first()
        if found["office"] is None:
            errors["office"] = _("No office %(office)s.") % {"office": office}
    programme = typed["programme"]
    if programme:
        found["programme"] = (
            DecentWorkCountryProgramme.objects.filter(programme_scope(user))
            .select_related("country")
            .filter(pk=parse_id(programme) or 0)
            .first()
        )
        if found["programme"] is None:
            errors["programme"] = _("No programme %(programme)s that you may read.") % {
                "programme": programme
            }
    region = typed["region"]
    if region:
        found["region"] = Region.objects.filter(code=region).first()
        if found["region"] is None:
            errors["region"] = _("No region %(region)s; the regions are %(codes)s.") % {
                "region": region,
                "codes": ", ".join(Region.objects.values_list("code", flat=True)),
            }
    biennium = params.get("biennium", "").strip()
    if biennium:
        try:
            start, _end = Biennium.parse_code(biennium)
        except ValidationError as error:
            errors["biennium"] = error.messages[0]
        else:
            found["biennium"] = Biennium.objects.filter(start_year=start).first()
            if found["biennium"] is None:
                errors["biennium"] = _("No biennium %(code)s in the system.") % {"code": biennium}
    kind = params.get("format", "xlsx").strip().lower() or "xlsx"
    if kind not in ("xlsx", "csv"):
        errors["format"] = _("Choose the format xlsx or csv, not “%(format)s”.") % {"format": kind}
    if errors:
        raise ValidationError(errors)
    return ExportScope(format=kind, template=params.get("template") == "1", **found)


def cpos_for_export(*, user: AnyUser, scope: ExportScope) -> list[CountryProgrammeOutcome]:
    """The CPOs of the scope that the user may read, with their resources and milestones, in
    a fixed number of queries."""
    if scope.template:
        return []
    return list(
        cpo_list(user, filters=scope.filters()).prefetch_related(
            Prefetch("resources", queryset=CpoResource.objects.order_by()),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
        )
    )


def _cpo_values(cpo: CountryProgrammeOutcome, money: list[MoneyColumn]) -> list[Any]:
    lines = {line.funding_source_id: line for line in cpo.resources.all()}
    values: list[Any] = [column.value(cpo) for column in CPO_COLUMNS]
    for column in money:
        line = lines.get(column.source.pk)
        values.append(None if line is None else (line.spent if column.spent else line.planned))
    values.append(cpo.version)
    return values


def cpo_export_csv(*, user: AnyUser, scope: ExportScope) -> bytes:
    """The CPOs sheet as CSV, UTF-8 with a byte order mark so that Excel reads the accents."""
    money = money_columns(FundingSource.objects.all())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*(c.header for c in CPO_COLUMNS), *(m.header for m in money), "version"])
    for cpo in cpos_for_export(user=user, scope=scope):
        writer.writerow([csv_cell(value) for value in _cpo_values(cpo, money)])
    return buffer.getvalue().encode("utf-8-sig")


def cpo_export_xlsx(*, user: AnyUser, scope: ExportScope) -> bytes:
    """The workbook: CPOs, Milestones and a Read me explaining the columns."""
    sources = list(FundingSource.objects.all())
    money = money_columns(sources)
    cpos = cpos_for_export(user=user, scope=scope)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = CPO_SHEET
    columns: list[tuple[str, int, str]] = [(c.header, c.width, c.kind) for c in CPO_COLUMNS]
    columns += [(m.header, 13, "money") for m in money]
    columns.append((VERSION_COLUMN.header, VERSION_COLUMN.width, "whole"))
    _write_table(sheet, columns, (_cpo_values(cpo, money) for cpo in cpos))
    milestone_sheet = workbook.create_sheet(MILESTONE_SHEET)
    _write_table(
        milestone_sheet,
        [(c.header, c.width, c.kind) for c in MILESTONE_COLUMNS],
        (
            [column.value((cpo, milestone)) for column in MILESTONE_COLUMNS]
            for cpo in cpos
            for milestone in cpo.milestones.all()
        ),
    )
    _write_readme(workbook.create_sheet(README_SHEET), user, scope, len(cpos), sources)
    return workbook_bytes(workbook)


NUMBER_FORMATS = {"money": "#,##0.00", "whole": "0", "date": "yyyy-mm-dd", "text": "@"}


def _write_table(
    sheet: Any, columns: list[tuple[str, int, str]], rows: Iterator[list[Any]]
) -> None:
    bold = Font(bold=True)
    sheet.append([header for header, _width, _kind in columns])
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="top")
    sheet.freeze_panes = "A2"
    formats = [NUMBER_FORMATS.get(kind, "@") for _header, _width, kind in columns]
    count = 1
    for values in rows:
        count += 1
        for index, value in enumerate(values):
            cell = text_cell(sheet.cell(row=count, column=index + 1), value)
            cell.number_format = formats[index]
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{max(count, 2)}"
    for index, (_header, width, kind) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        # New rows typed below keep codes such as 16.10 as text, amounts as numbers.
        sheet.column_dimensions[letter].number_format = formats[index - 1]
        choices = {"yes_no": f'"{YES},{NO}"', "choice": f'"{",".join(ResultStatus.values)}"'}
        if kind in choices:
            validation = DataValidation(type="list", formula1=choices[kind], allow_blank=True)
            validation.add(f"{letter}2:{letter}{max(count, 2) + 5000}")
            sheet.add_data_validation(validation)


def _write_readme(
    sheet: Any, user: AnyUser, scope: ExportScope, count: int, sources: list[FundingSource]
) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([_("Country programme outcomes")])
    sheet["A1"].font = Font(bold=True, size=14)
    who = str(user) if getattr(user, "is_authenticated", False) else _("a visitor")
    exported = _("Exported on %(date)s by %(user)s: %(scope)s, %(count)s CPOs.") % {
        "date": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "user": who,
        "scope": scope.describe(),
        "count": count,
    }
    text_cell(sheet.cell(row=2, column=1), exported)
    sheet.append([])
    for note in import_notes():
        sheet.append([note])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=4
        )
        sheet.cell(row=sheet.max_row, column=1).alignment = wrap
        sheet.row_dimensions[sheet.max_row].height = 32
    sheet.append([])
    sheet.append([_("Sheet"), _("Column"), _("What it holds"), _("Allowed values")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in column_guide(sources):
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
            cell.data_type = "s"
    for letter, width in zip("ABCD", (12, 28, 80, 40), strict=True):
        sheet.column_dimensions[letter].width = width
