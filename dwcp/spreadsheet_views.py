"""Pages of the CPO spreadsheets: the export (a file download) and the import page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from dwcp import spreadsheets
from rbm.errors import ApplicationError
from rbm.models import FundingSource, User
from rbm.permissions import require


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


@require_http_methods(["GET", "POST"])
def cpo_import(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and how the file works; POST: import it, all rows or none."""
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
                context["result"] = spreadsheets.cpo_import(
                    user=user, upload=upload, filename=upload.name or "", size=upload.size
                )
            except spreadsheets.ImportRefused as refused:
                context["refused"] = refused
                status = 400
            except ApplicationError as error:
                form.add_error("file", error.message)
                status = error.status_code
    context.update(
        form=form,
        office=user.office,
        guide=spreadsheets.column_guide(FundingSource.objects.all()),
        notes=spreadsheets.import_notes(),
    )
    return render(request, "dwcp/spreadsheets/import.html", context, status=status)
