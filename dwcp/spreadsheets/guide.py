"""What the Read me and the import page say about the file: every column, and how an import
works."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from dwcp.spreadsheets.columns import (
    CPO_COLUMNS,
    CPO_SHEET,
    MILESTONE_COLUMNS,
    MILESTONE_SHEET,
    VERSION_COLUMN,
)
from rbm.models import FundingSource


def column_guide(sources: Iterable[FundingSource]) -> list[tuple[str, str, str, str]]:
    """(sheet, column, what it holds, allowed values) for every column: the Read me's table
    and the import page's."""
    guide = [(CPO_SHEET, c.header, str(c.help), str(c.allowed)) for c in CPO_COLUMNS]
    for source in sources:
        guide.append(
            (
                CPO_SHEET,
                f"{source.code} planned, {source.code} spent",
                _(
                    "%(source)s: the money planned and spent for the CPO, in US dollars. Leave "
                    "both empty when the source gives nothing."
                )
                % {"source": source.label},
                _("numbers from 0, at most two decimals"),
            )
        )
    guide.append(
        (CPO_SHEET, VERSION_COLUMN.header, str(VERSION_COLUMN.help), str(VERSION_COLUMN.allowed))
    )
    guide += [(MILESTONE_SHEET, c.header, str(c.help), str(c.allowed)) for c in MILESTONE_COLUMNS]
    return guide


def import_notes() -> list[str]:
    """How an import works, for the Read me and the import page."""
    return [
        _(
            "Edit the rows of the sheet “%(sheet)s”, add rows for new CPOs, then import the "
            "workbook on the import page. Do not rename the sheets or the column headings: "
            "they are the same in every language."
        )
        % {"sheet": CPO_SHEET},
        _(
            "The import saves everything or nothing: if any row is wrong, nothing is saved and "
            "the page lists every problem with its sheet, row and column."
        ),
        _(
            "A CPO's milestones are the rows of the sheet “%(sheet)s” with its code and "
            "biennium; the import replaces them. A CPO without rows there loses its milestones."
        )
        % {"sheet": MILESTONE_SHEET},
        _(
            "A CSV file holds the CPOs sheet only: milestones cannot travel in CSV. Importing a "
            "CSV file leaves the milestones as they are."
        ),
        _(
            "Rows are not deleted by an import: a CPO missing from the file stays as it is. "
            "Importing the same file twice changes nothing the second time."
        ),
    ]
