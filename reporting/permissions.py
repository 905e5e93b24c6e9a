"""Who may do what with the implementation report.

- report.request: the Governing Body secretariat; administrators.
- report.retry: the same, on a run that has not succeeded (a queued or running one only once
  it has stalled: the service checks that).
- report.finalize: the same, on a snapshot that is not final yet.
- report.view, report.download: the secretariat, programme officers and outcome coordinators
  (who account for their outcomes); administrators. Downloads check this every time.
"""

from django.utils.translation import gettext_lazy as _

from rbm.models import Role
from rbm.permissions import SIGNED_IN, register, rule
from reporting.models import RunStatus, SnapshotState

SECRETARIAT = {Role.GB_SECRETARIAT, Role.ADMINISTRATOR}
READERS = SECRETARIAT | {Role.PROGRAMME_OFFICER, Role.OUTCOME_COORDINATOR}
NOT_SUCCEEDED = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.FAILED, RunStatus.NOT_QUEUED)

register("report.request", rule(SECRETARIAT))
register(
    "report.retry",
    rule(SECRETARIAT, states=NOT_SUCCEEDED),
    refusal=_("This run has %(state)s; request a new run instead."),
)
register(
    "report.finalize",
    rule(SECRETARIAT, states={SnapshotState.DRAFT}),
    state_field="state",
    refusal=_("This snapshot is already %(state)s."),
)
register("report.view", rule(READERS))
register("report.download", rule(READERS))
# The dashboards: every signed-in role; each counts only the CPOs its reader may read.
register("dashboard.view", rule(SIGNED_IN))
