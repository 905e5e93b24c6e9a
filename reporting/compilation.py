"""Compiling the programme implementation report: the parts and how they join.

A run is split into parts: one per P&B outcome in scope (targets, results, resources,
strategy, mid-term review, demand against targets) and one per region in scope (the country
programmes with their outcomes, for the IATI export). Each part reads in a fixed number of
queries whatever the data size, and is pure: the same data gives the same part. The join
orders the parts, adds the totals and computes the SHA-256 of the canonical JSON, so the same
data always gives the same hash.

Everything the report counts comes from validated data: a result counts against an indicator
only when a validated progress report of the CPO claims it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from dwcp.selectors import report_programme_rows, report_resources, report_results
from rbm.models import FundingSource, Region
from reporting.models import ReportRun, Scope
from strategic_plans.selectors import report_outcome_framework
from workplans.selectors import demand_target_table, report_midterm_review

CONTENT_VERSION = 1


@dataclass(frozen=True)
class PartSpec:
    key: str
    outcome_id: int | None = None
    region_id: int | None = None


def _money(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)):.2f}"


def _rate(done: int, target: int | None) -> str | None:
    if not target:
        return None
    return f"{Decimal(done) / Decimal(target):.4f}"


def run_regions(run: ReportRun) -> list[Region]:
    regions = list(Region.objects.all())
    if run.scope == Scope.REGION:
        regions = [r for r in regions if r.pk == run.region_id]
    return regions


def outline(run: ReportRun) -> list[PartSpec]:
    """The parts of a run, in the order the report shows them."""
    from workplans.selectors import framework_outcomes

    outcomes = framework_outcomes(run.biennium)
    if run.scope == Scope.OBJECTIVE:
        outcomes = outcomes.filter(objective_id=run.objective_id)
    specs = [
        PartSpec(
            key=f"outcome-{outcome.objective.number:02d}-{outcome.position:03d}-{outcome.code}",
            outcome_id=outcome.pk,
        )
        for outcome in outcomes.select_related("objective")
    ]
    specs += [
        PartSpec(key=f"programmes-{region.position:02d}-{region.code}", region_id=region.pk)
        for region in run_regions(run)
    ]
    return specs


def compile_outcome_part(run: ReportRun, outcome_id: int) -> dict[str, Any]:
    """The section of one outcome. A fixed number of queries, whatever the data size."""
    with translation.override(run.language):
        regions = run_regions(run)
        region_codes = {r.pk: r.code for r in regions}
        sources = list(FundingSource.objects.all())
        framework = report_outcome_framework(outcome_id, run.biennium)
        outcome = framework.outcome
        results = report_results(run.biennium, outcome_id, region_ids=list(region_codes))
        indicators = []
        for indicator in framework.indicators:
            target = framework.targets.get(indicator.pk)
            by_region = {
                region_codes[region_id]: value
                for region_id, value in (target.by_region if target else {}).items()
                if region_id in region_codes
            }
            if run.scope == Scope.REGION:
                stated = sum(by_region.values()) if by_region else None
            else:
                stated = target.total if target else None
            found = results.get(indicator.pk, {})
            result_by_region = {
                region_codes[region_id]: count
                for region_id, count in found.get("by_region", {}).items()
                if region_id in region_codes
            }
            achieved = sum(result_by_region.values())
            indicators.append(
                {
                    "code": indicator.code,
                    "text": indicator.text,
                    "unit": indicator.unit,
                    "baseline": indicator.baseline,
                    "measurement_criteria": indicator.measurement_criteria,
                    "target": stated,
                    "target_by_region": {
                        code: by_region.get(code) for code in region_codes.values()
                    },
                    "target_warning": bool(
                        target
                        and by_region
                        and sum(by_region.values()) != target.total
                        and run.scope != Scope.REGION
                    ),
                    "results": achieved,
                    "results_by_region": {
                        code: result_by_region.get(code, 0) for code in region_codes.values()
                    },
                    "rate": _rate(achieved, stated),
                    "rate_by_region": {
                        code: _rate(result_by_region.get(code, 0), by_region.get(code))
                        for code in region_codes.values()
                    },
                    "results_by_country": [
                        {
                            "country": alpha3,
                            "name": name,
                            "region": region_codes[region_id],
                            "results": count,
                        }
                        for (alpha3, name, region_id), count in sorted(
                            found.get("by_country", {}).items()
                        )
                        if region_id in region_codes
                    ],
                }
            )
        planned_spent = report_resources(run.biennium, outcome_id, region_ids=list(region_codes))
        budget = framework.budget
        table = demand_target_table(run.biennium, outcome=outcome)
        demand_target = {
            region.code: {
                "demand": table.cell(outcome, region).demand,
                "target": table.cell(outcome, region).target,
            }
            for region in regions
        }
        demand_target["total"] = {
            "demand": sum(v["demand"] for v in demand_target.values()),
            "target": sum(v["target"] for v in demand_target.values()),
        }
        review = report_midterm_review(run.biennium, outcome_id)
        return {
            "code": outcome.code,
            "title": outcome.title,
            "statement": outcome.statement,
            "objective": {
                "number": outcome.objective.number,
                "title": outcome.objective.title,
                "cross_cutting": outcome.objective.is_cross_cutting,
            },
            "indicators": indicators,
            "resources": {
                source.code: {
                    "name": source.label,
                    "budget": _money(budget.get(source.pk)) if run.scope != Scope.REGION else None,
                    "planned": _money(planned_spent.get(source.pk, (None, None))[0]),
                    "spent": _money(planned_spent.get(source.pk, (None, None))[1]),
                }
                for source in sources
            },
            "strategy": [
                {"element": s.element.code, "title": s.element.label, "text": s.text}
                for s in framework.strategies
            ],
            "midterm_review": review,
            "demand_target": demand_target,
        }


def compile_programmes_part(run: ReportRun, region_id: int) -> dict[str, Any]:
    """The country programmes of one region with their CPOs (for IATI and the annex)."""
    with translation.override(run.language):
        region = Region.objects.get(pk=region_id)
        outcome_ids = None
        if run.scope == Scope.OBJECTIVE:
            outcome_ids = list(
                run.objective.outcomes.values_list("pk", flat=True) if run.objective else []
            )
        programmes = report_programme_rows(run.biennium, region_id, outcome_ids=outcome_ids)
        return {"region": region.code, "region_name": region.label, "programmes": programmes}


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def assemble(run: ReportRun, parts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Join the parts (keyed as ``outline`` names them) into the report's content."""
    with translation.override(run.language):
        regions = run_regions(run)
        objectives: dict[int, dict[str, Any]] = {}
        programmes: list[dict[str, Any]] = []
        for key in sorted(parts):
            part = parts[key]
            if key.startswith("outcome-"):
                objective = part["objective"]
                section = objectives.setdefault(
                    objective["number"],
                    {
                        "number": objective["number"],
                        "title": objective["title"],
                        "cross_cutting": objective["cross_cutting"],
                        "outcomes": [],
                    },
                )
                section["outcomes"].append({k: v for k, v in part.items() if k != "objective"})
            else:
                programmes.append(part)
        sources = list(FundingSource.objects.all())
        totals: dict[str, Any] = {"resources": {}, "demand_target": {}}
        for source in sources:
            planned = Decimal(0)
            spent = Decimal(0)
            for objective in objectives.values():
                for outcome in objective["outcomes"]:
                    planned += Decimal(outcome["resources"][source.code]["planned"])
                    spent += Decimal(outcome["resources"][source.code]["spent"])
            totals["resources"][source.code] = {"planned": _money(planned), "spent": _money(spent)}
        for code in [r.code for r in regions] + ["total"]:
            totals["demand_target"][code] = {
                measure: sum(
                    outcome["demand_target"][code][measure]
                    for objective in objectives.values()
                    for outcome in objective["outcomes"]
                )
                for measure in ("demand", "target")
            }
        indicators = [
            indicator
            for objective in objectives.values()
            for outcome in objective["outcomes"]
            for indicator in outcome["indicators"]
        ]
        totals["indicators"] = len(indicators)
        totals["results"] = sum(i["results"] for i in indicators)
        totals["targets"] = sum(i["target"] or 0 for i in indicators)
        return {
            "version": CONTENT_VERSION,
            "meta": {
                "title": _("Programme implementation report %(biennium)s")
                % {"biennium": run.biennium.code},
                "biennium": run.biennium.code,
                "language": run.language,
                "scope": run.scope,
                "scope_label": run.scope_label,
                "region": run.region.code if run.region_id and run.region else None,
                "objective": run.objective.number if run.objective_id and run.objective else None,
                "regions": [{"code": r.code, "name": r.label} for r in regions],
                "funding_sources": [{"code": s.code, "name": s.label} for s in sources],
            },
            "objectives": [objectives[number] for number in sorted(objectives)],
            "programmes": programmes,
            "totals": totals,
        }
