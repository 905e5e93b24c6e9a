"""The programme, its phases, its tripartite parties and its priorities (at most three)."""

from __future__ import annotations

from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dwcp.models.uploads import DOCUMENT_EXTENSIONS, validate_upload_size
from rbm.models import Biennium, Country, Office, VersionedModel

MAX_PRIORITIES = 3


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
