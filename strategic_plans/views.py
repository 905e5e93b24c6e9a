"""Pages of the results framework: plans, the plan tree, outcomes (with their history)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rbm.audit import history_entries
from rbm.errors import ApplicationError
from rbm.models import Biennium, Region
from rbm.pages import FORM_METHODS, add_service_errors, refuse, signed_in_user
from rbm.permissions import can, require
from strategic_plans import lifecycle, selectors, services, spreadsheets
from strategic_plans.forms import FrameworkImportForm, TargetForm, TextsForm
from strategic_plans.models import (
    Indicator,
    Outcome,
    OutcomeResource,
    OutcomeStrategy,
    ProgrammeAndBudget,
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
    programmes = [b.programme for b in detail.bienniums if hasattr(b, "programme")]
    return render(
        request,
        "strategic_plans/outcome_detail.html",
        {
            "detail": detail,
            "outcome": outcome,
            "plan": outcome.objective.plan,
            "history": history,
            "can_manage": can(request.user, "framework.manage"),
            "programmes": programmes,
            # The texts are edited for the latest biennium's programme (a draft, or a
            # revision of the adopted one).
            "editing": programmes[-1] if programmes else None,
        },
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


# The framework maintained in the product: a biennium's programme, texts, targets ---------


def parse_version(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _programme(code: str) -> ProgrammeAndBudget:
    try:
        start, _end = Biennium.parse_code(code)
    except ValidationError as error:
        raise Http404(error.messages[0]) from error
    return get_object_or_404(
        ProgrammeAndBudget.objects.select_related("plan", "biennium", "adopted_by"),
        biennium__start_year=start,
    )


@require_safe
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A biennium's programme and budget: its state, its steps, its revisions."""
    require(request.user, "framework.view")
    programme = _programme(code)
    return render(
        request, "strategic_plans/programme_detail.html", _programme_context(request, programme)
    )


def _programme_context(request: HttpRequest, programme: ProgrammeAndBudget) -> dict[str, Any]:
    return {
        "programme": programme,
        "plan": programme.plan,
        "revisions": list(programme.revisions.select_related("user")[:100]),
        "can_manage": can(request.user, "framework.manage"),
        "can_propose": can(request.user, "programme.propose", programme),
        "can_adopt": can(request.user, "programme.adopt", programme),
        # The next biennium opens under the same plan only inside the plan's period.
        "next_in_plan": programme.plan.end_year >= programme.biennium.end_year + 2,
        "next_open": ProgrammeAndBudget.objects.filter(
            biennium__start_year=programme.biennium.start_year + 2
        ).first(),
    }


@require_POST
def programme_step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """``open-next``, ``propose`` or ``adopt`` a programme and budget."""
    programme = _programme(code)
    user = signed_in_user(request) if request.user.is_authenticated else None
    if user is None:
        return refuse(request)
    version = parse_version(request.POST.get("version"))
    try:
        if step == "open-next":
            done = lifecycle.programme_open_next(user=user, programme=programme)
            return redirect("programme-detail", code=done.biennium.code)
        if step == "propose":
            lifecycle.programme_propose(user=user, programme=programme, version=version)
        elif step == "adopt":
            lifecycle.programme_adopt(user=user, programme=programme, version=version)
        else:
            raise Http404("No such step.")
    except (ValidationError, ApplicationError) as error:
        context = _programme_context(request, programme)
        context["error"] = " ".join(getattr(error, "messages", [str(error)]))
        status = getattr(error, "status_code", 400)
        return render(request, "strategic_plans/programme_detail.html", context, status=status)
    return redirect("programme-detail", code=programme.biennium.code)


TEXT_MODELS: dict[str, type[models.Model]] = {
    "objective": StrategicObjective,
    "outcome": Outcome,
    "indicator": Indicator,
}


def _editing_programme(request: HttpRequest) -> ProgrammeAndBudget | None:
    code = request.GET.get("biennium") or request.POST.get("biennium")
    return _programme(code) if code else None


