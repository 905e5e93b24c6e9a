"""The mid-term review page of an approved workplan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from rbm import selectors as rbm_selectors
from rbm.errors import ApplicationError
from rbm.pages import add_service_errors, refuse
from rbm.permissions import can, state_allows
from workplans import selectors, services
from workplans.forms import (
    CorrectiveActionForm,
    MidtermReviewForm,
    ReallocationForm,
)
from workplans.models import MidTermReview, OutcomeWorkplan
from workplans.views.common import _messages_of, _workplan_or_404, _write


@dataclass
class MidtermForms:
    review: MidtermReviewForm | None = None
    action: CorrectiveActionForm | None = None
    reallocation: ReallocationForm | None = None


@require_safe
def midterm(request: HttpRequest, pk: int) -> HttpResponse:
    if not can(request.user, "workplan.view"):
        return refuse(request)
    return _midterm_page(request, _workplan_or_404(pk))


def _midterm_page(
    request: HttpRequest,
    workplan: OutcomeWorkplan,
    *,
    status: int = 200,
    error: str = "",
    forms: MidtermForms | None = None,
) -> HttpResponse:
    user = request.user
    forms = forms or MidtermForms()
    detail = selectors.midterm_detail(workplan)
    review = detail.review
    approved = state_allows("midterm.edit", workplan)
    may_edit = can(user, "midterm.edit", workplan)
    if may_edit:
        if forms.review is None:
            forms.review = MidtermReviewForm(
                initial={
                    "review_date": review.review_date,
                    "summary": review.summary,
                    "lessons_learned": review.lessons_learned,
                    "version": review.version,
                }
                if review
                else {}
            )
        if review is not None:
            forms.action = forms.action or CorrectiveActionForm(regions=detail.regions)
            forms.reallocation = forms.reallocation or ReallocationForm(
                sources=detail.funding_sources, regions=detail.regions
            )
    return render(
        request,
        "workplans/midterm.html",
        {
            "workplan": workplan,
            "outcome": workplan.outcome,
            "detail": detail,
            "review": review,
            "approved": approved,
            "may_edit": may_edit,
            "forms": forms,
            "error": error,
            "conflict": status == 409,
            "conserved": detail.total_after - detail.total_before == detail.added,
        },
        status=status,
    )


def _midterm_refused(
    request: HttpRequest,
    workplan: OutcomeWorkplan,
    error: Exception,
    forms: MidtermForms,
    form: Any,
) -> HttpResponse:
    if isinstance(error, ValidationError):
        add_service_errors(form, error)
        return _midterm_page(request, workplan, status=400, error=_messages_of(error), forms=forms)
    assert isinstance(error, ApplicationError)
    return _midterm_page(
        request, workplan, status=error.status_code, error=error.message, forms=forms
    )


def _review_or_refuse(
    request: HttpRequest, workplan: OutcomeWorkplan, forms: MidtermForms
) -> MidTermReview | HttpResponse:
    review = MidTermReview.objects.filter(workplan=workplan).first()
    if review is None:
        return _midterm_page(
            request,
            workplan,
            status=400,
            error=_("Save the review (its date at least) before recording its decisions."),
            forms=forms,
        )
    review.workplan = workplan
    return review


@require_POST
def midterm_save(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = _write(request, pk, "midterm.edit")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = MidtermReviewForm(request.POST)
    forms = MidtermForms(review=form)
    if not form.is_valid():
        return _midterm_page(request, workplan, status=400, forms=forms)
    data = form.cleaned_data
    try:
        services.midterm_review_save(
            user=user,
            workplan=workplan,
            review_date=data["review_date"],
            summary=data["summary"],
            lessons_learned=data["lessons_learned"],
            version=data["version"],
        )
    except (ValidationError, ApplicationError) as error:
        return _midterm_refused(request, workplan, error, forms, form)
    messages.success(request, _("The mid-term review was saved."))
    return redirect("workplans:midterm", workplan.pk)


@require_POST
def midterm_action(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = _write(request, pk, "midterm.edit")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = CorrectiveActionForm(request.POST, regions=rbm_selectors.regions())
    forms = MidtermForms(action=form)
    review = _review_or_refuse(request, workplan, forms)
    if isinstance(review, HttpResponse):
        return review
    if not form.is_valid():
        return _midterm_page(request, workplan, status=400, forms=forms)
    try:
        services.corrective_action_add(
            user=user,
            review=review,
            text=form.cleaned_data["text"],
            region=form.cleaned_data["region"],
        )
    except (ValidationError, ApplicationError) as error:
        return _midterm_refused(request, workplan, error, forms, form)
    messages.success(request, _("The corrective action was added."))
    return redirect(f"{reverse('workplans:midterm', args=[workplan.pk])}#actions")


@require_POST
def midterm_reallocation(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = _write(request, pk, "midterm.edit")
    if isinstance(allowed, HttpResponse):
        return allowed
    workplan, user = allowed
    form = ReallocationForm(
        request.POST, sources=rbm_selectors.funding_sources(), regions=rbm_selectors.regions()
    )
    forms = MidtermForms(reallocation=form)
    review = _review_or_refuse(request, workplan, forms)
    if isinstance(review, HttpResponse):
        return review
    if not form.is_valid():
        return _midterm_page(request, workplan, status=400, forms=forms)
    data = form.cleaned_data
    try:
        services.reallocation_record(
            user=user,
            review=review,
            kind=data["kind"],
            from_source=data["from_source"],
            from_region=data["from_region"],
            to_source=data["to_source"],
            to_region=data["to_region"],
            amount=data["amount"],
            reason=data["reason"],
        )
    except (ValidationError, ApplicationError) as error:
        return _midterm_refused(request, workplan, error, forms, form)
    messages.success(request, _("The reallocation was recorded."))
    return redirect(f"{reverse('workplans:midterm', args=[workplan.pk])}#reallocations")
