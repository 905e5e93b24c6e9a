"""The dashboards' pages: the figures as charts and tables, and as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from dwcp import selectors as programmes
from rbm import selectors as reference
from rbm.ids import parse_id
from rbm.permissions import can
from rbm.text import csv_cell
from reporting.dashboards.figures import (
    SCOPES,
    cached_dashboard,
    reader_key,
    rows_for_csv,
)
from reporting.dashboards.worldmap import STEPS, step_of, world_map
from strategic_plans import selectors as framework


@require_safe
def dashboard_page(request: HttpRequest, scope: str = "office", pk: str = "") -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "dashboard.view"):
        raise PermissionDenied(_("You are not allowed to do this."))
    if request.GET.get("scope") or request.GET.get("pk"):
        # A picker's choice: the dashboard's own address.
        chosen, picked = request.GET.get("scope", ""), parse_id(request.GET.get("pk"))
        if chosen not in SCOPES or picked is None:
            raise Http404(_("Choose what to show a dashboard of."))
        target = reverse("reporting:dashboard-of", args=[chosen, picked])
        code = request.GET.get("biennium", "")
        return redirect(target + (f"?biennium={quote(code)}" if code else ""))
    board = cached_dashboard(
        request.user, scope, parse_id(pk) if pk else None, request.GET.get("biennium")
    )
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        for row in rows_for_csv(board):
            writer.writerow([csv_cell(value) for value in row])
        response = HttpResponse(
            out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        name = f"dashboard-{scope}{'-' + str(board.subject.pk) if board.subject else ''}"
        code = board.biennium.code if board.biennium else "none"
        response["Content-Disposition"] = f'attachment; filename="{name}-{code}.csv"'
        return response
    biennium = board.biennium
    return render(
        request,
        "reporting/dashboard.html",
        {
            "board": board,
            "regions": reference.regions(),
            "pickers": [
                (
                    "outcome",
                    _("Outcome"),
                    [
                        (o.pk, f"{o.code} {o.title[:60]}")
                        for o in (framework.framework_outcomes(biennium) if biennium else [])
                    ],
                ),
                (
                    "country",
                    _("Country"),
                    [(c.pk, c.label) for c in programmes.programme_filter_countries(request.user)],
                ),
                (
                    "programme",
                    _("Country programme"),
                    [
                        (p.pk, f"{p.country.label} {p.period}")
                        for p in programmes.visible_programmes(request.user).filter(
                            country_id=board.subject.pk
                        )
                    ]
                    if scope == "country"
                    else [],
                ),
            ],
        },
    )


MAP_FIGURES = {
    "cpos": gettext_lazy("CPOs"),
    "results": gettext_lazy("Results (validated)"),
    "resources": gettext_lazy("Resources planned (USD)"),
    "programmes": gettext_lazy("Country programmes"),
    "phase": gettext_lazy("Phase of the latest programme"),
}


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    """The world map coloured by a chosen figure; each country a link to its dashboard."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "dashboard.view"):
        raise PermissionDenied(_("You are not allowed to do this."))
    bienniums = list(framework.framework_bienniums())
    wanted = request.GET.get("biennium", "")
    biennium = next((b for b in bienniums if b.code == wanted), bienniums[0] if bienniums else None)
    figure = request.GET.get("figure", "cpos")
    if figure not in MAP_FIGURES:
        figure = "cpos"
    figures = _country_figures(request.user, biennium.pk) if biennium else {}
    phases = programmes.phase_choices()
    phase_step = {
        value: min(index * 5 // len(phases), 4) for index, (value, _l) in enumerate(phases)
    }
    phase_label = dict(phases)
    top = max([float(f[figure]) for f in figures.values() if figure != "phase"] + [0.0])
    items = []
    suffix = f"?biennium={biennium.code}" if biennium else ""
    for country in programmes.programme_filter_countries(request.user):
        entry = figures.get(country.pk)
        if entry is None:
            continue
        if figure == "phase":
            step = phase_step.get(entry["phase"])
            text = phase_label.get(entry["phase"], "—")
        else:
            step = step_of(float(entry[figure]), top)
            text = f"{entry[figure]:,.0f}"
        items.append(
            {
                "alpha3": country.alpha3,
                "name": country.label,
                "url": reverse("reporting:dashboard-of", args=["country", country.pk]) + suffix,
                "step": step,
                "text": text,
                "entry": entry,
                "phase": phase_label.get(entry["phase"], ""),
            }
        )
    if figure == "phase":
        legend = [
            (
                STEPS[step],
                ", ".join(str(label) for value, label in phases if phase_step[value] == step),
            )
            for step in sorted(set(phase_step.values()))
        ]
    else:
        legend = (
            [
                (STEPS[step], f"{top * step / 5:,.0f} – {top * (step + 1) / 5:,.0f}")
                for step in range(5)
            ]
            if top
            else []
        )
    return render(
        request,
        "reporting/map.html",
        {
            "biennium": biennium,
            "bienniums": bienniums,
            "figure": figure,
            "figures": list(MAP_FIGURES.items()),
            "figure_label": MAP_FIGURES[figure],
            "svg": world_map(str(MAP_FIGURES[figure]), items),
            "items": items,
            "legend": legend,
        },
    )


def _country_figures(user: Any, biennium_id: int) -> dict[int, dict[str, Any]]:
    """The map's figures, kept a minute for readers who may read the same CPOs."""
    key = f"dashboard-map:{reader_key(user)}:{biennium_id}"
    figures: dict[int, dict[str, Any]] | None = cache.get(key)
    if figures is None:
        figures = programmes.country_figures(user, biennium_id)
        cache.set(key, figures, settings.DASHBOARD_CACHE_SECONDS)
    return figures
