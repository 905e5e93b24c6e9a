"""What makes the public pages cheap to serve again: an ETag and a Last-Modified date from
a stamp of the data they show, and their rendered body kept under that ETag.

The stamp (the number and latest change of the published framework, programmes, CPOs,
validated reports and final reports) is read at most once every ``STAMP_SECONDS``: a page
may show a change that much later. A conditional request whose ETag still holds is a 304;
any other is answered from the kept body while the stamp is unchanged. The pages show the
same thing to everyone, signed in or not (nothing of the visitor), so one body serves all.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from dwcp import selectors as programmes
from reporting import selectors as reports
from strategic_plans import selectors as framework

STAMP_SECONDS = 30
BODY_SECONDS = 600
MAX_AGE = 60
_STAMP_KEY = "portal:stamp"


def data_stamp() -> tuple[str, float | None]:
    """The stamp of everything the portal shows, as a hex digest and the latest change as a
    POSIX time (None before any data)."""
    kept = cache.get(_STAMP_KEY)
    if kept is not None:
        return kept
    parts = (
        programmes.public_stamp(),
        reports.final_snapshots_stamp(),
        framework.framework_stamp(),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:20]
    times = [at.timestamp() for _n, at in parts if at is not None]
    stamp = (digest, max(times) if times else None)
    cache.set(_STAMP_KEY, stamp, STAMP_SECONDS)
    return stamp


def forget_stamp() -> None:
    """Read the stamp again on the next request (tests, and after a publication)."""
    cache.delete(_STAMP_KEY)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A GET or HEAD view of the portal: answered with an ETag and Last-Modified from the data
    stamp, a 304 when the client's copy holds, else the kept body of this address and
    language, else the view's answer (kept when it is a 200)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        digest, changed = data_stamp()
        address = f"{get_language()}|{request.get_full_path()}"
        etag = '"' + hashlib.sha256(f"{digest}|{address}".encode()).hexdigest()[:32] + '"'
        last_modified = int(changed) if changed is not None else None
        conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if conditional is not None:
            return _headers(conditional, etag, last_modified)
        key = f"portal:page:{etag}"
        keep = settings.PORTAL_KEEP_PAGES
        kept = cache.get(key) if keep else None
        if kept is not None:
            content, content_type, extra = kept
            response = HttpResponse(content, content_type=content_type)
            for name, value in extra.items():
                response[name] = value
        else:
            response = view(request, *args, **kwargs)
            if keep and response.status_code == 200 and not response.streaming:
                extra = {
                    name: response[name]
                    for name in ("Content-Disposition", "Content-Language")
                    if response.has_header(name)
                }
                cache.set(key, (response.content, response["Content-Type"], extra), BODY_SECONDS)
        if response.status_code == 200:
            _headers(response, etag, last_modified)
        return response

    return wrapped


def _headers(response: HttpResponse, etag: str, last_modified: int | None) -> HttpResponse:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
