"""Reads of progress reports: a CPO's reports, the validation queue, validated results."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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


@dataclass(frozen=True)
class QueueFilters:
    country: int | None = None
    office: int | None = None
    period: int | None = None
    outcome: int | None = None
    claimed: bool | None = None
    waiting_days: int | None = None
    order: tuple[str, ...] = ("submitted_at", "pk")


def validation_queue_filtered(
    user: User, filters: QueueFilters, now: datetime.datetime
) -> QuerySet[ProgressReport]:
    """The user's validation queue with its filters and order (each in the database)."""
    reports = validation_queue(user)
    if filters.country is not None:
        reports = reports.filter(cpo__programme__country_id=filters.country)
    if filters.office is not None:
        reports = reports.filter(cpo__programme__office_id=filters.office)
    if filters.period is not None:
        reports = reports.filter(period_id=filters.period)
    if filters.outcome is not None:
        reports = reports.filter(cpo__outcome_id=filters.outcome)
    if filters.claimed is not None:
        reports = reports.filter(result_claimed=filters.claimed)
    if filters.waiting_days:
        reports = reports.filter(
            submitted_at__lte=now - datetime.timedelta(days=filters.waiting_days)
        )
    return reports.order_by(*filters.order)


def queue_filter_choices(user: User) -> dict[str, list[tuple[int, str]]]:
    """The values the queue's filters offer: those of the reports waiting for the user (four
    queries, whatever the size of the queue)."""
    queue = validation_queue(user).order_by()
    countries = (
        queue.values_list("cpo__programme__country_id", "cpo__programme__country__name")
        .distinct()
        .order_by("cpo__programme__country__name")
    )
    offices = (
        queue.values_list("cpo__programme__office_id", "cpo__programme__office__name")
        .distinct()
        .order_by("cpo__programme__office__name")
    )
    periods = (
        queue.values_list("period_id", "period__name", "period__starts_on")
        .distinct()
        .order_by("period__starts_on")
    )
    outcomes = (
        queue.values_list("cpo__outcome_id", "cpo__outcome__code", "cpo__outcome__title")
        .distinct()
        .order_by("cpo__outcome__code")
    )
    return {
        "country": [(pk, name) for pk, name in countries],
        "office": [(pk, name) for pk, name in offices if pk is not None],
        "period": [(pk, name) for pk, name, _start in periods],
        "outcome": [(pk, f"{code} {title}"[:80]) for pk, code, title in outcomes],
    }
