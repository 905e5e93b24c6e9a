"""Who may do what with evaluations, recommendations, follow-up actions and lessons.

- evaluation.view: staff (every signed-in role) read every evaluation; the public reads a
  completed independent evaluation of a published country programme (``is_public``).
- evaluation.manage (record, edit, add recommendations, attach the report): evaluation
  managers of the evaluation's region (an evaluation manager without a region: those managed
  at headquarters) and administrators, before the management response is complete.
- evaluation.start, evaluation.complete, evaluation.close: the steps planned -> in progress
  -> completed -> management response complete, for the same managers, each from its state.
- recommendation.respond: the management response, while the evaluation is completed (and
  its response not yet complete): staff of the office or unit addressed (for the
  constituents of a programme: its responsible office), the regional
  programme officers of the evaluation's region, its evaluation managers, administrators.
  follow_up.add: the same people add follow-up actions, from completion on.
- follow_up.update: an action's owner, the evaluation's managers, administrators.
- lesson.create: every staff role. lesson.view: a validated lesson every staff role, one not
  yet validated its author and the evaluation managers; the public a validated lesson of a
  public evaluation. lesson.validate: evaluation managers (of its region, or at
  headquarters any) and administrators, on a proposed lesson.
- lesson.link: the outcome's coordinators (and programme officers, administrators) link
  validated lessons to their strategy.

``evaluations.selectors`` filters lists with the same rules.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    DONE_STATES,
    EvaluationStatus,
    EvaluationType,
    LessonStatus,
)
from rbm.models import Role, User
from rbm.permissions import EVERYONE, SIGNED_IN, register, rule
from strategic_plans.permissions import coordinated_outcome_ids

MANAGERS = {Role.EVALUATION_MANAGER}
ADMIN = {Role.ADMINISTRATOR}
STAFF = SIGNED_IN


def evaluation_of(obj: Any) -> Any:
    """The evaluation a record of this app belongs to (itself for an evaluation)."""
    from evaluations.models import Evaluation, FollowUpAction, Lesson, Recommendation

    if isinstance(obj, Evaluation):
        return obj
    if isinstance(obj, Recommendation):
        return obj.evaluation
    if isinstance(obj, FollowUpAction):
        return obj.recommendation.evaluation
    if isinstance(obj, Lesson):
        return obj.evaluation
    return None


def is_public(evaluation: Any) -> bool:
    """A completed independent evaluation of a published country programme."""
    if evaluation is None or evaluation.kind != EvaluationType.INDEPENDENT:
        return False
    if evaluation.status not in DONE_STATES or evaluation.programme_id is None:
        return False
    return bool(evaluation.programme.published)


def manages(user: Any, obj: Any) -> bool:
    """An evaluation manager of the record's region; one without a region manages
    headquarters' evaluations (without a region)."""
    evaluation = evaluation_of(obj)
    if evaluation is None or not isinstance(user, User):
        return False
    return user.region_id == evaluation.region_id


def _public(user: Any, obj: Any) -> bool:
    return is_public(evaluation_of(obj))


def _addressed(user: Any, obj: Any) -> bool:
    """Staff of the office or unit addressed; for a recommendation to the constituents of a
    programme, staff of the programme's responsible office (they answer with them)."""
    if not isinstance(user, User) or user.office_id is None:
        return False
    if user.office_id == getattr(obj, "addressee_office_id", None):
        return True
    evaluation = evaluation_of(obj)
    return (
        getattr(obj, "addressee_kind", None) == "constituents"
        and evaluation is not None
        and evaluation.programme_id is not None
        and evaluation.programme.office_id == user.office_id
    )


def _regional(user: Any, obj: Any) -> bool:
    evaluation = evaluation_of(obj)
    return (
        isinstance(user, User)
        and evaluation is not None
        and user.region_id is not None
        and evaluation.region_id == user.region_id
    )


def _owner(user: Any, obj: Any) -> bool:
    return isinstance(user, User) and getattr(obj, "owner_id", None) == user.pk


def _lesson_validated(user: Any, obj: Any) -> bool:
    return getattr(obj, "status", None) == LessonStatus.VALIDATED


