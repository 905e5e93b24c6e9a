"""Reporting periods, progress reports and the steps of their review."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dwcp.models.cpos import CountryProgrammeOutcome
from dwcp.models.uploads import EVIDENCE_EXTENSIONS, validate_upload_size
from rbm.models import Biennium, VersionedModel


class ReportingPeriod(VersionedModel):
    """A period offices report progress for: by default each half of each biennium year."""

    biennium = models.ForeignKey(
        Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT, related_name="periods"
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=80)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # The calendar (empty until a programme officer sets it, by default from the biennium's
    # rule: ``dwcp.services.calendar_defaults``): reports may be written from the opening
    # date, are due on the due date, and can no longer be created or changed after the
    # lock date, except by an office holding an extension.
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    locks_on = models.DateField(
        _("locks after"),
        null=True,
        blank=True,
        help_text=_("The last day reports of this period can be created or changed."),
    )
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
            ),
            models.CheckConstraint(
                condition=models.Q(opens_on__isnull=True)
                | models.Q(due_on__isnull=True)
                | models.Q(due_on__gte=models.F("opens_on")),
                name="reporting_period_due_after_opening",
                violation_error_message=_("A period falls due on or after it opens."),
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=True)
                | models.Q(locks_on__isnull=True)
                | models.Q(locks_on__gte=models.F("due_on")),
                name="reporting_period_locks_after_due",
                violation_error_message=_("A period locks on or after its due date."),
            ),
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
        dates = (self.opens_on, self.due_on, self.locks_on)
        if any(dates) and not all(dates):
            raise ValidationError({"locks_on": _("Give the opening, due and lock dates together.")})

    def locked_on(self, day: datetime.date) -> bool:
        """Whether ``day`` is after the lock date (reports then need an extension)."""
        return self.locks_on is not None and day > self.locks_on

    def open_on(self, day: datetime.date) -> bool:
        return self.opens_on is None or day >= self.opens_on


class ReportingExtension(VersionedModel):
    """Leave for one office to create and change reports of a locked period until
    ``ends_on``: asked by the office (``requested``), granted by the region."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted")

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    office = models.ForeignKey(
        "rbm.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    granted_at = models.DateTimeField(_("granted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period__starts_on", "office__name"]
        verbose_name = _("reporting extension")
        verbose_name_plural = _("reporting extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "office"],
                name="reporting_extension_one_per_office",
                violation_error_message=_("This office already has an extension for the period."),
            ),
            models.CheckConstraint(
                condition=~models.Q(state="granted")
                | (models.Q(ends_on__isnull=False) & models.Q(granted_by__isnull=False)),
                name="reporting_extension_granted_has_end",
                violation_error_message=_("A granted extension has an end date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} · {self.period}"

    def allows_on(self, day: datetime.date) -> bool:
        return self.state == self.State.GRANTED and self.ends_on is not None and day <= self.ends_on


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


class ReportingReminder(models.Model):
    """A reminder headquarters sent an office about a period's missing reports (the log the
    rate limit reads: one per office and period a day)."""

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    office = models.ForeignKey(
        "rbm.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    missing = models.PositiveIntegerField(_("reports missing"))
    recipients = models.PositiveIntegerField(_("people told"))

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reporting reminder")
        verbose_name_plural = _("reporting reminders")
        indexes = [models.Index(fields=["office", "period", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.office} · {self.period} · {self.sent_at:%Y-%m-%d}"
