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


# What a refusal lists: the first problems, in the file's order, and how many more there are.
# A file of 20,000 wrong rows has some 300,000 problems; nobody reads past the first screens,
# and listing them all held a worker for seconds and answered megabytes.
MAX_LISTED_PROBLEMS = 200


class ImportRefused(ApplicationError):
    """Some rows are wrong: nothing was saved. ``errors`` lists the first problems found
    (``MAX_LISTED_PROBLEMS``), ``more`` counts the others."""

    def __init__(self, errors: Sequence[RowError], *, more: int = 0) -> None:
        listed = list(errors[:MAX_LISTED_PROBLEMS])
        more += len(errors) - len(listed)
        count = len(listed) + more
        if more:
            message = ngettext(
                "Nothing was saved: %(count)s problems; the first %(listed)s are listed, "
                "%(more)s more are not.",
                "Nothing was saved: %(count)s problems; the first %(listed)s are listed, "
                "%(more)s more are not.",
                count,
            ) % {"count": count, "listed": len(listed), "more": more}
        else:
            rows = len({(e.sheet, e.row) for e in listed})
            message = ngettext(
                "Nothing was saved: %(count)s problem in %(rows)s of the file's rows.",
                "Nothing was saved: %(count)s problems in %(rows)s of the file's rows.",
                count,
            ) % {"count": count, "rows": rows}
        super().__init__(message, extra={"errors": [e.__dict__ for e in listed], "more": more})
        self.errors = listed
        self.more = more


class CellError(Exception):
    """A cell does not hold what its column needs; parsing makes it a ``RowError``."""


class CheckDeferred(Exception):
    """The file has more rows than a request checks: its worker checks them (all of them)."""
