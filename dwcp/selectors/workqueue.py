"""What each role has to do next, for the home page's work queue: a fixed number of queries
each, whatever the data size (a count and the first few rows of each item)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from dwcp.models import (
    CountryProgrammeOutcome,
    CpoImport,
    Milestone,
    ProgressReport,
    ReportingExtension,
    ReportingPeriod,
    ReportingReminder,
    ReviewState,
)
from dwcp.selectors.progress import validation_queue
from rbm.models import User
from rbm.permissions import office_country_ids

SHOWN = 6
REPORTED = (ReviewState.SUBMITTED, ReviewState.VALIDATED)


@dataclass
class Item:
    """A count and the first rows of one thing to do."""

    count: int
    rows: list[Any] = field(default_factory=list)


def _item(queryset: QuerySet[Any]) -> Item:
    # Always two queries (the rows, the count): the same number whatever the data.
    return Item(count=queryset.count(), rows=list(queryset[:SHOWN]))


def period_now(today: datetime.date) -> ReportingPeriod | None:
    """The period offices report for now: the open one falling due first, otherwise the
    latest period that has begun."""
    open_now = (
        ReportingPeriod.objects.filter(opens_on__lte=today, locks_on__gte=today)
        .select_related("biennium")
        .order_by("due_on", "pk")
        .first()
    )
    if open_now is not None:
        return open_now
    return (
        ReportingPeriod.objects.filter(starts_on__lte=today)
        .select_related("biennium")
        .order_by("-starts_on", "-pk")
        .first()
    )


def unreported_cpos(
    period: ReportingPeriod, cpos: QuerySet[CountryProgrammeOutcome]
) -> QuerySet[CountryProgrammeOutcome]:
    """CPOs of the period's biennium without a submitted or validated report for it."""
    reported = ProgressReport.objects.filter(
        cpo=OuterRef("pk"), period=period, review_state__in=REPORTED
    )
    return (
        cpos.filter(biennium_id=period.biennium_id)
        .exclude(Exists(reported))
        .select_related("programme__country")
        .order_by("code")
    )


@dataclass
class OfficeQueue:
    period: ReportingPeriod | None
    returned: Item
    due: Item
    overdue_milestones: Item
    imports: list[CpoImport]


def office_queue(user: User, today: datetime.date) -> OfficeQueue:
    countries = office_country_ids(user)
    in_office = Q(cpo__programme__country_id__in=countries)
    returned = (
        ProgressReport.objects.filter(in_office, review_state=ReviewState.RETURNED)
        .select_related("cpo", "period")
        .order_by("updated_at", "pk")
    )
    period = period_now(today)
    due = (
        _item(
            unreported_cpos(
                period, CountryProgrammeOutcome.objects.filter(programme__country_id__in=countries)
            )
        )
        if period is not None
        else Item(0)
    )
    milestones = (
        Milestone.objects.filter(in_office, reached=False, due_on__lt=today)
        .select_related("cpo")
        .order_by("due_on", "pk")
    )
    imports = list(
        CpoImport.objects.filter(uploaded_by=user).defer("content").order_by("-created_at")[:3]
    )
    return OfficeQueue(
        period=period,
        returned=_item(returned),
        due=due,
        overdue_milestones=_item(milestones),
        imports=imports,
    )


@dataclass
class RegionQueue:
    waiting: Item
    extensions: Item


def region_queue(user: User, today: datetime.date) -> RegionQueue:
    """Reports waiting for the region's validation, oldest first (with the days they have
    waited), and extensions the region's offices asked for."""
    waiting = _item(validation_queue(user))
    for report in waiting.rows:
        submitted = report.submitted_at.date() if report.submitted_at else today
        report.waiting_days = (today - submitted).days
    extensions = ReportingExtension.objects.filter(
        state=ReportingExtension.State.REQUESTED
    ).select_related("office", "period")
    if user.region_id is not None:
        extensions = extensions.filter(office__region_id=user.region_id)
    elif not user.is_administrator:
        extensions = extensions.none()
    return RegionQueue(waiting=waiting, extensions=_item(extensions.order_by("created_at")))


def coordinator_unreported(user: User, today: datetime.date) -> tuple[ReportingPeriod | None, Item]:
    """The CPOs of the outcomes the user coordinates without a report this period."""
    period = period_now(today)
    if period is None:
        return None, Item(0)
    cpos = CountryProgrammeOutcome.objects.filter(outcome__coordinators=user)
    return period, _item(unreported_cpos(period, cpos))


@dataclass
class OfficeCoverage:
    office_id: int
    office: str
    total: int
    reported: int
    last_reminder: datetime.datetime | None

    @property
    def share(self) -> int:
        """Per cent of the office's CPOs reported (submitted or validated)."""
        return round(100 * self.reported / self.total) if self.total else 100


@dataclass
class RegionCoverage:
    region: str
    total: int
    reported: int
    offices: list[OfficeCoverage]

    @property
    def share(self) -> int:
        return round(100 * self.reported / self.total) if self.total else 100


def reporting_coverage(period: ReportingPeriod) -> list[RegionCoverage]:
    """Per region and office (the programmes' responsible office), the period's biennium's
    CPOs and how many of them are reported for the period: two queries, grouped in the
    database."""
    reported = ProgressReport.objects.filter(
        cpo=OuterRef("pk"), period=period, review_state__in=REPORTED
    )
    rows = (
        CountryProgrammeOutcome.objects.filter(
            biennium_id=period.biennium_id, programme__office__isnull=False
        )
        .annotate(is_reported=Exists(reported))
        .values(
            "programme__office_id",
            "programme__office__name",
            "programme__office__region__name",
            "programme__office__region__position",
        )
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(is_reported=True)))
        .order_by("programme__office__region__position", "programme__office__name")
    )
    last = dict(
        ReportingReminder.objects.filter(period=period)
        .values("office_id")
        .annotate(last=Max("sent_at"))
        .values_list("office_id", "last")
    )
    regions: dict[str, RegionCoverage] = {}
    for row in rows:
        name = row["programme__office__region__name"] or "—"
        region = regions.setdefault(name, RegionCoverage(name, 0, 0, []))
        region.total += row["total"]
        region.reported += row["done"]
        region.offices.append(
            OfficeCoverage(
                office_id=row["programme__office_id"],
                office=row["programme__office__name"],
                total=row["total"],
                reported=row["done"],
                last_reminder=last.get(row["programme__office_id"]),
            )
        )
    return list(regions.values())
