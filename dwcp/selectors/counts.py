"""What other apps count from the CPOs (the workplans' demand-and-target table and progress
by region), each one query whatever the number of CPOs."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Q

from dwcp.models import CountryProgrammeOutcome
from dwcp.selectors.progress import validated_result_exists
from dwcp.selectors.scopes import programme_scope
from rbm.models import Biennium, Region
from rbm.permissions import AnyUser

if TYPE_CHECKING:
    from strategic_plans.models import Outcome


def cpo_stamp(biennium: Biennium) -> tuple[int, datetime.datetime | None]:
    """How many CPOs the biennium has and when one last changed: what a count of them may be
    cached under. Every write of a CPO (services, import, API) moves ``updated_at``; a
    deletion lowers the number. Read from the index on (biennium, updated_at) without
    touching the rows (ADR 0009)."""
    stamp = CountryProgrammeOutcome.objects.filter(biennium=biennium).aggregate(
        rows=Count("*"), changed=Max("updated_at")
    )
    return stamp["rows"], stamp["changed"]


def demand_target_counts(biennium: Biennium) -> list[tuple[int, int, int, int]]:
    """(outcome id, region id, demand, target) for every outcome and region that has CPOs in
    the biennium: demand is the prioritized CPOs, target the targeted ones."""
    rows = (
        CountryProgrammeOutcome.objects.filter(biennium=biennium)
        .values_list("outcome_id", "programme__country__region_id")
        .annotate(
            demand=Count("pk", filter=Q(prioritized=True)),
            target=Count("pk", filter=Q(targeted=True)),
        )
        .order_by()
    )
    return [(outcome, region, demand, target) for outcome, region, demand, target in rows]


def targets_reached(biennium: Biennium, outcome: Outcome) -> dict[int, tuple[int, int, int]]:
    """By region id: (demand, targets, targets reached) of the outcome's CPOs, where a target
    is reached when its CPO has a validated report claiming a result."""
    rows = (
        CountryProgrammeOutcome.objects.filter(biennium=biennium, outcome=outcome)
        .annotate(reached=validated_result_exists(biennium))
        .values("programme__country__region_id")
        .annotate(
            demand=Count("pk", filter=Q(prioritized=True)),
            targets=Count("pk", filter=Q(targeted=True)),
            reached_count=Count("pk", filter=Q(targeted=True, reached=True)),
        )
        .order_by()
    )
    return {
        row["programme__country__region_id"]: (row["demand"], row["targets"], row["reached_count"])
        for row in rows
    }


def counted_cpos_not_readable(
    user: AnyUser | None,
    biennium: Biennium,
    *,
    outcome: Outcome | None = None,
    region: Region | None = None,
) -> int:
    """How many prioritized or targeted CPOs of the biennium the user may not read (their
    programme not published, outside the user's office or region)."""
    scope = programme_scope(user, "programme__")
    if not scope:  # the user reads every programme
        return 0
    counted = CountryProgrammeOutcome.objects.filter(biennium=biennium).filter(
        Q(prioritized=True) | Q(targeted=True)
    )
    if outcome is not None:
        counted = counted.filter(outcome=outcome)
    if region is not None:
        counted = counted.filter(programme__country__region=region)
    # The negated scope of the CPOs' programmes, not NOT IN (the visible CPOs): with 100,000
    # CPOs in a biennium that subquery is too large to hash and the count took minutes.
    return counted.exclude(scope).count()
