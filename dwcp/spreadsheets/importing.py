"""Writing the checked rows through the services (step 3), and the import all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dwcp.models import CountryProgrammePriority
from dwcp.services import cpo_create, cpo_update, priority_create
from dwcp.spreadsheets.checking import (
    CheckedImport,
    CpoChange,
    check_rows,
    fields_asked,
    sorted_errors,
)
from dwcp.spreadsheets.columns import CPO_SHEET, FIELD_COLUMNS, VERSION_COLUMN
from dwcp.spreadsheets.errors import ImportRefused, RowError
from dwcp.spreadsheets.reading import ParsedSpreadsheet, parse_spreadsheet
from rbm.errors import ApplicationError, ConflictError
from rbm.models import User
from rbm.permissions import require


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    priorities_created: list[str] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    """(column, message) pairs of a service's ValidationError."""
    if hasattr(error, "error_dict"):
        return [
            (FIELD_COLUMNS.get(name, ""), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in error.messages]


Progress = Callable[[int, int], None]


def apply_changes(
    *, user: User, checked: CheckedImport, progress: Progress | None = None
) -> tuple[ImportResult, list[RowError]]:
    """Create the new priorities, then create or update each CPO through the services.

    The services check everything again; what they refuse (a change made meanwhile, a rule
    the checks missed) is reported as a row error and does not stop the other rows. The caller
    decides whether to keep the writes. ``progress(done, total)`` is called after each row.
    """
    result = ImportResult(warnings=checked.warnings)
    errors: list[RowError] = []
    created_priorities: dict[tuple[int, int], CountryProgrammePriority] = {}
    for new in checked.new_priorities:
        try:
            priority = priority_create(user=user, programme=new.programme, title=new.title)
        except ValidationError as error:
            errors += [
                RowError(CPO_SHEET, r.row, "priority", message)
                for r in new.rows
                for _column, message in _messages(error)
            ]
            continue
        except (ApplicationError, PermissionDenied) as error:
            errors += [RowError(CPO_SHEET, r.row, "priority", str(error)) for r in new.rows]
            continue
        created_priorities[(new.programme.pk, priority.number)] = priority
        result.priorities_created.append(f"{new.programme.country.alpha3} {priority}")
    total = len(checked.changes)
    for done, change in enumerate(checked.changes, start=1):
        if progress is not None:
            progress(done, total)
        row = change.row
        if change.unchanged and change.cpo is not None:
            result.unchanged.append(change.cpo.code)
            continue
        chosen = change.priority or created_priorities.get((change.programme.pk, row.priority))
        if chosen is None:
            continue  # the priority could not be made: its rows have their error
        # Each service is atomic: a refusal rolls back to its savepoint and the others go on.
        try:
            _write(user, change, chosen, result)
        except ConflictError as error:
            errors.append(RowError(CPO_SHEET, row.row, VERSION_COLUMN.header, error.message))
        except ApplicationError as error:
            errors.append(RowError(CPO_SHEET, row.row, "", error.message))
        except PermissionDenied as error:
            errors.append(RowError(CPO_SHEET, row.row, "country", str(error)))
        except ValidationError as error:
            errors += [RowError(CPO_SHEET, row.row, c, m) for c, m in _messages(error)]
    return result, errors


def _write(
    user: User, change: CpoChange, priority: CountryProgrammePriority, result: ImportResult
) -> None:
    row, cpo = change.row, change.cpo
    if cpo is None:
        created = cpo_create(
            user=user,
            programme=change.programme,
            priority=priority,
            biennium=change.biennium,
            outcome=change.outcome,
            indicator=change.indicator,
            code=row.code,
            title=row.title,
            description=row.description,
            gender_statement=row.gender_statement,
            prioritized=row.prioritized,
            targeted=row.targeted,
            result_status=row.result_status,
            milestones=change.milestones or (),
            resources=change.resources,
        )
        result.created.append(created.code)
        return
    _cpo, changed = cpo_update(
        user=user,
        cpo=cpo,
        version=row.version,
        milestones=change.milestones,
        resources=change.resources,
        **fields_asked(change, priority),
    )
    (result.updated if changed else result.unchanged).append(cpo.code)


def cpo_import_check(
    *, user: User, content: bytes, filename: str, defer_after: int | None = None
) -> ParsedSpreadsheet:
    """Check a file before it is queued: every row parsed and checked, nothing written.

    Raises ``SpreadsheetRefused`` for a file that cannot be used and ``ImportRefused`` listing
    the wrong rows; ``CheckDeferred`` for a file of more than ``defer_after`` rows, left to
    the import. The import checks again when it runs (``cpo_import``): what is stored may
    have changed meanwhile.
    """
    require(user, "cpo.import")
    parsed = parse_spreadsheet(content=content, filename=filename, defer_after=defer_after)
    with transaction.atomic():  # the checks lock the CPOs the file names, until they end
        checked = check_rows(user=user, parsed=parsed)
    errors = [*parsed.errors, *checked.errors]
    if errors:
        raise ImportRefused(sorted_errors(errors))
    return parsed


@transaction.atomic
def cpo_import(
    *, user: User, content: bytes, filename: str, progress: Progress | None = None
) -> ImportResult:
    """Import an exported workbook (or its CSV): all rows or none.

    Raises ``SpreadsheetRefused`` for a file that cannot be used and ``ImportRefused`` listing
    every wrong row; in both cases nothing is saved.
    """
    require(user, "cpo.import")
    parsed = parse_spreadsheet(content=content, filename=filename)
    checked = check_rows(user=user, parsed=parsed)
    errors = [*parsed.errors, *checked.errors]
    if errors:
        # No write is tried: the checks cover every rule the services hold.
        raise ImportRefused(sorted_errors(errors))
    result, write_errors = apply_changes(user=user, checked=checked, progress=progress)
    if write_errors:
        raise ImportRefused(sorted_errors(write_errors))  # leaving the transaction rolls back
    return result