def _lesson_public(user: Any, obj: Any) -> bool:
    return _lesson_validated(user, obj) and is_public(evaluation_of(obj))


def _lesson_author(user: Any, obj: Any) -> bool:
    return isinstance(user, User) and getattr(obj, "created_by_id", None) == user.pk


def lesson_region_ids(lesson: Any) -> set[int]:
    """The regions a lesson belongs to: its evaluation's, its regions' and countries'."""
    ids = {region.pk for region in lesson.regions.all()}
    ids |= {country.region_id for country in lesson.countries.all()}
    evaluation = lesson.evaluation
    if evaluation is not None and evaluation.region_id is not None:
        ids.add(evaluation.region_id)
    return ids


def _validates(user: Any, obj: Any) -> bool:
    """Evaluation managers at headquarters validate any lesson; a region's, its region's."""
    if not isinstance(user, User):
        return False
    if user.region_id is None:
        return True
    return user.region_id in lesson_region_ids(obj)


def _coordinates(user: Any, outcome: Any) -> bool:
    return isinstance(user, User) and getattr(outcome, "pk", None) in coordinated_outcome_ids(user)


OPEN = (EvaluationStatus.PLANNED, EvaluationStatus.IN_PROGRESS, EvaluationStatus.COMPLETED)
STEP_REFUSAL = _("A %(state)s evaluation cannot move to “%(target)s”.")

register("evaluation.list", rule(EVERYONE))
register("evaluation.view", rule(EVERYONE, scope=_public), rule(STAFF))
register("evaluation.create", rule(MANAGERS), rule(ADMIN))
register(
    "evaluation.manage",
    rule(MANAGERS, scope=manages, states=OPEN),
    rule(ADMIN, states=OPEN),
    refusal=_("The management response of this evaluation is complete: it cannot change."),
)
for action, state in (
    ("evaluation.start", EvaluationStatus.PLANNED),
    ("evaluation.complete", EvaluationStatus.IN_PROGRESS),
    ("evaluation.close", EvaluationStatus.COMPLETED),
):
    register(
        action,
        rule(MANAGERS, scope=manages, states={state}),
        rule(ADMIN, states={state}),
        refusal=STEP_REFUSAL,
    )
RESPONDERS = (
    rule({Role.FIELD_OFFICE_STAFF, Role.HQ_TECHNICAL_UNIT}, scope=_addressed),
    rule({Role.REGIONAL_PROGRAMME_OFFICER}, scope=_regional),
    rule(MANAGERS, scope=manages),
    rule(ADMIN),
)


def _in(states: Any, rows: tuple[Any, ...]) -> list[Any]:
    return [rule(r.roles, scope=r.scope, states=states) for r in rows]


register(
    "recommendation.respond",
    *_in({EvaluationStatus.COMPLETED}, RESPONDERS),
    state_field="evaluation_status",
    refusal=_(
        "Management responds while the evaluation is completed and its response open; "
        "this one is %(state)s."
    ),
)
register(
    "follow_up.add",
    *_in(DONE_STATES, RESPONDERS),
    state_field="evaluation_status",
    refusal=_(
        "Follow-up actions are added once the evaluation is completed; this one is %(state)s."
    ),
)
register(
    "follow_up.update",
    rule(STAFF, scope=_owner),
    rule(MANAGERS, scope=manages),
    rule(ADMIN),
)
register("lesson.create", rule(STAFF))
register(
    "lesson.view",
    rule(EVERYONE, scope=_lesson_public),
    rule(STAFF, scope=_lesson_validated),
    rule(STAFF, scope=_lesson_author),
    rule(MANAGERS | ADMIN),
)
register(
    "lesson.validate",
    rule(MANAGERS, scope=_validates, states={LessonStatus.PROPOSED}),
    rule(ADMIN, states={LessonStatus.PROPOSED}),
    refusal=_("Only a proposed lesson can be validated or turned down; this one is %(state)s."),
)
register(
    "lesson.link",
    rule({Role.OUTCOME_COORDINATOR}, scope=_coordinates, note="the outcome's coordinators"),
    rule({Role.PROGRAMME_OFFICER} | ADMIN),
)
register("follow_up.mine", rule(STAFF))
