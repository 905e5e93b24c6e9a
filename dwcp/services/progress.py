"""Reporting periods, progress reports and their review."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dwcp import notifications
from dwcp.models import (
    CountryProgrammeOutcome,
    ProgressReport,
    ProgressReview,
    ReportingPeriod,
    ReviewAction,
    ReviewState,
)
from dwcp.services.calendar import period_write_check
from rbm.errors import ApplicationError
from rbm.models import Biennium, User
from rbm.permissions import require
from rbm.services import save_versioned, validate
from rbm.workflow import locked_for, transition

REPORT_FIELDS = (
    "status",
    "narrative",
    "result_claimed",
    "evidence_text",
    "evidence_url",
    "women_reached",
    "men_reached",
)


# Progress reports and their review -------------------------------------------------------


def reporting_periods_ensure(*, user: User, biennium: Biennium) -> list[ReportingPeriod]:
    """The default periods of a biennium (each half of each year), created when missing by
    someone who reports progress (``progress.periods``)."""
    require(user, "progress.periods")
    periods = list(ReportingPeriod.objects.filter(biennium=biennium))
    if periods:
        return periods
    for year in (biennium.start_year, biennium.end_year):
        for half, (start, end) in enumerate(
            (
                (datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
                (datetime.date(year, 7, 1), datetime.date(year, 12, 31)),
            ),
            start=1,
        ):
            period = ReportingPeriod(
                biennium=biennium,
                code=f"{year}-H{half}",
                name=_("%(year)s, %(half)s half")
                % {
                    "year": year,
                    "half": _("first") if half == 1 else _("second"),
                },
                starts_on=start,
                ends_on=end,
            )
            validate(period)
            period.save()
            periods.append(period)
    return periods


@transaction.atomic
def progress_report_create(
    *,
    user: User,
    cpo: CountryProgrammeOutcome,
    period: ReportingPeriod,
    status: str,
    narrative: str,
    result_claimed: bool = False,
    evidence_text: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile[bytes] | None = None,
    women_reached: int | None = None,
    men_reached: int | None = None,
) -> ProgressReport:
    require(user, "progress.edit", cpo)
    period_write_check(cpo=cpo, period=period)
    report = ProgressReport(
        cpo=cpo,
        period=period,
        status=status,
        narrative=narrative,
        result_claimed=result_claimed,
        evidence_text=evidence_text,
        evidence_url=evidence_url,
        women_reached=women_reached,
        men_reached=men_reached,
    )
    if evidence_file is not None:
        report.evidence_file = evidence_file
    validate(report)
    report.save()
    return report


# What the permission table's scope predicates read, loaded with the locked row.
REPORT_SCOPE = ("cpo__programme__country", "period")


@transaction.atomic
def progress_report_update(
    *,
    user: User,
    report: ProgressReport,
    version: int | None,
    evidence_file: UploadedFile[bytes] | None = None,
    **fields: Any,
) -> ProgressReport:
    """Change a draft or returned report (the states are progress.edit's rows)."""
    report = locked_for(
        report, user=user, action="progress.edit", version=version, related=REPORT_SCOPE
    )
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    period_write_check(cpo=report.cpo, period=report.period)
    for name, value in fields.items():
        setattr(report, name, value)
    changed = [*fields]
    if evidence_file is not None:
        report.evidence_file = evidence_file
        changed.append("evidence_file")
    validate(report)
    save_versioned(report, update_fields=changed)
    return report


def _review(report: ProgressReport, action: str, user: User, comment: str = "") -> None:
    ProgressReview.objects.create(report=report, action=action, actor=user, comment=comment)


@transaction.atomic
def progress_report_submit(
    *, user: User, report: ProgressReport, version: int | None
) -> ProgressReport:
    report = transition(
        report,
        user=user,
        action="progress.submit",
        target=ReviewState.SUBMITTED,
        version=version,
        field="review_state",
        changes={"submitted_by": user, "submitted_at": timezone.now()},
        check=_submit_check,
        related=REPORT_SCOPE,
    )
    _review(report, ReviewAction.SUBMITTED, user)
    notifications.report_submitted(report)
    return report


def _submit_check(report: ProgressReport) -> None:
    period_write_check(cpo=report.cpo, period=report.period)
    validate(report)


@transaction.atomic
def progress_report_validate(
    *, user: User, report: ProgressReport, version: int | None
) -> ProgressReport:
    report = transition(
        report,
        user=user,
        action="progress.review",
        target=ReviewState.VALIDATED,
        version=version,
        field="review_state",
        changes={"validated_by": user, "validated_at": timezone.now(), "return_comment": ""},
        related=REPORT_SCOPE,
    )
    _review(report, ReviewAction.VALIDATED, user)
    notifications.report_validated(report)
    return report


@transaction.atomic
def progress_report_return(
    *, user: User, report: ProgressReport, version: int | None, comment: str
) -> ProgressReport:
    require(user, "progress.review", report, states=False)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what to revise: a comment is required.")})
    report = transition(
        report,
        user=user,
        action="progress.review",
        target=ReviewState.RETURNED,
        version=version,
        field="review_state",
        changes={"return_comment": comment.strip()},
        related=REPORT_SCOPE,
    )
    _review(report, ReviewAction.RETURNED, user, comment.strip())
    notifications.report_returned(report)
    return report


@dataclass(frozen=True)
class BulkFailure:
    report_id: int
    message: str


@transaction.atomic
def progress_reports_review_bulk(
    *,
    user: User,
    decisions: Sequence[tuple[ProgressReport, int | None]],
    action: str,
    comment: str = "",
) -> list[ProgressReport]:
    """Validate or return several reports at once, all or nothing.

    If any report cannot take the step, none does, and the ApplicationError lists each
    failure (``extra["failures"]``).
    """
    if action not in {"validate", "return"}:
        raise ValueError(action)
    done = []
    failures: list[BulkFailure] = []
    for report, version in decisions:
        try:
            with transaction.atomic():
                if action == "validate":
                    done.append(progress_report_validate(user=user, report=report, version=version))
                else:
                    done.append(
                        progress_report_return(
                            user=user, report=report, version=version, comment=comment
                        )
                    )
        except (ApplicationError, ValidationError, PermissionDenied) as error:
            message = getattr(error, "message", None) or "; ".join(
                getattr(error, "messages", [str(error)])
            )
            failures.append(BulkFailure(report.pk, str(message)))
    if failures:
        message = (
            _("Nothing was changed: %(count)s of the reports cannot be validated.")
            if action == "validate"
            else _("Nothing was changed: %(count)s of the reports cannot be returned.")
        )
        raise ApplicationError(
            message % {"count": len(failures)},
            extra={"failures": [f.__dict__ for f in failures]},
        )
    return done
