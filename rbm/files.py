"""Serving stored files: only through a view that has checked the reader's permission.

Nothing serves ``MEDIA_ROOT`` as a folder, in the demo or in production: a signed programme
document or a progress report's evidence is answered by its record's view (e.g.
``dwcp:programme-document``), which asks the permission table's read rule of the record
(404 for a reader who may not read it, as for the record's page) and then streams the file
with ``file_response``: an attachment with a safe name, never shown inline, never cached by a
shared cache.
"""

from __future__ import annotations

import posixpath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename


def safe_file_name(name: str, *, default: str = "file") -> str:
    """The stored file's own name without its folders, in letters, digits, ``-_.`` only."""
    base = posixpath.basename(name.replace("\\", "/"))
    try:
        return get_valid_filename(base)
    except Exception:  # Django refuses a name left empty (e.g. "..")
        return default


def file_response(stored: FieldFile) -> FileResponse:
    """The stored file streamed as an attachment; 404 when the record has none or it is gone."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=safe_file_name(stored.name or ""))
    response["Cache-Control"] = "private, no-store"
    # Opened by mistake in the browser, a document still runs nothing.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
