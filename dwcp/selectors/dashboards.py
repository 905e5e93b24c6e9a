"""What the dashboards count of the CPOs a user may read: by biennium, outcome, objective,
region and progress status; their reports of a period by review state; their money by
source; the validation backlog by age. Each a fixed number of queries over a CPO filter."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from dwcp.models import (
    CountryProgrammeOutcome,
    CpoResource,
    Phase,
    ProgressReport,
    ReportingPeriod,
    ResultStatus,
    ReviewState,
)
from dwcp.selectors.scopes import visible_cpos, visible_programmes
from rbm.permissions import AnyUser

# The scopes of a dashboard: the filter on the CPOs each puts.
SCOPE_FILTERS = {
    "office": None,
    "region": "programme__country__region_id",
    "outcome": "outcome_id",
    "country": "programme__country_id",
    "programme": "programme_id",
}
# The ages of the validation backlog: (key, upper bound in days).
AGE_BUCKETS = (("week", 7), ("month", 30), ("older", None))


def dashboard_cpos(
    user: AnyUser | None, *, scope: str, scope_id: int | None, biennium_ids: list[int]
) -> QuerySet[CountryProgrammeOutcome]:
    """The CPOs a dashboard counts: those ``user`` may read, of ``biennium_ids``, in the
    scope (``SCOPE_FILTERS``)."""
    cpos = visible_cpos(user).filter(biennium_id__in=biennium_ids)
    lookup = SCOPE_FILTERS[scope]
    if lookup is not None:
        cpos = cpos.filter(**{lookup: scope_id})
    return cpos


def _achieved() -> Exists:
    return Exists(
        ProgressReport.objects.filter(
            cpo=OuterRef("pk"),
            review_state=ReviewState.VALIDATED,
            result_claimed=True,
            period__biennium=OuterRef("biennium_id"),
        )
    )


def cpo_figures(cpos: QuerySet[CountryProgrammeOutcome]) -> list[dict[str, Any]]:
    """The CPOs grouped by biennium, objective, outcome, indicator, region and progress
    status, each group with its number of CPOs, prioritized, targeted, and with a validated
    result. One query."""
    rows = (
        cpos.annotate(achieved=_achieved())
        .values(
            "biennium_id",
            "outcome__objective_id",
            "outcome_id",
            "indicator_id",
            "programme__country__region_id",
            "result_status",
        )
        .annotate(
            cpos=Count("pk"),
            prioritized=Count("pk", filter=Q(prioritized=True)),
            targeted=Count("pk", filter=Q(targeted=True)),
            achieved_count=Count("pk", filter=Q(achieved=True)),
        )
        .order_by()
    )
    return [
        {
            "biennium": row["biennium_id"],
            "objective": row["outcome__objective_id"],
            "outcome": row["outcome_id"],
            "indicator": row["indicator_id"],
            "region": row["programme__country__region_id"],
            "result_status": row["result_status"],
            "cpos": row["cpos"],
            "prioritized": row["prioritized"],
            "targeted": row["targeted"],
            "achieved": row["achieved_count"],
        }
        for row in rows
    ]


def current_period(biennium_id: int, today: datetime.date | None = None) -> ReportingPeriod | None:
    """The biennium's period being reported now: the latest that has begun, else its first."""
    today = today or timezone.localdate()
    periods = ReportingPeriod.objects.filter(biennium_id=biennium_id)
    begun = periods.filter(starts_on__lte=today).order_by("-starts_on").first()
    return begun or periods.order_by("starts_on").first()


def review_states(
    cpos: QuerySet[CountryProgrammeOutcome], period: ReportingPeriod
) -> dict[str, int]:
    """The CPOs by the review state of their report for ``period`` (``"none"``: no report).
    Two queries."""
    states = dict(
        ProgressReport.objects.filter(cpo__in=cpos.values("pk"), period=period)
        .values_list("review_state")
        .annotate(n=Count("cpo_id", distinct=True))
        .order_by()
    )
    total = cpos.count()
    counted: dict[str, int] = {state: states.get(state, 0) for state in ReviewState.values}
    counted["none"] = total - sum(counted.values())
    return counted


