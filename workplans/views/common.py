"""Helpers shared by the workplan pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from rbm.models import User
from rbm.pages import refuse, signed_in_user
from rbm.permissions import can
from workplans import selectors
from workplans.models import OutcomeWorkplan


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
    if not can(request.user, action, workplan, states=False):
        return refuse(request)
    return workplan, signed_in_user(request)
