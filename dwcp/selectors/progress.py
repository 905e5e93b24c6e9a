"""Reads of progress reports: a CPO's reports, the validation queue, validated results."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from dwcp.models import (
    CountryProgrammeOutcome,
    ProgressReport,
    ProgressReview,
    ReviewAction,
    ReviewState,
)
from dwcp.permissions import ADMIN, REGIONAL
from dwcp.selectors.scopes import visible_reports
from rbm.models import Biennium, User
from rbm.permissions import AnyUser, role_of


def cpo_reports(cpo: CountryProgrammeOutcome, user: AnyUser | None) -> list[ProgressReport]:
    return list(
        visible_reports(user)
        .filter(cpo=cpo)
        .select_related("period", "submitted_by", "validated_by")
        .prefetch_related(
            Prefetch("reviews", queryset=ProgressReview.objects.select_related("actor"))
        )
        .order_by("period__starts_on")
    )


def validation_queue(user: User) -> QuerySet[ProgressReport]:
    """Submitted reports the user may validate: their region's (everything for administrators)."""
    reports = ProgressReport.objects.filter(review_state=ReviewState.SUBMITTED).select_related(
        "cpo__programme__country__region",
        "cpo__programme__office",
        "cpo__outcome",
        "cpo__indicator",
        "period",
        "submitted_by",
    )
    role = role_of(user)
    # Oldest first, read from the partial index progress_submitted_queue.
    if role in ADMIN:
        return reports.order_by("submitted_at", "pk")
    if role in REGIONAL and user.region_id is not None:
        return reports.filter(cpo__programme__country__region_id=user.region_id).order_by(
            "submitted_at", "pk"
        )
    return reports.none()


def validated_result_exists(biennium: Biennium | None = None) -> Exists:
    """Annotation: the CPO has a validated report that claims a result.

    With ``biennium`` (when every CPO in the query is of that biennium), PostgreSQL reads
    only that biennium's claims, from the partial index ``progress_validated_claims``.
    """
    reports = ProgressReport.objects.filter(
        cpo=OuterRef("pk"), review_state=ReviewState.VALIDATED, result_claimed=True
    )
    if biennium is not None:
        reports = reports.filter(period__biennium=biennium)
    return Exists(reports)


def last_return(report: ProgressReport) -> ProgressReview | None:
    """The step that returned a report for revision (who, when, comment), if it is returned."""
    if report.review_state != ReviewState.RETURNED:
        return None
    return (
        report.reviews.filter(action=ReviewAction.RETURNED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
