"""Pages of the CPO spreadsheets: the export (a file download), the import page, and each
import's page while a worker runs it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dwcp import selectors, spreadsheets
from dwcp.models import CpoImport, ImportStatus
from dwcp.spreadsheets import jobs
from rbm import selectors as rbm_selectors
from rbm.errors import ApplicationError
from rbm.jobs import NOT_QUEUED_MESSAGE
from rbm.models import User
from rbm.permissions import can, require


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "The workbook (.xlsx) or a CSV file (.csv) made from the export; up to %(size)s MB "
            "and %(rows)s rows."
        ) % {
            "size": spreadsheets.MAX_IMPORT_BYTES // 1024**2,
            "rows": number_format(spreadsheets.MAX_IMPORT_ROWS, force_grouping=True),
        }


@require_safe
def cpo_export(request: HttpRequest) -> HttpResponse:
    """The CPOs of an office, a programme or a region that the user may read, as a file."""
    require(request.user, "dwcp.list")
    try:
        scope = spreadsheets.export_scope_parse(user=request.user, params=request.GET)
    except ValidationError as error:
        return render(
            request,
            "dwcp/spreadsheets/export_error.html",
            {"errors": error.messages},
            status=400,
        )
    if scope.format == "csv":
        content = spreadsheets.cpo_export_csv(user=request.user, scope=scope)
        content_type = spreadsheets.CSV_TYPE
    else:
        content = spreadsheets.cpo_export_xlsx(user=request.user, scope=scope)
        content_type = spreadsheets.XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{scope.filename()}"'
    return response


RECENT_IMPORTS = 10


@require_http_methods(["GET", "POST"])
def cpo_import(request: HttpRequest) -> HttpResponse:
    """GET: the upload form, how the file works and the recent imports; POST: check the file
    at once (every bad row listed, 400) and queue its import, then show the import's page."""
    require(request.user, "cpo.import")
    user = request.user
    assert isinstance(user, User)
    form = ImportForm()
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            status = 400
        else:
            upload = form.cleaned_data["file"]
            try:
                content = spreadsheets.read_upload(upload, size=upload.size)
                job = jobs.import_request(user=user, content=content, filename=upload.name or "")
            except spreadsheets.ImportRefused as refused:
                context["refused"] = refused
                status = 400
            except ApplicationError as error:
                form.add_error("file", error.message)
                status = error.status_code
            else:
                if job.status == ImportStatus.NOT_QUEUED:
                    messages.error(request, str(NOT_QUEUED_MESSAGE))
                return redirect("dwcp:cpo-import-detail", pk=job.pk)
    context.update(
        form=form,
        office=user.office,
        guide=spreadsheets.column_guide(rbm_selectors.funding_sources()),
        notes=spreadsheets.import_notes(),
        imports=selectors.visible_imports(user).defer("outcome")[:RECENT_IMPORTS],
    )
    return render(request, "dwcp/spreadsheets/import.html", context, status=status)


def _job_or_404(request: HttpRequest, pk: int) -> CpoImport:
    """The import, or 404 for a missing one and for another user's alike (nothing tells them
    apart)."""
    job = get_object_or_404(CpoImport.objects.select_related("uploaded_by").defer("content"), pk=pk)
    if not can(request.user, "cpo_import.view", job):
        raise Http404
    return job


@require_safe
def cpo_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: queued, importing (a bar that moves), then what it created and updated or
    every problem that stopped it."""
    job = _job_or_404(request, pk)
    return render(
        request,
        "dwcp/spreadsheets/import_detail.html",
        {
            "job": job,
            "result": jobs.import_result(job),
            "refused": jobs.import_refusal(job),
            "stalled": jobs.is_stalled(job),
            "progress": jobs.import_progress(job),
        },
    )


@require_safe
def cpo_import_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the import's page polls: its status, progress and whether it stalled."""
    job = _job_or_404(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "ended": job.ended,
            "progress": jobs.import_progress(job),
            "stalled": jobs.is_stalled(job),
        }
    )


@require_POST
def cpo_import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    user = request.user
    assert isinstance(user, User)
    try:
        job = jobs.import_retry(user=user, job=job)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if job.status == ImportStatus.NOT_QUEUED:
            messages.error(request, str(NOT_QUEUED_MESSAGE))
            return redirect("dwcp:cpo-import-detail", pk=pk)
        messages.success(request, _("The import starts again."))
    return redirect("dwcp:cpo-import-detail", pk=pk)
