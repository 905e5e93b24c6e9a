"""Request parsers: JSON that the database can store."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from rbm.api.exception_handlers import PayloadTooLarge

SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(data: Any) -> bool:
    if isinstance(data, str):
        return bool(SURROGATE.search(data))
    if isinstance(data, Mapping):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_has_surrogate(item) for item in data)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's strict JSON parser that also refuses lone surrogates ("\\ud800") and bodies
    over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413; DRF reads JSON without that limit).

    JSON may escape surrogates, but they are not Unicode text and PostgreSQL cannot store
    them: refused here, the client gets a 400 instead of the database failing.
    """

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and stream is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise PayloadTooLarge(
                    _("The request body is larger than %(limit)s MB.") % {"limit": limit // 1024**2}
                )
            stream = io.BytesIO(body)
        data = super().parse(stream, media_type, parser_context)
        if _has_surrogate(data):
            raise ParseError(_("JSON parse error - the text holds invalid characters."))
        return data
