"""Exports of a report snapshot: XLSX, DOCX, PDF, CSV and IATI 2.03 activities.

Every export is written from the snapshot alone (its stored ``content`` and its own fields),
never from live data, so what was compiled is what is exported, however the records change
afterwards. Each is produced in the snapshot's language. What users typed is data in every
format: without the control characters files cannot hold, never a spreadsheet formula.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from rbm.text import printable_tree
from reporting.exports import common
from reporting.exports.csv_file import snapshot_csv
from reporting.exports.iati import snapshot_iati
from reporting.exports.printed import snapshot_pdf
from reporting.exports.word import snapshot_docx
from reporting.exports.xlsx import snapshot_xlsx
from reporting.models import ReportSnapshot

__all__ = ["FORMATS", "Export", "export_snapshot"]


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str  # e.g. "implementation-report-2012-13-whole-en-<hash12>.xlsx"
    content_type: str  # the MIME type


@dataclass(frozen=True)
class _Writer:
    write: Callable[[ReportSnapshot], bytes]
    extension: str
    content_type: str


# Format code -> what the pages call it, in the order they list the formats.
FORMATS: dict[str, StrOrPromise] = {
    "xlsx": gettext_lazy("Excel workbook (XLSX)"),
    "docx": gettext_lazy("Word document (DOCX)"),
    "pdf": gettext_lazy("PDF document"),
    "csv": gettext_lazy("Indicator figures (CSV)"),
    "iati": gettext_lazy("IATI 2.03 activities (XML)"),
}

_WRITERS = {
    "xlsx": _Writer(
        snapshot_xlsx, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "docx": _Writer(
        snapshot_docx,
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": _Writer(snapshot_pdf, "pdf", "application/pdf"),
    "csv": _Writer(snapshot_csv, "csv", "text/csv; charset=utf-8"),
    "iati": _Writer(snapshot_iati, "iati.xml", "application/xml"),
}


def export_snapshot(snapshot: ReportSnapshot, fmt: str) -> Export:
    """``snapshot`` in format ``fmt`` (a key of ``FORMATS``); ValueError for another."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    readable = copy.copy(snapshot)
    # Older snapshots may hold text typed before control characters were refused; every
    # format is written from a copy whose text the files can hold (rbm.text.printable).
    readable.content = printable_tree(snapshot.content)
    with translation.override(snapshot.language):
        content = writer.write(readable)
    return Export(
        content=content,
        filename=f"{common.file_stem(snapshot)}.{writer.extension}",
        content_type=writer.content_type,
    )
