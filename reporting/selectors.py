"""Reads of report runs and snapshots, and the comparison of two snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from reporting.models import ReportRun, ReportSnapshot


def run_list() -> QuerySet[ReportRun]:
    return ReportRun.objects.select_related(
        "biennium", "region", "objective", "requested_by", "snapshot"
    ).order_by("-created_at", "-pk")


def snapshot_list() -> QuerySet[ReportSnapshot]:
    return (
        ReportSnapshot.objects.select_related("biennium", "region", "objective", "finalized_by")
        .defer("content")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Change:
    section: str  # "targets", "results", "resources", "demand and targets"
    item: str  # e.g. "16.1 · Africa" or "Outcome 16 · XBTC planned"
    before: Any
    after: Any


def _figures(content: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """Every figure of a report's content, keyed by (section, item)."""
    regions = {r["code"]: r["name"] for r in content.get("meta", {}).get("regions", [])}
    figures: dict[tuple[str, str], Any] = {}
    for objective in content.get("objectives", []):
        for outcome in objective["outcomes"]:
            for indicator in outcome["indicators"]:
                code = indicator["code"]
                figures[("targets", f"{code} · total")] = indicator["target"]
                figures[("results", f"{code} · total")] = indicator["results"]
                for region, value in indicator["target_by_region"].items():
                    figures[("targets", f"{code} · {regions.get(region, region)}")] = value
                for region, value in indicator["results_by_region"].items():
                    figures[("results", f"{code} · {regions.get(region, region)}")] = value
            for source, money in outcome["resources"].items():
                for measure in ("budget", "planned", "spent"):
                    item = f"{outcome['code']} · {source} {measure}"
                    figures[("resources", item)] = money.get(measure)
            for region, cell in outcome["demand_target"].items():
                name = regions.get(region, region)
                for measure in ("demand", "target"):
                    figures[("demand and targets", f"{outcome['code']} · {name} {measure}")] = cell[
                        measure
                    ]
    return figures


def compare_snapshots(before: ReportSnapshot, after: ReportSnapshot) -> list[Change]:
    """What changed from ``before`` to ``after``: targets, results, resources, demand."""
    old, new = _figures(before.content), _figures(after.content)
    order = {
        section: index
        for index, section in enumerate(["targets", "results", "resources", "demand and targets"])
    }
    changes = [
        Change(section, item, old.get((section, item)), new.get((section, item)))
        for section, item in sorted(old.keys() | new.keys(), key=lambda k: (order[k[0]], k[1]))
        if old.get((section, item)) != new.get((section, item))
    ]
    return changes
