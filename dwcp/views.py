"""Pages of the country programmes: programmes, priorities, CPOs, progress and its review.

Views are thin: they read through ``dwcp.selectors``, ask ``rbm.permissions``, parse with
``dwcp.forms`` and write through ``dwcp.services``. A refused write re-renders the page with
the service's message and its status (400 bad data or a refused step, 409 a stale version);
a page the user may not read is a 404, a step they may not take a 403 (or the login page for
visitors who are not signed in).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dwcp import selectors, services
from dwcp.forms import (
    CpoFilterForm,
    CpoForm,
    PriorityForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ProgressForm,
    ResourcesForm,
    ReviewForm,
    add_service_errors,
    milestone_formset,
    milestones_of,
    parties_of,
    party_formset,
    yes_no,
)
from dwcp.models import (
    MAX_PRIORITIES,
    PHASE_ORDER,
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    Phase,
    ProgressReport,
    ReviewState,
)
from rbm.errors import ApplicationError, ConflictError
from rbm.models import Biennium, FundingSource, Office, Region, User
from rbm.permissions import can, office_country_ids, require
from strategic_plans.models import Outcome

PAGE_SIZE = 50
EDITABLE_STATES = {ReviewState.DRAFT, ReviewState.RETURNED}
FORM_METHODS = ["GET", "HEAD", "POST"]


# Helpers -----------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    """The signed-in user (views call this after a permission check that needs one)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _refuse(request: HttpRequest) -> HttpResponse:
    """403, or the login page for a visitor who is not signed in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(_("You are not allowed to do this."))


def _version(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _spreadsheet_url(name: str, **params: Any) -> str | None:
    """The export or import address with its filters, or None while it does not exist."""
    try:
        url = reverse(f"dwcp:{name}")
    except NoReverseMatch:
        return None
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def _programme_or_404(request: HttpRequest, pk: int) -> DecentWorkCountryProgramme:
    programme = get_object_or_404(
        DecentWorkCountryProgramme.objects.select_related("country__region", "office"), pk=pk
    )
    if not can(request.user, "dwcp.view", programme):
        raise Http404
    return programme


def _cpo_or_404(request: HttpRequest, pk: int) -> CountryProgrammeOutcome:
    try:
        cpo = selectors.cpo_detail(pk)
    except CountryProgrammeOutcome.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "dwcp.view", cpo):
        raise Http404
    return cpo


def _report_or_404(request: HttpRequest, pk: int) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.select_related(
            "cpo__programme__country__region",
            "cpo__programme__office",
            "cpo__biennium",
            "cpo__indicator",
            "period",
        ),
        pk=pk,
    )
    if not (
        can(request.user, "dwcp.view", report.cpo) and can(request.user, "progress.view", report)
    ):
        raise Http404
    return report


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _valid_data(form: Any) -> dict[str, Any]:
    """The filters that are valid (a bad value in the address is ignored, not an error)."""
    form.is_valid()
    return {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")}


# Programmes --------------------------------------------------------------------------------


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
        regions=list(Region.objects.all()),
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
        return _refuse(request)
    user = _user(request)
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
            try:
                with transaction.atomic():
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
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The programme was created."))
                return redirect("dwcp:programme-detail", programme.pk)
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
        return _refuse(request)
    user = _user(request)
    offices = selectors.offices_covering([programme.country])
    status = 200
    if request.method == "POST":
        form = ProgrammeForm(request.POST, request.FILES, countries=None, offices=offices)
        parties = party_formset(request.POST)
        if form.is_valid() and parties.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.programme_update(
                        user=user,
                        programme=programme,
                        version=data["version"],
                        signed_document=data["signed_document"] or None,
                        office=data["office"],
                        **{name: data[name] for name in services.PROGRAMME_FIELDS},
                    )
                    services.party_set(user=user, programme=programme, parties=parties_of(parties))
            except ConflictError as error:
                form.add_error(None, error.message)
                status = error.status_code
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("The programme was saved."))
                return redirect("dwcp:programme-detail", programme.pk)
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
        return _refuse(request)
    try:
        programme = services.programme_move_phase(
            user=_user(request),
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
        return _refuse(request)
    published = request.POST.get("published") == "1"
    try:
        programme = services.programme_set_published(
            user=_user(request),
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


# Priorities --------------------------------------------------------------------------------


@require_http_methods(FORM_METHODS)
def priority_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    if not can(request.user, "dwcp.change", programme):
        return _refuse(request)
    status = 200
    if request.method == "POST":
        form = PriorityForm(request.POST)
        if form.is_valid():
            try:
                services.priority_create(
                    user=_user(request),
                    programme=programme,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The priority was added."))
                return redirect("dwcp:programme-detail", programme.pk)
        status = 400
    else:
        form = PriorityForm()
    full = programme.priorities.count() >= MAX_PRIORITIES
    return render(
        request,
        "dwcp/priority_form.html",
        {"programme": programme, "form": form, "full": full, "priority": None},
        status=status,
    )


@require_http_methods(FORM_METHODS)
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(
        CountryProgrammePriority.objects.select_related(
            "programme__country__region", "programme__office"
        ),
        pk=pk,
    )
    programme = priority.programme
    if not can(request.user, "dwcp.view", programme):
        raise Http404
    if not can(request.user, "dwcp.change", priority):
        return _refuse(request)
    status = 200
    if request.method == "POST":
        form = PriorityForm(request.POST)
        if form.is_valid():
            try:
                services.priority_update(
                    user=_user(request),
                    priority=priority,
                    version=form.cleaned_data["version"],
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            except ConflictError as error:
                form.add_error(None, error.message)
                status = error.status_code
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("The priority was saved."))
                return redirect("dwcp:programme-detail", programme.pk)
        else:
            status = 400
    else:
        form = PriorityForm(
            initial={
                "title": priority.title,
                "description": priority.description,
                "version": priority.version,
            }
        )
    return render(
        request,
        "dwcp/priority_form.html",
        {
            "programme": programme,
            "form": form,
            "full": False,
            "priority": priority,
            "conflict": status == 409,
        },
        status=status,
    )


# Country programme outcomes ----------------------------------------------------------------


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
        bienniums=list(Biennium.objects.filter(pk__in=visible.values("biennium_id"))),
        outcomes=list(
            Outcome.objects.filter(pk__in=visible.values("outcome_id"))
            .select_related("objective__plan")
            .order_by("objective__plan__start_year", "objective__number", "position", "code")
        ),
        offices=list(
            Office.objects.filter(
                countries__in=selectors.visible_programmes(user).values("country")
            )
            .distinct()
            .order_by("name")
        ),
        regions=list(Region.objects.all()),
        countries=selectors.programme_filter_countries(user),
    )
    chosen = _valid_data(form)
    for flag in ("prioritized", "targeted"):
        if flag in chosen:
            chosen[flag] = yes_no(chosen[flag])
    programme = None
    if chosen.get("programme"):
        programme = selectors.visible_programmes(user).filter(pk=chosen["programme"]).first()
    cpos = selectors.cpo_list(user, filters=chosen)
    page = _page(request, cpos)
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
        return _refuse(request)
    choices = selectors.cpo_form_choices(programme)
    sources = list(FundingSource.objects.all())
    status = 200
    if request.method == "POST":
        form = CpoForm(request.POST, **_cpo_form_kwargs(choices))
        milestones = milestone_formset(request.POST)
        resources = ResourcesForm(request.POST, sources=sources)
        if form.is_valid() and milestones.is_valid() and resources.is_valid():
            fields = _cpo_fields(form.cleaned_data)
            try:
                cpo = services.cpo_create(
                    user=_user(request),
                    programme=programme,
                    milestones=milestones_of(milestones),
                    resources=resources.lines(),
                    **fields,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The outcome %(code)s was created.") % {"code": cpo.code}
                )
                return redirect("dwcp:cpo-detail", cpo.pk)
        status = 400
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
        return _refuse(request)
    programme = cpo.programme
    choices = selectors.cpo_form_choices(programme, current=cpo)
    sources = list(FundingSource.objects.all())
    status = 200
    if request.method == "POST":
        form = CpoForm(request.POST, **_cpo_form_kwargs(choices))
        milestones = milestone_formset(request.POST)
        resources = ResourcesForm(request.POST, sources=sources)
        if form.is_valid() and milestones.is_valid() and resources.is_valid():
            try:
                cpo, changed = services.cpo_update(
                    user=_user(request),
                    cpo=cpo,
                    version=form.cleaned_data["version"],
                    milestones=milestones_of(milestones),
                    resources=resources.lines(),
                    **_cpo_fields(form.cleaned_data),
                )
            except ConflictError as error:
                form.add_error(None, error.message)
                status = error.status_code
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
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
        report.may_edit = may_report and report.review_state in EDITABLE_STATES  # type: ignore[attr-defined]
        report.may_review = report.review_state == ReviewState.SUBMITTED and can(  # type: ignore[attr-defined]
            user, "progress.review", report
        )
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


# Progress reports --------------------------------------------------------------------------


def _report_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.REPORT_FIELDS}


def _save_report(
    request: HttpRequest,
    form: ProgressForm,
    cpo: CountryProgrammeOutcome,
    save: Callable[[], ProgressReport],
) -> HttpResponse | int:
    """Save the report, and submit it on "Save and submit", in one transaction.

    Returns the redirect to the CPO page, or the status to show the form again with (the
    service's messages are on the form).
    """
    user = _user(request)
    try:
        with transaction.atomic():
            report = save()
            if request.POST.get("action") == "submit":
                report = services.progress_report_submit(
                    user=user, report=report, version=report.version
                )
    except ValidationError as error:
        add_service_errors(form, error)
        return 400
    except ApplicationError as error:
        form.add_error(None, error.message)
        return error.status_code
    messages.success(
        request,
        _("The progress report was submitted for validation.")
        if report.review_state == ReviewState.SUBMITTED
        else _("The progress report was saved as a draft."),
    )
    return redirect("dwcp:cpo-detail", cpo.pk)


@require_http_methods(FORM_METHODS)
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    cpo = _cpo_or_404(request, pk)
    if not can(request.user, "progress.edit", cpo):
        return _refuse(request)
    user = _user(request)
    used = set(ProgressReport.objects.filter(cpo=cpo).values_list("period_id", flat=True))
    periods = [p for p in services.reporting_periods_ensure(cpo.biennium) if p.pk not in used]
    periods.sort(key=lambda p: p.starts_on)
    status = 200
    if request.method == "POST":
        form = ProgressForm(request.POST, request.FILES, periods=periods)
        if form.is_valid():
            data = form.cleaned_data
            saved = _save_report(
                request,
                form,
                cpo,
                lambda: services.progress_report_create(
                    user=user,
                    cpo=cpo,
                    period=data["period"],
                    evidence_file=data["evidence_file"] or None,
                    **_report_fields(data),
                ),
            )
            if isinstance(saved, HttpResponse):
                return saved
            status = saved
        else:
            status = 400
    else:
        form = ProgressForm(initial={"period": periods[0].pk} if periods else {}, periods=periods)
    return render(
        request,
        "dwcp/progress_form.html",
        {"cpo": cpo, "programme": cpo.programme, "form": form, "report": None, "full": not periods},
        status=status,
    )


@require_http_methods(FORM_METHODS)
def progress_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    cpo = report.cpo
    if not can(request.user, "progress.edit", report):
        return _refuse(request)
    user = _user(request)
    if request.method != "POST" and report.review_state not in EDITABLE_STATES:
        messages.info(
            request,
            _("This report is %(state)s: it can no longer be edited.")
            % {"state": report.get_review_state_display().lower()},
        )
        return redirect("dwcp:cpo-detail", cpo.pk)
    status = 200
    if request.method == "POST":
        form = ProgressForm(request.POST, request.FILES, periods=None)
        if form.is_valid():
            data = form.cleaned_data
            saved = _save_report(
                request,
                form,
                cpo,
                lambda: services.progress_report_update(
                    user=user,
                    report=report,
                    version=data["version"],
                    evidence_file=data["evidence_file"] or None,
                    **_report_fields(data),
                ),
            )
            if isinstance(saved, HttpResponse):
                return saved
            status = saved
        else:
            status = 400
    else:
        form = ProgressForm(
            initial={
                **{name: getattr(report, name) for name in services.REPORT_FIELDS},
                "version": report.version,
            },
            periods=None,
        )
    return render(
        request,
        "dwcp/progress_form.html",
        {
            "cpo": cpo,
            "programme": cpo.programme,
            "form": form,
            "report": report,
            "full": False,
            "returned": selectors.last_return(report),
            "conflict": status == 409,
        },
        status=status,
    )


@require_POST
def progress_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    if not request.user.is_authenticated:
        return _refuse(request)
    try:
        services.progress_report_submit(
            user=_user(request), report=report, version=_version(request.POST.get("version"))
        )
    except ValidationError as error:
        return _cpo_page(
            request, _cpo_or_404(request, report.cpo_id), status=400, error=" ".join(error.messages)
        )
    except ApplicationError as error:
        return _cpo_page(
            request,
            _cpo_or_404(request, report.cpo_id),
            status=error.status_code,
            error=error.message,
        )
    messages.success(request, _("The progress report was submitted for validation."))
    return redirect("dwcp:cpo-detail", report.cpo_id)


# The validation queue ----------------------------------------------------------------------


@require_http_methods(FORM_METHODS)
def validation_queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "progress.queue"):
        return _refuse(request)
    user = _user(request)
    if request.method == "POST":
        return _review(request, user)
    return _queue_page(request, user)


def _queue_page(
    request: HttpRequest,
    user: User,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    row_errors: dict[int, str] | None = None,
    form: ReviewForm | None = None,
) -> HttpResponse:
    page = _page(request, selectors.validation_queue(user))
    row_errors = row_errors or {}
    for report in page:
        report.error = row_errors.get(report.pk, "")
    return render(
        request,
        "dwcp/validation_queue.html",
        {
            "page": page,
            "errors": errors or [],
            "form": form,
            "ticked": set(form.cleaned_data.get("reports", []))
            if form and form.is_bound
            else set(),
        },
        status=status,
    )


def _review(request: HttpRequest, user: User) -> HttpResponse:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _queue_page(
            request, user, status=400, errors=[str(e) for e in form.non_field_errors()], form=form
        )
    data = form.cleaned_data
    if data["row_action"]:
        action, _sep, raw_id = data["row_action"].partition(":")
        ids = [int(raw_id)]
    else:
        action, ids = data["bulk_action"], data["reports"]
    # Reports the reviewer may not read are a 404, as everywhere; the service decides the rest.
    reports = {
        r.pk: r
        for r in selectors.visible_reports(user)
        .filter(pk__in=ids)
        .select_related("cpo__programme__country", "period")
    }
    if any(pk not in reports for pk in ids):
        raise Http404
    decisions = [(reports[pk], _version(request.POST.get(f"version-{pk}"))) for pk in ids]
    try:
        if data["row_action"]:
            report, version = decisions[0]
            comment = request.POST.get(f"comment-{report.pk}", "")
            if action == "validate":
                services.progress_report_validate(user=user, report=report, version=version)
            else:
                services.progress_report_return(
                    user=user, report=report, version=version, comment=comment
                )
        else:
            services.progress_reports_review_bulk(
                user=user, decisions=decisions, action=action, comment=data["comment"]
            )
    except ValidationError as error:
        message = " ".join(error.messages)
        return _queue_page(
            request,
            user,
            status=400,
            errors=[message],
            row_errors={ids[0]: message} if data["row_action"] else {},
            form=form,
        )
    except ApplicationError as error:
        failures = error.extra.get("failures", [])
        row_errors = {f["report_id"]: f["message"] for f in failures}
        if data["row_action"]:
            row_errors = {ids[0]: error.message}
        listed = [
            f"{reports[f['report_id']].cpo.code} · {reports[f['report_id']].period}: {f['message']}"
            for f in failures
        ]
        return _queue_page(
            request,
            user,
            status=error.status_code,
            errors=[error.message, *listed],
            row_errors=row_errors,
            form=form,
        )
    if action == "validate":
        text = ngettext(
            "%(count)s report was validated.", "%(count)s reports were validated.", len(ids)
        )
    else:
        text = ngettext(
            "%(count)s report was returned for revision.",
            "%(count)s reports were returned for revision.",
            len(ids),
        )
    messages.success(request, text % {"count": len(ids)})
    return redirect("dwcp:validation-queue")
