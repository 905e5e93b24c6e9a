"""Pages of the implementation report: request a run, watch it, download and compare
snapshots, mark one final. Every download checks the permission again."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from rbm.errors import ApplicationError
from rbm.fields import form_field
from rbm.ids import parse_id
from rbm.jobs import NOT_QUEUED_MESSAGE
from rbm.models import Region, User
from rbm.pages import add_service_errors
from rbm.permissions import can
from reporting import selectors, services
from reporting.completeness import snapshot_gaps
from reporting.exports import FORMATS, export_snapshot
from reporting.exports.html import html_report
from reporting.models import Language, ReportRun, ReportSnapshot, RunStatus, Scope
from strategic_plans import selectors as framework


def _require(request: HttpRequest, action: str, obj: object = None) -> None:
    if not can(request.user, action, obj):
        if not request.user.is_authenticated:
            raise _LoginRequired
        raise PermissionDenied(_("You are not allowed to do this."))


class _LoginRequired(Exception):
    pass


def _guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send visitors who are not signed in to the login page instead of a 403."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())

    return wrapped


class RunRequestForm(forms.Form):
    biennium = forms.ModelChoiceField(
        queryset=framework.framework_bienniums(),
        label=gettext_lazy("Biennium"),
        empty_label=None,
    )
    scope = forms.ChoiceField(
        choices=Scope.choices,
        initial=Scope.WHOLE,
        label=gettext_lazy("Scope"),
        widget=forms.RadioSelect,
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(), required=False, label=gettext_lazy("Region")
    )
    objective = forms.ModelChoiceField(
        queryset=framework.objectives_with_programme(),
        required=False,
        label=gettext_lazy("Strategic objective"),
    )
    language = forms.ChoiceField(
        choices=Language.choices, initial=Language.ENGLISH, label=gettext_lazy("Language")
    )
    introduction = form_field(
        ReportRun,
        "introduction",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Printed at the head of the executive summary, as typed (paragraphs separated by "
            "blank lines). Write it in the report's language."
        ),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        # The select of a scope not chosen is ignored; which field a scope needs is the
        # model's rule (ReportRun.clean), answered by the service.
        scope = data.get("scope")
        if scope != Scope.REGION:
            data["region"] = None
        if scope != Scope.OBJECTIVE:
            data["objective"] = None
        return data


def _index_context(request: HttpRequest, form: RunRequestForm | None) -> dict[str, object]:
    runs = Paginator(selectors.run_list(), 20).get_page(request.GET.get("page"))
    return {
        "form": form,
        "runs": runs,
        "snapshots": selectors.snapshot_list()[:20],
        "may_request": can(request.user, "report.request"),
        "stalled": {run.pk for run in runs if services.is_stalled(run)},
    }


@require_safe
@_guard
def index(request: HttpRequest) -> HttpResponse:
    _require(request, "report.view")
    form = RunRequestForm() if can(request.user, "report.request") else None
    return render(request, "reporting/index.html", _index_context(request, form))


@require_POST
@_guard
def request_run(request: HttpRequest) -> HttpResponse:
    _require(request, "report.request")
    form = RunRequestForm(request.POST)
    if form.is_valid():
        user = request.user
        assert isinstance(user, User)
        try:
            run = services.report_run_request(
                user=user,
                biennium=form.cleaned_data["biennium"],
                scope=form.cleaned_data["scope"],
                region=form.cleaned_data["region"],
                objective=form.cleaned_data["objective"],
                language=form.cleaned_data["language"],
                introduction=form.cleaned_data["introduction"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if run.status == RunStatus.NOT_QUEUED:
                messages.error(request, str(NOT_QUEUED_MESSAGE))
            else:
                messages.success(request, _("The report is being compiled."))
            return redirect("reporting:run", pk=run.pk)
    return render(request, "reporting/index.html", _index_context(request, form), status=400)


@require_safe
@_guard
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "report.view")
    run = get_object_or_404(selectors.run_list(), pk=pk)
    return render(
        request,
        "reporting/run_detail.html",
        {
            "run": run,
            "stalled": services.is_stalled(run),
            "may_retry": can(request.user, "report.retry", run),
            "formats": FORMATS,
        },
    )


@require_safe
@_guard
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar needs, polled by the run page."""
    _require(request, "report.view")
    run = get_object_or_404(ReportRun.objects.select_related("snapshot"), pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "progress": run.progress,
            "error": run.error,
            "stalled": services.is_stalled(run),
            "snapshot_url": reverse("reporting:snapshot", args=[run.snapshot_id])
            if run.snapshot_id
            else None,
        }
    )


