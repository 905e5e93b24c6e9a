"""Reporting coverage per region and office, and reminders to the offices behind."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dwcp import selectors, services
from dwcp.models import ReportingPeriod
from rbm.errors import ApplicationError
from rbm.ids import parse_id
from rbm.models import Office
from rbm.pages import FORM_METHODS, refuse, signed_in_user
from rbm.permissions import can


@require_http_methods(FORM_METHODS)
def reminders(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "reminder.send"):
        return refuse(request)
    user = signed_in_user(request)
    raw = request.GET.get("period") or request.POST.get("period")
    if raw:
        period = get_object_or_404(ReportingPeriod, pk=parse_id(raw) or 0)
    else:
        period = selectors.period_now(timezone.localdate())  # type: ignore[assignment]
    status = 200
    errors: list[str] = []
    if request.method == "POST" and period is not None:
        office = get_object_or_404(Office, pk=parse_id(request.POST.get("office", "")) or 0)
        try:
            reminder = services.reminder_send(user=user, period=period, office=office)
        except ApplicationError as error:
            status = error.status_code
            errors.append(error.message)
        else:
            messages.success(
                request,
                _("%(office)s was reminded of %(count)s missing reports.")
                % {"office": office.name, "count": reminder.missing},
            )
            return redirect(f"{request.path}?period={period.pk}")
    return render(
        request,
        "dwcp/reminders.html",
        {
            "period": period,
            "periods": ReportingPeriod.objects.select_related("biennium").order_by("-starts_on"),
            "regions": selectors.reporting_coverage(period) if period else [],
            "errors": errors,
        },
        status=status,
    )
