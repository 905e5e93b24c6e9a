"""The pages that add and edit a programme's priorities."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dwcp import services
from dwcp.forms import PriorityForm
from dwcp.models import MAX_PRIORITIES, CountryProgrammePriority
from dwcp.views.common import _programme_or_404, _save
from rbm.pages import FORM_METHODS, refuse, signed_in_user
from rbm.permissions import can


@require_http_methods(FORM_METHODS)
def priority_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    if not can(request.user, "dwcp.change", programme):
        return refuse(request)
    status = 200
    if request.method == "POST":
        form = PriorityForm(request.POST)
        if form.is_valid():
            created = _save(
                form,
                lambda: services.priority_create(
                    user=signed_in_user(request),
                    programme=programme,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                ),
            )
            if not isinstance(created, int):
                messages.success(request, _("The priority was added."))
                return redirect("dwcp:programme-detail", programme.pk)
        status = 400
    else:
        form = PriorityForm()
    full = programme.priorities.count() >= MAX_PRIORITIES
    return render(
        request,
        "dwcp/priority_form.html",
        {"programme": programme, "form": form, "full": full, "priority": None},
        status=status,
    )


@require_http_methods(FORM_METHODS)
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(
        CountryProgrammePriority.objects.select_related(
            "programme__country__region", "programme__office"
        ),
        pk=pk,
    )
    programme = priority.programme
    if not can(request.user, "dwcp.view", programme):
        raise Http404
    if not can(request.user, "dwcp.change", priority):
        return refuse(request)
    status = 200
    if request.method == "POST":
        form = PriorityForm(request.POST)
        if form.is_valid():
            saved = _save(
                form,
                lambda: services.priority_update(
                    user=signed_in_user(request),
                    priority=priority,
                    version=form.cleaned_data["version"],
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                ),
            )
            if not isinstance(saved, int):
                messages.success(request, _("The priority was saved."))
                return redirect("dwcp:programme-detail", programme.pk)
            status = saved
        else:
            status = 400
    else:
        form = PriorityForm(
            initial={
                "title": priority.title,
                "description": priority.description,
                "version": priority.version,
            }
        )
    return render(
        request,
        "dwcp/priority_form.html",
        {
            "programme": programme,
            "form": form,
            "full": False,
            "priority": priority,
            "conflict": status == 409,
        },
        status=status,
    )
