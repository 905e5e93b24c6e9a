"""The project workbook: export, and import all or nothing.

Two sheets: "Projects" (one row a project, its countries, donors and years written as short
lists) and "CPO links" (project code, CPO code, biennium, share). The import checks the
archive before inflating it (``rbm.archives``), reads at most ``MAX_ROWS`` rows, then writes
every row through the services inside one transaction, each in a savepoint so that every
bad row is listed; if any row is refused nothing is kept. The rules are the services' own:
the same input gets the same answer from the page, the API and the workbook.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from cooperation import selectors, services
from cooperation.models import Donor, Project
from rbm.archives import ArchiveRefused, check_zip_archive
from rbm.errors import ApplicationError
from rbm.models import Biennium, Country, Office, Region, User
from rbm.permissions import AnyUser, can, require
from rbm.text import control_character_error, text_cell, workbook_bytes

PROJECT_SHEET = "Projects"
LINK_SHEET = "CPO links"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_PROBLEMS = 200
PROJECT_COLUMNS = [
    "code",
    "title",
    "summary",
    "funding_kind",
    "geography",
    "countries",
    "region",
    "office",
    "technical_unit",
    "start_date",
    "end_date",
    "status",
    "donors",
    "budget",
    "disbursed",
    "expenditure",
]
LINK_COLUMNS = ["project", "cpo", "biennium", "share"]


class WorkbookRefused(ApplicationError):
    """The file cannot be read at all (400, or 413 when too large)."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRefused(ApplicationError):
    """Rows were refused: nothing was imported. ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            _("Nothing was imported: %(count)s problems in the workbook.")
            % {"count": len(problems)},
            extra={
                "problems": [p.as_dict() for p in problems[:MAX_PROBLEMS]],
                "count": len(problems),
            },
        )
        self.problems = problems


# Export ---------------------------------------------------------------------------------------


def _pairs(values: dict[Any, Decimal]) -> str:
    return "; ".join(f"{key}={amount}" for key, amount in values.items())


def export_workbook(user: AnyUser, filters: selectors.ProjectFilters | None = None) -> bytes:
    """The projects the user reads (filtered) and their CPO links, as the import reads them."""
    projects = list(selectors.project_export(user, filters))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = PROJECT_SHEET
    for column, name in enumerate(PROJECT_COLUMNS, start=1):
        text_cell(sheet.cell(row=1, column=column), name)
    links_sheet = workbook.create_sheet(LINK_SHEET)
    for column, name in enumerate(LINK_COLUMNS, start=1):
        text_cell(links_sheet.cell(row=1, column=column), name)
    link_row = 2
    for row, project in enumerate(projects, start=2):
        years = list(project.years_set.all())
        values = [
            project.code,
            project.title,
            project.summary,
            project.funding_kind,
            project.geography,
            ", ".join(c.alpha3 for c in project.countries.all()),
            project.region.code if project.region else "",
            project.office.code,
            project.technical_unit.code if project.technical_unit else "",
            project.start_date.isoformat(),
            project.end_date.isoformat(),
            project.status,
            _pairs({c.donor.code: c.amount for c in project.contributions.all()}),
            _pairs({y.year: y.budget for y in years}),
            _pairs({y.year: y.disbursed for y in years}),
            _pairs({y.year: y.expenditure for y in years}),
        ]
        for column, value in enumerate(values, start=1):
            text_cell(sheet.cell(row=row, column=column), value)
        for link in project.cpo_links.all():
            cells: list[Any] = [project.code, link.cpo.code, link.biennium.code, str(link.share)]
            for column, cell in enumerate(cells, start=1):
                text_cell(links_sheet.cell(row=link_row, column=column), cell)
            link_row += 1
    return workbook_bytes(workbook)


# Reading ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_workbook(content: bytes) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """The rows of both sheets as text by column name, with their row numbers."""
    if len(content) > MAX_BYTES:
        raise WorkbookRefused(
            _("The file is larger than %(limit)s MB. Import it in parts.")
            % {"limit": MAX_BYTES // 1024**2},
            status_code=413,
        )
    try:
        check_zip_archive(content)
    except ArchiveRefused as refused:
        raise WorkbookRefused(refused.message) from refused
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise WorkbookRefused(
            _("This file could not be read as an Excel workbook (.xlsx).")
        ) from error
    tables: dict[str, list[tuple[int, dict[str, str]]]] = {}
    budget = MAX_ROWS
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        if PROJECT_SHEET.lower() not in names:
            raise WorkbookRefused(
                _("The workbook has no sheet named “%(sheet)s”.") % {"sheet": PROJECT_SHEET}
            )
        for title in (PROJECT_SHEET, LINK_SHEET):
            rows: list[tuple[int, dict[str, str]]] = []
            tables[title] = rows
            if title.lower() not in names:
                continue
            sheet = workbook[names[title.lower()]]
            sheet.reset_dimensions()
            header: list[str] = []
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                values = [_text(v) for v in cells]
                if number == 1:
                    header = [v.lower() for v in values]
                    continue
                if not any(values):
                    continue
                budget -= 1
                if budget < 0:
                    raise WorkbookRefused(
                        _("The file has more than %(limit)s rows. Import it in parts.")
                        % {"limit": MAX_ROWS},
                        status_code=413,
                    )
                rows.append((number, dict(zip(header, values, strict=False))))
    finally:
        workbook.close()
    return tables


# Importing ----------------------------------------------------------------------------------


class _Row:
    """Parses one row's cells, collecting every problem of the row."""

    def __init__(self, sheet: str, number: int, cells: dict[str, str]) -> None:
        self.sheet, self.number, self.cells = sheet, number, cells
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.sheet, self.number, column, str(message)))

    def text(self, column: str, *, multiline: bool = False) -> str:
        value = self.cells.get(column, "")
        error = control_character_error(value, multiline=multiline)
        if error:
            self.problem(column, error)
            return ""
        return value

    def date(self, column: str) -> datetime.date | None:
        value = self.text(column)
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            self.problem(column, _("Write the date as 2012-01-31."))
            return None

    def amount(self, column: str, value: str) -> Decimal | None:
        try:
            amount = Decimal(value.replace(",", ""))
        except InvalidOperation:
            amount = Decimal(-1)
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e13"):
            self.problem(column, _("“%(value)s” is not an amount in USD.") % {"value": value})
            return None
        return amount

    def pairs(self, column: str) -> dict[str, Decimal]:
        """ "NOR=1000; EUR=500" as {"NOR": 1000, "EUR": 500}."""
        result: dict[str, Decimal] = {}
        for part in filter(None, (p.strip() for p in self.text(column).split(";"))):
            key, sep, value = part.partition("=")
            amount = self.amount(column, value.strip()) if sep else None
            if not sep:
                self.problem(column, _("Write pairs as KEY=amount, separated by “;”."))
            elif amount is not None:
                result[key.strip().upper()] = amount
        return result


