"""Reads of country programmes, outcomes and progress, filtered as ``dwcp.permissions`` says
and planned to a fixed number of queries.

The package: ``scopes`` (what a user may read, as filters), ``programmes``, ``cpos``,
``progress`` (progress reports, their review and validated results), ``counts`` (what other
apps count from the CPOs) and ``report`` (the
implementation report's reads, each one query whatever the data size).
"""

from __future__ import annotations

from dwcp.selectors.calendar import (
    calendar_bienniums,
    calendar_periods,
    grantable_offices,
    visible_extensions,
)
from dwcp.selectors.counts import (
    counted_cpos_not_readable,
    cpo_stamp,
    demand_target_counts,
    targets_reached,
)
from dwcp.selectors.cpos import (
    ZERO,
    CpoChoices,
    cpo_detail,
    cpo_form_choices,
    cpo_history,
    cpo_list,
    cpo_money_totals,
    cpos_by_biennium,
    history_ids,
)
from dwcp.selectors.dashboards import (
    Backlog,
    country_figures,
    cpo_figures,
    current_period,
    dashboard_cpos,
    phase_choices,
    resources_by_source,
    result_status_choices,
    review_state_choices,
    review_states,
    validation_backlog,
)
from dwcp.selectors.programmes import (
    ProgrammeDetail,
    countries_for_new_programme,
    may_create_programme,
    offices_covering,
    programme_detail,
    programme_filter_countries,
    programme_history,
    programme_list,
)
from dwcp.selectors.progress import (
    QueueFilters,
    cpo_reports,
    last_return,
    queue_filter_choices,
    validated_result_exists,
    validation_queue,
    validation_queue_filtered,
)
from dwcp.selectors.public import (
    PublicCpo,
    PublicPriority,
    PublicResult,
    public_cpo_rows,
    public_examples,
    public_programme,
    public_programme_bienniums,
    public_programme_count,
    public_programme_priorities,
    public_programmes,
    public_results,
    public_stamp,
)
from dwcp.selectors.report import (
    report_examples,
    report_programme_rows,
    report_resources,
    report_results,
)
from dwcp.selectors.scopes import (
    programme_scope,
    report_scope,
    visible_cpos,
    visible_imports,
    visible_programmes,
    visible_reports,
)
from dwcp.selectors.workqueue import (
    coordinator_unreported,
    office_queue,
    period_now,
    region_queue,
    reporting_coverage,
)

__all__ = [
    "ZERO",
    "CpoChoices",
    "ProgrammeDetail",
    "QueueFilters",
    "calendar_bienniums",
    "calendar_periods",
    "coordinator_unreported",
    "counted_cpos_not_readable",
    "countries_for_new_programme",
    "cpo_detail",
    "cpo_form_choices",
    "cpo_history",
    "cpo_list",
    "cpo_money_totals",
    "cpo_reports",
    "cpo_stamp",
    "cpos_by_biennium",
    "demand_target_counts",
    "grantable_offices",
    "history_ids",
    "last_return",
    "may_create_programme",
    "office_queue",
    "offices_covering",
    "period_now",
    "programme_detail",
    "programme_filter_countries",
    "programme_history",
    "programme_list",
    "programme_scope",
    "queue_filter_choices",
    "region_queue",
    "report_examples",
    "report_programme_rows",
    "report_resources",
    "report_results",
    "report_scope",
    "reporting_coverage",
    "targets_reached",
    "validated_result_exists",
    "validation_queue",
    "validation_queue_filtered",
    "visible_cpos",
    "visible_extensions",
    "visible_imports",
    "visible_programmes",
    "visible_reports",
]
# What the public portal reads (published programmes, validated reports only).
__all__ += [
    "PublicCpo",
    "PublicPriority",
    "PublicResult",
    "public_cpo_rows",
    "public_examples",
    "public_programme",
    "public_programme_bienniums",
    "public_programme_count",
    "public_programme_priorities",
    "public_programmes",
    "public_results",
    "public_stamp",
]
# What the dashboards count.
__all__ += [
    "Backlog",
    "country_figures",
    "cpo_figures",
    "current_period",
    "dashboard_cpos",
    "phase_choices",
    "resources_by_source",
    "result_status_choices",
    "review_state_choices",
    "review_states",
    "validation_backlog",
]
