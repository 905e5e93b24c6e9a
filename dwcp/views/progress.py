"""The progress report pages: create, edit and submit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dwcp import selectors, services
from dwcp.forms import ProgressForm
from dwcp.models import CountryProgrammeOutcome, ProgressReport, ReviewState
from dwcp.views.common import _cpo_or_404, _save, _version
from dwcp.views.cpos import _cpo_page
from rbm.errors import ApplicationError
from rbm.pages import FORM_METHODS, refuse, signed_in_user
from rbm.permissions import can


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
    user = signed_in_user(request)

    def save_and_submit() -> ProgressReport:
        report = save()
        if request.POST.get("action") == "submit":
            report = services.progress_report_submit(
                user=user, report=report, version=report.version
            )
        return report

    report = _save(form, save_and_submit)
    if isinstance(report, int):
        return report
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
        return refuse(request)
    user = signed_in_user(request)
    used = set(ProgressReport.objects.filter(cpo=cpo).values_list("period_id", flat=True))
    periods = [
        p
        for p in services.reporting_periods_ensure(user=user, biennium=cpo.biennium)
        if p.pk not in used
    ]
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
    if not can(request.user, "progress.edit", report, states=False):
        return refuse(request)
    user = signed_in_user(request)
    if request.method != "POST" and not can(user, "progress.edit", report):
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
        return refuse(request)
    try:
        services.progress_report_submit(
            user=signed_in_user(request),
            report=report,
            version=_version(request.POST.get("version")),
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
