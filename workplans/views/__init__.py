"""Pages of the outcome-based workplans: the list, the demand-and-target table and its
exports, a workplan with its review thread, the review queue, the mid-term review and the
published figures compared with the records.

Views are thin: they read through ``workplans.selectors``, ask ``rbm.permissions``, parse with
``workplans.forms`` and write through ``workplans.services``. A refused write re-renders the
page with the service's message and its status (400 bad data or a refused step, 409 a stale
version); a step the user may not take is a 403 (or the login page for visitors who are not
signed in), and what does not exist a 404.

One module per group of pages; ``common`` holds the helpers they share and ``figures`` the
table's numbers and chart that the table and workplan pages both show.
"""

from workplans.views.detail import (
    workplan_approve,
    workplan_comment,
    workplan_detail,
    workplan_resources,
    workplan_return,
    workplan_strategy,
    workplan_submit,
)
from workplans.views.listing import workplan_list, workplans_open
from workplans.views.midterm_review import (
    midterm,
    midterm_action,
    midterm_reallocation,
    midterm_save,
)
from workplans.views.published_figures import published, published_detail
from workplans.views.review import review_queue
from workplans.views.table import demand_target_table, table_export

__all__ = [
    "demand_target_table",
    "midterm",
    "midterm_action",
    "midterm_reallocation",
    "midterm_save",
    "published",
    "published_detail",
    "review_queue",
    "table_export",
    "workplan_approve",
    "workplan_comment",
    "workplan_detail",
    "workplan_list",
    "workplan_resources",
    "workplan_return",
    "workplan_strategy",
    "workplan_submit",
    "workplans_open",
]
