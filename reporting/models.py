"""The programme implementation report: runs compiled by Celery workers, their parts, and
immutable snapshots with a content hash."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rbm.models import Biennium, Region, TimeStampedModel
from strategic_plans.models import StrategicObjective


class Scope(models.TextChoices):
    WHOLE = "whole", _("The whole biennium")
    REGION = "region", _("One region")
    OBJECTIVE = "objective", _("One strategic objective")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    # The broker refused the run when it was requested or retried: nothing will compile it
    # until someone queues it again (the retry button).
    NOT_QUEUED = "not_queued", _("Not queued")


# The report's scope rule, in one place: the field each scope needs (the others stay
# empty). The database holds it (the constraint below is built from it) and clean() says
# which field is wrong; the page and the API take their answers from clean().
SCOPE_FIELDS: dict[str, str | None] = {
    Scope.WHOLE: None,
    Scope.REGION: "region",
    Scope.OBJECTIVE: "objective",
}
SCOPE_MISSING = {
    "region": _("Choose the region of a regional report."),
    "objective": _("Choose the strategic objective."),
}
SCOPE_UNWANTED = {
    "region": _("Give a region only for a regional report (scope region)."),
    "objective": _("Give an objective only for an objective's report (scope objective)."),
}


def _scope_condition() -> models.Q:
    """Each scope with its own field set and the others empty."""
    condition = models.Q()
    for scope, needed in SCOPE_FIELDS.items():
        fields = [needed] if needed else []
        fields += [name for name in SCOPE_MISSING if name != needed]
        clause = models.Q(scope=str(scope))
        for name in fields:
            clause &= models.Q(**{f"{name}__isnull": name != needed})
        condition = clause if not condition else condition | clause
    return condition


INTRODUCTION_MAX_LENGTH = 20_000


class ReportRun(TimeStampedModel):
    """A request to compile the report for a biennium (whole, one region or one objective)."""

    biennium = models.ForeignKey(
        Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT, related_name="report_runs"
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.WHOLE)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    objective = models.ForeignKey(
        StrategicObjective,
        verbose_name=_("strategic objective"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    # The secretariat's own introduction, in the run's language, printed at the head of the
    # executive summary (kept in the snapshot's content, so it is part of its hash).
    introduction = models.TextField(
        _("introduction"),
        max_length=INTRODUCTION_MAX_LENGTH,
        blank=True,
        help_text=_("The secretariat's introduction, in the report's language."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # The steps running now (``start``, a part's key, ``finish``), each with the Celery worker
    # running it, and the workers that ended a step and may hold the next (``after:<name>``):
    # if one of them stops beating (``rbm.jobs``), the run is stalled and queued again.
    steps = models.JSONField(_("steps running"), default=dict, blank=True)
    parts_total = models.PositiveIntegerField(_("parts"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    snapshot = models.ForeignKey(
        "ReportSnapshot",
        verbose_name=_("snapshot"),
        on_delete=models.PROTECT,
        related_name="runs",
        null=True,
        blank=True,
    )
    history = HistoricalRecords(excluded_fields=["progress", "heartbeat_at", "steps"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_run_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=_scope_condition(),
                name="report_run_scope_matches",
                violation_error_message=_(
                    "Choose a region for a regional report, an objective for an objective's "
                    "report, and neither for the whole biennium."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="succeeded") | models.Q(snapshot__isnull=False),
                name="report_run_succeeded_has_snapshot",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.biennium} · {self.scope_label} · {self.get_language_display()}"

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.REGION and self.region_id:
            return str(self.region)
        if self.scope == Scope.OBJECTIVE and self.objective_id:
            return str(self.objective)
        return str(Scope.WHOLE.label)

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def clean(self) -> None:
        needed = SCOPE_FIELDS.get(self.scope)
        for name in SCOPE_MISSING:
            given = getattr(self, f"{name}_id") is not None
            if name == needed and not given:
                raise ValidationError({name: SCOPE_MISSING[name]})
            if name != needed and given:
                raise ValidationError({name: SCOPE_UNWANTED[name]})
        if self.objective is not None and self.biennium_id:
            plan = self.objective.plan
            if not plan.contains(self.biennium):
                raise ValidationError(
                    {
                        "objective": _("Choose an objective of the framework of %(biennium)s.")
                        % {"biennium": self.biennium}
                    }
                )


class ReportPart(models.Model):
    """One subtask's result: a part of the run's outline (``figures``, ``programmes`` or
    ``outcomes``, the last holding a section per outcome).

    A part is written whole (upsert on run and key), so a subtask that runs twice leaves one
    row with the same content.
    """

    run = models.ForeignKey(
        ReportRun, verbose_name=_("report run"), on_delete=models.CASCADE, related_name="parts"
    )
    key = models.CharField(_("key"), max_length=64)
    content = models.JSONField(_("content"))
    queries = models.PositiveIntegerField(_("queries"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["run", "key"]
        verbose_name = _("report part")
        verbose_name_plural = _("report parts")
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="report_part_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.key}"


class SnapshotState(models.TextChoices):
    """Where a snapshot stands: a draft may be marked final, once (its ``final`` flag)."""

    DRAFT = "draft", _("draft")
    FINAL = "final", _("final")


class ReportSnapshot(TimeStampedModel):
    """A compiled report, immutable: its content and the hash of that content.

    Marking it final (submitted to the Governing Body) is the one change it admits, once.
    """

    biennium = models.ForeignKey(
        Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT, related_name="snapshots"
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    objective = models.ForeignKey(
        StrategicObjective,
        verbose_name=_("strategic objective"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, db_index=True)
    final = models.BooleanField(_("final"), default=False)
    finalized_at = models.DateTimeField(_("marked final at"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked final by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    final_gaps = models.JSONField(
        _("gaps confirmed when marked final"),
        default=list,
        blank=True,
        help_text=_("The keys of what was missing (reporting.completeness) when it went final."),
    )
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(final=True)
                | (models.Q(finalized_at__isnull=False) & models.Q(finalized_by__isnull=False)),
                name="snapshot_final_has_who_and_when",
            )
        ]

    def __str__(self) -> str:
        return f"{self.biennium} · {self.content_hash[:12]}"

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    @property
    def state(self) -> str:
        """The snapshot's state for the permission table (``report.finalize``'s rows)."""
        return SnapshotState.FINAL if self.final else SnapshotState.DRAFT

    def get_state_display(self) -> str:
        return str(SnapshotState(self.state).label)
