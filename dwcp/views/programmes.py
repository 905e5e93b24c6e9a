"""The programme pages: list, create, edit, detail, phase and publication."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dwcp import selectors, services
from dwcp.forms import (
    ProgrammeFilterForm,
    ProgrammeForm,
    parties_of,
    party_formset,
    yes_no,
)
from dwcp.models import MAX_PRIORITIES, PHASE_ORDER, DecentWorkCountryProgramme, Phase
from dwcp.views.common import (
    _page,
    _programme_or_404,
    _save,
    _spreadsheet_url,
    _valid_data,
    _version,
)
from rbm import selectors as rbm_selectors
from rbm.errors import ApplicationError
from rbm.models import User
from rbm.pages import FORM_METHODS, refuse, signed_in_user
from rbm.permissions import can, office_country_ids, require


@require_safe
def programme_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "dwcp.list")
    user = request.user
    office_scope = isinstance(user, User) and bool(office_country_ids(user))
    data = request.GET.copy()
    if office_scope and data.get("scope") not in ("mine", "all"):
        data["scope"] = "mine"
    form = ProgrammeFilterForm(
        data,
        countries=selectors.programme_filter_countries(user),
        regions=rbm_selectors.regions(),
    )
    if not office_scope:
        del form.fields["scope"]
    if not user.is_authenticated:
        del form.fields["published"]
    chosen = _valid_data(form)
    programmes = selectors.programme_list(
        user,
        office_only=office_scope and chosen.get("scope") == "mine",
        filters={
            "country": chosen.get("country"),
            "region": chosen.get("region"),
            "phase": chosen.get("phase"),
            "published": yes_no(chosen.get("published")),
        },
    )
    return render(
        request,
        "dwcp/programme_list.html",
        {
            "form": form,
            "page": _page(request, programmes),
            "may_create": selectors.may_create_programme(user),
            "office_scope": office_scope and chosen.get("scope") == "mine",
        },
    )


@require_http_methods(FORM_METHODS)
def programme_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return refuse(request)
    user = signed_in_user(request)
    countries = selectors.countries_for_new_programme(user)
    if not countries:
        raise PermissionDenied(_("You may not start a programme for any country."))
    offices = selectors.offices_covering(countries)
    status = 200
    if request.method == "POST":
        form = ProgrammeForm(request.POST, request.FILES, countries=countries, offices=offices)
        parties = party_formset(request.POST)
        if form.is_valid() and parties.is_valid():
            data = form.cleaned_data

            def create() -> DecentWorkCountryProgramme:
                programme = services.programme_create(
                    user=user,
                    country=data["country"],
                    office=data["office"],
                    title=data["title"],
                    start_year=data["start_year"],
                    end_year=data["end_year"],
                    undaf_title=data["undaf_title"],
                    undaf_url=data["undaf_url"],
                    national_plan_title=data["national_plan_title"],
                    national_plan_url=data["national_plan_url"],
                    signed_document=data["signed_document"] or None,
                )
                services.party_set(user=user, programme=programme, parties=parties_of(parties))
                return programme

            created = _save(form, create)
            if not isinstance(created, int):
                messages.success(request, _("The programme was created."))
                return redirect("dwcp:programme-detail", created.pk)
        status = 400
    else:
        initial: dict[str, Any] = {}
        if user.office_id and any(o.pk == user.office_id for o in offices):
            initial["office"] = user.office_id
        if len(countries) == 1:
            initial["country"] = countries[0].pk
        form = ProgrammeForm(initial=initial, countries=countries, offices=offices)
        parties = party_formset()
    return render(
        request,
        "dwcp/programme_form.html",
        {"form": form, "parties": parties, "programme": None},
        status=status,
    )


@require_http_methods(FORM_METHODS)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    if not can(request.user, "dwcp.change", programme):
        return refuse(request)
    user = signed_in_user(request)
    offices = selectors.offices_covering([programme.country])
    status = 200
    if request.method == "POST":
        form = ProgrammeForm(request.POST, request.FILES, countries=None, offices=offices)
        parties = party_formset(request.POST)
        if form.is_valid() and parties.is_valid():
            data = form.cleaned_data

            def update() -> None:
                services.programme_update(
                    user=user,
                    programme=programme,
                    version=data["version"],
                    signed_document=data["signed_document"] or None,
                    office=data["office"],
                    **{name: data[name] for name in services.PROGRAMME_FIELDS},
                )
                services.party_set(user=user, programme=programme, parties=parties_of(parties))

            saved = _save(form, update)
            if not isinstance(saved, int):
                messages.success(request, _("The programme was saved."))
                return redirect("dwcp:programme-detail", programme.pk)
            status = saved
        else:
            status = 400
    else:
        form = ProgrammeForm(
            initial={
                "office": programme.office_id,
                "version": programme.version,
                **{name: getattr(programme, name) for name in services.PROGRAMME_FIELDS},
            },
            countries=None,
            offices=offices,
        )
        parties = party_formset(parties=list(programme.parties.all()))
    return render(
        request,
        "dwcp/programme_form.html",
        {"form": form, "parties": parties, "programme": programme, "conflict": status == 409},
        status=status,
    )


@require_safe
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _programme_page(request, _programme_or_404(request, pk))


def _programme_page(
    request: HttpRequest,
    programme: DecentWorkCountryProgramme,
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    user = request.user
    detail = selectors.programme_detail(programme, user)
    by_biennium: dict[int, dict[str, Any]] = {}
    cpos_by_priority: dict[int, int] = defaultdict(int)
    for cpo in detail.cpos:
        lines = list(cpo.resources.all())
        cpo.planned_total = sum((line.planned for line in lines), Decimal(0))  # type: ignore[attr-defined]
        cpo.spent_total = sum((line.spent for line in lines), Decimal(0))  # type: ignore[attr-defined]
        cpo.visible_reports = detail.reports_by_cpo.get(cpo.pk, [])  # type: ignore[attr-defined]
        group = by_biennium.setdefault(
            cpo.biennium_id,
            {"biennium": cpo.biennium, "cpos": [], "planned": Decimal(0), "spent": Decimal(0)},
        )
        group["cpos"].append(cpo)
        group["planned"] += cpo.planned_total  # type: ignore[attr-defined]
        group["spent"] += cpo.spent_total  # type: ignore[attr-defined]
        cpos_by_priority[cpo.priority_id] += 1
    position = PHASE_ORDER.index(Phase(programme.phase))
    moves = [
        {
            "phase": phase,
            "label": Phase(phase).label,
            "forward": PHASE_ORDER.index(Phase(phase)) > position,
        }
        for phase, action in services.phase_moves(programme)
        if can(user, action, programme)
    ]
    may_enter = can(user, "cpo.change", programme)
    context = {
        "programme": programme,
        "detail": detail,
        "bienniums": list(by_biennium.values()),
        "cpos_by_priority": dict(cpos_by_priority),
        "resource_rows": [
            (source, *detail.resources[source.pk])
            for source in detail.funding_sources
            if source.pk in detail.resources
        ],
        "moves": moves,
        "phase_choices": Phase.choices,
        "may_change": can(user, "dwcp.change", programme),
        "may_publish": can(user, "dwcp.publish", programme),
        "may_enter": may_enter,
        "may_add_priority": len(detail.priorities) < MAX_PRIORITIES,
        "export_url": _spreadsheet_url("cpo-export", programme=programme.pk),
        "import_url": (
            _spreadsheet_url("cpo-import") if may_enter and can(user, "cpo.import") else None
        ),
        "cpo_list_url": f"{reverse('dwcp:cpo-list')}?{urlencode({'programme': programme.pk})}",
        "history": selectors.programme_history(detail) if can(user, "history.view") else [],
        "error": error,
    }
    return render(request, "dwcp/programme_detail.html", context, status=status)


@require_POST
def programme_phase(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    if not request.user.is_authenticated:
        return refuse(request)
    try:
        programme = services.programme_move_phase(
            user=signed_in_user(request),
            programme=programme,
            phase=request.POST.get("phase", ""),
            version=_version(request.POST.get("version")),
        )
    except ApplicationError as error:
        return _programme_page(request, programme, status=error.status_code, error=error.message)
    messages.success(
        request,
        _("The programme is now in the phase “%(phase)s”.")
        % {"phase": programme.get_phase_display()},
    )
    return redirect("dwcp:programme-detail", programme.pk)


@require_POST
def programme_publish(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    if not request.user.is_authenticated:
        return refuse(request)
    published = request.POST.get("published") == "1"
    try:
        programme = services.programme_set_published(
            user=signed_in_user(request),
            programme=programme,
            published=published,
            version=_version(request.POST.get("version")),
        )
    except ApplicationError as error:
        return _programme_page(request, programme, status=error.status_code, error=error.message)
    messages.success(
        request,
        _("The programme is published: anyone can read it.")
        if published
        else _("The programme is no longer published."),
    )
    return redirect("dwcp:programme-detail", programme.pk)
