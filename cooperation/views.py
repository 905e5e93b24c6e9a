"""The project pages (list, page with history, forms, lifecycle steps, appraisal) and the
funding views (a region's gap by outcome, resource mobilization). Thin: the forms' data go
to the services, whose refusals come back on the form with a 4xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cooperation import selectors, services, spreadsheets
from cooperation.forms import (
    PROJECT_FORM_FIELDS,
    AppraisalForm,
    ContributionFormSet,
    FundingFilterForm,
    LinkFormSet,
    ProjectFilterForm,
    ProjectForm,
    YearFormSet,
    contributions_of,
    links_of,
    years_of,
)
from cooperation.models import (
    Appraisal,
    CpoLink,
    DonorContribution,
    Project,
    ProjectStatus,
    ProjectYear,
)
from cooperation.permissions import STEPS
from rbm import selectors as rbm_selectors
from rbm.audit import history_entries
from rbm.errors import ApplicationError
from rbm.ids import parse_id
from rbm.pages import FORM_METHODS, add_service_errors, refuse, signed_in_user
from rbm.permissions import can, require

PAGE_SIZE = 50
Saved = TypeVar("Saved")


def _save(form: forms.BaseForm, save: Callable[[], Saved]) -> Saved | int:
    try:
        with transaction.atomic():
            return save()
    except ValidationError as error:
        add_service_errors(form, error)
        return 400
    except ApplicationError as error:
        form.add_error(None, error.message)
        return error.status_code


def _project_or_404(request: HttpRequest, pk: int) -> Project:
    try:
        return selectors.project_detail(request.user, pk)
    except Project.DoesNotExist:
        raise Http404 from None


# The list and the page ---------------------------------------------------------------------


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.list")
    form = ProjectFilterForm(request.GET or None)
    projects = selectors.project_list(request.user, form.filters())
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    deliveries = selectors.deliveries(page.object_list)
    return render(
        request,
        "cooperation/project_list.html",
        {
            "form": form,
            "page": page,
            "deliveries": deliveries,
            "may_create": can(request.user, "project.create"),
            "may_see_funding": can(request.user, "funding.view"),
        },
    )


def _steps_for(user: Any, project: Project) -> list[dict[str, Any]]:
    labels = dict(ProjectStatus.choices)
    return [
        {"target": target, "label": labels[target]}
        for target, (action, _states) in STEPS.items()
        if target != ProjectStatus.APPRAISED and can(user, action, project)
    ]


@require_safe
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _project_or_404(request, pk))


def _render_detail(request: HttpRequest, project: Project, status: int = 200) -> HttpResponse:
    user = request.user
    staff = can(user, "appraisal.view", project)
    appraisal = selectors.project_appraisal(project) if staff else None
    history = []
    if can(user, "history.view"):
        history = history_entries(
            [
                (Project, [project.pk]),
                (DonorContribution, _history_ids(DonorContribution, project.pk)),
                (ProjectYear, _history_ids(ProjectYear, project.pk)),
                (CpoLink, _history_ids(CpoLink, project.pk)),
                (Appraisal, [appraisal.pk] if appraisal else []),
            ]
        )
    links = list(project.cpo_links.all())
    if not staff:
        # The public sees the CPOs of published programmes only.
        links = [link for link in links if link.published]  # type: ignore[attr-defined]
    return render(
        request,
        "cooperation/project_detail.html",
        {
            "project": project,
            "links": links,
            "amounts": selectors.project_link_amounts(project),
            "delivery": selectors.deliveries([project])[project.pk],
            "appraisal": appraisal,
            "staff": staff,
            "history": history,
            "steps": _steps_for(user, project),
            "may_manage": can(user, "project.manage", project),
            "may_appraise": can(user, "project.appraise", project),
        },
        status=status,
    )


def _history_ids(model: Any, project_id: int) -> list[int]:
    return list(model.history.filter(project_id=project_id).values_list("id", flat=True).distinct())


# The forms ---------------------------------------------------------------------------------


def _project_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in PROJECT_FORM_FIELDS}


def _form_page(
    request: HttpRequest, project: Project | None, status: int, **parts: Any
) -> HttpResponse:
    return render(
        request,
        "cooperation/project_form.html",
        {"project": project, **parts},
        status=status,
    )


@require_http_methods(FORM_METHODS)
def project_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "project.create"):
        return refuse(request)
    user = signed_in_user(request)
    status = 200
    if request.method == "POST":
        form = ProjectForm(request.POST)
        years = YearFormSet(request.POST, prefix="years")
        contributions = ContributionFormSet(request.POST, prefix="donors")
        links = LinkFormSet(request.POST, prefix="links")
        status = 400
        if all(f.is_valid() for f in (form, years, contributions, links)):
            created = _save(
                form,
                lambda: services.project_create(
                    user=user,
                    countries=list(form.cleaned_data["countries"]),
                    years=years_of(years),
                    contributions=contributions_of(contributions),
                    links=links_of(links),
                    status=ProjectStatus.PROPOSAL
                    if request.POST.get("as_proposal")
                    else ProjectStatus.CONCEPT,
                    **_project_fields(form.cleaned_data),
                ),
            )
            if not isinstance(created, int):
                messages.success(
                    request, _("The project %(code)s was created.") % {"code": created.code}
                )
                return redirect("cooperation:project-detail", created.pk)
            status = created
        elif form.is_valid():
            # The form's own fields are fine; still show what the services say of them.
            pass
    else:
        initial: dict[str, Any] = {}
        if user.office_id:
            initial["office"] = user.office_id
        form = ProjectForm(initial=initial)
        years = YearFormSet(prefix="years")
        contributions = ContributionFormSet(prefix="donors")
        links = LinkFormSet(prefix="links")
    return _form_page(
        request, None, status, form=form, years=years, contributions=contributions, links=links
    )


@require_http_methods(FORM_METHODS)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    if not can(request.user, "project.manage", project, states=False):
        return refuse(request)
    user = signed_in_user(request)
    status = 200
    if request.method == "POST":
        form = ProjectForm(request.POST)
        years = YearFormSet(request.POST, prefix="years")
        contributions = ContributionFormSet(request.POST, prefix="donors")
        links = LinkFormSet(request.POST, prefix="links")
        status = 400
        if all(f.is_valid() for f in (form, years, contributions, links)):
            saved = _save(
                form,
                lambda: services.project_update(
                    user=user,
                    project=project,
                    version=form.cleaned_data["version"],
                    countries=list(form.cleaned_data["countries"]),
                    years=years_of(years),
                    contributions=contributions_of(contributions),
                    links=links_of(links),
                    **_project_fields(form.cleaned_data),
                ),
            )
            if not isinstance(saved, int):
                messages.success(
                    request, _("The project %(code)s was saved.") % {"code": saved.code}
                )
                return redirect("cooperation:project-detail", saved.pk)
            status = saved
    else:
        initial = {name: getattr(project, name) for name in PROJECT_FORM_FIELDS}
        initial["countries"] = list(project.countries.all())
        initial["version"] = project.version
        form = ProjectForm(initial=initial)
        years = YearFormSet(
            prefix="years",
            initial=[
                {
                    "year": y.year,
                    "budget": y.budget,
                    "disbursed": y.disbursed,
                    "expenditure": y.expenditure,
                }
                for y in project.years_set.all()
            ],
        )
        contributions = ContributionFormSet(
            prefix="donors",
            initial=[{"donor": c.donor, "amount": c.amount} for c in project.contributions.all()],
        )
        links = LinkFormSet(
            prefix="links",
            initial=[
                {"cpo_code": link.cpo.code, "biennium": link.biennium, "share": link.share}
                for link in project.cpo_links.all()
            ],
        )
    return _form_page(
        request,
        project,
        status,
        form=form,
        years=years,
        contributions=contributions,
        links=links,
        conflict=status == 409,
    )


@require_POST
def project_step(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    target = request.POST.get("target", "")
    if target not in STEPS or target == ProjectStatus.APPRAISED:
        messages.error(request, _("Choose a step of the project's lifecycle."))
        return redirect("cooperation:project-detail", project.pk)
    if not can(request.user, STEPS[target][0], project, states=False):
        return refuse(request)
    version = parse_id(request.POST.get("version"))
    try:
        services.project_step(
            user=signed_in_user(request), project=project, target=target, version=version
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail_again(request, project, 400)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _detail_again(request, project, error.status_code)
    messages.success(
        request,
        _("The project is now %(state)s.") % {"state": dict(ProjectStatus.choices)[target].lower()},
    )
    return redirect("cooperation:project-detail", project.pk)


def _detail_again(request: HttpRequest, project: Project, status: int) -> HttpResponse:
    return _render_detail(request, _project_or_404(request, project.pk), status)


@require_http_methods(FORM_METHODS)
def project_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    if not can(request.user, "project.appraise", project, states=False):
        return refuse(request)
    current = selectors.project_appraisal(project)
    status = 200
    if request.method == "POST":
        form = AppraisalForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            saved = _save(
                form,
                lambda: services.project_appraise(
                    user=signed_in_user(request),
                    project=project,
                    version=data["version"],
                    verdict=data["verdict"],
                    constituents_consulted=data["constituents_consulted"],
                    gender_dimension=data["gender_dimension"],
                    evaluation_planned=data["evaluation_planned"],
                    notes=data["notes"],
                ),
            )
            if not isinstance(saved, int):
                messages.success(request, _("The appraisal was recorded."))
                return redirect("cooperation:project-detail", project.pk)
            status = saved
    else:
        initial: dict[str, Any] = {"version": project.version}
        if current is not None:
            initial.update(
                constituents_consulted=current.constituents_consulted,
                gender_dimension=current.gender_dimension,
                evaluation_planned=current.evaluation_planned,
                verdict=current.verdict,
                notes=current.notes,
            )
        form = AppraisalForm(initial=initial)
    return render(
        request,
        "cooperation/appraisal_form.html",
        {"project": project, "form": form, "links": list(project.cpo_links.all())},
        status=status,
    )


# Funding views -------------------------------------------------------------------------------


def _latest_biennium_id() -> int | None:
    """The latest biennium with CPOs (the one funding is planned for)."""
    return selectors.latest_biennium_id()


@require_safe
def funding_region(request: HttpRequest) -> HttpResponse:
    """A region's funding gap in a biennium, by P&B outcome."""
    if not can(request.user, "funding.view"):
        return refuse(request)
    data = request.GET.copy()
    regions = rbm_selectors.regions()
    if "region" not in data and regions:
        user_region = getattr(request.user, "region_id", None)
        data["region"] = str(user_region or regions[0].pk)
    if "biennium" not in data:
        data["biennium"] = str(_latest_biennium_id() or "")
    form = FundingFilterForm(data)
    view = None
    status = 200
    if form.is_valid():
        view = selectors.region_funding(form.cleaned_data["region"], form.cleaned_data["biennium"])
    else:
        status = 400
    return render(
        request, "cooperation/funding_region.html", {"form": form, "view": view}, status=status
    )