@dataclass
class _Reference:
    countries: dict[str, Country]
    regions: dict[str, Region]
    offices: dict[str, Office]
    donors: dict[str, Donor]
    bienniums: dict[str, Biennium]

    @classmethod
    def load(cls) -> _Reference:
        return cls(
            countries={c.alpha3: c for c in Country.objects.select_related("region")},
            regions={r.code: r for r in Region.objects.all()},
            offices={o.code: o for o in Office.objects.all()},
            donors={d.code: d for d in Donor.objects.all()},
            bienniums={b.code: b for b in Biennium.objects.all()},
        )


def _problems_of(row: _Row, error: Exception) -> None:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    row.problem(field, message)
        else:
            for message in error.messages:
                row.problem("", message)
    elif isinstance(error, PermissionDenied):
        row.problem("", _("You may not manage this project."))
    elif isinstance(error, ApplicationError):
        row.problem("", error.message)


def import_workbook(*, user: User, content: bytes) -> dict[str, int]:
    """Import every row or none; returns how many projects were created and updated."""
    require(user, "project.import")
    tables = read_workbook(content)
    reference = _Reference.load()
    links_by_project: dict[str, list[_Row]] = defaultdict(list)
    problems: list[Problem] = []
    for number, cells in tables[LINK_SHEET]:
        row = _Row(LINK_SHEET, number, cells)
        links_by_project[row.text("project").upper()].append(row)
    wanted_cpos = []
    for rows in links_by_project.values():
        for row in rows:
            biennium = reference.bienniums.get(row.text("biennium"))
            if biennium is None:
                row.problem("biennium", _("Write an existing biennium, e.g. 2012-13."))
            else:
                wanted_cpos.append((row.text("cpo").upper(), biennium.pk))
    cpos = selectors.cpos_by_code(wanted_cpos)
    existing = {
        p.code: p
        for p in Project.objects.filter(
            code__in=[c.get("code", "").upper() for _n, c in tables[PROJECT_SHEET]]
        )
    }
    created = updated = 0
    seen: set[str] = set()
    with transaction.atomic():
        for number, cells in tables[PROJECT_SHEET]:
            row = _Row(PROJECT_SHEET, number, cells)
            code = row.text("code").upper()
            if code in seen:
                row.problem("code", _("%(code)s appears twice in the sheet.") % {"code": code})
            seen.add(code)
            fields, parts = _project_fields(row, reference)
            status = row.text("status").lower() or "concept"
            if code not in existing and status not in ("concept", "proposal"):
                row.problem(
                    "status",
                    _(
                        "A new project is a concept or a proposal; "
                        "later steps are taken on its page."
                    ),
                )
            links = []
            for link_row in links_by_project.pop(code, []):
                biennium = reference.bienniums.get(link_row.text("biennium"))
                cpo = cpos.get((link_row.text("cpo").upper(), biennium.pk)) if biennium else None
                share = link_row.amount("share", link_row.text("share"))
                if biennium and cpo is None:
                    link_row.problem(
                        "cpo",
                        _("No outcome %(code)s in %(biennium)s.")
                        % {"code": link_row.text("cpo"), "biennium": biennium},
                    )
                if cpo is not None and share is not None:
                    links.append(services.LinkData(cpo, share))
                problems += link_row.problems
            if row.problems:
                problems += row.problems
                continue
            try:
                with transaction.atomic():
                    if code in existing:
                        project = existing[code]
                        services.project_update(
                            user=user,
                            project=project,
                            version=project.version,
                            links=links,
                            **parts,
                            **fields,
                        )
                        updated += 1
                    else:
                        services.project_create(
                            user=user, links=links, status=status, **parts, **fields
                        )
                        created += 1
            except (ValidationError, PermissionDenied, ApplicationError) as error:
                _problems_of(row, error)
                problems += row.problems
        for code, rows in links_by_project.items():
            for link_row in rows:
                link_row.problem(
                    "project", _("No project %(code)s in the Projects sheet.") % {"code": code}
                )
                problems += link_row.problems
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: (p.sheet != PROJECT_SHEET, p.row)))
    return {"created": created, "updated": updated}


