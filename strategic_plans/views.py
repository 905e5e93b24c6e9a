"""Pages of the results framework: plans, the plan tree, outcomes (with their history)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from rbm.audit import history_entries
from rbm.models import Biennium
from rbm.permissions import can, require
from strategic_plans import selectors
from strategic_plans.models import (
    Indicator,
    Outcome,
    OutcomeResource,
    OutcomeStrategy,
    RegionalTarget,
    StrategicObjective,
    StrategicPlan,
    Target,
)


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "framework.view")
    return render(request, "strategic_plans/plan_list.html", {"plans": selectors.plan_list()})


def _chosen_biennium(request: HttpRequest, bienniums: list[Biennium]) -> Biennium | None:
    code = request.GET.get("biennium")
    if code:
        try:
            start, _end = Biennium.parse_code(code)
        except ValidationError as error:
            raise Http404(error.messages[0]) from error
        for biennium in bienniums:
            if biennium.start_year == start:
                return biennium
        raise Http404("No such biennium in this plan.")
    with_programme = [b for b in bienniums if hasattr(b, "programme")]
    if with_programme:
        return with_programme[-1]
    return bienniums[-1] if bienniums else None


@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "framework.view")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    bienniums = selectors.plan_bienniums(plan)
    biennium = _chosen_biennium(request, bienniums)
    tree = selectors.plan_tree(plan, biennium)
    history = []
    if can(request.user, "history.view"):
        objective_ids = [node.objective.pk for node in tree.objectives]
        outcome_ids = [o.outcome.pk for node in tree.objectives for o in node.outcomes]
        history = history_entries(
            [
                (StrategicPlan, [plan.pk]),
                (StrategicObjective, objective_ids),
                (Outcome, outcome_ids),
            ],
            limit=30,
        )
    return render(
        request,
        "strategic_plans/plan_detail.html",
        {"tree": tree, "plan": plan, "bienniums": bienniums, "history": history},
    )


@require_safe
def outcome_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "framework.view")
    outcome = get_object_or_404(
        Outcome.objects.select_related("objective__plan").prefetch_related("coordinators"), pk=pk
    )
    detail = selectors.outcome_detail(outcome)
    history = []
    if can(request.user, "history.view"):
        indicator_ids = [i.pk for i in detail.indicators]
        target_ids = [t[0].pk for by_b in detail.targets.values() for t in by_b.values()]
        history = history_entries(
            [
                (Outcome, [outcome.pk]),
                (Indicator, indicator_ids),
                (Target, target_ids),
                (
                    RegionalTarget,
                    list(
                        RegionalTarget.objects.filter(target_id__in=target_ids).values_list(
                            "pk", flat=True
                        )
                    ),
                ),
                (
                    OutcomeResource,
                    list(outcome.resources.values_list("pk", flat=True)),
                ),
                (
                    OutcomeStrategy,
                    [s.pk for strategies in detail.strategies.values() for s in strategies],
                ),
            ]
        )
    return render(
        request,
        "strategic_plans/outcome_detail.html",
        {"detail": detail, "outcome": outcome, "plan": outcome.objective.plan, "history": history},
    )


@require_safe
def plan_translations(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's texts that are missing in French or Spanish."""
    require(request.user, "framework.view")
    plan = get_object_or_404(StrategicPlan, pk=pk)
    rows = selectors.missing_translations(plan)
    return render(
        request,
        "strategic_plans/plan_translations.html",
        {
            "plan": plan,
            "rows": rows,
            "languages": dict(settings.LANGUAGES),
            "can_manage": can(request.user, "framework.manage"),
        },
    )
