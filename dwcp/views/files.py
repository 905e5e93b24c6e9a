"""The files of country programmes: a programme's signed document and a progress report's
evidence, each served only to who may read its record (``rbm.files``)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_safe

from dwcp.views.common import _programme_or_404
from dwcp.views.progress import _report_or_404
from rbm.files import file_response


@require_safe
def programme_document(request: HttpRequest, pk: int) -> FileResponse:
    """The signed document, for who may read the programme (everyone once it is published)."""
    return file_response(_programme_or_404(request, pk).signed_document)


@require_safe
def progress_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A report's evidence file, for who may read the report (everyone once validated)."""
    return file_response(_report_or_404(request, pk).evidence_file)
