"""The review queue of submitted workplans."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rbm.errors import ApplicationError
from rbm.ids import parse_id
from rbm.pages import FORM_METHODS, refuse, signed_in_user
from rbm.permissions import can
from workplans import selectors, services
from workplans.forms import StepForm
from workplans.views.common import _messages_of, _tabs, _workplan_or_404


@require_http_methods(FORM_METHODS)
def review_queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.review"):
        return refuse(request)
    user = signed_in_user(request)
    if request.method != "POST":
        return _queue_page(request)
    form = StepForm(request.POST)
    action = request.POST.get("action", "")
    pk = parse_id(request.POST.get("workplan"))
    if pk is None:
        raise Http404
    workplan = _workplan_or_404(pk)
    if action not in ("approve", "return") or not form.is_valid():
        return _queue_page(
            request, status=400, row_errors={pk: _("Choose to approve or to return.")}
        )
    version = form.cleaned_data["version"]
    try:
        if action == "approve":
            services.workplan_approve(user=user, workplan=workplan, version=version)
        else:
            services.workplan_return(
                user=user, workplan=workplan, version=version, comment=form.cleaned_data["comment"]
            )
    except ValidationError as error:
        return _queue_page(
            request, status=400, row_errors={pk: _messages_of(error)}, comments={pk: form}
        )
    except ApplicationError as error:
        return _queue_page(
            request,
            status=error.status_code,
            row_errors={pk: error.message},
            comments={pk: form},
        )
    label = f"{workplan.outcome.code} – {workplan.outcome.title} ({workplan.biennium.code})"
    messages.success(
        request,
        (
            _("The workplan %(workplan)s was approved.")
            if action == "approve"
            else _("The workplan %(workplan)s was returned to its coordinator.")
        )
        % {"workplan": label},
    )
    return redirect("workplans:review-queue")


def _queue_page(
    request: HttpRequest,
    *,
    status: int = 200,
    row_errors: dict[int, str] | None = None,
    comments: dict[int, StepForm] | None = None,
) -> HttpResponse:
    row_errors, comments = row_errors or {}, comments or {}
    workplans = list(selectors.review_queue_rows())
    for workplan in workplans:
        workplan.error = row_errors.get(workplan.pk, "")  # type: ignore[attr-defined]
        form = comments.get(workplan.pk)
        workplan.comment = form.data.get("comment", "") if form else ""  # type: ignore[attr-defined]
    missing = [pk for pk in row_errors if pk not in {w.pk for w in workplans}]
    return render(
        request,
        "workplans/review_queue.html",
        {
            "tabs": _tabs(request.user, "review"),
            "workplans": workplans,
            "errors": [row_errors[pk] for pk in missing],
            "conflict": status == 409,
        },
        status=status,
    )
