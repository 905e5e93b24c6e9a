"""What files people may attach: extensions and size."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DOCUMENT_EXTENSIONS = ["pdf", "docx", "doc", "odt"]
EVIDENCE_EXTENSIONS = [*DOCUMENT_EXTENSIONS, "xlsx", "xls", "csv", "png", "jpg", "jpeg"]
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def validate_upload_size(upload: object) -> None:
    size = getattr(upload, "size", 0) or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            params={
                "size": math.ceil(size / 1024 / 1024 * 10) / 10,
                "limit": MAX_UPLOAD_BYTES // 1024**2,
            },
            code="file_too_large",
        )
