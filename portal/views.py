"""The public results portal: what anyone may read, without signing in.

Only published and validated data: published programmes, and of their progress only the
reports a region validated (their narrative, the period, people reached: no author, no
reviewer, no evidence file); the framework without the internal checks of its targets;
implementation reports once marked final. Every other app is read through its selectors.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dwcp import selectors as programmes
from portal.caching import public_page
from portal.licence import LICENCE
from rbm import selectors as reference
from rbm.errors import ApplicationError
from rbm.ids import parse_id
from rbm.text import csv_cell
from reporting import selectors as reports
from reporting.exports import FORMATS, export_snapshot
from strategic_plans import selectors as framework

PUBLIC_FORMATS = ("pdf", "docx", "xlsx", "csv")


def _latest_biennium(request: HttpRequest) -> tuple[Any, list[Any]]:
    """The biennium asked for (by code) among those a programme and budget covers, else the
    latest; and all of them, latest first."""
    bienniums = list(framework.framework_bienniums())
    wanted = request.GET.get("biennium", "")
    chosen = next((b for b in bienniums if b.code == wanted), None)
    return chosen or (bienniums[0] if bienniums else None), bienniums


def _covers(plan: Any, biennium: Any) -> bool:
    return bool(plan.start_year <= biennium.start_year and biennium.end_year <= plan.end_year)


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    biennium, bienniums = _latest_biennium(request)
    plan = None
    tree = None
    if biennium is not None:
        plan = next((p for p in framework.plan_list() if _covers(p, biennium)), None)
        if plan is not None:
            tree = framework.plan_tree(plan, biennium)
    return render(
        request,
        "portal/home.html",
        {
            "biennium": biennium,
            "bienniums": bienniums,
            "plan": plan,
            "tree": tree,
            "programme_count": programmes.public_programme_count(),
            "report_count": reports.final_snapshots().count(),
        },
    )


@require_safe
@public_page
def programme_list(request: HttpRequest) -> HttpResponse:
    by_region: dict[Any, list[Any]] = {}
    for programme in programmes.public_programmes():
        by_region.setdefault(programme.country.region, []).append(programme)
    return render(
        request,
        "portal/programme_list.html",
        {"by_region": sorted(by_region.items(), key=lambda item: item[0].pk)},
    )


@require_safe
@public_page
def programme_detail(request: HttpRequest, pk: str) -> HttpResponse:
    programme_id = parse_id(pk)
    programme = programmes.public_programme(programme_id) if programme_id else None
    if programme is None:
        raise Http404(_("No published programme has this number."))
    bienniums = programmes.public_programme_bienniums(programme)
    wanted = request.GET.get("biennium", "")
    biennium = next((b for b in bienniums if b.code == wanted), bienniums[0] if bienniums else None)
    return render(
        request,
        "portal/programme_detail.html",
        {
            "programme": programme,
            "biennium": biennium,
            "bienniums": bienniums,
            "priorities": programmes.public_programme_priorities(programme, biennium),
        },
    )


@require_safe
@public_page
def outcome_detail(request: HttpRequest, pk: str) -> HttpResponse:
    outcome_id = parse_id(pk)
    outcome = framework.outcomes().filter(pk=outcome_id).first() if outcome_id else None
    if outcome is None:
        raise Http404(_("No outcome has this number."))
    bienniums = [b for b in framework.framework_bienniums() if _covers(outcome.objective.plan, b)]
    wanted = request.GET.get("biennium", "")
    biennium = next((b for b in bienniums if b.code == wanted), bienniums[0] if bienniums else None)
    regions = reference.regions()
    rows: list[dict[str, Any]] = []
    examples: list[dict[str, Any]] = []
    if biennium is not None:
        plan = framework.report_outcome_frameworks([outcome.pk], biennium).get(outcome.pk)
        results = programmes.public_results(biennium, [outcome.pk])
        for indicator in plan.indicators if plan else []:
            target = plan.targets.get(indicator.pk) if plan else None
            achieved = results.get(indicator.pk, {})
            rows.append(
                {
                    "indicator": indicator,
                    "target": target.total if target else None,
                    "result": sum(achieved.values()),
                    "regions": [
                        (
                            target.by_region.get(region.pk) if target else None,
                            achieved.get(region.pk, 0),
                        )
                        for region in regions
                    ],
                }
            )
        examples = programmes.public_examples(biennium, outcome.pk)
    names = {region.pk: region.label for region in regions}
    for example in examples:
        example["region"] = names.get(example["region_id"], "")
    return render(
        request,
        "portal/outcome_detail.html",
        {
            "outcome": outcome,
            "biennium": biennium,
            "bienniums": bienniums,
            "regions": regions,
            "rows": rows,
            "examples": examples,
        },
    )


@require_safe
@public_page
def report_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/report_list.html",
        {
            "snapshots": list(reports.final_snapshots()),
            "formats": [(code, FORMATS[code]) for code in PUBLIC_FORMATS],
        },
    )


@require_safe
@public_page
def report_download(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    snapshot_id = parse_id(pk)
    snapshot = reports.final_snapshot(snapshot_id) if snapshot_id else None
    if snapshot is None:
        raise Http404(_("No final implementation report has this number."))
    if fmt not in PUBLIC_FORMATS:
        raise Http404(_("The report is published as PDF, DOCX, XLSX and CSV only."))
    export = export_snapshot(snapshot, fmt)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@require_safe
@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    latest = reports.final_snapshots().filter(scope="whole").first()
    return render(
        request,
        "portal/open_data.html",
        {"licence": LICENCE, "iati_snapshot": latest},
    )


CPO_COLUMNS = (
    ("country", "programme__country__alpha3"),
    ("country_name", "programme__country__name"),
    ("region", "programme__country__region__code"),
    ("programme_id", "programme_id"),
    ("biennium", "biennium"),
    ("priority", "priority__number"),
    ("cpo", "code"),
    ("title", "title"),
    ("pb_outcome", "outcome__code"),
    ("indicator", "indicator__code"),
    ("prioritized", "prioritized"),
    ("targeted", "targeted"),
    ("validated_result", "validated_result"),
)


@require_safe
@public_page
def open_data_cpos(request: HttpRequest) -> HttpResponse:
    """Every CPO of a published programme, with whether a validated report claims its
    result, as CSV (UTF-8, one header row), under the portal's licence."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _key in CPO_COLUMNS])
    for row in programmes.public_cpo_rows():
        writer.writerow([csv_cell(_csv_value(row[key])) for _name, key in CPO_COLUMNS])
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="country-programme-outcomes.csv"'
    return response


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


