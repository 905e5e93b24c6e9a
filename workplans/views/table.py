"""The demand-and-target table page and its exports."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from rbm import selectors as rbm_selectors
from rbm.pages import refuse
from rbm.permissions import can
from workplans import selectors
from workplans.exports import table_csv, table_xlsx
from workplans.forms import TableExportForm, TableFilterForm
from workplans.views.common import _tabs
from workplans.views.figures import flag_title, table_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table_form(request: HttpRequest, form_class: type[TableFilterForm]) -> TableFilterForm:
    bienniums = selectors.framework_bienniums()
    data = request.GET.copy()
    if "biennium" not in data:
        with_workplans = selectors.workplan_bienniums()
        default = with_workplans[0] if with_workplans else (bienniums[0] if bienniums else None)
        if default is not None:
            data["biennium"] = default.code
    return form_class(data, bienniums=bienniums, regions=rbm_selectors.regions())


def _invalid_table(request: HttpRequest, form: TableFilterForm) -> HttpResponse:
    """The table page without a table, saying what is wrong with its filters (400)."""
    return render(
        request,
        "workplans/table.html",
        {
            "tabs": _tabs(request.user, "table"),
            "form": form,
            "error": " ".join(str(e) for errors in form.errors.values() for e in errors),
            "view": None,
        },
        status=400,
    )


@require_safe
def demand_target_table(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.table"):
        return refuse(request)
    form = _table_form(request, TableFilterForm)
    if not form.is_valid():
        return _invalid_table(request, form)
    biennium, region = form.cleaned_data["biennium"], form.cleaned_data["region"]
    table = selectors.demand_target_table(biennium, region=region)
    workplans = {w.outcome_id: w for w in selectors.workplan_list(biennium)}
    export = {"biennium": biennium.code, **({"region": region.code} if region else {})}
    base = reverse("workplans:table-export")
    return render(
        request,
        "workplans/table.html",
        {
            "tabs": _tabs(request.user, "table"),
            "form": form,
            "view": table_view(table, workplans=workplans),
            "biennium": biennium,
            "region": region,
            "flag_title": flag_title(),
            "xlsx_url": f"{base}?{urlencode({**export, 'format': 'xlsx'})}",
            "csv_url": f"{base}?{urlencode({**export, 'format': 'csv'})}",
            "published_tables": list(selectors.published_tables(biennium)),
            "unlisted": selectors.unlisted_cpo_count(request.user, biennium, region=region),
        },
    )


@require_safe
def table_export(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "workplan.table"):
        return refuse(request)
    form = _table_form(request, TableExportForm)
    if not form.is_valid():
        return _invalid_table(request, form)
    biennium, region = form.cleaned_data["biennium"], form.cleaned_data["region"]
    table = selectors.demand_target_table(biennium, region=region)
    name = f"demand-and-targets-{biennium.code}" + (f"-{region.code}" if region else "")
    if form.cleaned_data["format"] == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(table_xlsx(table), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
