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
# No request the API documents nests deeper than a bulk request's items' lists (about 4).
MAX_DEPTH = 32


def _depth_and_surrogate(data: Any) -> tuple[int, bool]:
    """How deep ``data`` nests, and whether a text in it holds a lone surrogate; walked
    without recursion, so that no nesting exhausts the stack."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if SURROGATE.search(value):
                return deepest, True
            continue
        if isinstance(value, Mapping):
            children = [*value.keys(), *value.values()]
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest, False
        stack.extend((child, depth + 1) for child in children)
    return deepest, False


class JSONParser(parsers.JSONParser):
    """DRF's strict JSON parser that also refuses lone surrogates ("\\ud800"), data nested
    deeper than ``MAX_DEPTH`` (400, where deeper nesting exhausted the stack: a 500) and
    bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413; DRF reads JSON without that limit).

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
        too_deep = ParseError(
            _("JSON parse error - the data nests deeper than %(depth)s levels.")
            % {"depth": MAX_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        depth, surrogate = _depth_and_surrogate(data)
        if depth > MAX_DEPTH:
            raise too_deep
        if surrogate:
            raise ParseError(_("JSON parse error - the text holds invalid characters."))
        return data
