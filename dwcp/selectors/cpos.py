"""Reads of country programme outcomes: the list, a page's money totals, the form's choices,
the detail and its history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Prefetch, Q, QuerySet, Sum

from dwcp.models import (
    CountryProgrammeOutcome,
    CpoResource,
    DecentWorkCountryProgramme,
    Milestone,
    ProgressReport,
)
from dwcp.selectors.scopes import visible_cpos
from rbm.audit import HistoryEntry, history_entries
from rbm.models import Biennium
from rbm.paging import GroupedSlices, Row
from rbm.permissions import AnyUser
from strategic_plans.models import Indicator, Outcome

ZERO = Decimal("0.00")


def cpo_list(
    user: AnyUser | None, *, filters: dict[str, Any] | None = None
) -> QuerySet[CountryProgrammeOutcome]:
    """CPOs the user may read with what a list shows, in a fixed number of queries; the money
    totals of a page come from ``cpo_money_totals``."""
    filters = filters or {}
    cpos = visible_cpos(user).select_related(
        "programme__country__region",
        "programme__office",
        "priority",
        "biennium",
        "outcome",
        "indicator",
    )
    if filters.get("office"):
        cpos = cpos.filter(programme__country__offices=filters["office"])
    if filters.get("programme"):
        cpos = cpos.filter(programme=filters["programme"])
    if filters.get("region"):
        cpos = cpos.filter(programme__country__region=filters["region"])
    if filters.get("country"):
        cpos = cpos.filter(programme__country=filters["country"])
    if filters.get("biennium"):
        cpos = cpos.filter(biennium=filters["biennium"])
    if filters.get("outcome"):
        cpos = cpos.filter(outcome=filters["outcome"])
    if filters.get("result_status"):
        cpos = cpos.filter(result_status=filters["result_status"])
    for flag in ("prioritized", "targeted"):
        if filters.get(flag) in (True, False):
            cpos = cpos.filter(**{flag: filters[flag]})
    if filters.get("q"):
        cpos = cpos.filter(Q(code__icontains=filters["q"]) | Q(title__icontains=filters["q"]))
    if filters.get("biennium"):
        # Within one biennium the unique index on (biennium, code) gives the order, without a
        # join and a sort of every CPO of the biennium (200 ms at 100,000 CPOs).
        return cpos.order_by("code", "pk")
    return cpos.order_by("biennium__start_year", "code", "pk")


def cpos_by_biennium(
    cpos: QuerySet[CountryProgrammeOutcome],
    read: Callable[[QuerySet[CountryProgrammeOutcome]], list[Row]],
) -> GroupedSlices[Row]:
    """``cpos`` ordered by biennium (start year) and code, to paginate: counted in one query
    grouped by biennium, each page read by ``read`` from the unique (biennium, code) index of
    the bienniums it spans. Sorting every CPO by its biennium's year took 0.25-0.6 s a page
    at 600,000 CPOs."""
    return GroupedSlices(
        cpos.order_by(),
        group="biennium",
        groups=list(Biennium.objects.order_by("start_year").values_list("pk", flat=True)),
        within=("code", "pk"),
        read=read,
    )


def cpo_money_totals(cpos: list[CountryProgrammeOutcome]) -> None:
    """Set ``planned_total`` and ``spent_total`` on each CPO of a page (one query).

    Summed for the page only: annotating the list's queryset made PostgreSQL add up the
    resources of every listed CPO before taking a page, 4 s for 600,000 CPOs.
    """
    totals = {
        cpo_id: (planned, spent)
        for cpo_id, planned, spent in CpoResource.objects.filter(cpo__in=cpos)
        .order_by()
        .values("cpo_id")
        .annotate(planned=Sum("planned"), spent=Sum("spent"))
        .values_list("cpo_id", "planned", "spent")
    }
    for cpo in cpos:
        planned, spent = totals.get(cpo.pk, (ZERO, ZERO))
        cpo.planned_total = planned  # type: ignore[attr-defined]
        cpo.spent_total = spent  # type: ignore[attr-defined]


@dataclass
class CpoChoices:
    """What the CPO form of a programme offers."""

    priorities: list[Any]
    bienniums: list[Biennium]
    outcomes: list[Outcome]
    indicators: list[Indicator]
    # outcome id -> ids of the offered bienniums whose programme and budget holds the outcome
    outcome_bienniums: dict[int, list[int]]


def cpo_form_choices(
    programme: DecentWorkCountryProgramme, current: CountryProgrammeOutcome | None = None
) -> CpoChoices:
    """Bienniums with a programme and budget inside the programme's period, the outcomes of
    their frameworks and those outcomes' indicators (the CPO being edited keeps its own)."""
    bienniums = list(
        Biennium.objects.filter(
            programme__isnull=False,
            start_year__lte=programme.end_year,
            end_year__gte=programme.start_year,
        )
        .select_related("programme")
        .order_by("start_year")
    )
    plan_bienniums: dict[int, list[int]] = {}
    for biennium in bienniums:
        plan_bienniums.setdefault(biennium.programme.plan_id, []).append(biennium.pk)
    outcome_filter = Q(objective__plan_id__in=list(plan_bienniums))
    if current is not None:
        outcome_filter |= Q(pk=current.outcome_id)
        if current.biennium_id not in [b.pk for b in bienniums]:
            bienniums.append(current.biennium)
    outcomes = list(
        Outcome.objects.filter(outcome_filter)
        .select_related("objective__plan")
        .order_by("objective__plan__start_year", "objective__number", "position", "code")
    )
    indicators = list(
        Indicator.objects.filter(outcome__in=[o.pk for o in outcomes])
        .select_related("outcome")
        .order_by("outcome__position", "outcome__code", "position", "code")
    )
    return CpoChoices(
        priorities=list(programme.priorities.order_by("number")),
        bienniums=bienniums,
        outcomes=outcomes,
        indicators=indicators,
        outcome_bienniums={o.pk: plan_bienniums.get(o.objective.plan_id, []) for o in outcomes},
    )


def history_ids(model: type[models.Model], **lookup: Any) -> list[int]:
    """Ids of the rows that ever matched ``lookup``, deleted ones included (from history)."""
    history = model.history  # type: ignore[attr-defined]
    return list(history.filter(**lookup).values_list("id", flat=True).distinct())


def cpo_history(cpo: CountryProgrammeOutcome, reports: list[ProgressReport]) -> list[HistoryEntry]:
    return history_entries(
        [
            (CountryProgrammeOutcome, [cpo.pk]),
            (Milestone, history_ids(Milestone, cpo_id=cpo.pk)),
            (CpoResource, history_ids(CpoResource, cpo_id=cpo.pk)),
            (ProgressReport, [report.pk for report in reports]),
        ]
    )


def cpo_detail(pk: int) -> CountryProgrammeOutcome:
    """A CPO with what its page shows (milestones, resources), or DoesNotExist."""
    return (
        CountryProgrammeOutcome.objects.select_related(
            "programme__country__region",
            "programme__office",
            "priority",
            "biennium",
            "outcome__objective__plan",
            "indicator",
        )
        .prefetch_related(
            "milestones",
            Prefetch("resources", queryset=CpoResource.objects.select_related("funding_source")),
        )
        .get(pk=pk)
    )
