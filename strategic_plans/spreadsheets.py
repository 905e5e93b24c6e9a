"""A biennium's framework as a workbook, out and back in (the issue's item 5): outcomes and
indicators with their texts in English, French and Spanish, targets by region, outcome
budgets by funding source. The import is all or nothing: every row is checked and written
through the services in one transaction, and a file with any bad row is refused whole with
every problem listed (sheet, row, column, reason), as the CPO import does. For an adopted
programme the import carries a reason, recorded with each revision (ADR 0022)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from rbm.archives import ArchiveRefused, check_zip_archive
from rbm.errors import ApplicationError
from rbm.models import FundingSource, Region, User
from rbm.permissions import require
from rbm.text import text_cell, workbook_bytes
from strategic_plans import services, texts
from strategic_plans.models import (
    Indicator,
    Outcome,
    OutcomeResource,
    ProgrammeAndBudget,
    StrategicObjective,
    Target,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
OUTCOMES, INDICATORS, TARGETS, BUDGETS = "Outcomes", "Indicators", "Targets", "Budgets"
OUTCOME_TEXTS = [texts.column(f, lang) for f in ("title", "statement") for lang in texts.LANGUAGES]
INDICATOR_TEXTS = [
    texts.column(f, lang)
    for f in ("text", "measurement_criteria", "baseline")
    for lang in texts.LANGUAGES
]


class FrameworkFileRefused(ApplicationError):
    """The file cannot be read at all (not a workbook, too large, a sheet missing)."""


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("%(sheet)s, row %(row)s, %(column)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column or "—",
            "message": self.message,
        }


class FrameworkImportRefused(ApplicationError):
    """Rows of the file are wrong: nothing was imported; ``errors`` lists every one."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            _("Nothing was imported: %(count)s problems in the file.") % {"count": len(errors)},
            extra={"errors": [str(e) for e in errors]},
        )
        self.errors = errors


# Export ---------------------------------------------------------------------------------


def framework_workbook(programme: ProgrammeAndBudget) -> bytes:
    """The programme's framework as an XLSX workbook (text cells, no formulas)."""
    regions = list(Region.objects.all())
    sources = list(FundingSource.objects.all())
    outcomes = list(
        Outcome.objects.filter(objective__plan_id=programme.plan_id)
        .select_related("objective")
        .order_by("objective__number", "position", "code")
    )
    indicators = list(
        Indicator.objects.filter(outcome__objective__plan_id=programme.plan_id)
        .select_related("outcome")
        .order_by("outcome__objective__number", "outcome__position", "position", "code")
    )
    targets = {
        t.indicator_id: t
        for t in Target.objects.filter(
            biennium_id=programme.biennium_id, indicator__in=indicators
        ).prefetch_related("by_region")
    }
    budgets: dict[int, dict[int, Decimal]] = {}
    for resource in OutcomeResource.objects.filter(
        biennium_id=programme.biennium_id, outcome__in=outcomes
    ):
        budgets.setdefault(resource.outcome_id, {})[resource.funding_source_id] = resource.amount
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = OUTCOMES
    _rows(
        sheet,
        ["objective", "code", *OUTCOME_TEXTS],
        [
            [o.objective.number, o.code, *(getattr(o, c) or "" for c in OUTCOME_TEXTS)]
            for o in outcomes
        ],
    )
    _rows(
        workbook.create_sheet(INDICATORS),
        ["outcome", "code", "unit", *INDICATOR_TEXTS],
        [
            [i.outcome.code, i.code, i.unit, *(getattr(i, c) or "" for c in INDICATOR_TEXTS)]
            for i in indicators
        ],
    )
    target_rows = []
    for indicator in indicators:
        target = targets.get(indicator.pk)
        values = {r.region_id: r.value for r in target.by_region.all()} if target else {}
        target_rows.append(
            [
                indicator.code,
                target.total if target else None,
                *(values.get(region.pk) for region in regions),
                target.note if target else "",
            ]
        )
    _rows(
        workbook.create_sheet(TARGETS),
        ["indicator", "total", *(r.code for r in regions), "note"],
        target_rows,
    )
    _rows(
        workbook.create_sheet(BUDGETS),
        ["outcome", *(s.code for s in sources)],
        [[o.code, *(budgets.get(o.pk, {}).get(s.pk) for s in sources)] for o in outcomes],
    )
    return workbook_bytes(workbook)


