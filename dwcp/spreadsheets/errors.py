"""What can be wrong with a file: a row's problem, a file refused whole, an import refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import ngettext

from rbm.errors import ApplicationError


@dataclass(frozen=True)
class RowError:
    """One problem in the file: where it is and what is wrong, in the user's words."""

    sheet: str
    row: int
    column: str
    message: str


class SpreadsheetRefused(ApplicationError):
    """The file as a whole cannot be read: wrong type, missing sheet or columns, too large."""

    def __init__(self, message: str, *, status_code: int = 400) -> None:
        super().__init__(message)
        self.status_code = status_code


class ImportRefused(ApplicationError):
    """Some rows are wrong: nothing was saved. ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        rows = len({(e.sheet, e.row) for e in errors})
        super().__init__(
            ngettext(
                "Nothing was saved: %(count)s problem in %(rows)s of the file's rows.",
                "Nothing was saved: %(count)s problems in %(rows)s of the file's rows.",
                len(errors),
            )
            % {"count": len(errors), "rows": rows},
            extra={"errors": [e.__dict__ for e in errors]},
        )
        self.errors = list(errors)


class CellError(Exception):
    """A cell does not hold what its column needs; parsing makes it a ``RowError``."""
