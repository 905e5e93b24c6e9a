"""Pages of the country programmes: programmes, priorities, CPOs, progress and its review.

Views are thin: they read through ``dwcp.selectors``, ask ``rbm.permissions``, parse with
``dwcp.forms`` and write through ``dwcp.services``. A refused write re-renders the page with
the service's message and its status (400 bad data or a refused step, 409 a stale version);
a page the user may not read is a 404, a step they may not take a 403 (or the login page for
visitors who are not signed in).

One module per group of pages (``spreadsheets``: the CPO export and import); ``common`` holds
the helpers they share.
"""

from dwcp.views.calendar import calendar
from dwcp.views.cpos import cpo_create, cpo_detail, cpo_edit, cpo_list
from dwcp.views.files import programme_document, progress_evidence
from dwcp.views.priorities import priority_create, priority_edit
from dwcp.views.programmes import (
    programme_create,
    programme_detail,
    programme_edit,
    programme_list,
    programme_phase,
    programme_publish,
)
from dwcp.views.progress import progress_create, progress_edit, progress_submit
from dwcp.views.reminders import reminders
from dwcp.views.spreadsheets import (
    cpo_export,
    cpo_import,
    cpo_import_detail,
    cpo_import_retry,
    cpo_import_status,
)
from dwcp.views.validation import validation_queue

__all__ = [
    "calendar",
    "cpo_create",
    "cpo_detail",
    "cpo_edit",
    "cpo_export",
    "cpo_import",
    "cpo_import_detail",
    "cpo_import_retry",
    "cpo_import_status",
    "cpo_list",
    "priority_create",
    "priority_edit",
    "programme_create",
    "programme_detail",
    "programme_document",
    "programme_edit",
    "programme_list",
    "programme_phase",
    "programme_publish",
    "progress_create",
    "progress_edit",
    "progress_evidence",
    "progress_submit",
    "reminders",
    "validation_queue",
]