@require_safe
def mobilization(request: HttpRequest) -> HttpResponse:
    """Resource mobilization: the pipeline by donor, outcome and region; CPOs with a gap and
    no proposal; projects ending within twelve months."""
    if not can(request.user, "funding.view"):
        return refuse(request)
    data = request.GET.copy()
    if "biennium" not in data:
        data["biennium"] = str(_latest_biennium_id() or "")
    form = FundingFilterForm(data)
    form.fields["region"].required = False
    if not form.is_valid():
        return render(request, "cooperation/mobilization.html", {"form": form}, status=400)
    biennium = form.cleaned_data["biennium"]
    region = form.cleaned_data.get("region")
    cpos = selectors.biennium_cpos(biennium, region)
    gaps, gap_count = selectors.gaps_without_proposal(cpos)
    ending = list(selectors.ending_within(365)[:100])
    return render(
        request,
        "cooperation/mobilization.html",
        {
            "form": form,
            "biennium": biennium,
            "pipeline": selectors.pipeline_by(biennium),
            "gaps": gaps,
            "gap_count": gap_count,
            "ending": ending,
            "outside": selectors.outside_dwcp_count(biennium),
        },
    )


# The workbook ------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def project_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.list")
    form = ProjectFilterForm(request.GET or None)
    content = spreadsheets.export_workbook(request.user, form.filters())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="projects.xlsx"'
    return response


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))


@require_http_methods(FORM_METHODS)
def project_import(request: HttpRequest) -> HttpResponse:
    if not spreadsheets.may_import(request.user):
        return refuse(request)
    status = 200
    problems: list[dict[str, Any]] = []
    more = 0
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > spreadsheets.MAX_BYTES:
                    raise spreadsheets.WorkbookRefused(
                        _("The file is larger than %(limit)s MB. Import it in parts.")
                        % {"limit": spreadsheets.MAX_BYTES // 1024**2},
                        status_code=413,
                    )
                counts = spreadsheets.import_workbook(
                    user=signed_in_user(request), content=upload.read(spreadsheets.MAX_BYTES + 1)
                )
            except spreadsheets.ImportRefused as refused:
                form.add_error(None, refused.message)
                problems = refused.extra["problems"]
                more = refused.extra["count"] - len(problems)
            except ApplicationError as error:
                form.add_error(None, error.message)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("Imported: %(created)s projects created, %(updated)s updated.") % counts,
                )
                return redirect("cooperation:project-list")
    else:
        form = ImportForm()
    return render(
        request,
        "cooperation/project_import.html",
        {"form": form, "problems": problems, "more": more},
        status=status,
    )
