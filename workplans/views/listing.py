"""The list of workplans, and opening the workplans of a biennium."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from rbm.errors import ApplicationError
from rbm.models import User
from rbm.pages import add_service_errors, refuse, signed_in_user
from rbm.permissions import can
from strategic_plans.permissions import coordinated_outcome_ids
from workplans import selectors, services
from workplans.forms import OpenWorkplansForm, WorkplanFilterForm
from workplans.views.common import _tabs


@require_safe
def workplan_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.view"):
        return refuse(request)
    return _list_page(request, signed_in_user(request))


def _list_page(
    request: HttpRequest,
    user: User,
    *,
    status: int = 200,
    open_form: OpenWorkplansForm | None = None,
) -> HttpResponse:
    bienniums = selectors.workplan_bienniums()
    data = request.GET.copy()
    if "biennium" not in data and bienniums:
        data["biennium"] = bienniums[0].code
    form = WorkplanFilterForm(data, bienniums=bienniums)
    error = ""
    if form.is_valid():
        biennium = form.cleaned_data["biennium"]
        chosen_status = form.cleaned_data["status"]
    else:
        # A bad address is answered with what is wrong, and the page to choose again.
        status = 400
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        biennium, chosen_status = None, ""
    workplans = list(selectors.workplan_list(biennium)) if not error else []
    if chosen_status:
        workplans = [w for w in workplans if w.status == chosen_status]
    mine = coordinated_outcome_ids(user)
    for workplan in workplans:
        workplan.is_mine = workplan.outcome_id in mine  # type: ignore[attr-defined]
    # The coordinator's own workplans come first (the sort keeps the outcomes' order).
    workplans.sort(key=lambda w: w.outcome_id not in mine)
    mine_count = sum(1 for w in workplans if w.outcome_id in mine)
    may_create = can(user, "workplan.create")
    if may_create and open_form is None:
        framework = selectors.framework_bienniums()
        open_form = OpenWorkplansForm(
            initial={"biennium": framework[0].code} if framework else {}, bienniums=framework
        )
    return render(
        request,
        "workplans/workplan_list.html",
        {
            "tabs": _tabs(user, "list"),
            "form": form,
            "error": error,
            "biennium": biennium,
            "workplans": workplans,
            "mine_count": mine_count,
            "open_form": open_form if may_create else None,
            "may_review": can(user, "workplan.review"),
            "may_manage_published": can(user, "published.manage"),
        },
        status=status,
    )


@require_POST
def workplans_open(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.create"):
        return refuse(request)
    user = signed_in_user(request)
    form = OpenWorkplansForm(request.POST, bienniums=selectors.framework_bienniums())
    if form.is_valid():
        biennium = form.cleaned_data["biennium"]
        try:
            created = services.workplans_open(user=user, biennium=biennium)
        except ValidationError as error:
            add_service_errors(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            count = len(created)
            messages.success(
                request,
                ngettext(
                    "%(count)s workplan was opened for %(biennium)s.",
                    "%(count)s workplans were opened for %(biennium)s.",
                    count,
                )
                % {"count": count, "biennium": biennium.code}
                if count
                else _("Every outcome of %(biennium)s already has its workplan.")
                % {"biennium": biennium.code},
            )
            return redirect(f"{reverse('workplans:list')}?biennium={biennium.code}")
    return _list_page(request, user, status=400, open_form=form)
