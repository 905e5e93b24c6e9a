"""The report as an Excel workbook (openpyxl): a sheet per section, figures as numbers.

Summary, Indicators, Demand and targets (Table 1's layout), Resources, Countries, Country
examples (results achieved, with each CPO's validated narrative), Strategy, Mid-term reviews,
Programmes. Every sheet has a bold header that stays in view (frozen) and
columns wide enough to read; money is written as numbers (USD, to the cent) shown in USD
thousands without cents, as the headers say; rates as percentages. ``cells`` holds the
formats and writing helpers, ``sheets`` one function per section.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from rbm.text import workbook_bytes
from reporting.exports import common, projects
from reporting.exports.xlsx import sheets
from reporting.exports.xlsx.cells import naive_utc, new_sheet, print_setup
from reporting.models import ReportSnapshot


def snapshot_xlsx(snapshot: ReportSnapshot) -> bytes:
    """The report of ``snapshot`` as XLSX bytes. Call inside ``translation.override``."""
    content = snapshot.content
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    sheets.summary(new_sheet(workbook, _("Summary")), snapshot)
    sheets.indicators(new_sheet(workbook, _("Indicators")), content)
    sheets.demand_targets(new_sheet(workbook, _("Demand and targets")), content)
    sheets.resources(new_sheet(workbook, _("Resources")), content)
    sheets.countries(new_sheet(workbook, _("Countries")), content)
    sheets.country_examples(new_sheet(workbook, _("Country examples")), content)
    sheets.strategy(new_sheet(workbook, _("Strategy")), content)
    sheets.midterm_reviews(new_sheet(workbook, _("Mid-term reviews")), content)
    sheets.programmes(new_sheet(workbook, _("Programmes")), content)
    if projects.has_projects(content):
        projects.resources_sheet(new_sheet(workbook, _("Project resources")), content)
    print_setup(workbook)
    workbook.properties.title = str(content["meta"]["title"])
    workbook.properties.subject = common.scope_label(snapshot)
    workbook.properties.creator = _("International Labour Office")
    workbook.properties.identifier = snapshot.content_hash
    workbook.properties.language = snapshot.language
    workbook.properties.created = naive_utc(snapshot.created_at)
    return workbook_bytes(workbook)
