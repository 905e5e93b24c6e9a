"""Pages of the core: home (per role), account (with API tokens), reference data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from rbm.errors import ConflictError
from rbm.ids import parse_id
from rbm.jobs import health
from rbm.models import ApiToken, Country, EmailMode, Notification, Office, Region, User
from rbm.notifications import (
    notification_mark_read,
    notification_text,
    notifications_mark_all_read,
    notifications_of,
)
from rbm.permissions import require, role_of
from rbm.services import api_token_create, api_token_revoke, user_preferences_set
from rbm.ui import panels_for


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    panels = [(panel.template, panel.context(request)) for panel in panels_for(role)]
    return render(request, "rbm/home.html", {"panels": panels})


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. the ERP import."),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the e-mails"), choices=settings.LANGUAGES
    )
    email_mode = forms.ChoiceField(
        label=gettext_lazy("E-mail notifications"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
    )


def _account_page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    context.setdefault("token_form", ApiTokenForm())
    context.setdefault(
        "preferences_form",
        PreferencesForm(initial={"language": user.language, "email_mode": user.email_mode}),
    )
    context["tokens"] = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    return render(request, "rbm/account.html", context, status=status)


@require_safe
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@require_POST
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """The language of the user's e-mails and whether they come one by one, as a daily
    digest, or not at all."""
    user = request.user
    assert isinstance(user, User)
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _account_page(request, status=400, preferences_form=form)
    try:
        user_preferences_set(user=user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _account_page(request, status=400, preferences_form=form)
    messages.success(request, _("Your notification preferences were saved."))
    return redirect("account")


NOTIFICATIONS_PAGE = 30


@require_safe
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, a page at a time."""
    user = request.user
    assert isinstance(user, User)
    page = Paginator(notifications_of(user), NOTIFICATIONS_PAGE).get_page(request.GET.get("page"))
    items = [(n, notification_text(n)) for n in page.object_list]
    return render(request, "rbm/notifications.html", {"page": page, "items": items})


@require_safe
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to its record (someone else's is a 404)."""
    user = request.user
    assert isinstance(user, User)
    notification = get_object_or_404(Notification, pk=pk, recipient=user)
    notification_mark_read(user=user, notification=notification)
    return redirect(
        notification.url if url_has_allowed_host_and_scheme(notification.url, None) else "home"
    )


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (``id``) or all of them."""
    user = request.user
    assert isinstance(user, User)
    raw = request.POST.get("id")
    if raw:
        pk = parse_id(raw)
        if pk is None:
            return HttpResponseBadRequest(_("This is not a notification's id."))
        notification = get_object_or_404(Notification, pk=pk, recipient=user)
        notification_mark_read(user=user, notification=notification)
    else:
        notifications_mark_all_read(user=user)
    return redirect("notifications")


@require_POST
@login_required
def api_token_new(request: HttpRequest) -> HttpResponse:
    """Create an API token and show its key, this once (only its hash is kept)."""
    user = request.user
    assert isinstance(user, User)
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = api_token_create(user=user, name=form.cleaned_data["name"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("name", message)
            return _account_page(request, status=400, token_form=form)
        except ConflictError as error:
            form.add_error("name", error.message)
            return _account_page(request, status=error.status_code, token_form=form)
        else:
            return _account_page(request, new_token=token, new_key=key)
    return _account_page(request, status=400, token_form=form)


@require_POST
@login_required
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    token = get_object_or_404(ApiToken, pk=pk, user=user, revoked_at__isnull=True)
    api_token_revoke(user=user, token=token)
    messages.success(
        request,
        _("The token “%(name)s” was revoked: its key no longer works.") % {"name": token.name},
    )
    return redirect("account")


@require_safe
def reference(request: HttpRequest) -> HttpResponse:
    """Regions with their member States, and the offices with the countries they cover."""
    require(request.user, "reference.view")
    regions = Region.objects.prefetch_related(
        Prefetch("countries", queryset=Country.objects.order_by("name"))
    ).annotate(country_count=Count("countries"))
    offices = (
        Office.objects.select_related("region")
        .prefetch_related(Prefetch("countries", queryset=Country.objects.order_by("name")))
        .order_by("region__position", "kind", "name")
    )
    return render(request, "rbm/reference.html", {"regions": regions, "offices": offices})


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and the container healthcheck, always JSON: the database, the
    broker and whether a worker beat recently (``rbm.jobs.health``); 503 when the database
    or the broker is down."""
    body, status = health()
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def ping(request: HttpRequest) -> JsonResponse:
    """The smallest JSON answer the server gives: the benchmarks' floor for a request."""
    return JsonResponse({"pong": True})
