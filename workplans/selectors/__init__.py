"""Reads of workplans: the demand-and-target table computed from the CPOs, its comparison
with published figures, and the progress of a workplan by region.

The package: ``table`` (the demand-and-target table), ``published`` (published figures and
their comparison with the records), ``workplan`` (lists, a workplan's page and its history)
and ``midterm`` (mid-term reviews).
"""

from __future__ import annotations

# framework_outcomes is strategic_plans'; it stays importable from here.
from strategic_plans.selectors import framework_outcomes
from workplans.selectors.midterm import (
    MidtermDetail,
    ResourceChange,
    midterm_detail,
    report_midterm_reviews,
)
from workplans.selectors.published import (
    Difference,
    compare_with_published,
    published_table_with_figures,
    published_tables,
    region_for,
)
from workplans.selectors.table import (
    CSV_HEADER,
    DEMAND_TARGET_CACHE_SECONDS,
    TOTAL,
    Cell,
    DemandTargetTable,
    demand_target_table,
    framework_bienniums,
    unlisted_cpo_count,
)
from workplans.selectors.workplan import (
    RegionProgress,
    WorkplanDetail,
    coordinated_by,
    reached_targets,
    review_queue,
    review_queue_rows,
    workplan_bienniums,
    workplan_detail,
    workplan_for_page,
    workplan_history,
    workplan_list,
)

__all__ = [
    "CSV_HEADER",
    "DEMAND_TARGET_CACHE_SECONDS",
    "TOTAL",
    "Cell",
    "DemandTargetTable",
    "Difference",
    "MidtermDetail",
    "RegionProgress",
    "ResourceChange",
    "WorkplanDetail",
    "compare_with_published",
    "coordinated_by",
    "demand_target_table",
    "framework_bienniums",
    "framework_outcomes",
    "midterm_detail",
    "published_table_with_figures",
    "published_tables",
    "reached_targets",
    "region_for",
    "report_midterm_reviews",
    "review_queue",
    "review_queue_rows",
    "unlisted_cpo_count",
    "workplan_bienniums",
    "workplan_detail",
    "workplan_for_page",
    "workplan_history",
    "workplan_list",
]
