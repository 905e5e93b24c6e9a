"""Every write to workplans: opening them, strategy and resources, the review workflow and
its thread, the mid-term review with reallocations, and published figures."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from rbm.conflicts import unique_conflict
from rbm.errors import ApplicationError, ConflictError
from rbm.models import Biennium, FundingSource, Region, User
from rbm.permissions import require
from rbm.services import check_version, save_versioned, validate
from rbm.text import csv_refusal
from rbm.workflow import locked_for, transition
from strategic_plans.models import OutcomeStrategy, StrategyElement
from strategic_plans.selectors import framework_outcomes
from strategic_plans.services import outcome_strategy_set
from workplans import notifications
from workplans.models import (
    CorrectiveAction,
    EventKind,
    MidTermReview,
    OutcomeWorkplan,
    PublishedFigure,
    PublishedTable,
    Reallocation,
    ReallocationKind,
    WorkplanEvent,
    WorkplanResource,
    WorkplanStatus,
)
from workplans.selectors import CSV_HEADER as CSV_COLUMNS
from workplans.selectors import TOTAL, region_for

MAX_PUBLISHED_ROWS = 2000


def _event(workplan: OutcomeWorkplan, kind: str, user: User, text: str = "") -> WorkplanEvent:
    event = WorkplanEvent(workplan=workplan, kind=kind, author=user, text=text)
    validate(event)
    event.save()
    return event


@transaction.atomic
def workplans_open(*, user: User, biennium: Biennium) -> list[OutcomeWorkplan]:
    """Open one workplan per outcome of the biennium's framework (those missing), each with
    the outcome's first coordinator."""
    require(user, "workplan.create")
    outcomes = list(framework_outcomes(biennium).prefetch_related("coordinators"))
    if not outcomes:
        raise ApplicationError(
            _("No programme and budget covers %(biennium)s yet.") % {"biennium": biennium}
        )
    existing = set(
        OutcomeWorkplan.objects.filter(biennium=biennium).values_list("outcome_id", flat=True)
    )
    created = []
    for outcome in outcomes:
        if outcome.pk in existing:
            continue
        coordinators = list(outcome.coordinators.all())
        workplan = OutcomeWorkplan(
            outcome=outcome,
            biennium=biennium,
            coordinator=coordinators[0] if coordinators else None,
        )
        validate(workplan)
        workplan.save()
        created.append(workplan)
    return created


@transaction.atomic
def workplan_strategy_set(
    *,
    user: User,
    workplan: OutcomeWorkplan,
    element: StrategyElement,
    text: str,
    previous: str | None,
) -> None:
    """The coordinator writes one strategy element (kept as the outcome's strategy for the
    biennium, which the framework pages show too).

    ``previous`` is the text the editor read ("" when there was none): if someone saved
    another text since, the write is refused (409) rather than overwriting theirs. ``None``
    skips the check (the demo data only).
    """
    require(user, "workplan.edit", workplan)
    if not text.strip():
        raise ValidationError({"text": _("Write the strategy for this element.")})
    # The workplan's row, locked, orders the writes of its elements: a first text has no row
    # to lock yet, and two first writes would otherwise both read "" and the later one
    # overwrite the earlier. The second now waits, reads the first's text and is refused.
    OutcomeWorkplan.objects.select_for_update(of=("self",)).filter(pk=workplan.pk).first()
    current = (
        OutcomeStrategy.objects.select_for_update()
        .filter(outcome=workplan.outcome, biennium=workplan.biennium, element=element)
        .values_list("text", flat=True)
        .first()
    ) or ""
    if previous is not None and previous.strip() != current and text.strip() != current:
        raise ConflictError(
            _(
                "Someone else saved this element since you opened it. Their text is shown "
                "now: make your change to it again."
            ),
            extra={"current_text": current},
        )
    outcome_strategy_set(
        user=user,
        outcome=workplan.outcome,
        biennium=workplan.biennium,
        element=element,
        text=text.strip(),
    )


ResourceKey = tuple[FundingSource, Region | None]


@transaction.atomic
def workplan_resources_set(
    *,
    user: User,
    workplan: OutcomeWorkplan,
    version: int | None,
    lines: Mapping[ResourceKey, Decimal],
) -> OutcomeWorkplan:
    """Replace the workplan's resources by funding source and region (zero lines vanish)."""
    workplan = locked_for(workplan, user=user, action="workplan.edit", version=version)
    current = {(r.funding_source_id, r.region_id): r for r in workplan.resources.all()}
    wanted = {}
    for (source, region), amount in lines.items():
        amount = Decimal(amount)
        if amount < 0:
            raise ValidationError(
                {
                    "amount": _("Amounts cannot be negative (%(source)s, %(region)s).")
                    % {"source": source, "region": region or _("Global")}
                }
            )
        if amount:
            wanted[(source.pk, region.pk if region else None)] = amount
    changed = False
    for key, amount in wanted.items():
        line = current.pop(key, None) or WorkplanResource(
            workplan=workplan, funding_source_id=key[0], region_id=key[1]
        )
        if line.pk is None or line.amount != amount:
            line.amount = amount
            validate(line)
            line.save()
            changed = True
    for line in current.values():
        line.delete()
        changed = True
    if changed:
        save_versioned(workplan, update_fields=[])
    return workplan