def _project_fields(row: _Row, ref: _Reference) -> tuple[dict[str, Any], dict[str, Any]]:
    fields: dict[str, Any] = {
        "code": row.text("code"),
        "title": row.text("title"),
        "summary": row.text("summary", multiline=True),
        "funding_kind": row.text("funding_kind").upper() or "XBTC",
        "geography": row.text("geography").lower() or "countries",
        "start_date": row.date("start_date"),
        "end_date": row.date("end_date"),
    }
    countries = []
    for alpha3 in filter(None, (c.strip().upper() for c in row.text("countries").split(","))):
        if alpha3 in ref.countries:
            countries.append(ref.countries[alpha3])
        else:
            row.problem("countries", _("No member State has the code %(code)s.") % {"code": alpha3})
    region = row.text("region").lower()
    fields["region"] = ref.regions.get(region) if region else None
    if region and fields["region"] is None:
        row.problem("region", _("No region has the code %(code)s.") % {"code": region})
    for column in ("office", "technical_unit"):
        code = row.text(column)
        fields[column] = ref.offices.get(code) if code else None
        if code and fields[column] is None:
            row.problem(column, _("No office has the code %(code)s.") % {"code": code})
    if fields["office"] is None and not row.text("office"):
        row.problem("office", _("Name the responsible office by its code."))
    contributions = []
    for donor_code, amount in row.pairs("donors").items():
        donor = ref.donors.get(donor_code)
        if donor is None:
            row.problem("donors", _("No donor has the code %(code)s.") % {"code": donor_code})
        else:
            contributions.append(services.ContributionData(donor, amount))
    years: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for column in ("budget", "disbursed", "expenditure"):
        for year, amount in row.pairs(column).items():
            if not year.isdigit():
                row.problem(column, _("“%(year)s” is not a year.") % {"year": year})
                continue
            years[int(year)][column] = amount
    parts = {
        "countries": countries,
        "contributions": contributions,
        "years": [
            services.YearData(
                year,
                values.get("budget", Decimal(0)),
                values.get("disbursed", Decimal(0)),
                values.get("expenditure", Decimal(0)),
            )
            for year, values in sorted(years.items())
        ],
    }
    return fields, parts


def may_import(user: AnyUser) -> bool:
    return can(user, "project.import")
