"""Every write to evaluations, recommendations, follow-up actions and lessons.

Each service takes the acting user and asks the permission table (403; a step from a state
that does not allow it, 400), validates (``full_clean``), refuses a stale version (409), then
writes in ``transaction.atomic`` and keeps the search index up to date in the same
transaction. Steps of the evaluation go through ``rbm.workflow.transition``.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dwcp.models import DecentWorkCountryProgramme
from evaluations import search
from evaluations.models import (
    ACCEPTING,
    MAX_REPORT_BYTES,
    AddresseeKind,
    Evaluation,
    EvaluationStatus,
    FollowUpAction,
    FollowUpStatus,
    Lesson,
    LessonSource,
    LessonStatus,
    Recommendation,
    Response,
    StrategyLesson,
    SubjectKind,
    Theme,
)
from rbm.conflicts import unique_conflict
from rbm.errors import ApplicationError
from rbm.models import Biennium, Country, Office, Region, User
from rbm.permissions import require
from rbm.services import check_version, save_versioned, validate
from rbm.workflow import locked_for, transition
from strategic_plans.models import Outcome

EVALUATION_FIELDS = (
    "title",
    "subject_kind",
    "programme",
    "outcome",
    "project",
    "theme",
    "kind",
    "timing",
    "region",
    "manager",
    "evaluators",
    "start_date",
    "end_date",
    "summary_en",
    "summary_fr",
    "summary_es",
)


def _placed(evaluation: Evaluation) -> None:
    """A programme's evaluation lies in its country and that country's region; a project's
    in the project's region (and its country, when it has one)."""
    if evaluation.subject_kind != SubjectKind.PROJECT:
        evaluation.project = None
    if evaluation.subject_kind == SubjectKind.PROGRAMME and evaluation.programme is not None:
        evaluation.country = evaluation.programme.country
        evaluation.region_id = evaluation.programme.country.region_id
    elif evaluation.subject_kind == SubjectKind.PROJECT and evaluation.project is not None:
        evaluation.programme = None
        countries = list(evaluation.project.countries.all()[:2])
        evaluation.country = countries[0] if len(countries) == 1 else None
        evaluation.region_id = evaluation.project.region_id
    else:
        evaluation.programme = None
        evaluation.country = None
    if evaluation.subject_kind not in (SubjectKind.OUTCOME, SubjectKind.STRATEGY):
        evaluation.outcome = None


def _check_manager(user: User, evaluation: Evaluation) -> None:
    """An evaluation manager records evaluations of their own region (or headquarters)."""
    if not user.is_administrator and user.region_id != evaluation.region_id:
        raise ValidationError(
            {"region": _("You manage the evaluations of your own region (or headquarters).")}
        )