@require_http_methods(FORM_METHODS)
def texts_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A framework record's texts in English, French and Spanish."""
    model = TEXT_MODELS.get(kind)
    if model is None:
        raise Http404("No such record.")
    record = get_object_or_404(model, pk=pk)
    if not can(request.user, "framework.manage"):
        return refuse(request)
    user = signed_in_user(request)
    programme = _editing_programme(request)
    form = TextsForm(request.POST or None, record=record)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.framework_texts_update(
                    user=user,
                    record=record,
                    texts=form.text_values(),
                    programme=programme,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(_back_to(record))
        status = 400
    return render(
        request,
        "strategic_plans/texts_form.html",
        {"form": form, "record": record, "programme": programme, "back": _back_to(record)},
        status=status,
    )


def _back_to(record: models.Model) -> str:
    if isinstance(record, Outcome):
        return reverse("outcome-detail", args=[record.pk])
    if isinstance(record, Indicator):
        return reverse("outcome-detail", args=[record.outcome_id])
    assert isinstance(record, StrategicObjective)
    return reverse("plan-detail", args=[record.plan_id])


@require_http_methods(FORM_METHODS)
def target_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """An indicator's target for a biennium, in total and by region."""
    indicator = get_object_or_404(Indicator.objects.select_related("outcome"), pk=pk)
    programme = _programme(code)
    if not can(request.user, "framework.manage"):
        return refuse(request)
    user = signed_in_user(request)
    regions = list(Region.objects.all())
    target = (
        Target.objects.filter(indicator=indicator, biennium=programme.biennium)
        .prefetch_related("by_region")
        .first()
    )
    initial: dict[str, Any] = {}
    if target is not None:
        initial = {"total": target.total, "note": target.note}
        codes = {r.pk: r.code for r in regions}
        initial.update({f"region_{codes[r.region_id]}": r.value for r in target.by_region.all()})
    form = TargetForm(request.POST or None, regions=regions, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.target_set(
                    user=user,
                    indicator=indicator,
                    biennium=programme.biennium,
                    total=form.cleaned_data["total"],
                    by_region=form.by_region(),
                    note=form.cleaned_data["note"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(reverse("outcome-detail", args=[indicator.outcome_id]))
        status = 400
    return render(
        request,
        "strategic_plans/target_form.html",
        {"form": form, "indicator": indicator, "programme": programme},
        status=status,
    )


@require_safe
def framework_export(request: HttpRequest, code: str) -> HttpResponse:
    """The biennium's framework as a workbook (the framework is public)."""
    require(request.user, "framework.view")
    programme = _programme(code)
    response = HttpResponse(
        spreadsheets.framework_workbook(programme),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="framework-{programme.biennium.code}.xlsx"'
    )
    return response


@require_http_methods(FORM_METHODS)
def framework_import(request: HttpRequest, code: str) -> HttpResponse:
    """Import a workbook into the biennium's framework: every row or none."""
    programme = _programme(code)
    if not can(request.user, "framework.manage"):
        return refuse(request)
    user = signed_in_user(request)
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > spreadsheets.MAX_BYTES:
                form.add_error("file", _("The file is larger than 5 MB."))
            else:
                try:
                    counts = spreadsheets.framework_import(
                        user=user,
                        programme=programme,
                        content=upload.read(spreadsheets.MAX_BYTES + 1),
                        reason=form.cleaned_data["reason"],
                    )
                except spreadsheets.FrameworkImportRefused as refused:
                    form.add_error(None, refused.message)
                    problems = [str(e) for e in refused.errors]
                except (ApplicationError, ValidationError) as error:
                    form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
                else:
                    messages.success(
                        request,
                        _(
                            "Imported: %(outcomes)s outcomes, %(indicators)s indicators, "
                            "%(targets)s targets, %(budgets)s budget rows."
                        )
                        % {
                            "outcomes": counts[spreadsheets.OUTCOMES],
                            "indicators": counts[spreadsheets.INDICATORS],
                            "targets": counts[spreadsheets.TARGETS],
                            "budgets": counts[spreadsheets.BUDGETS],
                        },
                    )
                    return redirect("programme-detail", code=programme.biennium.code)
    return render(
        request,
        "strategic_plans/framework_import.html",
        {"form": form, "programme": programme, "problems": problems},
        status=status,
    )
