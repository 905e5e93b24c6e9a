"""Who may read and change the results framework."""

from rbm.models import Role
from rbm.permissions import EVERYONE, register, rule

# The strategic framework and programme and budget are public documents.
register("framework.view", rule(EVERYONE))
register(
    "framework.manage",
    rule({Role.PROGRAMME_OFFICER, Role.ADMINISTRATOR}, note="HQ programme officers"),
)
