"""Compiling the programme implementation report: the parts and how they join.

A run is split into three parts, each computed by one task: ``figures`` (results, resources,
demand and targets of every outcome in scope, in three aggregate queries), ``programmes``
(the country programmes of the regions in scope, for the annex and the IATI export) and
``outcomes`` (the texts of every outcome in scope: framework and targets, P&B budget,
strategy, mid-term review, as one section per outcome, read by batched selectors). Each part
reads in a fixed number of queries whatever the data size and the number of outcomes, and is
pure: the same data gives the same part. The figures part also holds each outcome's country
examples (the CPOs whose validated progress report claims a result, with its narrative).
The join orders the outcomes' sections, adds their figures and the totals and computes the
SHA-256 of the canonical JSON, so the same data always gives the same hash.

Everything the report counts comes from validated data: a result counts against an indicator
only when a validated progress report of the CPO claims it.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext as _

from dwcp.selectors import (
    report_examples,
    report_programme_rows,
    report_resources,
    report_results,
)
from evaluations.selectors import report_lessons
from rbm.models import FundingSource, Region
from reporting.cooperation import cooperation_figures
from reporting.models import ReportRun, Scope
from strategic_plans.selectors import (
    ReportFramework,
    framework_outcomes,
    report_outcome_frameworks,
)
from strategic_plans.texts import untranslated
from workplans.selectors import demand_target_table, report_midterm_reviews

if TYPE_CHECKING:
    from strategic_plans.models import Outcome

# Version 2: each outcome's section holds its country examples (``examples``).
CONTENT_VERSION = 2
# The parts of every run, each computed by one task in a fixed number of queries, longest
# first (at scale 100 on 2026-11-24: 0.22 s, 0.19 s, 0.013 s), the order they are queued in.
PARTS = ("figures", "programmes", "outcomes")


@dataclass(frozen=True)
class PartSpec:
    key: str


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


def _outcomes_in_scope(run: ReportRun) -> Any:
    outcomes = framework_outcomes(run.biennium)
    if run.scope == Scope.OBJECTIVE:
        outcomes = outcomes.filter(objective_id=run.objective_id)
    return outcomes


def outline(run: ReportRun) -> list[PartSpec]:
    """The parts of a run, the same for every scope, longest first: the figures of every
    outcome (results, money, demand and targets: three aggregate queries), the programmes
    annex, and the outcomes' texts (framework, targets, budget, strategy and mid-term review
    of each)."""
    return [PartSpec(key=key) for key in PARTS]


def _section_key(outcome: Outcome) -> str:
    """The key of an outcome's section: ``assemble`` joins the sections in this order."""
    return f"outcome-{outcome.objective.number:02d}-{outcome.position:03d}-{outcome.code}"


def compile_outcomes_part(run: ReportRun) -> dict[str, Any]:
    """What every outcome in scope says, keyed by section (``outcome-<objective>-<position>-
    <code>``): its framework with its targets, its P&B budget, strategy and mid-term review.
    At most thirteen queries, whatever the number of outcomes and the data size."""
    with translation.override(run.language):
        region_codes = {r.pk: r.code for r in run_regions(run)}
        sources = list(FundingSource.objects.all())
        outcome_ids = list(_outcomes_in_scope(run).values_list("pk", flat=True))
        frameworks = report_outcome_frameworks(outcome_ids, run.biennium)
        reviews = report_midterm_reviews(run.biennium, outcome_ids)
        # The lessons each outcome's strategy acts on (linked by its coordinator).
        lessons = report_lessons(outcome_ids, run.biennium_id)
        sections = {}
        for outcome_id in outcome_ids:
            section = _outcome_section(
                run, frameworks[outcome_id], reviews.get(outcome_id), region_codes, sources
            )
            section["lessons"] = lessons.get(outcome_id, [])
            sections[_section_key(frameworks[outcome_id].outcome)] = section
        return sections


