"""Outcome-based workplans: one per P&B outcome per biennium, with its coordinator, resources
by funding source and region, a review thread, and the mid-term review with its corrective
actions and reallocations. Published figures (a printed table) are kept to be compared with
what the records give."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from rbm.models import Biennium, FundingSource, Region, TimeStampedModel, VersionedModel
from strategic_plans.models import Outcome


class WorkplanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with comments")


class OutcomeWorkplan(VersionedModel):
    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.PROTECT, related_name="workplans"
    )
    biennium = models.ForeignKey(
        Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT, related_name="workplans"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        related_name="workplans",
        null=True,
        blank=True,
        limit_choices_to={"role": "outcome_coordinator"},
    )
    status = models.CharField(
        _("status"), max_length=16, choices=WorkplanStatus.choices, default=WorkplanStatus.DRAFT
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["biennium__start_year", "outcome__position", "outcome__code"]
        verbose_name = _("outcome-based workplan")
        verbose_name_plural = _("outcome-based workplans")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "biennium"],
                name="workplan_unique_per_outcome_biennium",
                violation_error_message=_("This outcome already has a workplan for this biennium."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.biennium} · {self.outcome}"

    def clean(self) -> None:
        if self.outcome_id and self.biennium_id:
            plan = self.outcome.objective.plan
            if not plan.contains(self.biennium):
                raise ValidationError(
                    {
                        "outcome": _(
                            "Outcome %(code)s belongs to %(plan)s, not to the framework of "
                            "%(biennium)s."
                        )
                        % {"code": self.outcome.code, "plan": plan, "biennium": self.biennium}
                    }
                )


class WorkplanResource(TimeStampedModel):
    """Money of a workplan from one funding source for one region (no region: global work)."""

    workplan = models.ForeignKey(
        OutcomeWorkplan,
        verbose_name=_("workplan"),
        on_delete=models.CASCADE,
        related_name="resources",
    )
    funding_source = models.ForeignKey(
        FundingSource, verbose_name=_("funding source"), on_delete=models.PROTECT
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty for global and headquarters work."),
    )
    amount = models.DecimalField(
        _("amount (USD)"), max_digits=15, decimal_places=2, validators=[MinValueValidator(0)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["workplan", "funding_source__position", "region__position"]
        verbose_name = _("workplan resource")
        verbose_name_plural = _("workplan resources")
        constraints = [
            models.UniqueConstraint(
                fields=["workplan", "funding_source", "region"],
                name="workplan_resource_unique_line",
                nulls_distinct=False,
                violation_error_message=_("This workplan already has this line."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="workplan_resource_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funding_source} · {self.region or _('Global')}: {self.amount}"


class EventKind(models.TextChoices):
    # Verbs of the review thread ("Marie submitted"), distinct from the status names.
    COMMENT = "comment", pgettext_lazy("workplan thread", "commented")
    SUBMITTED = "submitted", pgettext_lazy("workplan thread", "submitted")
    APPROVED = "approved", pgettext_lazy("workplan thread", "approved")
    RETURNED = "returned", pgettext_lazy("workplan thread", "returned with comments")


class WorkplanEvent(models.Model):
    """The review thread: comments and workflow steps, each with who and when (append-only)."""

    workplan = models.ForeignKey(
        OutcomeWorkplan, verbose_name=_("workplan"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["workplan", "created_at", "pk"]
        verbose_name = _("workplan event")
        verbose_name_plural = _("workplan events")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["comment", "returned"]) | ~models.Q(text=""),
                name="workplan_comment_has_text",
                violation_error_message=_("Write the comment."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class MidTermReview(VersionedModel):
    """The review after about nine months: progress by region, lessons, corrective actions,
    and the reallocations decided."""

    workplan = models.OneToOneField(
        OutcomeWorkplan,
        verbose_name=_("workplan"),
        on_delete=models.CASCADE,
        related_name="midterm_review",
    )
    review_date = models.DateField(_("date of the review"))
    summary = models.TextField(_("assessment"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mid-term review")
        verbose_name_plural = _("mid-term reviews")

    def __str__(self) -> str:
        return f"{self.workplan} · {self.review_date}"

    def clean(self) -> None:
        if self.workplan_id and self.review_date:
            biennium = self.workplan.biennium
            if not biennium.start_year <= self.review_date.year <= biennium.end_year:
                raise ValidationError(
                    {
                        "review_date": _("The review takes place during the biennium %(b)s.")
                        % {"b": biennium}
                    }
                )


class CorrectiveAction(TimeStampedModel):
    review = models.ForeignKey(
        MidTermReview,
        verbose_name=_("mid-term review"),
        on_delete=models.CASCADE,
        related_name="corrective_actions",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    text = models.TextField(_("corrective action"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "pk"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")

    def __str__(self) -> str:
        return self.text[:80]


class ReallocationKind(models.TextChoices):
    TRANSFER = "transfer", _("Transfer between lines")
    NEW_ALLOCATION = "new_allocation", _("New allocation")


class Reallocation(TimeStampedModel):
    """Money moved at the mid-term review. A transfer takes from one line what it gives to
    another, so the workplan's total is unchanged; a new allocation adds money and says so."""

    review = models.ForeignKey(
        MidTermReview,
        verbose_name=_("mid-term review"),
        on_delete=models.CASCADE,
        related_name="reallocations",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReallocationKind.choices)
    from_source = models.ForeignKey(
        FundingSource,
        verbose_name=_("from funding source"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    from_region = models.ForeignKey(
        Region,
        verbose_name=_("from region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    to_source = models.ForeignKey(
        FundingSource,
        verbose_name=_("to funding source"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_region = models.ForeignKey(
        Region,
        verbose_name=_("to region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    amount = models.DecimalField(_("amount (USD)"), max_digits=15, decimal_places=2)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "pk"]
        verbose_name = _("reallocation")
        verbose_name_plural = _("reallocations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="reallocation_positive_amount",
                violation_error_message=_("A reallocation moves a positive amount."),
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="transfer") & models.Q(from_source__isnull=False))
                | (
                    models.Q(kind="new_allocation")
                    & models.Q(from_source__isnull=True)
                    & models.Q(from_region__isnull=True)
                ),
                name="reallocation_transfer_has_origin",
                violation_error_message=_(
                    "A transfer says where the money comes from; a new allocation does not."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="reallocation_has_reason",
                violation_error_message=_("Give the reason for the reallocation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


class PublishedTable(TimeStampedModel):
    """Figures of a published demand-and-target table, kept as printed."""

    biennium = models.ForeignKey(
        Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("published table")
        verbose_name_plural = _("published tables")
        constraints = [
            models.UniqueConstraint(
                fields=["biennium", "name"],
                name="published_table_unique_name",
                violation_error_message=_("A table with this name exists for this biennium."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PublishedFigure(models.Model):
    """One row of a published table: an outcome (or "Total") in a region (or "Total")."""

    table = models.ForeignKey(
        PublishedTable, verbose_name=_("table"), on_delete=models.CASCADE, related_name="figures"
    )
    outcome_code = models.CharField(_("outcome"), max_length=8)
    region_code = models.CharField(_("region"), max_length=32)
    demand = models.PositiveIntegerField(_("prioritized demand"), null=True, blank=True)
    target = models.PositiveIntegerField(_("proposed target"), null=True, blank=True)

    class Meta:
        ordering = ["table", "pk"]
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "outcome_code", "region_code"], name="published_figure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.outcome_code} · {self.region_code}"