@require_POST
@_guard
def run_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "report.retry")  # the role; the run's state is the service's answer
    run = get_object_or_404(ReportRun, pk=pk)
    user = request.user
    assert isinstance(user, User)
    try:
        run = services.report_run_retry(user=user, run=run)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("reporting:run", pk=pk)
    if run.status == RunStatus.NOT_QUEUED:
        messages.error(request, str(NOT_QUEUED_MESSAGE))
    else:
        messages.success(request, _("The run starts again."))
    return redirect("reporting:run", pk=pk)


def _snapshot_or_404(pk: int) -> ReportSnapshot:
    return get_object_or_404(
        ReportSnapshot.objects.select_related("biennium", "region", "objective", "finalized_by"),
        pk=pk,
    )


def _snapshot_page(
    request: HttpRequest,
    snapshot: ReportSnapshot,
    *,
    gap_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    others = (
        selectors.snapshot_list().filter(biennium=snapshot.biennium).exclude(pk=snapshot.pk)[:50]
    )
    outcomes = [
        outcome
        for objective in snapshot.content.get("objectives", [])
        for outcome in objective["outcomes"]
    ]
    gaps = snapshot_gaps(snapshot.content)
    return render(
        request,
        "reporting/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "content": snapshot.content,
            "outcomes": outcomes,
            "formats": FORMATS,
            "others": others,
            "gaps": gaps,
            "gap_keys": " ".join(gap.key for gap in gaps),
            "gap_errors": gap_errors or [],
            "may_finalize": can(request.user, "report.finalize", snapshot),
            "may_download": can(request.user, "report.download", snapshot),
            "run": snapshot.runs.order_by("-pk").first(),
        },
        status=status,
    )


@require_safe
@_guard
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "report.view")
    return _snapshot_page(request, _snapshot_or_404(pk))


@require_safe
@_guard
def snapshot_read(request: HttpRequest, pk: int) -> HttpResponse:
    """The web version of the report: the document the DOCX and PDF print, as a page, in the
    snapshot's language, made from its content only."""
    snapshot = _snapshot_or_404(pk)
    _require(request, "report.download", snapshot)
    with translation.override(snapshot.language):
        report = html_report(snapshot)
    return render(
        request,
        "reporting/read.html",
        {"snapshot": snapshot, "report": report, "language": snapshot.language},
    )


@require_safe
@_guard
def snapshot_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """An export of the snapshot, made from its content; the permission is checked each time."""
    snapshot = _snapshot_or_404(pk)
    _require(request, "report.download", snapshot)
    if fmt not in FORMATS:
        raise Http404(_("Unknown format."))
    try:
        export = export_snapshot(snapshot, fmt)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("reporting:snapshot", pk=snapshot.pk)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@_guard
def snapshot_final(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = _snapshot_or_404(pk)
    _require(request, "report.finalize")  # the role; the snapshot's state is the service's answer
    user = request.user
    assert isinstance(user, User)
    # The page's one checkbox carries the keys of every gap it lists, space-separated.
    confirm = [key for value in request.POST.getlist("confirm_gaps") for key in value.split()]
    try:
        services.snapshot_mark_final(user=user, snapshot=snapshot, confirm_gaps=confirm)
    except ValidationError as error:
        return _snapshot_page(request, snapshot, gap_errors=error.messages, status=400)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The snapshot is final: it will never change. New runs make new ones.")
        )
    return redirect("reporting:snapshot", pk=pk)


@require_safe
@_guard
def compare(request: HttpRequest) -> HttpResponse:
    _require(request, "report.view")
    before_id, after_id = parse_id(request.GET.get("a")), parse_id(request.GET.get("b"))
    if before_id is None or after_id is None:
        return render(
            request,
            "reporting/compare.html",
            {"error": _("Choose two snapshots to compare.")},
            status=400,
        )
    before, after = _snapshot_or_404(before_id), _snapshot_or_404(after_id)
    changes = selectors.compare_snapshots(before, after)
    return render(
        request,
        "reporting/compare.html",
        {"before": before, "after": after, "changes": changes},
    )
