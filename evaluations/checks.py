"""The condition evaluations set on a country programme's step to "Evaluated"."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from evaluations.models import DONE_STATES, Evaluation
from rbm import checks
from rbm.errors import ApplicationError


def programme_has_completed_evaluation(programme: Any) -> None:
    """A programme is evaluated only once an evaluation of it is completed."""
    if not Evaluation.objects.filter(programme_id=programme.pk, status__in=DONE_STATES).exists():
        raise ApplicationError(
            _(
                "A programme becomes “Evaluated” once an evaluation of it is completed; "
                "record and complete its evaluation first."
            )
        )


checks.register("dwcp.evaluate", "evaluations.completed", programme_has_completed_evaluation)
