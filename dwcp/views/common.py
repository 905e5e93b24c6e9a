"""Helpers shared by the country programme pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from dwcp import selectors
from dwcp.models import CountryProgrammeOutcome, DecentWorkCountryProgramme
from rbm.errors import ApplicationError
from rbm.pages import add_service_errors
from rbm.permissions import can

PAGE_SIZE = 50
Saved = TypeVar("Saved")


def _save(form: forms.BaseForm, save: Callable[[], Saved]) -> Saved | int:
    """Run ``save`` (services writing what ``form`` holds) in one transaction and return what
    it returns; or, when a service refuses, put its messages on the form and return the
    status to show the form again with: 400 for wrong data (on the fields it names), the
    refusal's own status otherwise (409 for a stale version)."""
    try:
        with transaction.atomic():
            return save()
    except ValidationError as error:
        add_service_errors(form, error)
        return 400
    except ApplicationError as error:
        form.add_error(None, error.message)
        return error.status_code


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
