"""Who may do what with the implementation report.

- report.request, report.finalize: the Governing Body secretariat; administrators.
- report.view, report.download: the secretariat, programme officers and outcome coordinators
  (who account for their outcomes); administrators. Downloads check this every time.
"""

from rbm.models import Role
from rbm.permissions import register, rule

SECRETARIAT = {Role.GB_SECRETARIAT, Role.ADMINISTRATOR}
READERS = SECRETARIAT | {Role.PROGRAMME_OFFICER, Role.OUTCOME_COORDINATOR}

register("report.request", rule(SECRETARIAT))
register("report.finalize", rule(SECRETARIAT))
register("report.view", rule(READERS))
register("report.download", rule(READERS))
