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

from dwcp.models import (
    CountryProgrammeOutcome,
    ProgressReport,
    ProgressReview,
    ReportingPeriod,
    ReviewAction,
    ReviewState,
)
from rbm.errors import ApplicationError
from rbm.models import Biennium, User
from rbm.permissions import require
from rbm.services import check_version, save_versioned, validate

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


def reporting_periods_ensure(biennium: Biennium) -> list[ReportingPeriod]:
    """The default periods of a biennium (each half of each year), created when missing."""
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


EDITABLE_STATES = {ReviewState.DRAFT, ReviewState.RETURNED}


@transaction.atomic
def progress_report_update(
    *,
    user: User,
    report: ProgressReport,
    version: int | None,
    evidence_file: UploadedFile[bytes] | None = None,
    **fields: Any,
) -> ProgressReport:
    require(user, "progress.edit", report)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    check_version(report, version)
    if report.review_state not in EDITABLE_STATES:
        raise ApplicationError(
            _("A %(state)s report cannot be edited.")
            % {"state": report.get_review_state_display().lower()}
        )
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
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
    require(user, "progress.edit", report)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    check_version(report, version)
    if report.review_state not in EDITABLE_STATES:
        raise ApplicationError(
            _("Only a draft or returned report can be submitted; this one is %(state)s.")
            % {"state": report.get_review_state_display().lower()}
        )
    validate(report)
    report.review_state = ReviewState.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    save_versioned(report, update_fields=["review_state", "submitted_by", "submitted_at"])
    _review(report, ReviewAction.SUBMITTED, user)
    return report


@transaction.atomic
def progress_report_validate(
    *, user: User, report: ProgressReport, version: int | None
) -> ProgressReport:
    require(user, "progress.review", report)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    check_version(report, version)
    if report.review_state != ReviewState.SUBMITTED:
        raise ApplicationError(
            _("Only a submitted report can be validated; this one is %(state)s.")
            % {"state": report.get_review_state_display().lower()}
        )
    report.review_state = ReviewState.VALIDATED
    report.validated_by = user
    report.validated_at = timezone.now()
    report.return_comment = ""
    save_versioned(
        report, update_fields=["review_state", "validated_by", "validated_at", "return_comment"]
    )
    _review(report, ReviewAction.VALIDATED, user)
    return report


@transaction.atomic
def progress_report_return(
    *, user: User, report: ProgressReport, version: int | None, comment: str
) -> ProgressReport:
    require(user, "progress.review", report)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what to revise: a comment is required.")})
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    check_version(report, version)
    if report.review_state != ReviewState.SUBMITTED:
        raise ApplicationError(
            _("Only a submitted report can be returned; this one is %(state)s.")
            % {"state": report.get_review_state_display().lower()}
        )
    report.review_state = ReviewState.RETURNED
    report.return_comment = comment.strip()
    save_versioned(report, update_fields=["review_state", "return_comment"])
    _review(report, ReviewAction.RETURNED, user, comment.strip())
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
