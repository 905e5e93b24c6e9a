"""Country programme outcomes (CPOs) in spreadsheets: export to XLSX or CSV, import back.

Field offices plan in Excel. The export writes one row per CPO (sheet "CPOs"), their
milestones ("Milestones") and a "Read me" that explains every column; the import takes the
same file back (or the CSV), all or nothing, in three steps kept apart so that other imports
can reuse them:

1. ``parse_spreadsheet``: the file into typed rows (``CpoRow``, ``MilestoneRow``); a cell that
   is not what its column holds becomes a ``RowError`` (sheet, row, column, message).
2. ``check_rows``: codes resolved against the database in a fixed number of queries, and the
   rules that need it checked (the outcome in the biennium's framework, an indicator of that
   outcome, a country the user's office covers, at most three priorities ...).
3. ``apply_changes``: every row written through ``dwcp.services`` (``priority_create``,
   ``cpo_create``, ``cpo_update``); what a service refuses becomes a ``RowError`` too.

``cpo_import`` runs the three in one transaction; if any row is wrong it rolls everything back
and raises ``ImportRefused`` with every error found. The upload page checks a file at once
(``cpo_import_check``) and queues its import as a Celery job (``jobs``). Column headings are
the file's format and the same in every language; the Read me explains them in the user's
language.

The package: ``columns`` (the format: sheets, columns, how a cell is read), ``errors`` (what
can be wrong with a file), ``guide`` (what the Read me says), ``reading`` (step 1),
``checking`` (step 2), ``importing`` (step 3, and ``cpo_import``), ``jobs`` (the import in the
background) and ``export``.
"""

from dwcp.spreadsheets.checking import CheckedImport, CpoChange, check_rows
from dwcp.spreadsheets.columns import (
    CPO_SHEET,
    CSV_TYPE,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    MILESTONE_SHEET,
    README_SHEET,
    XLSX_TYPE,
)
from dwcp.spreadsheets.errors import ImportRefused, RowError, SpreadsheetRefused
from dwcp.spreadsheets.export import (
    ExportScope,
    cpo_export_csv,
    cpo_export_xlsx,
    cpos_for_export,
    export_scope_parse,
)
from dwcp.spreadsheets.guide import column_guide, import_notes
from dwcp.spreadsheets.importing import ImportResult, apply_changes, cpo_import, cpo_import_check
from dwcp.spreadsheets.reading import (
    CpoRow,
    MilestoneRow,
    ParsedSpreadsheet,
    parse_spreadsheet,
    read_upload,
)

__all__ = [
    "CPO_SHEET",
    "CSV_TYPE",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "MILESTONE_SHEET",
    "README_SHEET",
    "XLSX_TYPE",
    "CheckedImport",
    "CpoChange",
    "CpoRow",
    "ExportScope",
    "ImportRefused",
    "ImportResult",
    "MilestoneRow",
    "ParsedSpreadsheet",
    "RowError",
    "SpreadsheetRefused",
    "apply_changes",
    "check_rows",
    "column_guide",
    "cpo_export_csv",
    "cpo_export_xlsx",
    "cpo_import",
    "cpo_import_check",
    "cpos_for_export",
    "export_scope_parse",
    "import_notes",
    "parse_spreadsheet",
    "read_upload",
]