@require_safe
@public_page
def open_data_iati(request: HttpRequest) -> HttpResponse:
    """The IATI 2.03 activities of the latest final report of the whole Office."""
    snapshot = reports.final_snapshots().filter(scope="whole").first()
    if snapshot is None:
        raise Http404(_("No implementation report is final yet: there is no IATI file."))
    try:
        export = export_snapshot(reports.final_snapshot(snapshot.pk) or snapshot, "iati")
    except ApplicationError as error:
        raise Http404(str(error)) from error
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@require_safe
@public_page
def sitemap(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    addresses = [
        reverse("portal:home"),
        reverse("portal:programme-list"),
        reverse("portal:report-list"),
        reverse("portal:data"),
    ]
    addresses += [
        reverse("portal:programme-detail", args=[p.pk]) for p in programmes.public_programmes()
    ]
    biennium = next(iter(framework.framework_bienniums()), None)
    if biennium is not None:
        addresses += [
            reverse("portal:outcome-detail", args=[o.pk])
            for o in framework.framework_outcomes(biennium)
        ]
    return render(
        request,
        "portal/sitemap.xml",
        {"urls": [base + address for address in addresses]},
        content_type="application/xml",
    )


@require_safe
def language(request: HttpRequest, code: str) -> HttpResponse:
    """Read the portal in another language (a link, so that pages hold no form to cache)."""
    languages = dict(settings.LANGUAGES)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    if code in languages:
        translation.activate(code)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response
