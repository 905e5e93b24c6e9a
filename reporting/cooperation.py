"""The report's resources from development cooperation projects (``cooperation``): per P&B
outcome and region, needed, secured, in the pipeline, delivered and the gap, with the count
of projects and proposals outside every DWCP; and the approved projects serving the report's
CPOs, for the IATI export. Read by the figures part in a fixed number of queries, batched
over the outcomes; kept under the content's ``cooperation`` key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cooperation.selectors import report_projects, report_resources

if TYPE_CHECKING:
    from reporting.models import ReportRun
    from strategic_plans.models import Outcome


def cooperation_figures(
    run: ReportRun,
    outcomes: Iterable[Outcome],
    region_ids: list[int],
    achieved_cpos: set[str],
) -> dict[str, Any]:
    outcomes = list(outcomes)
    ids = [o.pk for o in outcomes]
    money = report_resources(ids, run.biennium_id, region_ids)
    projects = report_projects(ids, run.biennium_id, region_ids)
    for project in projects:
        for cpo in project["cpos"]:
            cpo["achieved"] = cpo["code"] in achieved_cpos
    return {
        "resources": {
            outcome.code: money["outcomes"][outcome.pk]
            for outcome in outcomes
            if outcome.pk in money["outcomes"]
        },
        "outside_dwcp": money["outside_dwcp"],
        "projects": projects,
    }