@transaction.atomic
def workplan_submit(
    *, user: User, workplan: OutcomeWorkplan, version: int | None
) -> OutcomeWorkplan:
    workplan = transition(
        workplan,
        user=user,
        action="workplan.submit",
        target=WorkplanStatus.SUBMITTED,
        version=version,
    )
    _event(workplan, EventKind.SUBMITTED, user)
    notifications.workplan_submitted(workplan)
    return workplan


@transaction.atomic
def workplan_approve(
    *, user: User, workplan: OutcomeWorkplan, version: int | None
) -> OutcomeWorkplan:
    workplan = transition(
        workplan,
        user=user,
        action="workplan.review",
        target=WorkplanStatus.APPROVED,
        version=version,
    )
    _event(workplan, EventKind.APPROVED, user)
    notifications.workplan_approved(workplan)
    return workplan


@transaction.atomic
def workplan_return(
    *, user: User, workplan: OutcomeWorkplan, version: int | None, comment: str
) -> OutcomeWorkplan:
    require(user, "workplan.review", workplan, states=False)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what to revise: a comment is required.")})
    workplan = transition(
        workplan,
        user=user,
        action="workplan.review",
        target=WorkplanStatus.RETURNED,
        version=version,
    )
    _event(workplan, EventKind.RETURNED, user, comment.strip())
    notifications.workplan_returned(workplan)
    return workplan


@transaction.atomic
def workplan_comment(*, user: User, workplan: OutcomeWorkplan, text: str) -> WorkplanEvent:
    require(user, "workplan.comment", workplan)
    if not text.strip():
        raise ValidationError({"text": _("Write the comment.")})
    comment = _event(workplan, EventKind.COMMENT, user, text.strip())
    notifications.workplan_commented(workplan, comment)
    return comment


# Mid-term review ------------------------------------------------------------------------


@transaction.atomic
def midterm_review_save(
    *,
    user: User,
    workplan: OutcomeWorkplan,
    review_date: datetime.date,
    summary: str = "",
    lessons_learned: str = "",
    version: int | None = None,
) -> MidTermReview:
    """Create the workplan's mid-term review, or update it (then ``version`` is required)."""
    require(user, "midterm.edit", workplan)
    review = MidTermReview.objects.select_for_update().filter(workplan=workplan).first()
    if review is None:
        review = MidTermReview(
            workplan=workplan,
            review_date=review_date,
            summary=summary,
            lessons_learned=lessons_learned,
        )
        validate(review)
        with unique_conflict(review):
            review.save()
        return review
    check_version(review, version)
    review.review_date, review.summary, review.lessons_learned = (
        review_date,
        summary,
        lessons_learned,
    )
    validate(review)
    save_versioned(review, update_fields=["review_date", "summary", "lessons_learned"])
    return review


@transaction.atomic
def corrective_action_add(
    *, user: User, review: MidTermReview, text: str, region: Region | None = None
) -> CorrectiveAction:
    require(user, "midterm.edit", review.workplan)
    action = CorrectiveAction(review=review, text=text.strip(), region=region)
    validate(action)
    action.save()
    return action


@transaction.atomic
def reallocation_record(
    *,
    user: User,
    review: MidTermReview,
    kind: str,
    to_source: FundingSource,
    to_region: Region | None,
    amount: Decimal,
    reason: str,
    from_source: FundingSource | None = None,
    from_region: Region | None = None,
) -> Reallocation:
    """Move money between the workplan's lines, or add new money, and record why.

    A transfer takes ``amount`` from the (from source, from region) line and adds it to the
    (to source, to region) line: the workplan's total does not change. A new allocation only
    adds to the destination, and is recorded as such.
    """
    workplan = review.workplan
    require(user, "midterm.edit", workplan)
    OutcomeWorkplan.objects.select_for_update().get(pk=workplan.pk)
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError):
        raise ValidationError({"amount": _("Enter an amount in USD.")}) from None
    record = Reallocation(
        review=review,
        kind=kind,
        from_source=from_source,
        from_region=from_region,
        to_source=to_source,
        to_region=to_region,
        amount=amount,
        reason=reason.strip(),
        decided_by=user,
    )
    validate(record)
    if (from_source, from_region) == (to_source, to_region):
        raise ValidationError({"to_source": _("A transfer moves money to another line.")})
    total_before = _total(workplan)
    if kind == ReallocationKind.TRANSFER:
        assert from_source is not None
        origin = WorkplanResource.objects.filter(
            workplan=workplan, funding_source=from_source, region=from_region
        ).first()
        available = origin.amount if origin else Decimal(0)
        if origin is None or available < amount:
            raise ValidationError(
                {
                    "amount": _("Only %(available)s USD are on the line %(source)s, %(region)s.")
                    % {
                        "available": f"{available:,.2f}",
                        "source": from_source,
                        "region": from_region or _("Global"),
                    }
                }
            )
        origin.amount -= amount
        validate(origin)
        origin.save(update_fields=["amount", "updated_at"])
    destination = WorkplanResource.objects.filter(
        workplan=workplan, funding_source=to_source, region=to_region
    ).first() or WorkplanResource(
        workplan=workplan, funding_source=to_source, region=to_region, amount=Decimal(0)
    )
    destination.amount += amount
    validate(destination)
    destination.save()
    record.save()
    expected = total_before + (amount if kind == ReallocationKind.NEW_ALLOCATION else 0)
    if _total(workplan) != expected:  # the invariant, checked where it is made
        raise ApplicationError(_("The reallocation did not conserve the workplan's total."))
    save_versioned(OutcomeWorkplan.objects.get(pk=workplan.pk), update_fields=[])
    return record


