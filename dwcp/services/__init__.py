"""Every write to country programmes, their priorities, outcomes and progress reports.

Each service checks the permission table, validates (``full_clean``), refuses stale edits
(``version``) and writes in one transaction. Pages, the admin, the spreadsheet import and
the API all call these.

The package: ``programmes`` (programmes, their phases, parties and priorities), ``cpos``
(country programme outcomes with milestones and resources), ``progress`` (reporting periods,
progress reports and their review).
"""

from __future__ import annotations

from dwcp.services.calendar import (
    PeriodLocked,
    TooSoon,
    calendar_defaults,
    extension_grant,
    extension_request,
    period_write_check,
    reminder_send,
    reporting_calendar_set_defaults,
    reporting_period_dates_set,
)
from dwcp.services.cpos import (
    CPO_FIELDS,
    MilestoneData,
    ResourceData,
    cpo_create,
    cpo_update,
    normal_cpo_code,
)
from dwcp.services.programmes import (
    PHASE_TRANSITIONS,
    PROGRAMME_FIELDS,
    party_set,
    phase_moves,
    priority_create,
    priority_delete,
    priority_limit_error,
    priority_update,
    programme_create,
    programme_move_phase,
    programme_set_published,
    programme_update,
)
from dwcp.services.progress import (
    REPORT_FIELDS,
    BulkFailure,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
    progress_report_validate,
    progress_reports_review_bulk,
    reporting_periods_ensure,
)

__all__ = [
    "CPO_FIELDS",
    "PHASE_TRANSITIONS",
    "PROGRAMME_FIELDS",
    "REPORT_FIELDS",
    "BulkFailure",
    "MilestoneData",
    "PeriodLocked",
    "ResourceData",
    "TooSoon",
    "calendar_defaults",
    "cpo_create",
    "cpo_update",
    "extension_grant",
    "extension_request",
    "normal_cpo_code",
    "party_set",
    "period_write_check",
    "phase_moves",
    "priority_create",
    "priority_delete",
    "priority_limit_error",
    "priority_update",
    "programme_create",
    "programme_move_phase",
    "programme_set_published",
    "programme_update",
    "progress_report_create",
    "progress_report_return",
    "progress_report_submit",
    "progress_report_update",
    "progress_report_validate",
    "progress_reports_review_bulk",
    "reminder_send",
    "reporting_calendar_set_defaults",
    "reporting_period_dates_set",
    "reporting_periods_ensure",
]
