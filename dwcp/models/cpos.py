"""Country programme outcomes (CPOs) with their milestones and resources."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dwcp.models.programmes import CountryProgrammePriority, DecentWorkCountryProgramme
from rbm.models import Biennium, Country, FundingSource, VersionedModel
from strategic_plans.models import Indicator, Outcome

# The format of a CPO code, the one rule every door (page, API, spreadsheet) applies: the
# validator runs in full_clean, the same pattern is the database's constraint.
CPO_CODE_PATTERN = r"^[A-Z]{3}[0-9]{3,4}$"
CPO_CODE = RegexValidator(
    CPO_CODE_PATTERN,
    _("Use the country's three-letter code and three or four digits, e.g. IDN126."),
)


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
                condition=models.Q(code__regex=CPO_CODE_PATTERN), name="cpo_code_format"
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

    @staticmethod
    def code_prefix_error(code: str, country: Country) -> str | None:
        """Why ``code`` cannot be the code of a CPO in ``country`` (it starts with the
        country's three-letter code), or None when it can. The import checks rows with it."""
        if code.startswith(country.alpha3):
            return None
        return str(
            _("The code of an outcome in %(country)s starts with %(prefix)s.")
            % {"country": country, "prefix": country.alpha3}
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.gender_statement is not None and not self.gender_statement.strip():
            errors["gender_statement"] = str(_("Say how the outcome will affect women and men."))
        programme = self.programme if self.programme_id else None
        if programme and self.code:
            wrong_prefix = self.code_prefix_error(self.code, programme.country)
            if wrong_prefix:
                errors["code"] = wrong_prefix
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
