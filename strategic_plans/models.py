"""The results framework: strategic plans, objectives, outcomes, indicators, the programme and
budget of each biennium, targets (in total and by region), resources and strategies."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager
from simple_history.models import HistoricalRecords

from rbm.models import (
    Biennium,
    FundingSource,
    Office,
    Region,
    TimeStampedModel,
    VersionedModel,
)
from strategic_plans import labels

OUTCOME_CODE = RegexValidator(
    r"^[0-9]{1,2}[a-z]?$", _("Use a number or a number and a letter, e.g. 16 or 1a.")
)
INDICATOR_CODE = RegexValidator(
    r"^[0-9]{1,2}[a-z]?\.[0-9]{1,2}$", _("Use the outcome code, a dot and a number, e.g. 18.1.")
)


class TranslatedTexts(models.Model):
    """A model whose texts have a column per language (``strategic_plans.translation``).

    The field itself (``title``) reads the reader's language, falling back to English. A
    text given by the field's name when the record is made (``Outcome(title=...)``) is the
    English one, and the field's own column and its historical records keep the English
    text: a row is made and saved with English active, whoever does it in whatever language
    (ADR 0016). Other languages are written by their column (``title_fr``)."""

    # Declared, where django-modeltranslation would otherwise swap it in at start-up: its
    # queries read the active language's columns (``filter(title=...)``).
    objects = MultilingualManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            super().save(*args, **kwargs)


class StrategicPlan(TranslatedTexts, TimeStampedModel):
    """A medium-term framework (Strategic Policy Framework, Strategic Plan) of 4 to 6 years."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    description = models.TextField(_("description"), blank=True)
    # history: registered in translation.py, after the translated columns

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year") + 1)
                & models.Q(end_year__lte=models.F("start_year") + 5),
                name="strategic_plan_period_2_to_6_years",
                violation_error_message=_("A strategic plan lasts two to six years."),
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__gte=1990, start_year__lte=2100),
                name="strategic_plan_start_year_range",
                violation_error_message=_("The start year must lie between 1990 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def period(self) -> str:
        return f"{self.start_year}-{self.end_year % 100:02d}"

    def contains(self, biennium: Biennium) -> bool:
        return self.start_year <= biennium.start_year and biennium.end_year <= self.end_year


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PROPOSED = "proposed", _("proposed")
    ADOPTED = "adopted", _("adopted")


class ProgrammeAndBudget(TranslatedTexts, VersionedModel):
    """The programme and budget of one biennium, under a strategic plan: drafted, proposed,
    then adopted; once adopted, its framework's texts are kept as adopted
    (``adopted_framework``) and every change to it is a recorded revision."""

    plan = models.ForeignKey(
        StrategicPlan,
        verbose_name=_("strategic plan"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    biennium = models.OneToOneField(
        Biennium,
        verbose_name=_("biennium"),
        on_delete=models.PROTECT,
        related_name="programme",
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The texts of the framework as adopted (and as revised since), by record: what the
    # biennium's reports print, whatever drafts of later bienniums change.
    adopted_framework = models.JSONField(_("adopted framework"), default=dict, blank=True)
    # history: registered in translation.py, after the translated columns

    class Meta:
        ordering = ["biennium__start_year"]
        verbose_name = _("programme and budget")
        verbose_name_plural = _("programmes and budgets")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.plan_id and self.biennium_id and not self.plan.contains(self.biennium):
            raise ValidationError(
                {
                    "biennium": _(
                        "The biennium %(biennium)s lies outside the period %(period)s of %(plan)s."
                    )
                    % {
                        "biennium": self.biennium,
                        "period": self.plan.period,
                        "plan": self.plan,
                    }
                }
            )


class StrategicObjective(TranslatedTexts, TimeStampedModel):
    plan = models.ForeignKey(
        StrategicPlan,
        verbose_name=_("strategic plan"),
        on_delete=models.CASCADE,
        related_name="objectives",
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    is_cross_cutting = models.BooleanField(
        _("cross-cutting"),
        default=False,
        help_text=_("A cross-cutting area, such as policy coherence, beside the objectives."),
    )
    # history: registered in translation.py, after the translated columns

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="objective_number_unique_in_plan",
                violation_error_message=_("This plan already has an objective with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Outcome(TranslatedTexts, TimeStampedModel):
    """The unit of results under an objective: an operational objective ("1a") or a P&B
    outcome ("16")."""

    objective = models.ForeignKey(
        StrategicObjective,
        verbose_name=_("strategic objective"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    code = models.CharField(_("code"), max_length=8, validators=[OUTCOME_CODE])
    title = models.CharField(_("title"), max_length=300)
    statement = models.TextField(
        _("objective statement"), blank=True, help_text=_("The result the outcome aims at.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        related_name="coordinated_outcomes",
        blank=True,
        limit_choices_to={"role": "outcome_coordinator"},
    )
    lead_unit = models.ForeignKey(
        Office,
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="led_outcomes",
        null=True,
        blank=True,
        limit_choices_to={"kind": "technical_unit"},
        help_text=_("The headquarters technical unit that leads the outcome."),
    )
    technical_units = models.ManyToManyField(
        Office,
        verbose_name=_("technical units"),
        related_name="serviced_outcomes",
        blank=True,
        limit_choices_to={"kind": "technical_unit"},
        help_text=_("Headquarters units that service the outcome's country programme outcomes."),
    )
    # history (with the coordinators and technical units): registered in translation.py

    class Meta:
        ordering = ["objective__plan", "position", "code"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "code"],
                name="outcome_code_unique_in_objective",
                violation_error_message=_("This objective already has an outcome with this code."),
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{1,2}[a-z]?$"), name="outcome_code_format"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Outcome %(code)s – %(title)s") % {"code": self.code, "title": self.title}

    def clean(self) -> None:
        if not (self.objective_id and self.code):
            return
        clash = (
            Outcome.objects.filter(objective__plan_id=self.objective.plan_id, code=self.code)
            .exclude(pk=self.pk)
            .exists()
        )
        if clash:
            raise ValidationError({"code": _("This plan already has an outcome with this code.")})


class Indicator(TranslatedTexts, TimeStampedModel):
    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=12, validators=[INDICATOR_CODE])
    text = models.TextField(_("text"))
    unit = models.CharField(_("unit"), max_length=80, default="member States")
    measurement_criteria = models.TextField(
        _("measurement criteria"), blank=True, help_text=_("What counts as a result.")
    )
    baseline = models.TextField(_("baseline"), blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # history: registered in translation.py, after the translated columns

    class Meta:
        ordering = ["outcome", "position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "code"],
                name="indicator_code_unique_in_outcome",
                violation_error_message=_("This outcome already has an indicator with this code."),
            ),
            models.CheckConstraint(
                condition=models.Q(baseline_value__isnull=True) | models.Q(baseline_value__gte=0),
                name="indicator_baseline_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"

    def clean(self) -> None:
        if self.outcome_id and self.code and not self.code.startswith(f"{self.outcome.code}."):
            raise ValidationError(
                {
                    "code": _("An indicator of outcome %(outcome)s is coded %(outcome)s.N.")
                    % {"outcome": self.outcome.code}
                }
            )


class Target(TimeStampedModel):
    """What an indicator should reach in a biennium, in total and by region."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    biennium = models.ForeignKey(
        Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT, related_name="targets"
    )
    total = models.PositiveIntegerField(_("total"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["biennium__start_year", "indicator"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "biennium"],
                name="target_unique_per_indicator_biennium",
                violation_error_message=_("This indicator already has a target for this biennium."),
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="target_total_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Target %(code)s, %(biennium)s: %(total)s") % {
            "code": self.indicator.code,
            "biennium": self.biennium,
            "total": self.total,
        }

    def clean(self) -> None:
        if self.indicator_id and self.biennium_id:
            plan = self.indicator.outcome.objective.plan
            if not plan.contains(self.biennium):
                raise ValidationError(
                    {
                        "biennium": _(
                            "The biennium %(biennium)s lies outside the period %(period)s of "
                            "%(plan)s."
                        )
                        % {"biennium": self.biennium, "period": plan.period, "plan": plan}
                    }
                )


class RegionalTarget(TimeStampedModel):
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="by_region"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    value = models.PositiveIntegerField(_("value"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["target", "region__position"]
        verbose_name = _("regional target")
        verbose_name_plural = _("regional targets")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "region"],
                name="regional_target_unique",
                violation_error_message=_("This target already has a value for this region."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="regional_target_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target.biennium} – {self.region}: {self.value}"


class OutcomeResource(TimeStampedModel):
    """Money planned for an outcome in a biennium from one funding source (USD)."""

    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.CASCADE, related_name="resources"
    )
    biennium = models.ForeignKey(Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT)
    funding_source = models.ForeignKey(
        FundingSource, verbose_name=_("funding source"), on_delete=models.PROTECT
    )
    amount = models.DecimalField(
        _("amount (USD)"), max_digits=15, decimal_places=2, validators=[MinValueValidator(0)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["biennium__start_year", "outcome", "funding_source__position"]
        verbose_name = _("outcome resource")
        verbose_name_plural = _("outcome resources")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "biennium", "funding_source"],
                name="outcome_resource_unique",
                violation_error_message=_(
                    "This outcome already has an amount from this source for this biennium."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="outcome_resource_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.biennium} – {self.funding_source}: {self.amount}"


class StrategyElement(TranslatedTexts, TimeStampedModel):
    """One element of the standard outcome strategy (support to constituents, knowledge...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # history: registered in translation.py, after the translated columns

    class Meta:
        ordering = ["position"]
        verbose_name = _("strategy element")
        verbose_name_plural = _("strategy elements")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The title in the active language: the one written for it, else the catalogue's
        translation of a standard element's English title, else the English title."""
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        own = getattr(self, f"title_{language}", None)
        if own:
            return str(own)
        english = getattr(self, f"title_{settings.LANGUAGE_CODE}", None) or self.title
        return gettext(english) if english in labels.STRATEGY_ELEMENT_TITLES else english


class OutcomeStrategy(TimeStampedModel):
    """What an outcome's strategy says under one element, for one biennium."""

    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.CASCADE, related_name="strategies"
    )
    biennium = models.ForeignKey(Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT)
    element = models.ForeignKey(
        StrategyElement, verbose_name=_("strategy element"), on_delete=models.PROTECT
    )
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["biennium__start_year", "outcome", "element__position"]
        verbose_name = _("outcome strategy")
        verbose_name_plural = _("outcome strategies")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "biennium", "element"],
                name="outcome_strategy_unique",
                violation_error_message=_(
                    "This outcome already has a text for this element in this biennium."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.biennium} – {self.element}"


class FrameworkRevision(models.Model):
    """A change to the framework of an adopted programme and budget: who, when, why, the
    value before and after. Written by the services, never changed."""

    programme = models.ForeignKey(
        ProgrammeAndBudget,
        verbose_name=_("programme and budget"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    record = models.CharField(_("record"), max_length=80, help_text=_("e.g. outcome 16"))
    field = models.CharField(_("field"), max_length=80)
    old = models.TextField(_("old value"), blank=True)
    new = models.TextField(_("new value"), blank=True)
    reason = models.TextField(_("reason"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("framework revision")
        verbose_name_plural = _("framework revisions")

    def __str__(self) -> str:
        return f"{self.programme} – {self.record}: {self.field}"