@transaction.atomic
def evaluation_create(*, user: User, **fields: Any) -> Evaluation:
    require(user, "evaluation.create")
    unknown = set(fields) - set(EVALUATION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields {sorted(unknown)}")
    fields.setdefault("manager", user)
    evaluation = Evaluation(**fields)
    if evaluation.programme_id and not isinstance(evaluation.programme, DecentWorkCountryProgramme):
        raise ValidationError({"programme": _("Choose a country programme.")})
    _placed(evaluation)
    _check_manager(user, evaluation)
    validate(evaluation)
    evaluation.save()
    search.index_evaluation(evaluation)
    return evaluation


@transaction.atomic
def evaluation_update(
    *, user: User, evaluation: Evaluation, version: int | None, **fields: Any
) -> Evaluation:
    unknown = set(fields) - set(EVALUATION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields {sorted(unknown)}")
    locked = locked_for(evaluation, user=user, action="evaluation.manage", version=version)
    for name, value in fields.items():
        setattr(locked, name, value)
    _placed(locked)
    _check_manager(user, locked)
    validate(locked)
    save_versioned(
        locked,
        update_fields=[
            *(f for f in fields if f not in ("programme", "project", "outcome", "region")),
            "programme",
            "outcome",
            "project",
            "region",
            "country",
        ],
    )
    search.index_evaluation(locked)
    return locked


def _check_report_content(upload: UploadedFile[bytes]) -> str:
    """The report's type from its content: a PDF starts with ``%PDF-``; a DOCX is a zip
    archive holding ``word/document.xml`` (read from its directory only)."""
    if upload.size is not None and upload.size > MAX_REPORT_BYTES:
        raise ValidationError(
            {
                "report_file": _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1024**2, 1), "limit": MAX_REPORT_BYTES // 1024**2}
            }
        )
    name = (upload.name or "").lower()
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if name.endswith(".pdf"):
        if not head.startswith(b"%PDF-"):
            raise ValidationError({"report_file": _("This file is not a PDF document.")})
        return "pdf"
    if name.endswith(".docx"):
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            names = set()
        upload.seek(0)
        if "word/document.xml" not in names:
            raise ValidationError({"report_file": _("This file is not a Word (DOCX) document.")})
        return "docx"
    raise ValidationError({"report_file": _("Attach the report as a PDF or a Word (DOCX) file.")})


@transaction.atomic
def evaluation_attach_report(
    *, user: User, evaluation: Evaluation, upload: UploadedFile[bytes], version: int | None
) -> Evaluation:
    locked = locked_for(evaluation, user=user, action="evaluation.manage", version=version)
    _check_report_content(upload)
    locked.report_file = upload
    validate(locked)
    save_versioned(locked, update_fields=["report_file"])
    return locked


def _step(
    user: User,
    evaluation: Evaluation,
    action: str,
    target: str,
    version: int | None,
    check: Any = None,
) -> Evaluation:
    moved = transition(
        evaluation,
        user=user,
        action=action,
        target=target,
        version=version,
        check=check,
        related=("programme",),
    )
    search.index_evaluation(moved)
    return moved


@transaction.atomic
def evaluation_start(*, user: User, evaluation: Evaluation, version: int | None) -> Evaluation:
    return _step(user, evaluation, "evaluation.start", EvaluationStatus.IN_PROGRESS, version)


@transaction.atomic
def evaluation_complete(*, user: User, evaluation: Evaluation, version: int | None) -> Evaluation:
    """Completed: the report's summary is written and its end date set."""

    def check(locked: Evaluation) -> None:
        errors: dict[str, str] = {}
        if not locked.summaries():
            errors["summary_en"] = _("Write the evaluation's summary before completing it.")
        if locked.end_date is None:
            errors["end_date"] = _("Set the end date before completing the evaluation.")
        if errors:
            raise ValidationError(errors)

    return _step(
        user, evaluation, "evaluation.complete", EvaluationStatus.COMPLETED, version, check
    )


@transaction.atomic
def evaluation_close(*, user: User, evaluation: Evaluation, version: int | None) -> Evaluation:
    """The management response is complete: every recommendation has its response."""

    def check(locked: Evaluation) -> None:
        waiting = locked.recommendations.filter(response=Response.PENDING).count()
        if waiting:
            raise ApplicationError(
                _("%(count)s recommendation(s) still await the management response.")
                % {"count": waiting}
            )

    return _step(
        user, evaluation, "evaluation.close", EvaluationStatus.RESPONSE_COMPLETE, version, check
    )


# Recommendations ----------------------------------------------------------------------------


@transaction.atomic
def recommendation_add(
    *,
    user: User,
    evaluation: Evaluation,
    text: str,
    addressee_kind: str,
    addressee_office: Office | None = None,
    priority: str = "medium",
    language: str = "en",
) -> Recommendation:
    """Add a recommendation, numbered after the evaluation's last (under its row lock)."""
    require(user, "evaluation.manage", evaluation, states=False)
    evaluation = Evaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)
    require(user, "evaluation.manage", evaluation)
    last = evaluation.recommendations.order_by("-number").values_list("number", flat=True).first()
    recommendation = Recommendation(
        evaluation=evaluation,
        number=(last or 0) + 1,
        text=text,
        addressee_kind=addressee_kind,
        addressee_office=addressee_office
        if addressee_kind in (AddresseeKind.OFFICE, AddresseeKind.UNIT)
        else None,
        priority=priority,
        language=language,
    )
    validate(recommendation)
    with unique_conflict(recommendation):
        recommendation.save()
    search.index_recommendation(recommendation)
    return recommendation


@transaction.atomic
def recommendation_respond(
    *,
    user: User,
    recommendation: Recommendation,
    response: str,
    reasons: str = "",
    version: int | None,
) -> Recommendation:
    """The management response: accepted, partially accepted (with reasons) or rejected
    (with reasons). It may be revised until the evaluation's response is complete."""
    if response not in Response.values or response == Response.PENDING:
        raise ValidationError({"response": _("Choose accepted, partially accepted or rejected.")})
    require(user, "recommendation.respond", recommendation)
    locked = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("evaluation")
        .get(pk=recommendation.pk)
    )
    check_version(locked, version)
    require(user, "recommendation.respond", locked)
    locked.response = response
    locked.response_reasons = reasons
    locked.responded_by = user
    locked.responded_at = timezone.now()
    validate(locked)
    save_versioned(
        locked, update_fields=["response", "response_reasons", "responded_by", "responded_at"]
    )
    return locked


