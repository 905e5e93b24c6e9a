"""The published figures pages: the recorded tables and their comparison."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from rbm.errors import ApplicationError
from rbm.pages import FORM_METHODS, add_service_errors, refuse, signed_in_user
from rbm.permissions import can
from workplans import selectors, services
from workplans.forms import PublishedTableForm
from workplans.models import PublishedTable
from workplans.views.common import _tabs


@require_http_methods(FORM_METHODS)
def published(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.table"):
        return refuse(request)
    user = signed_in_user(request)
    may_manage = can(user, "published.manage")
    bienniums = selectors.framework_bienniums()
    status, errors = 200, []
    if request.method == "POST":
        if not may_manage:
            return refuse(request)
        form = PublishedTableForm(request.POST, request.FILES, bienniums=bienniums)
        if form.is_valid():
            data = form.cleaned_data
            try:
                table = services.published_table_record(
                    user=user,
                    biennium=data["biennium"],
                    name=data["name"],
                    source=data["source"],
                    text=data["text"],
                    replace=data["replace"],
                )
            except services.PublishedFiguresInvalid as error:
                form.add_error(None, error.message)
                errors = error.errors
            except ValidationError as error:
                add_service_errors(form, error)
            except ApplicationError as error:
                form.add_error(None, error.message)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("The table “%(name)s” was recorded; here is how it compares.")
                    % {"name": table.name},
                )
                return redirect("workplans:published-detail", table.pk)
        status = status if status != 200 else 400
    else:
        form = PublishedTableForm(
            initial={"biennium": bienniums[0].code} if bienniums else {}, bienniums=bienniums
        )
    return render(
        request,
        "workplans/published_list.html",
        {
            "tabs": _tabs(user, "published"),
            "tables": list(selectors.published_tables()),
            "form": form if may_manage else None,
            "row_errors": errors,
        },
        status=status,
    )


@require_safe
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not can(request.user, "workplan.table"):
        return refuse(request)
    try:
        published_table = selectors.published_table_with_figures(pk)
    except PublishedTable.DoesNotExist:
        raise Http404 from None
    biennium = published_table.biennium
    table = selectors.demand_target_table(biennium)
    differences = selectors.compare_with_published(table, published_table)
    return render(
        request,
        "workplans/published_detail.html",
        {
            "published": published_table,
            "figure_count": len(published_table.figures.all()),
            "differences": [
                {
                    "difference": d,
                    "measure": _("Prioritized demand")
                    if d.measure == "demand"
                    else _("Proposed target"),
                    "delta": d.computed - (d.published or 0),
                }
                for d in differences
            ],
            "table_url": f"{reverse('workplans:table')}?biennium={biennium.code}",
        },
    )
