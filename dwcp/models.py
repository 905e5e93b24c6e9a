"""Decent Work Country Programmes: the programme, its priorities (at most three), country
programme outcomes (CPOs) with milestones and resources, and progress reports reviewed by
the region."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rbm.models import Biennium, Country, FundingSource, Office, TimeStampedModel, VersionedModel
from strategic_plans.models import Indicator, Outcome

MAX_PRIORITIES = 3
DOCUMENT_EXTENSIONS = ["pdf", "docx", "doc", "odt"]
EVIDENCE_EXTENSIONS = [*DOCUMENT_EXTENSIONS, "xlsx", "xls", "csv", "png", "jpg", "jpeg"]
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
CPO_CODE = RegexValidator(
    r"^[A-Z]{3}[0-9]{3,4}$",
    _("Use the country's three-letter code and three or four digits, e.g. IDN126."),
)


def validate_upload_size(upload: object) -> None:
    size = getattr(upload, "size", 0) or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            params={
                "size": math.ceil(size / 1024 / 1024 * 10) / 10,
                "limit": MAX_UPLOAD_BYTES // 1024**2,
            },
            code="file_too_large",
        )


class Phase(models.TextChoices):
    """The six phases of the method, then completed and evaluated."""

    COUNTRY_CONTEXT = "country_context", _("Establishing the country context")
    PRIORITIES_AGREED = "priorities_agreed", _("Priorities agreed")
    OUTCOMES_DEFINED = "outcomes_defined", _("Outcomes defined")
    IMPLEMENTATION_PLANNING = "implementation_planning", _("Implementation planning")
    IMPLEMENTATION = "implementation", _("Implementation management")
    MONITORING = "monitoring", _("Monitoring, reporting and evaluation")
    COMPLETED = "completed", _("Completed")
    EVALUATED = "evaluated", _("Evaluated")


PHASE_ORDER = list(Phase)


class DecentWorkCountryProgramme(VersionedModel):
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="programmes"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("responsible office"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    title = models.CharField(_("title"), max_length=250)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    phase = models.CharField(
        _("phase"), max_length=32, choices=Phase.choices, default=Phase.COUNTRY_CONTEXT
    )
    undaf_title = models.CharField(_("UNDAF"), max_length=250, blank=True)
    undaf_url = models.URLField(_("UNDAF link"), blank=True)
    national_plan_title = models.CharField(
        _("national development plan"), max_length=250, blank=True
    )
    national_plan_url = models.URLField(_("national development plan link"), blank=True)
    signed_document = models.FileField(
        _("signed document"),
        upload_to="dwcp/signed/%Y/",
        blank=True,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_upload_size],
        help_text=_("PDF, Word or OpenDocument, up to 10 MB."),
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Published programmes are public documents: anyone can read them."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "-start_year"]
        verbose_name = _("Decent Work Country Programme")
        verbose_name_plural = _("Decent Work Country Programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year"))
                & models.Q(end_year__lte=models.F("start_year") + 7),
                name="dwcp_period_up_to_8_years",
                violation_error_message=_(
                    "A programme ends in or after the year it starts, within eight years."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__gte=1990, start_year__lte=2100),
                name="dwcp_start_year_range",
                violation_error_message=_("The start year must lie between 1990 and 2100."),
            ),
        ]
        indexes = [models.Index(fields=["office", "phase"])]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return f"{self.start_year}-{self.end_year}"

    def covers(self, biennium: Biennium) -> bool:
        return self.start_year <= biennium.end_year and biennium.start_year <= self.end_year


class PartyKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    EMPLOYERS = "employers", _("Employers' organization")
    WORKERS = "workers", _("Workers' organization")


class TripartiteParty(models.Model):
    """A constituent who owns the programme jointly with the Office."""

    programme = models.ForeignKey(
        DecentWorkCountryProgramme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="parties",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=250)
    agreed_on = models.DateField(_("date of agreement"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "kind", "name"]
        verbose_name = _("tripartite party")
        verbose_name_plural = _("tripartite parties")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "name"],
                name="party_unique_in_programme",
                violation_error_message=_("This party is already listed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class CountryProgrammePriority(VersionedModel):
    """One of at most three results areas agreed with the constituents.

    The database holds the limit: ``number`` is 1, 2 or 3 and unique in its programme.
    """

    programme = models.ForeignKey(
        DecentWorkCountryProgramme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="priorities",
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PRIORITIES)]
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("country programme priority")
        verbose_name_plural = _("country programme priorities")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="priority_number_unique_in_programme",
                violation_error_message=_(
                    "This programme already has a priority with this number."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=MAX_PRIORITIES),
                name="priority_at_most_three",
                violation_error_message=_(
                    "A Decent Work Country Programme has at most three priorities."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ResultStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    PARTLY_ACHIEVED = "partly_achieved", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    DROPPED = "dropped", _("Dropped")


class CountryProgrammeOutcome(VersionedModel):
    """A measurable result of a priority for one biennium, tied to one P&B outcome."""

    code = models.CharField(_("code"), max_length=7, validators=[CPO_CODE])
    programme = models.ForeignKey(
        DecentWorkCountryProgramme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="cpos",
    )
    priority = models.ForeignKey(
        CountryProgrammePriority,
        verbose_name=_("priority"),
        on_delete=models.PROTECT,
        related_name="cpos",
    )
    biennium = models.ForeignKey(
        Biennium,
        verbose_name=_("biennium"),
        on_delete=models.PROTECT,
        related_name="cpos",
        # The (biennium, outcome) and (biennium, code) indexes serve lookups by biennium; a
        # third index on it alone led PostgreSQL to scan a whole biennium for one outcome.
        db_index=False,
    )
    outcome = models.ForeignKey(
        Outcome, verbose_name=_("P&B outcome"), on_delete=models.PROTECT, related_name="cpos"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="cpos",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    gender_statement = models.TextField(
        _("how it affects women and men"),
        help_text=_("Required: say how the outcome will affect women and men."),
    )
    prioritized = models.BooleanField(
        _("prioritized"), default=False, help_text=_("Constituents asked for it (demand).")
    )
    targeted = models.BooleanField(
        _("targeted"),
        default=False,
        help_text=_("The Office commits to it as a target this biennium."),
    )
    result_status = models.CharField(
        _("result status"),
        max_length=20,
        choices=ResultStatus.choices,
        default=ResultStatus.PLANNED,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["biennium__start_year", "code"]
        verbose_name = _("country programme outcome")
        verbose_name_plural = _("country programme outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["biennium", "code"],
                name="cpo_code_unique_per_biennium",
                violation_error_message=_("Another outcome has this code in this biennium."),
            ),
            models.CheckConstraint(
                condition=~models.Q(gender_statement=""),
                name="cpo_gender_statement_required",
                violation_error_message=_("Say how the outcome will affect women and men."),
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{3}[0-9]{3,4}$"), name="cpo_code_format"
            ),
        ]
        indexes = [
            models.Index(fields=["biennium", "outcome"]),
            models.Index(fields=["programme", "biennium"]),
            # The demand-and-target table's cache stamp: count and latest change, index only.
            models.Index(fields=["biennium", "updated_at"], name="cpo_biennium_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.gender_statement is not None and not self.gender_statement.strip():
            errors["gender_statement"] = str(_("Say how the outcome will affect women and men."))
        programme = self.programme if self.programme_id else None
        if programme and self.code and not self.code.startswith(programme.country.alpha3):
            errors["code"] = str(
                _("The code of an outcome in %(country)s starts with %(prefix)s.")
                % {"country": programme.country, "prefix": programme.country.alpha3}
            )
        if programme and self.priority_id and self.priority.programme_id != programme.pk:
            errors["priority"] = str(_("Choose a priority of this programme."))
        if programme and self.biennium_id and not programme.covers(self.biennium):
            errors["biennium"] = str(
                _("The biennium %(biennium)s lies outside the programme's period %(period)s.")
                % {"biennium": self.biennium, "period": programme.period}
            )
        if self.biennium_id and self.outcome_id:
            plan = self.outcome.objective.plan
            if not plan.contains(self.biennium):
                errors["outcome"] = str(
                    _("Outcome %(code)s belongs to %(plan)s, not to the framework of %(biennium)s.")
                    % {"code": self.outcome.code, "plan": plan, "biennium": self.biennium}
                )
        indicator = self.indicator if self.indicator_id else None
        if indicator is not None and self.outcome_id and indicator.outcome_id != self.outcome_id:
            errors["indicator"] = str(
                _("Choose an indicator of outcome %(code)s.") % {"code": self.outcome.code}
            )
        if errors:
            raise ValidationError(errors)


class Milestone(models.Model):
    cpo = models.ForeignKey(
        CountryProgrammeOutcome,
        verbose_name=_("country programme outcome"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    due_on = models.DateField(_("date"))
    text = models.CharField(_("milestone"), max_length=500)
    reached = models.BooleanField(_("reached"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cpo", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.due_on}: {self.text}"


class CpoResource(models.Model):
    """Money for a CPO from one funding source, planned and spent (USD)."""

    cpo = models.ForeignKey(
        CountryProgrammeOutcome,
        verbose_name=_("country programme outcome"),
        on_delete=models.CASCADE,
        related_name="resources",
    )
    funding_source = models.ForeignKey(
        FundingSource, verbose_name=_("funding source"), on_delete=models.PROTECT
    )
    planned = models.DecimalField(
        _("planned (USD)"), max_digits=15, decimal_places=2, validators=[MinValueValidator(0)]
    )
    spent = models.DecimalField(
        _("spent (USD)"),
        max_digits=15,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cpo", "funding_source__position"]
        verbose_name = _("CPO resource")
        verbose_name_plural = _("CPO resources")
        constraints = [
            models.UniqueConstraint(
                fields=["cpo", "funding_source"],
                name="cpo_resource_unique_source",
                violation_error_message=_("This outcome already has a line for this source."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned__gte=0) & models.Q(spent__gte=0),
                name="cpo_resource_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funding_source}: {self.planned}"


class ReportingPeriod(models.Model):
    """A period offices report progress for: by default each half of each biennium year."""

    biennium = models.ForeignKey(
        Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT, related_name="periods"
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=80)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="reporting_period_ends_after_start",
                violation_error_message=_("A period ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.biennium_id
            and self.starts_on
            and self.ends_on
            and (
                self.starts_on.year < self.biennium.start_year
                or self.ends_on.year > self.biennium.end_year
            )
        ):
            raise ValidationError({"ends_on": _("A reporting period lies inside its biennium.")})


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    ACHIEVED = "achieved", _("Achieved")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned for revision")


class ProgressReport(VersionedModel):
    """Progress of a CPO in a reporting period. Only validated reports count in totals."""

    cpo = models.ForeignKey(
        CountryProgrammeOutcome,
        verbose_name=_("country programme outcome"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("reporting period"), on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=16, choices=ProgressStatus.choices)
    narrative = models.TextField(_("narrative"))
    result_claimed = models.BooleanField(
        _("result claimed"),
        default=False,
        help_text=_("A result against the linked indicator is claimed in this period."),
    )
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to="dwcp/evidence/%Y/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_upload_size],
    )
    women_reached = models.PositiveIntegerField(_("women reached"), null=True, blank=True)
    men_reached = models.PositiveIntegerField(_("men reached"), null=True, blank=True)
    review_state = models.CharField(
        _("review"), max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    return_comment = models.TextField(_("comment on return"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period__starts_on", "cpo__code"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["cpo", "period"],
                name="progress_report_unique_per_period",
                violation_error_message=_("This outcome already has a report for this period."),
            ),
            models.CheckConstraint(
                condition=~models.Q(review_state="validated")
                | (models.Q(validated_by__isnull=False) & models.Q(validated_at__isnull=False)),
                name="progress_validated_has_validator",
            ),
            models.CheckConstraint(
                condition=~models.Q(result_claimed=True)
                | ~models.Q(evidence_text="")
                | ~models.Q(evidence_url="")
                | ~models.Q(evidence_file=""),
                name="progress_claim_has_evidence",
                violation_error_message=_("A claimed result needs evidence: text, link or file."),
            ),
        ]
        indexes = [
            models.Index(fields=["review_state", "cpo"]),
            # What the report and the workplans count: validated reports of a biennium's
            # periods (claims, and people reached), read without touching the table.
            models.Index(
                fields=["period", "cpo"],
                condition=models.Q(review_state="validated", result_claimed=True),
                name="progress_validated_claims",
            ),
            models.Index(
                fields=["period", "cpo"],
                include=["women_reached", "men_reached"],
                condition=models.Q(review_state="validated"),
                name="progress_validated_reached",
            ),
            # The validation queue: submitted reports, oldest first, a page at a time.
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(review_state="submitted"),
                name="progress_submitted_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cpo.code} · {self.period}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.result_claimed and not (
            self.evidence_text.strip() or self.evidence_url or self.evidence_file
        ):
            errors["evidence_text"] = str(_("A claimed result needs evidence: text, link or file."))
        if self.cpo_id and self.period_id and self.period.biennium_id != self.cpo.biennium_id:
            errors["period"] = str(_("Choose a reporting period of the outcome's biennium."))
        if self.result_claimed and self.cpo_id and self.cpo.indicator_id is None:
            errors["result_claimed"] = str(
                _("Link the outcome to an indicator before claiming a result against it.")
            )
        if errors:
            raise ValidationError(errors)


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    VALIDATED = "validated", _("validated")
    RETURNED = "returned", _("returned")


class ProgressReview(models.Model):
    """One step of a progress report's review, recorded by the server."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    action = models.CharField(_("action"), max_length=16, choices=ReviewAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("progress review step")
        verbose_name_plural = _("progress review steps")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    IMPORTED = "imported", _("Imported")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


IMPORT_ENDED = frozenset({ImportStatus.IMPORTED, ImportStatus.REFUSED, ImportStatus.FAILED})


class CpoImport(TimeStampedModel):
    """An uploaded CPO spreadsheet that passed its first check, imported by a Celery worker.

    The file is kept here so that the job can run again after a failure. The job writes the
    CPOs and records how the import ended in one transaction (``dwcp.spreadsheets.jobs``).
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # How it ended: the counts and codes (imported), or every problem found (refused).
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("CPO import")
        verbose_name_plural = _("CPO imports")
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="cpo_import_uploader")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def ended(self) -> bool:
        return self.status in IMPORT_ENDED