def _outcome_section(
    run: ReportRun,
    framework: ReportFramework,
    review: dict[str, object] | None,
    region_codes: dict[int, str],
    sources: list[FundingSource],
) -> dict[str, Any]:
    outcome = framework.outcome
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
        indicators.append(
            {
                "code": indicator.code,
                "text": indicator.text,
                "unit": indicator.unit,
                "baseline": indicator.baseline,
                "measurement_criteria": indicator.measurement_criteria,
                "untranslated": untranslated(indicator),
                "target": stated,
                "target_by_region": {code: by_region.get(code) for code in region_codes.values()},
                "target_warning": bool(
                    target
                    and by_region
                    and sum(by_region.values()) != target.total
                    and run.scope != Scope.REGION
                ),
            }
        )
    budget = framework.budget
    return {
        "code": outcome.code,
        "title": outcome.title,
        "statement": outcome.statement,
        "untranslated": untranslated(outcome),
        "objective": {
            "number": outcome.objective.number,
            "title": outcome.objective.title,
            "untranslated": untranslated(outcome.objective),
            "cross_cutting": outcome.objective.is_cross_cutting,
        },
        "indicators": indicators,
        "resources": {
            source.code: {
                "name": source.label,
                "budget": _money(budget.get(source.pk)) if run.scope != Scope.REGION else None,
            }
            for source in sources
        },
        "strategy": [
            {"element": s.element.code, "title": s.element.label, "text": s.text}
            for s in framework.strategies
        ],
        "midterm_review": review,
    }


def compile_figures_part(run: ReportRun) -> dict[str, Any]:
    """The figures of every outcome in scope, from validated data, in three aggregate
    queries: results by indicator, region and country; planned and spent money by funding
    source; demand and targets by region. Keyed by outcome and indicator codes."""
    with translation.override(run.language):
        regions = run_regions(run)
        region_codes = {r.pk: r.code for r in regions}
        outcomes = list(_outcomes_in_scope(run).prefetch_related("indicators"))
        outcome_ids = [o.pk for o in outcomes] if run.scope == Scope.OBJECTIVE else None
        indicator_codes = {i.pk: i.code for o in outcomes for i in o.indicators.all()}
        sources = {s.pk: s.code for s in FundingSource.objects.all()}
        results = report_results(
            run.biennium, region_ids=list(region_codes), outcome_ids=outcome_ids
        )
        examples = report_examples(
            run.biennium, region_ids=list(region_codes), outcome_ids=outcome_ids
        )
        lines = report_resources(
            run.biennium,
            region_ids=list(region_codes) if run.scope == Scope.REGION else None,
            outcome_ids=outcome_ids,
        )
        by_outcome: dict[int, dict[int, list[Decimal]]] = {}
        by_programme: dict[int, dict[int, list[Decimal]]] = {}
        for (programme_id, outcome_id, source_id), (planned, spent) in lines.items():
            for totals, key in ((by_outcome, outcome_id), (by_programme, programme_id)):
                line = totals.setdefault(key, {}).setdefault(source_id, [Decimal(0), Decimal(0)])
                line[0] += planned
                line[1] += spent
        table = demand_target_table(
            run.biennium, region=run.region if run.scope == Scope.REGION else None, cached=False
        )
        achieved_cpos = {e["cpo"] for found in examples.values() for e in found}
        return {
            # Resources from development cooperation projects, and the projects for IATI.
            "cooperation": cooperation_figures(run, outcomes, list(region_codes), achieved_cpos),
            "results": {
                outcome.code: {
                    indicator_codes[indicator_id]: {
                        "by_region": {
                            region_codes[region_id]: count
                            for region_id, count in found["by_region"].items()
                            if region_id in region_codes
                        },
                        "by_country": [
                            [alpha3, name, region_codes[region_id], count]
                            for (alpha3, name, region_id), count in sorted(
                                found["by_country"].items()
                            )
                            if region_id in region_codes
                        ],
                    }
                    for indicator_id, found in results.get(outcome.pk, {}).items()
                }
                for outcome in outcomes
            },
            # Results achieved, with country examples: by country code, then CPO code.
            "examples": {
                outcome.code: [
                    {
                        "country": example["country"],
                        "country_name": example["country_name"],
                        "region": region_codes[example["region_id"]],
                        "cpo": example["cpo"],
                        "title": example["title"],
                        "indicator": example["indicator"],
                        "narrative": example["narrative"],
                    }
                    for example in examples.get(outcome.pk, [])
                ]
                for outcome in outcomes
            },
            "resources": {
                outcome.code: {
                    sources[source_id]: [_money(planned), _money(spent)]
                    for source_id, (planned, spent) in by_outcome.get(outcome.pk, {}).items()
                }
                for outcome in outcomes
            },
            "programme_resources": {
                str(programme_id): {
                    sources[source_id]: [_money(planned), _money(spent)]
                    for source_id, (planned, spent) in sorted(
                        money.items(), key=lambda item: sources[item[0]]
                    )
                }
                for programme_id, money in by_programme.items()
            },
            # Each outcome's cells and its total, as the demand-and-target table gives them.
            "demand_target": {
                outcome.code: {
                    **{
                        region.code: [
                            table.cell(outcome, region).demand,
                            table.cell(outcome, region).target,
                        ]
                        for region in regions
                    },
                    "total": [
                        table.outcome_total(outcome).demand,
                        table.outcome_total(outcome).target,
                    ],
                }
                for outcome in outcomes
            },
        }