def resources_by_source(
    cpos: QuerySet[CountryProgrammeOutcome],
) -> dict[int, tuple[Decimal, Decimal]]:
    """Planned and spent money of the CPOs by funding source id. One query."""
    return {
        row["funding_source_id"]: (row["planned"], row["spent"])
        for row in CpoResource.objects.filter(cpo__in=cpos.values("pk"))
        .values("funding_source_id")
        .annotate(planned=Sum("planned"), spent=Sum("spent"))
        .order_by()
    }


@dataclass
class Backlog:
    """Submitted reports waiting for validation, by age since submission."""

    total: int = 0
    by_age: list[tuple[str, int]] = field(default_factory=list)
    oldest: datetime.datetime | None = None


def validation_backlog(
    cpos: QuerySet[CountryProgrammeOutcome], now: datetime.datetime | None = None
) -> Backlog:
    """The submitted reports of the CPOs, by how long they have waited. One query."""
    now = now or timezone.now()
    week, month = now - datetime.timedelta(days=7), now - datetime.timedelta(days=30)
    row = ProgressReport.objects.filter(
        cpo__in=cpos.values("pk"), review_state=ReviewState.SUBMITTED
    ).aggregate(
        total=Count("pk"),
        week=Count("pk", filter=Q(submitted_at__gte=week)),
        month=Count("pk", filter=Q(submitted_at__lt=week, submitted_at__gte=month)),
        older=Count("pk", filter=Q(submitted_at__lt=month) | Q(submitted_at__isnull=True)),
        oldest=Min("submitted_at"),
    )
    return Backlog(
        total=row["total"],
        by_age=[(key, row[key]) for key, _days in AGE_BUCKETS],
        oldest=row["oldest"],
    )


def result_status_choices() -> list[tuple[str, str]]:
    """The progress statuses a CPO may have, as (value, label)."""
    return [(str(value), str(label)) for value, label in ResultStatus.choices]


def review_state_choices() -> list[tuple[str, str]]:
    """The review states of a progress report, as (value, label)."""
    return [(str(value), str(label)) for value, label in ReviewState.choices]


def country_figures(user: AnyUser | None, biennium_id: int) -> dict[int, dict[str, Any]]:
    """By country id, what the map can colour: the programmes the user may read (and the
    phase of the latest), and of the biennium the CPOs, those with a validated result, and
    their planned money. Three queries."""
    figures: dict[int, dict[str, Any]] = {}
    programmes = (
        visible_programmes(user)
        .order_by("country_id", "start_year", "pk")
        .values_list("country_id", "phase")
    )
    for country_id, phase in programmes:
        entry = figures.setdefault(country_id, _empty_country())
        entry["programmes"] += 1
        entry["phase"] = phase
    cpos = visible_cpos(user).filter(biennium_id=biennium_id)
    for row in (
        cpos.annotate(achieved=_achieved())
        .values("programme__country_id")
        .annotate(n=Count("pk"), results=Count("pk", filter=Q(achieved=True)))
        .order_by()
    ):
        entry = figures.setdefault(row["programme__country_id"], _empty_country())
        entry["cpos"] = row["n"]
        entry["results"] = row["results"]
    for money in (
        CpoResource.objects.filter(cpo__in=cpos.values("pk"))
        .values("cpo__programme__country_id")
        .annotate(planned=Sum("planned"))
        .order_by()
    ):
        entry = figures.setdefault(money["cpo__programme__country_id"], _empty_country())
        entry["resources"] = money["planned"] or Decimal(0)
    return figures


def _empty_country() -> dict[str, Any]:
    return {"programmes": 0, "phase": "", "cpos": 0, "results": 0, "resources": Decimal(0)}


def phase_choices() -> list[tuple[str, str]]:
    """The phases of a programme, as (value, label), in the method's order."""
    return [(str(value), str(label)) for value, label in Phase.choices]
