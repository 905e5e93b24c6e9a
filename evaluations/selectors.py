"""Reads of evaluations, recommendations, follow-up actions and lessons, each in a fixed
number of queries, filtered with the permission table's rules (``evaluations.permissions``).
Other apps (the DWCP and CPO pages through ``rbm.ui`` slots, the workplan's strategy, the
report) read them through here."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from cooperation.models import Project
from dwcp.models import DecentWorkCountryProgramme
from evaluations.models import (
    ACCEPTING,
    DONE_STATES,
    OPEN_FOLLOW_UP,
    Evaluation,
    EvaluationType,
    FollowUpAction,
    FollowUpStatus,
    Lesson,
    LessonStatus,
    Recommendation,
    Response,
    StrategyLesson,
)
from rbm.models import Role, User
from rbm.permissions import role_of

PUBLIC_EVALUATIONS = Q(
    kind=EvaluationType.INDEPENDENT, status__in=DONE_STATES, programme__published=True
)


def programme_by_id(pk: int) -> DecentWorkCountryProgramme | None:
    """A country programme an evaluation may be of (with its country)."""
    return DecentWorkCountryProgramme.objects.select_related("country").filter(pk=pk).first()


def project_by_id(pk: int) -> Project | None:
    """A development cooperation project an evaluation may be of."""
    return Project.objects.filter(pk=pk).first()


def is_staff(user: Any) -> bool:
    return role_of(user) != "public"


def sees_unvalidated(user: Any) -> bool:
    return role_of(user) in (Role.EVALUATION_MANAGER, Role.ADMINISTRATOR)


def visible_evaluations(user: Any) -> QuerySet[Evaluation]:
    evaluations = Evaluation.objects.all()
    if not is_staff(user):
        evaluations = evaluations.filter(PUBLIC_EVALUATIONS)
    return evaluations


def visible_lessons(user: Any) -> QuerySet[Lesson]:
    lessons = Lesson.objects.all()
    if not is_staff(user):
        return lessons.filter(
            Q(status=LessonStatus.VALIDATED)
            & Q(evaluation__in=Evaluation.objects.filter(PUBLIC_EVALUATIONS))
        )
    if sees_unvalidated(user):
        return lessons
    return lessons.filter(Q(status=LessonStatus.VALIDATED) | Q(created_by=user))


def _with_rates(evaluations: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """Annotate the counts the follow-up rate is computed from (``follow_up_rate``)."""
    return evaluations.annotate(
        recommendation_count=Count("recommendations", distinct=True),
        accepted_count=Count(
            "recommendations",
            filter=Q(recommendations__response__in=ACCEPTING),
            distinct=True,
        ),
        implemented_count=Count(
            "recommendations",
            filter=Q(recommendations__response__in=ACCEPTING)
            & Q(
                recommendations__in=Recommendation.objects.filter(actions__isnull=False).exclude(
                    actions__status__in=OPEN_FOLLOW_UP
                )
            ),
            distinct=True,
        ),
    )


def follow_up_rate(evaluation: Any) -> float | None:
    """The share of accepted (or partially accepted) recommendations whose follow-up is done:
    at least one action, and none still planned or in progress. None: nothing accepted."""
    accepted = getattr(evaluation, "accepted_count", None)
    implemented = getattr(evaluation, "implemented_count", None)
    if accepted is None or implemented is None:
        recommendations = list(evaluation.recommendations.all())
        accepted_rows = [r for r in recommendations if r.response in ACCEPTING]
        accepted = len(accepted_rows)
        implemented = sum(
            1
            for r in accepted_rows
            if (actions := list(r.actions.all()))
            and all(a.status not in OPEN_FOLLOW_UP for a in actions)
        )
    if not accepted:
        return None
    return implemented / accepted


def evaluation_list(user: Any, *, status: str = "", region_id: int | None = None) -> Any:
    evaluations = visible_evaluations(user).select_related(
        "programme__country", "outcome", "project", "region", "manager"
    )
    if status:
        evaluations = evaluations.filter(status=status)
    if region_id is not None:
        evaluations = evaluations.filter(region_id=region_id)
    return _with_rates(evaluations).order_by("-start_date", "-pk")


def evaluation_detail(pk: int) -> Evaluation:
    return (
        Evaluation.objects.select_related(
            "programme__country", "outcome__objective", "project", "region", "country", "manager"
        )
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related(
                    "addressee_office", "responded_by"
                ).prefetch_related(
                    Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner"))
                ),
            ),
        )
        .get(pk=pk)
    )


def evaluation_lessons(user: Any, evaluation: Evaluation) -> list[Lesson]:
    return list(visible_lessons(user).filter(evaluation=evaluation).order_by("pk"))


def lesson_detail(pk: int) -> Lesson:
    return (
        Lesson.objects.select_related(
            "evaluation__programme", "created_by", "validated_by", "translation_of"
        )
        .prefetch_related("outcomes", "countries__region", "regions", "themes", "translations")
        .get(pk=pk)
    )


def lessons_to_validate(user: Any) -> QuerySet[Lesson]:
    lessons = Lesson.objects.filter(status=LessonStatus.PROPOSED)
    if role_of(user) == Role.EVALUATION_MANAGER and user.region_id is not None:
        lessons = lessons.filter(
            Q(evaluation__region_id=user.region_id)
            | Q(regions=user.region_id)
            | Q(countries__region_id=user.region_id)
        ).distinct()
    return lessons.select_related("evaluation").order_by("pk")


# For planning: the DWCP page, the CPO form, the workplan's strategy ---------------------------

PLANNING_SIZE = 10


def planning_lessons(
    *, country_id: int | None, outcome_id: int | None, size: int = PLANNING_SIZE
) -> list[Lesson]:
    """Validated lessons of the country (its tags) or the outcome, those of both first."""
    if country_id is None and outcome_id is None:
        return []
    tagged_country = Lesson.countries.through.objects.filter(
        lesson_id=OuterRef("pk"), country_id=country_id or 0
    )
    tagged_outcome = Lesson.outcomes.through.objects.filter(
        lesson_id=OuterRef("pk"), outcome_id=outcome_id or 0
    )
    lessons = (
        Lesson.objects.filter(status=LessonStatus.VALIDATED)
        .annotate(in_country=Exists(tagged_country), on_outcome=Exists(tagged_outcome))
        .filter(Q(in_country=True) | Q(on_outcome=True))
        .order_by("-in_country", "-on_outcome", "-year", "-pk")
    )
    return list(lessons[:size])


def open_recommendations(
    *, country_id: int | None, outcome_id: int | None, size: int = PLANNING_SIZE
) -> list[Recommendation]:
    """Recommendations of completed evaluations of the country or the outcome still open:
    awaiting a response, or accepted with follow-up not done."""
    subject = Q()
    if country_id is not None:
        subject |= Q(evaluation__country_id=country_id)
    if outcome_id is not None:
        subject |= Q(evaluation__outcome_id=outcome_id)
    if not subject:
        return []
    open_action = FollowUpAction.objects.filter(
        recommendation_id=OuterRef("pk"), status__in=OPEN_FOLLOW_UP
    )
    recommendations = (
        Recommendation.objects.filter(subject, evaluation__status__in=DONE_STATES)
        .annotate(open_action=Exists(open_action))
        .filter(
            Q(response=Response.PENDING)
            | Q(response__in=ACCEPTING, open_action=True)
            | Q(response__in=ACCEPTING, actions__isnull=True)
        )
        .distinct()
        .select_related("evaluation", "addressee_office")
        .order_by("-evaluation__start_date", "evaluation_id", "number")
    )
    return list(recommendations[:size])


def outcome_lessons(outcome_id: int, biennium_id: int) -> list[tuple[Lesson, bool]]:
    """The outcome's validated lessons, each with whether its strategy for the biennium acts
    on it (linked lessons first)."""
    linked = StrategyLesson.objects.filter(
        lesson_id=OuterRef("pk"), outcome_id=outcome_id, biennium_id=biennium_id
    )
    lessons = (
        Lesson.objects.filter(status=LessonStatus.VALIDATED, outcomes=outcome_id)
        .annotate(linked=Exists(linked))
        .order_by("-linked", "-year", "-pk")
    )
    return [(lesson, bool(lesson.linked)) for lesson in lessons[:50]]


def report_lessons(outcome_ids: list[int], biennium_id: int) -> dict[int, list[dict[str, Any]]]:
    """For the report: the lessons each outcome's strategy acts on, in one query."""
    links = (
        StrategyLesson.objects.filter(
            outcome_id__in=outcome_ids,
            biennium_id=biennium_id,
            lesson__status=LessonStatus.VALIDATED,
        )
        .select_related("lesson")
        .order_by("outcome_id", "lesson__year", "lesson_id")
    )
    lessons: dict[int, list[dict[str, Any]]] = {}
    for link in links:
        lesson = link.lesson
        lessons.setdefault(link.outcome_id, []).append(
            {
                "kind": lesson.kind,
                "title": lesson.title,
                "text": lesson.text,
                "what_to_change": lesson.what_to_change,
                "year": lesson.year,
            }
        )
    return lessons


def overdue_follow_ups(user: User, *, today: datetime.date | None = None) -> QuerySet[Any]:
    """The user's follow-up actions past their due date and not done."""
    today = today or timezone.localdate()
    return (
        FollowUpAction.objects.filter(owner=user, status__in=OPEN_FOLLOW_UP, due_date__lt=today)
        .select_related("recommendation__evaluation")
        .order_by("due_date", "pk")
    )


def my_follow_ups(user: Any) -> QuerySet[Any]:
    return (
        FollowUpAction.objects.filter(owner=user)
        .exclude(status=FollowUpStatus.CANCELLED)
        .select_related("recommendation__evaluation")
        .order_by("status", "due_date", "pk")
    )
