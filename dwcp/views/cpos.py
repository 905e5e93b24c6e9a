"""The country programme outcome pages: list, create, edit and detail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from dwcp import selectors, services
from dwcp.forms import (
    CpoFilterForm,
    CpoForm,
    ResourcesForm,
    milestone_formset,
    milestones_of,
    yes_no,
)
from dwcp.models import CountryProgrammeOutcome
from dwcp.views.common import (
    _cpo_or_404,
    _page,
    _programme_or_404,
    _save,
    _spreadsheet_url,
    _valid_data,
)
from rbm import selectors as rbm_selectors
from rbm.models import User
from rbm.pages import FORM_METHODS, refuse, signed_in_user
from rbm.permissions import can, office_country_ids, require
from strategic_plans import selectors as framework


@require_safe
def cpo_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "dwcp.list")
    user = request.user
    data = request.GET.copy()
    if "office" not in data and isinstance(user, User) and office_country_ids(user):
        data["office"] = str(user.office_id)
    visible = selectors.visible_cpos(user)
    form = CpoFilterForm(
        data,
        bienniums=rbm_selectors.bienniums_among(visible.values("biennium_id")),
        outcomes=framework.outcomes_among(visible.values("outcome_id")),
        offices=rbm_selectors.offices_covering_any(
            selectors.visible_programmes(user).values("country")
        ),
        regions=rbm_selectors.regions(),
        countries=selectors.programme_filter_countries(user),
    )
    chosen = _valid_data(form)
    for flag in ("prioritized", "targeted"):
        if flag in chosen:
            chosen[flag] = yes_no(chosen[flag])
    programme = None
    if chosen.get("programme"):
        programme = selectors.visible_programmes(user).filter(pk=chosen["programme"]).first()
    listed = selectors.cpo_list(user, filters=chosen)
    # Across bienniums, each page is read from the bienniums it spans.
    page = _page(
        request, listed if chosen.get("biennium") else selectors.cpos_by_biennium(listed, list)
    )
    page.object_list = list(page.object_list)
    selectors.cpo_money_totals(page.object_list)
    return render(
        request,
        "dwcp/cpo_list.html",
        {
            "form": form,
            "page": page,
            "programme": programme,
            "filtered": any(k != "office" for k in chosen) or "office" in request.GET,
            "export_url": _spreadsheet_url(
                "cpo-export",
                office=getattr(chosen.get("office"), "pk", None),
                programme=chosen.get("programme"),
                region=getattr(chosen.get("region"), "code", None),
                biennium=getattr(chosen.get("biennium"), "code", None),
            ),
            "import_url": _spreadsheet_url("cpo-import") if can(user, "cpo.import") else None,
        },
    )


def _cpo_form_kwargs(choices: selectors.CpoChoices) -> dict[str, Any]:
    return {
        "priorities": choices.priorities,
        "bienniums": choices.bienniums,
        "outcomes": choices.outcomes,
        "indicators": choices.indicators,
        "outcome_bienniums": choices.outcome_bienniums,
    }


def _cpo_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.CPO_FIELDS}


@require_http_methods(FORM_METHODS)
def cpo_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    if not can(request.user, "cpo.change", programme):
        return refuse(request)
    choices = selectors.cpo_form_choices(programme)
    sources = rbm_selectors.funding_sources()
    status = 200
    if request.method == "POST":
        form = CpoForm(request.POST, **_cpo_form_kwargs(choices))
        milestones = milestone_formset(request.POST)
        resources = ResourcesForm(request.POST, sources=sources)
        status = 400
        if form.is_valid() and milestones.is_valid() and resources.is_valid():
            created = _save(
                form,
                lambda: services.cpo_create(
                    user=signed_in_user(request),
                    programme=programme,
                    milestones=milestones_of(milestones),
                    resources=resources.lines(),
                    **_cpo_fields(form.cleaned_data),
                ),
            )
            if not isinstance(created, int):
                messages.success(
                    request, _("The outcome %(code)s was created.") % {"code": created.code}
                )
                return redirect("dwcp:cpo-detail", created.pk)
            status = created  # the refusal's own status: 409 when someone took the code
    else:
        initial: dict[str, Any] = {"code": programme.country.alpha3}
        if len(choices.bienniums) == 1:
            initial["biennium"] = choices.bienniums[0].pk
        if len(choices.priorities) == 1:
            initial["priority"] = choices.priorities[0].pk
        form = CpoForm(initial=initial, **_cpo_form_kwargs(choices))
        milestones = milestone_formset()
        resources = ResourcesForm(sources=sources)
    return render(
        request,
        "dwcp/cpo_form.html",
        {
            "programme": programme,
            "cpo": None,
            "form": form,
            "milestones": milestones,
            "resources": resources,
            "no_priorities": not choices.priorities,
            "no_bienniums": not choices.bienniums,
        },
        status=status,
    )


@require_http_methods(FORM_METHODS)
def cpo_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cpo = _cpo_or_404(request, pk)
    if not can(request.user, "cpo.change", cpo):
        return refuse(request)
    programme = cpo.programme
    choices = selectors.cpo_form_choices(programme, current=cpo)
    sources = rbm_selectors.funding_sources()
    status = 200
    if request.method == "POST":
        form = CpoForm(request.POST, **_cpo_form_kwargs(choices))
        milestones = milestone_formset(request.POST)
        resources = ResourcesForm(request.POST, sources=sources)
        if form.is_valid() and milestones.is_valid() and resources.is_valid():
            saved = _save(
                form,
                lambda: services.cpo_update(
                    user=signed_in_user(request),
                    cpo=cpo,
                    version=form.cleaned_data["version"],
                    milestones=milestones_of(milestones),
                    resources=resources.lines(),
                    **_cpo_fields(form.cleaned_data),
                ),
            )
            if isinstance(saved, int):
                status = saved
            else:
                cpo, changed = saved
                messages.success(
                    request,
                    _("The outcome %(code)s was saved.") % {"code": cpo.code}
                    if changed
                    else _("Nothing changed."),
                )
                return redirect("dwcp:cpo-detail", cpo.pk)
        else:
            status = 400
    else:
        initial = {name: getattr(cpo, name) for name in services.CPO_FIELDS}
        initial["version"] = cpo.version
        form = CpoForm(initial=initial, **_cpo_form_kwargs(choices))
        milestones = milestone_formset(milestones=list(cpo.milestones.all()))
        resources = ResourcesForm(
            initial=ResourcesForm.initial_for(cpo.resources.all()), sources=sources
        )
    return render(
        request,
        "dwcp/cpo_form.html",
        {
            "programme": programme,
            "cpo": cpo,
            "form": form,
            "milestones": milestones,
            "resources": resources,
            "no_priorities": False,
            "no_bienniums": False,
            "conflict": status == 409,
        },
        status=status,
    )


@require_safe
def cpo_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _cpo_page(request, _cpo_or_404(request, pk))


def _cpo_page(
    request: HttpRequest, cpo: CountryProgrammeOutcome, *, status: int = 200, error: str = ""
) -> HttpResponse:
    user = request.user
    reports = selectors.cpo_reports(cpo, user)
    may_report = can(user, "progress.edit", cpo)
    for report in reports:
        report.cpo = cpo  # the permission checks read the country through it
        # The permission table answers with the report's state (its rows' states=).
        report.may_edit = can(user, "progress.edit", report)  # type: ignore[attr-defined]
        report.may_submit = can(user, "progress.submit", report)  # type: ignore[attr-defined]
        report.may_review = can(user, "progress.review", report)  # type: ignore[attr-defined]
    lines = list(cpo.resources.all())
    context = {
        "cpo": cpo,
        "programme": cpo.programme,
        "milestones": list(cpo.milestones.all()),
        "resources": lines,
        "planned_total": sum((line.planned for line in lines), Decimal(0)),
        "spent_total": sum((line.spent for line in lines), Decimal(0)),
        "reports": reports,
        "may_change": can(user, "cpo.change", cpo),
        "may_report": may_report,
        "history": selectors.cpo_history(cpo, reports) if can(user, "history.view") else [],
        "error": error,
    }
    return render(request, "dwcp/cpo_detail.html", context, status=status)