def _with_figures(section: dict[str, Any], figures: dict[str, Any], regions: list[str]) -> None:
    """Add an outcome's results, money and demand (from the figures part) to its section."""
    code = section["code"]
    results = figures["results"].get(code, {})
    for indicator in section["indicators"]:
        found = results.get(indicator["code"], {"by_region": {}, "by_country": []})
        by_region = {region: found["by_region"].get(region, 0) for region in regions}
        achieved = sum(by_region.values())
        indicator["results"] = achieved
        indicator["results_by_region"] = by_region
        indicator["rate"] = _rate(achieved, indicator["target"])
        indicator["rate_by_region"] = {
            region: _rate(by_region[region], indicator["target_by_region"].get(region))
            for region in regions
        }
        indicator["results_by_country"] = [
            {"country": alpha3, "name": name, "region": region, "results": count}
            for alpha3, name, region, count in found["by_country"]
        ]
    section["examples"] = figures.get("examples", {}).get(code, [])  # never changed later
    money = figures["resources"].get(code, {})
    for source, line in section["resources"].items():
        planned, spent = money.get(source, [_money(None), _money(None)])
        line["planned"], line["spent"] = planned, spent
    demand = figures["demand_target"].get(code, {})
    section["demand_target"] = {
        region: {"demand": demand[region][0], "target": demand[region][1]} for region in regions
    }
    section["demand_target"]["total"] = {"demand": demand["total"][0], "target": demand["total"][1]}


def compile_programmes_part(run: ReportRun) -> dict[str, Any]:
    """The country programmes of the regions in scope, with what their CPOs add up to by
    outcome and indicator (for IATI and the annex)."""
    with translation.override(run.language):
        regions = run_regions(run)
        outcome_ids = None
        if run.scope == Scope.OBJECTIVE:
            outcome_ids = list(
                run.objective.outcomes.values_list("pk", flat=True) if run.objective else []
            )
        rows = report_programme_rows(run.biennium, [r.pk for r in regions], outcome_ids=outcome_ids)
        return {
            "regions": [
                {"region": r.code, "region_name": r.label, "programmes": rows[r.pk]}
                for r in regions
            ]
        }


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
        figures = parts["figures"]
        region_codes = [r.code for r in regions]
        # The outcomes part holds a section per outcome, keyed to sort in the report's order.
        sections = {key: part for key, part in parts.items() if key != "outcomes"}
        sections.update(parts.get("outcomes", {}))
        for key in sorted(sections):
            if key == "figures":
                continue
            part = copy.deepcopy(sections[key])
            if key.startswith("outcome-"):
                _with_figures(part, figures, region_codes)
                objective = part["objective"]
                section = objectives.setdefault(
                    objective["number"],
                    {
                        "number": objective["number"],
                        "title": objective["title"],
                        "untranslated": objective.get("untranslated", []),
                        "cross_cutting": objective["cross_cutting"],
                        "outcomes": [],
                    },
                )
                section["outcomes"].append({k: v for k, v in part.items() if k != "objective"})
            else:
                for region in part["regions"]:
                    for programme in region["programmes"]:
                        money = figures["programme_resources"].get(str(programme["id"]), {})
                        programme["resources"] = {
                            code: {"planned": planned, "spent": spent}
                            for code, (planned, spent) in money.items()
                        }
                programmes.extend(part["regions"])
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
                # The secretariat's introduction, as typed for this run (in its language).
                "introduction": run.introduction,
            },
            "objectives": [objectives[number] for number in sorted(objectives)],
            "programmes": programmes,
            "totals": totals,
            **({"cooperation": figures["cooperation"]} if "cooperation" in figures else {}),
        }