@transaction.atomic
def follow_up_add(
    *,
    user: User,
    recommendation: Recommendation,
    description: str,
    owner: User,
    due_date: datetime.date,
) -> FollowUpAction:
    """A follow-up action of an accepted (or partially accepted) recommendation."""
    require(user, "follow_up.add", recommendation)
    if recommendation.response not in ACCEPTING:
        raise ApplicationError(
            _("Follow-up actions belong to an accepted or partially accepted recommendation.")
        )
    if not owner.is_active or not owner.role:
        raise ValidationError({"owner": _("Choose an active member of staff as the owner.")})
    action = FollowUpAction(
        recommendation=recommendation, description=description, owner=owner, due_date=due_date
    )
    validate(action)
    action.save()
    return action


@transaction.atomic
def follow_up_update(
    *, user: User, action: FollowUpAction, status: str, version: int | None
) -> FollowUpAction:
    """The owner (or the evaluation's managers) moves the action's status."""
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    require(user, "follow_up.update", action)
    locked = (
        FollowUpAction.objects.select_for_update(of=("self",))
        .select_related("recommendation__evaluation")
        .get(pk=action.pk)
    )
    check_version(locked, version)
    locked.status = status
    locked.completed_at = timezone.now() if status == FollowUpStatus.COMPLETED else None
    validate(locked)
    save_versioned(locked, update_fields=["status", "completed_at"])
    return locked


# Lessons ------------------------------------------------------------------------------------


def theme_names(names: Iterable[str]) -> list[Theme]:
    """The themes named (created the first time), without duplicates."""
    themes = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        theme = Theme(name=name[:80])
        validate_theme = Theme.objects.filter(name__iexact=theme.name).first()
        if validate_theme is None:
            theme.full_clean()
            theme.save()
            validate_theme = theme
        themes.append(validate_theme)
    return themes


LESSON_FIELDS = (
    "kind",
    "title",
    "text",
    "context",
    "what_to_change",
    "language",
    "translation_of",
    "source",
    "evaluation",
    "source_note",
    "year",
)


@transaction.atomic
def lesson_create(
    *,
    user: User,
    outcomes: Iterable[Outcome] = (),
    countries: Iterable[Country] = (),
    regions: Iterable[Region] = (),
    themes: Iterable[str] = (),
    **fields: Any,
) -> Lesson:
    """Record a lesson or good practice (proposed: it counts once validated)."""
    require(user, "lesson.create")
    unknown = set(fields) - set(LESSON_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields {sorted(unknown)}")
    lesson = Lesson(created_by=user, status=LessonStatus.PROPOSED, **fields)
    if lesson.evaluation_id and lesson.source == "":
        lesson.source = LessonSource.EVALUATION
    validate(lesson)
    lesson.save()
    lesson.outcomes.set(list(outcomes))
    lesson.countries.set(list(countries))
    lesson.regions.set(list(regions))
    lesson.themes.set(theme_names(themes))
    search.index_lessons([lesson])
    return lesson


@transaction.atomic
def lesson_validate(
    *, user: User, lesson: Lesson, version: int | None, accept: bool = True
) -> Lesson:
    """An evaluation manager validates a proposed lesson (or turns it down): only a
    validated lesson shows in planning, in the report and to the public."""
    target = LessonStatus.VALIDATED if accept else LessonStatus.REJECTED
    moved = transition(
        lesson,
        user=user,
        action="lesson.validate",
        target=target,
        version=version,
        changes={"validated_by": user if accept else None, "validated_at": timezone.now()},
        related=("evaluation__programme",),
    )
    search.index_lessons([moved])
    return moved


@transaction.atomic
def strategy_lesson_link(
    *, user: User, outcome: Outcome, biennium: Biennium, lesson: Lesson
) -> StrategyLesson:
    """The outcome's coordinator links a validated lesson of the outcome that its strategy
    for the biennium acts on."""
    require(user, "lesson.link", outcome)
    if lesson.status != LessonStatus.VALIDATED:
        raise ApplicationError(_("Only a validated lesson can be acted on."))
    if not lesson.outcomes.filter(pk=outcome.pk).exists():
        raise ApplicationError(_("This lesson is not tagged with the outcome."))
    link = StrategyLesson(outcome=outcome, biennium=biennium, lesson=lesson, linked_by=user)
    validate(link)
    with unique_conflict(link):
        link.save()
    return link


@transaction.atomic
def strategy_lesson_unlink(
    *, user: User, outcome: Outcome, biennium: Biennium, lesson_id: int
) -> int:
    require(user, "lesson.link", outcome)
    deleted, _rows = StrategyLesson.objects.filter(
        outcome=outcome, biennium=biennium, lesson_id=lesson_id
    ).delete()
    return deleted
