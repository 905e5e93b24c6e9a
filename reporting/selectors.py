"""Reads of report runs and snapshots, and the comparison of two snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet

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
    key: str  # codes only, the same in every language: "16.1/asia-pacific", "16/RB/planned"
    item: str  # its label in the later snapshot's language: "16.1 · Asia and the Pacific"
    before: Any
    after: Any


SECTIONS = ("targets", "results", "resources", "demand and targets")


def _figures(content: dict[str, Any]) -> tuple[dict[tuple[str, str], Any], dict[str, str]]:
    """Every figure of a report's content keyed by (section, key), the key made of codes
    (outcome, indicator, region, funding source, measure), never of translated labels; and
    the label of each key in the content's language."""
    regions = {r["code"]: r["name"] for r in content.get("meta", {}).get("regions", [])}
    figures: dict[tuple[str, str], Any] = {}
    labels: dict[str, str] = {}

    def put(section: str, key: str, label: str, value: Any) -> None:
        figures[(section, key)] = value
        labels[key] = label

    for objective in content.get("objectives", []):
        for outcome in objective["outcomes"]:
            for indicator in outcome["indicators"]:
                code = indicator["code"]
                put("targets", f"{code}/total", f"{code} · total", indicator["target"])
                put("results", f"{code}/total", f"{code} · total", indicator["results"])
                for section, values in (
                    ("targets", indicator["target_by_region"]),
                    ("results", indicator["results_by_region"]),
                ):
                    for region, value in values.items():
                        label = f"{code} · {regions.get(region, region)}"
                        put(section, f"{code}/{region}", label, value)
            for source, money in outcome["resources"].items():
                for measure in ("budget", "planned", "spent"):
                    key = f"{outcome['code']}/{source}/{measure}"
                    put(
                        "resources",
                        key,
                        f"{outcome['code']} · {source} {measure}",
                        money.get(measure),
                    )
            for region, cell in outcome["demand_target"].items():
                name = regions.get(region, region)
                for measure in ("demand", "target"):
                    key = f"{outcome['code']}/{region}/{measure}"
                    label = f"{outcome['code']} · {name} {measure}"
                    put("demand and targets", key, label, cell[measure])
    return figures, labels


def compare_snapshots(before: ReportSnapshot, after: ReportSnapshot) -> list[Change]:
    """What changed from ``before`` to ``after``: targets, results, resources, demand,
    compared by their keys (codes), so that two snapshots of the same data in two languages
    show no change; labelled in the later snapshot's language."""
    (old, old_labels), (new, new_labels) = _figures(before.content), _figures(after.content)
    labels = {**old_labels, **new_labels}
    order = {section: index for index, section in enumerate(SECTIONS)}
    return [
        Change(section, key, labels[key], old.get((section, key)), new.get((section, key)))
        for section, key in sorted(old.keys() | new.keys(), key=lambda k: (order[k[0]], k[1]))
        if old.get((section, key)) != new.get((section, key))
    ]


def final_snapshots() -> QuerySet[ReportSnapshot]:
    """Snapshots marked final (submitted to the Governing Body): public documents, latest
    first, without their content."""
    return (
        ReportSnapshot.objects.filter(final=True)
        .select_related("biennium", "region", "objective")
        .defer("content")
        .order_by("-finalized_at", "-pk")
    )


def final_snapshot(pk: int) -> ReportSnapshot | None:
    return ReportSnapshot.objects.filter(final=True, pk=pk).select_related("biennium").first()


def final_snapshots_stamp() -> tuple[int, Any]:
    """The number of final snapshots and when the latest went final (for ETags). One query."""
    row = ReportSnapshot.objects.filter(final=True).aggregate(n=Count("pk"), at=Max("finalized_at"))
    return row["n"], row["at"]