def _total(workplan: OutcomeWorkplan) -> Decimal:
    total = WorkplanResource.objects.filter(workplan=workplan).aggregate(total=Sum("amount"))
    return total["total"] or Decimal(0)


# Published figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureError:
    row: int
    column: str
    message: str


class PublishedFiguresInvalid(ApplicationError):
    """The file has errors; nothing was saved. ``errors`` lists each one."""

    def __init__(self, errors: list[FigureError]) -> None:
        super().__init__(
            _("The file has %(count)s errors; nothing was saved.") % {"count": len(errors)},
            extra={"errors": [e.__dict__ for e in errors]},
        )
        self.errors = errors


def parse_figures(
    text: str, biennium: Biennium
) -> tuple[list[tuple[str, str, int | None, int | None]], list[FigureError]]:
    """Read ``outcome,region,demand,target`` rows; return them and every error found."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return _parse_figures(reader, biennium)
    except csv.Error as error:
        return [], [FigureError(reader.line_num, "", csv_refusal(error, reader.line_num))]


def _parse_figures(
    reader: csv.DictReader[str], biennium: Biennium
) -> tuple[list[tuple[str, str, int | None, int | None]], list[FigureError]]:
    outcome_codes = {o.code for o in framework_outcomes(biennium)}
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [
            FigureError(
                1,
                ", ".join(missing),
                _("Missing columns; the header is %(columns)s.")
                % {"columns": ",".join(CSV_COLUMNS)},
            )
        ]
    rows: list[tuple[str, str, int | None, int | None]] = []
    errors: list[FigureError] = []
    seen: set[tuple[str, str]] = set()
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_PUBLISHED_ROWS:
            errors.append(FigureError(number, "", _("More than 2000 rows.")))
            break
        outcome = (raw.get("outcome") or "").strip()
        region = (raw.get("region") or "").strip()
        if outcome.lower() != TOTAL.lower():
            outcome = outcome.lstrip("0") or outcome
            if outcome not in outcome_codes:
                errors.append(
                    FigureError(
                        number,
                        "outcome",
                        _("%(code)s is not an outcome of %(biennium)s.")
                        % {"code": outcome or "—", "biennium": biennium},
                    )
                )
        else:
            outcome = TOTAL
        if region.lower() == TOTAL.lower():
            region = TOTAL
        elif region_for(region) is None:
            errors.append(
                FigureError(
                    number, "region", _("%(region)s is not a region.") % {"region": region or "—"}
                )
            )
        values: list[int | None] = []
        for column in ("demand", "target"):
            value = (raw.get(column) or "").strip()
            if value == "":
                values.append(None)
                continue
            try:
                number_value = int(value)
                if number_value < 0:
                    raise ValueError
            except ValueError:
                errors.append(
                    FigureError(
                        number,
                        column,
                        _("%(value)s is not a whole number of 0 or more.") % {"value": value},
                    )
                )
                values.append(None)
            else:
                values.append(number_value)
        key = (outcome, region)
        if key in seen:
            errors.append(FigureError(number, "region", _("This outcome and region appear twice.")))
        seen.add(key)
        rows.append((outcome, region, values[0], values[1]))
    if not rows and not errors:
        errors.append(FigureError(1, "", _("The file has no rows.")))
    return rows, errors


@transaction.atomic
def published_table_record(
    *,
    user: User,
    biennium: Biennium,
    name: str,
    text: str,
    source: str = "",
    replace: bool = False,
) -> PublishedTable:
    """Record a published table from CSV text, all or nothing (PublishedFiguresInvalid)."""
    require(user, "published.manage")
    rows, errors = parse_figures(text, biennium)
    if errors:
        raise PublishedFiguresInvalid(errors)
    existing = PublishedTable.objects.filter(biennium=biennium, name=name.strip()).first()
    if existing is not None:
        if not replace:
            raise ValidationError({"name": _("A table with this name exists for this biennium.")})
        existing.delete()
    table = PublishedTable(biennium=biennium, name=name.strip(), source=source, recorded_by=user)
    validate(table)
    with unique_conflict(table):
        table.save()
    PublishedFigure.objects.bulk_create(
        PublishedFigure(table=table, outcome_code=o, region_code=r, demand=d, target=t)
        for o, r, d, t in rows
    )
    return table
