"""Helpers shared by the workplan pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from rbm.models import User
from rbm.permissions import can
from workplans import selectors
from workplans.models import OutcomeWorkplan

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


def _workplan_or_404(pk: int) -> OutcomeWorkplan:
    try:
        return selectors.workplan_for_page(pk)
    except OutcomeWorkplan.DoesNotExist:
        raise Http404 from None


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _tabs(user: Any, current: str) -> list[dict[str, Any]]:
    """The links between the workplan pages the user may open."""
    tabs = [
        ("list", _("Workplans"), "workplans:list", "workplan.view"),
        ("table", _("Demand and targets"), "workplans:table", "workplan.table"),
        ("review", _("Review queue"), "workplans:review-queue", "workplan.review"),
        ("published", _("Published figures"), "workplans:published", "workplan.table"),
    ]
    return [
        {"label": label, "url": reverse(name), "current": key == current}
        for key, label, name, action in tabs
        if can(user, action)
    ]


def _write(
    request: HttpRequest, pk: int, action: str
) -> tuple[OutcomeWorkplan, User] | HttpResponse:
    """The workplan and the user for a POST, or the refusal (login page or 403)."""
    workplan = _workplan_or_404(pk)
    if not can(request.user, action, workplan):
        return _refuse(request)
    return workplan, _user(request)
