"""The reporting calendar: each period's opening, due and lock dates (set by programme
officers), and the extensions offices ask for and regions grant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dwcp import selectors, services
from dwcp.models import ReportingPeriod
from dwcp.views.common import _save
from rbm.ids import parse_id
from rbm.models import Biennium, Office
from rbm.pages import FORM_METHODS, refuse, signed_in_user
from rbm.permissions import can


class DatesForm(forms.Form):
    opens_on = forms.DateField(label=gettext_lazy("Opens on"))
    due_on = forms.DateField(label=gettext_lazy("Due on"))
    locks_on = forms.DateField(label=gettext_lazy("Locks after"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ExtensionRequestForm(forms.Form):
    period: forms.ModelChoiceField[ReportingPeriod] = forms.ModelChoiceField(
        queryset=ReportingPeriod.objects.none(), label=gettext_lazy("Period")
    )
    reason = forms.CharField(
        label=gettext_lazy("Why the office needs more time"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, periods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods  # type: ignore[attr-defined]


class ExtensionGrantForm(forms.Form):
    period: forms.ModelChoiceField[ReportingPeriod] = forms.ModelChoiceField(
        queryset=ReportingPeriod.objects.none(), label=gettext_lazy("Period")
    )
    office: forms.ModelChoiceField[Office] = forms.ModelChoiceField(
        queryset=Office.objects.none(), label=gettext_lazy("Office")
    )
    ends_on = forms.DateField(label=gettext_lazy("Until"))

    def __init__(self, *args: Any, periods: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods  # type: ignore[attr-defined]
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]


def _biennium(request: HttpRequest) -> Biennium | None:
    bienniums = selectors.calendar_bienniums()
    raw = request.GET.get("biennium") or request.POST.get("biennium")
    if raw:
        pk = parse_id(raw)
        return get_object_or_404(bienniums, pk=pk) if pk is not None else None
    return bienniums.first()


@require_http_methods(FORM_METHODS)
def calendar(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "calendar.view"):
        return refuse(request)
    user = signed_in_user(request)
    biennium = _biennium(request)
    periods_qs = biennium.periods.order_by("starts_on") if biennium else None
    status = 200
    errors: list[str] = []
    date_forms: dict[int, DatesForm] = {}
    request_form = grant_form = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "defaults" and biennium is not None:
            if not can(user, "calendar.edit"):
                return refuse(request)
            done = services.reporting_calendar_set_defaults(user=user, biennium=biennium)
            messages.success(
                request, _("%(count)s periods were given the default dates.") % {"count": len(done)}
            )
            return redirect(f"{request.path}?biennium={biennium.pk}")
        if action.startswith("dates:") and periods_qs is not None:
            if not can(user, "calendar.edit"):
                return refuse(request)
            period = get_object_or_404(periods_qs, pk=parse_id(action[6:]) or 0)
            form = DatesForm(request.POST, prefix=f"p{period.pk}")
            if form.is_valid():
                data = form.cleaned_data
                saved = _save(
                    form,
                    lambda: services.reporting_period_dates_set(
                        user=user,
                        period=period,
                        version=data["version"],
                        opens_on=data["opens_on"],
                        due_on=data["due_on"],
                        locks_on=data["locks_on"],
                    ),
                )
                if not isinstance(saved, int):
                    messages.success(
                        request, _("The dates of %(period)s were saved.") % {"period": period}
                    )
                    return redirect(f"{request.path}?biennium={biennium.pk}")  # type: ignore[union-attr]
                status = saved
            else:
                status = 400
            date_forms[period.pk] = form
        elif action == "request" and periods_qs is not None:
            office = user.office
            if office is None or not can(user, "extension.request", office):
                return refuse(request)
            request_form = ExtensionRequestForm(request.POST, periods=periods_qs)
            if request_form.is_valid():
                data = request_form.cleaned_data
                asked = _save(
                    request_form,
                    lambda: services.extension_request(
                        user=user,
                        period=data["period"],
                        office=office,
                        reason=data["reason"],
                    ),
                )
                if not isinstance(asked, int):
                    messages.success(request, _("Your region was asked for an extension."))
                    return redirect(f"{request.path}?biennium={biennium.pk}")  # type: ignore[union-attr]
                status = asked
            else:
                status = 400
        elif action == "grant" and periods_qs is not None:
            offices = selectors.grantable_offices(user)
            grant_form = ExtensionGrantForm(request.POST, periods=periods_qs, offices=offices)
            if not offices.exists():
                return refuse(request)
            if grant_form.is_valid():
                data = grant_form.cleaned_data
                granted = _save(
                    grant_form,
                    lambda: services.extension_grant(
                        user=user,
                        period=data["period"],
                        office=data["office"],
                        ends_on=data["ends_on"],
                    ),
                )
                if not isinstance(granted, int):
                    messages.success(request, _("The extension was granted."))
                    return redirect(f"{request.path}?biennium={biennium.pk}")  # type: ignore[union-attr]
                status = granted
            else:
                status = 400
        else:
            status = 400
            errors.append(_("Choose what to do: this request names no action."))
    today = timezone.localdate()
    periods = selectors.calendar_periods(biennium) if biennium else []
    may_edit = can(user, "calendar.edit")
    rows = []
    for period in periods:
        form = date_forms.get(period.pk) or DatesForm(
            prefix=f"p{period.pk}",
            initial={
                "opens_on": period.opens_on,
                "due_on": period.due_on,
                "locks_on": period.locks_on,
                "version": period.version,
            },
        )
        state = (
            _("no dates set")
            if period.locks_on is None
            else _("locked")
            if period.locked_on(today)
            else _("not yet open")
            if not period.open_on(today)
            else _("overdue")
            if period.due_on and today > period.due_on
            else _("open")
        )
        rows.append({"period": period, "form": form if may_edit else None, "state": state})
    may_request = user.office is not None and can(user, "extension.request", user.office)
    offices = selectors.grantable_offices(user)
    return render(
        request,
        "dwcp/calendar.html",
        {
            "biennium": biennium,
            "bienniums": selectors.calendar_bienniums(),
            "rows": rows,
            "may_edit": may_edit,
            "errors": errors,
            "extensions": list(selectors.visible_extensions(user)),
            "request_form": (request_form or ExtensionRequestForm(periods=periods_qs))
            if may_request and periods_qs is not None
            else None,
            "grant_form": (grant_form or ExtensionGrantForm(periods=periods_qs, offices=offices))
            if periods_qs is not None and offices.exists()
            else None,
            "office": Office.objects.filter(pk=user.office_id).first() if user.office_id else None,
        },
        status=status,
    )
