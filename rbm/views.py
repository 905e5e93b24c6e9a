"""Pages of the core: home (per role), account, reference data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rbm.models import Country, Office, Region
from rbm.permissions import require, role_of
from rbm.ui import panels_for


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    panels = [(panel.template, panel.context(request)) for panel in panels_for(role)]
    return render(request, "rbm/home.html", {"panels": panels})


@require_safe
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "rbm/account.html", {})


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
    """For load balancers and the container healthcheck: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