def _rows(sheet: Any, header: list[str], rows: list[list[Any]]) -> None:
    for column, name in enumerate(header, start=1):
        text_cell(sheet.cell(row=1, column=column), name)
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            text_cell(sheet.cell(row=number, column=column), value)


# Import ---------------------------------------------------------------------------------

Sheet = list[tuple[int, dict[str, Any]]]


def _read(content: bytes) -> dict[str, Sheet]:
    if len(content) > MAX_BYTES:
        raise FrameworkFileRefused(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_BYTES // 1024**2}
        )
    try:
        check_zip_archive(content)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ArchiveRefused as refused:
        raise FrameworkFileRefused(refused.message) from refused
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FrameworkFileRefused(
            _("This file could not be read as an Excel workbook (.xlsx).")
        ) from error
    sheets: dict[str, Sheet] = {}
    budget = MAX_ROWS
    try:
        for name in (OUTCOMES, INDICATORS, TARGETS, BUDGETS):
            if name not in workbook.sheetnames:
                raise FrameworkFileRefused(
                    _("The workbook has no sheet named “%(sheet)s”.") % {"sheet": name}
                )
            worksheet = workbook[name]
            worksheet.reset_dimensions()
            rows = list(worksheet.iter_rows(values_only=True))
            header = [str(h or "").strip() for h in (rows[0] if rows else [])]
            data: Sheet = []
            for number, values in enumerate(rows[1:], start=2):
                if all(v in (None, "") for v in values):
                    continue
                budget -= 1
                if budget < 0:
                    raise FrameworkFileRefused(
                        _("The file has more than %(limit)s rows.") % {"limit": MAX_ROWS}
                    )
                data.append((number, dict(zip(header, values, strict=False))))
            sheets[name] = data
    finally:
        workbook.close()
    return sheets


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@transaction.atomic
def framework_import(
    *, user: User, programme: ProgrammeAndBudget, content: bytes, reason: str = ""
) -> dict[str, int]:
    """Import a framework workbook into ``programme``: every row or none. Returns how many
    rows of each sheet were written; refuses (``FrameworkImportRefused``) with every bad row.
    """
    require(user, "framework.manage")
    sheets = _read(content)
    errors: list[RowError] = []
    counts = dict.fromkeys(sheets, 0)

    def attempt(sheet: str, row: int, columns: dict[str, str], write: Any, **arguments: Any) -> Any:
        """``write(**arguments)`` in a savepoint; its refusal becomes the row's errors."""
        try:
            with transaction.atomic():
                return write(user=user, **arguments)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    for message in messages:
                        errors.append(RowError(sheet, row, columns.get(field, field), message))
            else:
                errors.extend(RowError(sheet, row, "", m) for m in error.messages)
        return None

    plan = programme.plan
    objectives = {o.number: o for o in StrategicObjective.objects.filter(plan=plan)}
    outcomes = {o.code: o for o in Outcome.objects.filter(objective__plan=plan)}
    for row, cells in sheets[OUTCOMES]:
        code = _text(cells.get("code"))
        values = {c: _text(cells.get(c)) for c in OUTCOME_TEXTS}
        outcome = outcomes.get(code)
        if outcome is None:
            objective = objectives.get(_whole(cells.get("objective")) or 0)
            if objective is None:
                errors.append(
                    RowError(OUTCOMES, row, "objective", _("No such objective in this plan."))
                )
                continue
            created = attempt(
                OUTCOMES,
                row,
                {},
                services.outcome_create,
                objective=objective,
                code=code,
                title=values["title_en"],
                texts={k: v for k, v in values.items() if v},
            )
            if created is not None:
                outcomes[code] = created
                counts[OUTCOMES] += 1
            continue
        changed = attempt(
            OUTCOMES,
            row,
            {},
            services.framework_texts_update,
            record=outcome,
            texts=values,
            programme=programme,
            reason=reason,
        )
        counts[OUTCOMES] += changed is not None
    indicators = {i.code: i for i in Indicator.objects.filter(outcome__objective__plan=plan)}
    for row, cells in sheets[INDICATORS]:
        code = _text(cells.get("code"))
        values = {c: _text(cells.get(c)) for c in INDICATOR_TEXTS}
        indicator = indicators.get(code)
        if indicator is None:
            owner = outcomes.get(_text(cells.get("outcome")))
            if owner is None:
                errors.append(
                    RowError(INDICATORS, row, "outcome", _("No such outcome in this plan."))
                )
                continue
            new = attempt(
                INDICATORS,
                row,
                {},
                services.indicator_create,
                outcome=owner,
                code=code,
                text=values["text_en"],
                unit=_text(cells.get("unit")) or "member States",
                texts={k: v for k, v in values.items() if v},
            )
            if new is not None:
                indicators[code] = new
                counts[INDICATORS] += 1
            continue
        changed = attempt(
            INDICATORS,
            row,
            {},
            services.framework_texts_update,
            record=indicator,
            texts=values,
            programme=programme,
            reason=reason,
        )
        counts[INDICATORS] += changed is not None
    regions = list(Region.objects.all())
    for row, cells in sheets[TARGETS]:
        targeted = indicators.get(_text(cells.get("indicator")))
        if targeted is None:
            errors.append(RowError(TARGETS, row, "indicator", _("No such indicator in this plan.")))
            continue
        numbers: dict[str, int | None] = {}
        wrong = False
        for column in ["total", *(r.code for r in regions)]:
            raw = cells.get(column)
            numbers[column] = _whole(raw)
            if raw not in (None, "") and numbers[column] is None:
                errors.append(RowError(TARGETS, row, column, _("Write a whole number, 0 or more.")))
                wrong = True
        total = numbers["total"]
        if total is None:
            # A row without a total sets no target; with regional values it needs one.
            regional = any(numbers[r.code] is not None for r in regions)
            if cells.get("total") in (None, "") and regional:
                errors.append(RowError(TARGETS, row, "total", _("The total is required.")))
            continue
        if wrong:
            continue
        by_region = {r: v for r in regions if (v := numbers[r.code]) is not None}
        done = attempt(
            TARGETS,
            row,
            {},
            services.target_set,
            indicator=targeted,
            biennium=programme.biennium,
            total=total,
            by_region=by_region,
            note=_text(cells.get("note")),
            reason=reason,
        )
        counts[TARGETS] += done is not None
    sources = list(FundingSource.objects.all())
    for row, cells in sheets[BUDGETS]:
        budgeted = outcomes.get(_text(cells.get("outcome")))
        if budgeted is None:
            errors.append(RowError(BUDGETS, row, "outcome", _("No such outcome in this plan.")))
            continue
        for source in sources:
            raw = cells.get(source.code)
            if raw in (None, ""):
                continue
            try:
                amount = Decimal(str(raw))
            except InvalidOperation:
                errors.append(RowError(BUDGETS, row, source.code, _("Write an amount in USD.")))
                continue
            attempt(
                BUDGETS,
                row,
                {"amount": source.code},
                services.outcome_resource_set,
                outcome=budgeted,
                biennium=programme.biennium,
                funding_source=source,
                amount=amount,
            )
        counts[BUDGETS] += 1
    if errors:
        raise FrameworkImportRefused(errors)
    return counts


def _whole(value: Any) -> int | None:
    """A whole number of 0 or more from a cell, or None."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            return None
    return number if number >= 0 else None
