"""Helpers shared by the country programme pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from dwcp import selectors
from dwcp.models import CountryProgrammeOutcome, DecentWorkCountryProgramme, ReviewState
from rbm.models import User
from rbm.permissions import can

PAGE_SIZE = 50
EDITABLE_STATES = {ReviewState.DRAFT, ReviewState.RETURNED}
FORM_METHODS = ["GET", "HEAD", "POST"]


def _user(request: HttpRequest) -> User:
    """The signed-in user (views call this after a permission check that needs one)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _refuse(request: HttpRequest) -> HttpResponse:
    """403, or the login page for a visitor who is not signed in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(_("You are not allowed to do this."))


def _version(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _spreadsheet_url(name: str, **params: Any) -> str | None:
    """The export or import address with its filters, or None while it does not exist."""
    try:
        url = reverse(f"dwcp:{name}")
    except NoReverseMatch:
        return None
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def _programme_or_404(request: HttpRequest, pk: int) -> DecentWorkCountryProgramme:
    programme = get_object_or_404(
        DecentWorkCountryProgramme.objects.select_related("country__region", "office"), pk=pk
    )
    if not can(request.user, "dwcp.view", programme):
        raise Http404
    return programme


def _cpo_or_404(request: HttpRequest, pk: int) -> CountryProgrammeOutcome:
    try:
        cpo = selectors.cpo_detail(pk)
    except CountryProgrammeOutcome.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "dwcp.view", cpo):
        raise Http404
    return cpo


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _valid_data(form: Any) -> dict[str, Any]:
    """The filters that are valid (a bad value in the address is ignored, not an error)."""
    form.is_valid()
    return {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")}
