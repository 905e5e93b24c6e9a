"""Evaluations, recommendations with management responses and follow-up actions, lessons
learned and good practices. Sits between ``cooperation`` and ``workplans`` in the app order.

Every record people edit is versioned (409 on a stale edit) and keeps its history. The
search reads ``SearchDocument``: one row per record and language it is written in, its text
and a stored ``tsvector`` in that language's configuration (``evaluations.search``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.models import Project
from dwcp.models import DecentWorkCountryProgramme
from rbm.models import Biennium, Country, Office, Region, TimeStampedModel, VersionedModel
from strategic_plans.models import Outcome

REPORT_EXTENSIONS = ["pdf", "docx"]
MAX_REPORT_BYTES = 20 * 1024 * 1024


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


# PostgreSQL's text search configuration of each language.
SEARCH_CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}


class SubjectKind(models.TextChoices):
    PROGRAMME = "programme", _("Decent Work Country Programme")
    PROJECT = "project", _("Development cooperation project")
    OUTCOME = "outcome", _("P&B outcome")
    STRATEGY = "strategy", _("Outcome strategy")
    THEME = "theme", _("Theme")


class EvaluationType(models.TextChoices):
    INDEPENDENT = "independent", _("Independent")
    INTERNAL = "internal", _("Internal")
    SELF = "self", _("Self-evaluation")
    REVIEW = "review", _("Review")
    META_ANALYSIS = "meta_analysis", _("Meta-analysis")


class Timing(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term")
    FINAL = "final", _("Final")
    EX_POST = "ex_post", _("Ex-post")


class EvaluationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    RESPONSE_COMPLETE = "response_complete", _("Management response complete")


# The steps of an evaluation, in order; each is one service and one row of the table.
EVALUATION_STEPS = {
    EvaluationStatus.PLANNED: EvaluationStatus.IN_PROGRESS,
    EvaluationStatus.IN_PROGRESS: EvaluationStatus.COMPLETED,
    EvaluationStatus.COMPLETED: EvaluationStatus.RESPONSE_COMPLETE,
}
DONE_STATES = (EvaluationStatus.COMPLETED, EvaluationStatus.RESPONSE_COMPLETE)


class Evaluation(VersionedModel):
    """An evaluation or review of a country programme, an outcome or its strategy, or a
    theme; with its report and summary."""

    title = models.CharField(_("title"), max_length=250)
    subject_kind = models.CharField(_("subject"), max_length=16, choices=SubjectKind.choices)
    programme = models.ForeignKey(
        DecentWorkCountryProgramme,
        verbose_name=_("country programme"),
        on_delete=models.PROTECT,
        related_name="evaluations",
        null=True,
        blank=True,
    )
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("P&B outcome"),
        on_delete=models.PROTECT,
        related_name="evaluations",
        null=True,
        blank=True,
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="evaluations",
        null=True,
        blank=True,
    )
    theme = models.CharField(_("theme"), max_length=160, blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=EvaluationType.choices)
    timing = models.CharField(_("timing"), max_length=16, choices=Timing.choices)
    # The region whose evaluation managers manage it (none: headquarters). A programme's
    # evaluation takes its country's region.
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="evaluations",
        null=True,
        blank=True,
        help_text=_("Empty for an evaluation managed at headquarters."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="evaluations",
        null=True,
        blank=True,
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluation manager"),
        on_delete=models.PROTECT,
        related_name="managed_evaluations",
    )
    evaluators = models.CharField(
        _("evaluators"), max_length=500, blank=True, help_text=_("Names, separated by commas.")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.PLANNED,
    )
    report_file = models.FileField(
        _("report"),
        upload_to="evaluations/reports/%Y/",
        blank=True,
        validators=[FileExtensionValidator(REPORT_EXTENSIONS)],
        help_text=_("PDF or Word (DOCX), up to 20 MB."),
    )
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_es = models.TextField(_("summary (Spanish)"), blank=True)
    history = HistoricalRecords(excluded_fields=["report_file"])

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(subject_kind="programme") | models.Q(programme__isnull=False),
                name="evaluation_programme_subject_has_programme",
                violation_error_message=_("Choose the country programme evaluated."),
            ),
            models.CheckConstraint(
                condition=~models.Q(subject_kind__in=["outcome", "strategy"])
                | models.Q(outcome__isnull=False),
                name="evaluation_outcome_subject_has_outcome",
                violation_error_message=_("Choose the outcome evaluated."),
            ),
            models.CheckConstraint(
                condition=~models.Q(subject_kind="project") | models.Q(project__isnull=False),
                name="evaluation_project_subject_has_project",
                violation_error_message=_("Choose the project evaluated."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="evaluation_ends_after_start",
                violation_error_message=_("The end date comes on or after the start date."),
            ),
        ]
        indexes = [models.Index(fields=["status", "region"])]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return (self.end_date or self.start_date).year

    def summaries(self) -> dict[str, str]:
        """The summary in each language it is written in."""
        return {
            code: text
            for code in Language.values
            if (text := getattr(self, f"summary_{code}").strip())
        }

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.subject_kind == SubjectKind.PROGRAMME and not self.programme_id:
            errors["programme"] = str(_("Choose the country programme evaluated."))
        if self.subject_kind in (SubjectKind.OUTCOME, SubjectKind.STRATEGY) and not (
            self.outcome_id
        ):
            errors["outcome"] = str(_("Choose the outcome evaluated."))
        if self.subject_kind == SubjectKind.PROJECT and not self.project_id:
            errors["project"] = str(_("Choose the project evaluated."))
        if self.subject_kind == SubjectKind.THEME and not self.theme.strip():
            errors["theme"] = str(_("Name the theme evaluated."))
        if self.status in DONE_STATES and not self.summaries():
            errors["summary_en"] = str(_("A completed evaluation has a summary."))
        if errors:
            raise ValidationError(errors)


class AddresseeKind(models.TextChoices):
    OFFICE = "office", _("Office")
    UNIT = "unit", _("Unit (headquarters)")
    CONSTITUENTS = "constituents", _("Constituents")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Response(models.TextChoices):
    PENDING = "pending", _("Awaiting response")
    ACCEPTED = "accepted", _("Accepted")
    PARTIALLY_ACCEPTED = "partially_accepted", _("Partially accepted")
    REJECTED = "rejected", _("Rejected")


ACCEPTING = (Response.ACCEPTED, Response.PARTIALLY_ACCEPTED)


class Recommendation(VersionedModel):
    """A recommendation of an evaluation, to an office, a unit or the constituents, and the
    management's response to it."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    addressee_kind = models.CharField(
        _("addressed to"), max_length=16, choices=AddresseeKind.choices
    )
    addressee_office = models.ForeignKey(
        Office,
        verbose_name=_("office or unit"),
        on_delete=models.PROTECT,
        related_name="recommendations",
        null=True,
        blank=True,
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    response = models.CharField(
        _("management response"), max_length=20, choices=Response.choices, default="pending"
    )
    response_reasons = models.TextField(_("reasons"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "number"],
                name="recommendation_number_unique",
                violation_error_message=_("This evaluation already has this recommendation."),
            ),
        ]
        indexes = [models.Index(fields=["response", "addressee_office"])]

    def __str__(self) -> str:
        return f"{self.evaluation} – {self.number}"

    @property
    def evaluation_status(self) -> str:
        """The state the permission table reads for a response: its evaluation's."""
        return str(self.evaluation.status)

    def get_evaluation_status_display(self) -> str:
        return str(self.evaluation.get_status_display())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.addressee_kind in (AddresseeKind.OFFICE, AddresseeKind.UNIT) and not (
            self.addressee_office_id
        ):
            errors["addressee_office"] = str(_("Name the office or unit addressed."))
        if (
            self.response in (Response.PARTIALLY_ACCEPTED, Response.REJECTED)
            and not self.response_reasons.strip()
        ):
            errors["response_reasons"] = str(
                _("Give the reasons for a partial acceptance or a rejection.")
            )
        if errors:
            raise ValidationError(errors)


class FollowUpStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_FOLLOW_UP = (FollowUpStatus.PLANNED, FollowUpStatus.IN_PROGRESS)


class FollowUpAction(VersionedModel):
    """What management does about an accepted recommendation: an owner, a due date, a status."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="follow_up_actions",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=FollowUpStatus.choices, default="planned"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.description[:80]


class LessonKind(models.TextChoices):
    LESSON = "lesson", _("Lesson learned")
    GOOD_PRACTICE = "good_practice", _("Emerging good practice")


class LessonSource(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluation or review")
    PROGRESS_REPORT = "progress_report", _("Progress report")
    MIDTERM_REVIEW = "midterm_review", _("Mid-term review")
    OTHER = "other", _("Other")


class LessonStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Not validated")


class Theme(TimeStampedModel):
    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Lesson(VersionedModel):
    """A lesson learned or an emerging good practice, in one language; it counts (shows in
    planning, in the report, to the public) once an evaluation manager has validated it."""

    kind = models.CharField(_("kind"), max_length=16, choices=LessonKind.choices)
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("lesson"))
    context = models.TextField(_("context"), blank=True)
    what_to_change = models.TextField(
        _("what to change"),
        blank=True,
        help_text=_("The concrete and specific change the lesson leads to."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        related_name="translations",
        null=True,
        blank=True,
    )
    source = models.CharField(_("source"), max_length=16, choices=LessonSource.choices)
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation or review"),
        on_delete=models.PROTECT,
        related_name="lessons",
        null=True,
        blank=True,
    )
    source_note = models.CharField(
        _("where it comes from"),
        max_length=250,
        blank=True,
        help_text=_("For a progress report or a mid-term review: which one."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    outcomes = models.ManyToManyField(
        Outcome, verbose_name=_("outcomes"), related_name="lessons", blank=True
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="lessons", blank=True
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), related_name="lessons", blank=True
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="lessons", blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LessonStatus.choices, default="proposed"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[outcomes, countries, regions, themes])

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("lesson or good practice")
        verbose_name_plural = _("lessons and good practices")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source="evaluation") | models.Q(evaluation__isnull=False),
                name="lesson_from_evaluation_names_it",
                violation_error_message=_("Choose the evaluation or review it comes from."),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1990, year__lte=2100),
                name="lesson_year_range",
                violation_error_message=_("The year must lie between 1990 and 2100."),
            ),
        ]
        indexes = [models.Index(fields=["status", "year"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.source == LessonSource.EVALUATION and not self.evaluation_id:
            raise ValidationError(
                {"evaluation": _("Choose the evaluation or review it comes from.")}
            )
        if self.source != LessonSource.EVALUATION and self.evaluation_id:
            raise ValidationError(
                {"source": _("A lesson drawn from an evaluation has the source “evaluation”.")}
            )


class StrategyLesson(TimeStampedModel):
    """A validated lesson an outcome's strategy acts on in a biennium (linked by its
    coordinator under "Experience and lessons learned"); the report prints these."""

    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.CASCADE, related_name="+"
    )
    biennium = models.ForeignKey(Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT)
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="strategy_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome", "biennium", "lesson"]
        verbose_name = _("lesson acted on by a strategy")
        verbose_name_plural = _("lessons acted on by strategies")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "biennium", "lesson"],
                name="strategy_lesson_unique",
                violation_error_message=_("The strategy already acts on this lesson."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome_id}/{self.biennium_id}: {self.lesson_id}"


class DocumentKind(models.TextChoices):
    LESSON = "lesson", _("Lesson learned")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    EVALUATION = "evaluation", _("Evaluation")
    RECOMMENDATION = "recommendation", _("Recommendation")


class SearchDocument(models.Model):
    """What the search reads: one record in one language, with the filters' columns and its
    ``tsvector`` in that language's configuration (title weight A, body B). Written by the
    services with the record (``evaluations.search.index``), never by hand. ``public``: the
    public may find it; ``counts``: staff find it (a lesson not validated does not count)."""

    kind = models.CharField(_("type"), max_length=16, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    title = models.CharField(max_length=250)
    body = models.TextField()
    year = models.PositiveSmallIntegerField()
    evaluation_type = models.CharField(max_length=16, blank=True)
    # An evaluation's (and its recommendations') single subject; a lesson's tags are read
    # from its own tables by the filters.
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    public = models.BooleanField(default=False)
    counts = models.BooleanField(default=True)
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="search_document_unique"
            ),
        ]
        # The GIN index of ``vector`` is PostgreSQL's only: see migration 0002.
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.language})"
