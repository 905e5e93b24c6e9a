"""The demand-and-target table as CSV (the layout published figures are uploaded in) and
XLSX (Table 1's layout)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from rbm.text import csv_cell, text_cell, workbook_bytes
from workplans.selectors import CSV_HEADER, Cell, DemandTargetTable

FLAG_FILL = PatternFill("solid", fgColor="FFF4D6")


def table_csv(table: DemandTargetTable) -> str:
    """``outcome,region,demand,target``: one row per cell, then the totals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows([csv_cell(value) for value in row] for row in table.figures())
    return out.getvalue()


def table_xlsx(table: DemandTargetTable) -> bytes:
    """Table 1's layout: a row per outcome, demand and target per region, totals."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Demand and targets")[:31]
    bold = Font(bold=True)
    sheet.cell(row=1, column=1, value=_("Programme and budget outcome")).font = bold
    sheet.cell(row=1, column=2, value=_("Totals")).font = bold
    for index, region in enumerate(table.regions):
        sheet.cell(row=1, column=4 + 2 * index, value=region.label).font = bold
    headers = [_("Prioritized demand"), _("Proposed target")]
    for block in range(len(table.regions) + 1):
        for offset, header in enumerate(headers):
            heading = sheet.cell(row=2, column=2 + 2 * block + offset, value=header)
            heading.font = bold
            heading.alignment = Alignment(wrap_text=True)
    row = 3
    for outcome, cells, total in table.rows():
        text_cell(sheet.cell(row=row, column=1), f"{outcome.code} – {outcome.title}")
        sheet.cell(row=row, column=2, value=total.demand)
        sheet.cell(row=row, column=3, value=total.target)
        for index, (_region, figures) in enumerate(cells):
            sheet.cell(row=row, column=4 + 2 * index, value=figures.demand)
            target = sheet.cell(row=row, column=5 + 2 * index, value=figures.target)
            if figures.flagged:
                target.fill = FLAG_FILL
        row += 1
    sheet.cell(row=row, column=1, value=_("Totals")).font = bold
    sheet.cell(row=row, column=2, value=table.grand_total.demand).font = bold
    sheet.cell(row=row, column=3, value=table.grand_total.target).font = bold
    for index, region in enumerate(table.regions):
        region_total = table.region_totals.get(region.pk, Cell())
        sheet.cell(row=row, column=4 + 2 * index, value=region_total.demand).font = bold
        sheet.cell(row=row, column=5 + 2 * index, value=region_total.target).font = bold
    sheet.column_dimensions["A"].width = 48
    for column in range(2, 4 + 2 * len(table.regions)):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.freeze_panes = "B3"
    note = workbook.create_sheet(_("Read me"))
    note["A1"] = _(
        "Demand: CPOs prioritized by constituents. Target: CPOs the Office targets. Totals are "
        "computed from the records. Shaded: targets exceed demand."
    )
    return workbook_bytes(workbook)
