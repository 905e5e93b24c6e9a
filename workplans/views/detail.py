"""A workplan's page and its writes: steps, comments, strategy and resources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cooperation import selectors as cooperation
from evaluations import selectors as lessons
from rbm import selectors as rbm_selectors
from rbm.errors import ApplicationError, ConflictError
from rbm.models import Region
from rbm.pages import add_service_errors, refuse
from rbm.permissions import can, state_allows
from strategic_plans import selectors as framework
from workplans import selectors, services
from workplans.forms import CommentForm, ResourcesForm, StepForm, StrategyForm
from workplans.models import EventKind, OutcomeWorkplan
from workplans.views.common import _messages_of, _workplan_or_404, _write
from workplans.views.figures import chart, flag_title, table_view


@dataclass
class PageForms:
    """The forms of a workplan page; a refused write puts its bound form here."""

    resources: ResourcesForm | None = None
    strategy: dict[int, StrategyForm] = field(default_factory=dict)
    comment: CommentForm | None = None
    step: StepForm | None = None
    step_action: str = ""


@require_safe
def workplan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not can(request.user, "workplan.view"):
        return refuse(request)
    return _detail_page(request, _workplan_or_404(pk))


def _detail_page(
    request: HttpRequest,
    workplan: OutcomeWorkplan,
    *,
    status: int = 200,
    error: str = "",
    forms: PageForms | None = None,
) -> HttpResponse:
    user = request.user
    forms = forms or PageForms()
    detail = selectors.workplan_detail(workplan)
    may_edit = can(user, "workplan.edit", workplan)
    table = detail.table
    outcome = workplan.outcome
    cells = [(region, table.cell(outcome, region)) for region in table.regions]
    view = table_view(table)
    row = view.rows[0] if view.rows else None
    sources = detail.funding_sources
    if may_edit and forms.resources is None:
        forms.resources = ResourcesForm(
            initial={
                **ResourcesForm.initial_for(detail.resources, sources, detail.regions),
                "version": workplan.version,
            },
            sources=sources,
            regions=detail.regions,
        )
    columns: list[Region | None] = [*detail.regions, None]
    resource_rows = [
        (
            source,
            [detail.resources.get((source.pk, r.pk if r else None)) for r in columns],
            detail.resources_by_source.get(source.pk),
        )
        for source in sources
        if source.pk in detail.resources_by_source
    ]
    strategy = [
        {
            "element": element,
            "strategy": detail.strategies.get(element.pk),
            "form": forms.strategy.get(element.pk)
            or (
                StrategyForm(
                    initial={
                        "text": getattr(detail.strategies.get(element.pk), "text", ""),
                        "previous": getattr(detail.strategies.get(element.pk), "text", ""),
                    },
                    prefix=f"element-{element.pk}",
                )
                if may_edit
                else None
            ),
        }
        for element in detail.elements
    ]
    returned = [e for e in detail.events if e.kind == EventKind.RETURNED]
    context = {
        "workplan": workplan,
        "outcome": outcome,
        "detail": detail,
        "row": row,
        "chart": chart(table, outcome),
        "flag_title": flag_title(),
        # Extra-budgetary resources by region, computed from the projects serving the
        # outcome's CPOs (cooperation), not typed.
        "project_resources": cooperation.outcome_resources_by_region(
            outcome.pk, workplan.biennium_id
        ),
        "flagged_regions": [region for region, cell in cells if cell.flagged],
        "unlisted": selectors.unlisted_cpo_count(user, workplan.biennium, outcome=outcome),
        "table_url": f"{reverse('workplans:table')}?biennium={workplan.biennium.code}",
        "resource_columns": columns,
        "resource_rows": resource_rows,
        "resource_totals": [detail.resources_by_region.get(r.pk if r else None) for r in columns],
        "strategy": strategy,
        "written": sum(1 for item in strategy if item["strategy"]),
        # The outcome's validated lessons under "Experience and lessons learned", those the
        # strategy acts on first; its coordinators link them (evaluations app).
        "outcome_lessons": lessons.outcome_lessons(outcome.pk, workplan.biennium_id),
        "may_link_lessons": can(user, "lesson.link", outcome),
        "editable": state_allows("workplan.edit", workplan),
        "may_edit": may_edit,
        "may_submit": can(user, "workplan.submit", workplan),
        "may_review": can(user, "workplan.review", workplan),
        "may_comment": can(user, "workplan.comment", workplan),
        "may_midterm": can(user, "midterm.edit", workplan),
        "last_return": returned[-1] if returned else None,
        "forms": forms,
        "comment_form": forms.comment or CommentForm(),
        "step_form": forms.step or StepForm(),
        "history": selectors.workplan_history(workplan) if can(user, "history.view") else [],
        "error": error,
        "conflict": status == 409,
    }
    return render(request, "workplans/workplan_detail.html", context, status=status)


def _refused(
    request: HttpRequest,
    workplan: OutcomeWorkplan,
    error: Exception,
    forms: PageForms,
    form: Any = None,
) -> HttpResponse:
    """Show the workplan again with what the service said (and what the user wrote)."""
    fresh = _workplan_or_404(workplan.pk)
    if isinstance(error, ValidationError):
        if form is not None:
            add_service_errors(form, error)
        return _detail_page(request, fresh, status=400, error=_messages_of(error), forms=forms)
    assert isinstance(error, ApplicationError)
    return _detail_page(request, fresh, status=error.status_code, error=error.message, forms=forms)


def _step(request: HttpRequest, pk: int, action: str, step: str) -> HttpResponse:
    allowed = _write(request, pk, action)
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = StepForm(request.POST)
    forms = PageForms(step=form, step_action=step)
    if not form.is_valid():
        return _detail_page(
            request,
            workplan,
            status=400,
            error=_("The form was not complete: reload the page and try again."),
            forms=forms,
        )
    version = form.cleaned_data["version"]
    try:
        if step == "submit":
            services.workplan_submit(user=user, workplan=workplan, version=version)
            text = _("The workplan was submitted to the programme officers.")
        elif step == "approve":
            services.workplan_approve(user=user, workplan=workplan, version=version)
            text = _("The workplan was approved.")
        else:
            services.workplan_return(
                user=user,
                workplan=workplan,
                version=version,
                comment=form.cleaned_data["comment"],
            )
            text = _("The workplan was returned to its coordinator with your comment.")
    except (ValidationError, ApplicationError) as error:
        return _refused(request, workplan, error, forms, form)
    messages.success(request, text)
    return redirect("workplans:detail", workplan.pk)


@require_POST
def workplan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "workplan.edit", "submit")


@require_POST
def workplan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "workplan.review", "approve")


@require_POST
def workplan_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "workplan.review", "return")


@require_POST
def workplan_comment(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = _write(request, pk, "workplan.comment")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = CommentForm(request.POST)
    forms = PageForms(comment=form)
    if not form.is_valid():
        return _detail_page(request, workplan, status=400, forms=forms)
    try:
        services.workplan_comment(user=user, workplan=workplan, text=form.cleaned_data["text"])
    except (ValidationError, ApplicationError) as error:
        return _refused(request, workplan, error, forms, form)
    messages.success(request, _("Your comment was added to the review thread."))
    return redirect(f"{reverse('workplans:detail', args=[workplan.pk])}#thread")


@require_POST
def workplan_strategy(request: HttpRequest, pk: int, element: int) -> HttpResponse:
    allowed = _write(request, pk, "workplan.edit")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    chosen = framework.strategy_element(pk=element)
    if chosen is None:
        raise Http404
    form = StrategyForm(request.POST, prefix=f"element-{chosen.pk}")
    forms = PageForms(strategy={chosen.pk: form})
    if not form.is_valid():
        return _detail_page(request, workplan, status=400, forms=forms)
    try:
        services.workplan_strategy_set(
            user=user,
            workplan=workplan,
            element=chosen,
            text=form.cleaned_data["text"],
            previous=form.cleaned_data["previous"],
        )
    except ConflictError as error:
        # Show their text, keep ours in the box, and make the next save compare with theirs.
        fresh = StrategyForm(
            initial={"text": form.cleaned_data["text"], "previous": error.extra["current_text"]},
            prefix=f"element-{chosen.pk}",
        )
        return _refused(request, workplan, error, PageForms(strategy={chosen.pk: fresh}))
    except (ValidationError, ApplicationError) as error:
        return _refused(request, workplan, error, forms, form)
    messages.success(
        request, _("The strategy element “%(element)s” was saved.") % {"element": chosen.label}
    )
    return redirect(f"{reverse('workplans:detail', args=[workplan.pk])}#element-{chosen.pk}")


@require_POST
def workplan_resources(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = _write(request, pk, "workplan.edit")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = ResourcesForm(
        request.POST,
        sources=rbm_selectors.funding_sources(),
        regions=rbm_selectors.regions(),
    )
    forms = PageForms(resources=form)
    if not form.is_valid():
        return _detail_page(
            request,
            workplan,
            status=400,
            error=_("Some amounts need attention: see the messages in the table."),
            forms=forms,
        )
    try:
        services.workplan_resources_set(
            user=user,
            workplan=workplan,
            version=form.cleaned_data["version"],
            lines=form.lines(),
        )
    except (ValidationError, ApplicationError) as error:
        return _refused(request, workplan, error, forms, form)
    messages.success(request, _("The resources were saved."))
    return redirect(f"{reverse('workplans:detail', args=[workplan.pk])}#resources")
