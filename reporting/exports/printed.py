"""The report as PDF, drawn by WeasyPrint from the web version's HTML
(``reporting/report_print.html`` around the same body as ``/reports/snapshots/<id>/read/``).

Tagged (a structure tree, the document's language, its title), A4 pages with a running
header (the report's title) and footer (the section, the page number), a table of contents
with page numbers, outline entries (bookmarks) per strategic objective and outcome, table
header rows repeated on every page, the annex in landscape, the charts as vector drawings.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reporting.exports import common
from reporting.exports.html import html_report
from reporting.models import ReportSnapshot

STYLESHEET = Path(__file__).with_name("report-print.css")


def snapshot_pdf(snapshot: ReportSnapshot) -> bytes:
    """The report of ``snapshot`` as PDF bytes. Call inside ``translation.override``."""
    # Imported here: WeasyPrint parses its stylesheets on import, which no other page needs.
    from weasyprint import CSS, HTML

    report = html_report(snapshot)
    html = render_to_string(
        "reporting/report_print.html",
        {
            "report": report,
            "snapshot": snapshot,
            "language": snapshot.language,
            "printed": True,
            "page_label": _("Page"),
            "scope_label": common.scope_label(snapshot),
        },
    )
    document = HTML(string=html, base_url=str(STYLESHEET.parent))
    pdf = document.write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))],
        pdf_tags=True,
        pdf_identifier=snapshot.content_hash[:32].encode(),
        uncompressed_pdf=False,
    )
    assert pdf is not None
    return bytes(pdf)
