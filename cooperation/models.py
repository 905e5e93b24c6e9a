"""Development cooperation: donors, projects, their links to country programme outcomes,
appraisal for DWCP relevance, funding gaps and delivery. Sits between ``dwcp`` and
``evaluations`` in the app order.

Money is USD as Decimal. A project's budget and expenditure are kept by year
(``ProjectYear``); its links to CPOs carry a share (per cent) of its budget in the CPO's
biennium, and the shares of one project in one biennium never exceed 100 % (the service
checks it under the project's row lock; ``share_total_error`` is the one rule every door
asks).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dwcp.models import CountryProgrammeOutcome, CountryProgrammePriority
from rbm.models import Biennium, Country, Office, Region, VersionedModel

HUNDRED = Decimal("100")

# An IATI organisation identifier: a registration agency prefix and the organisation's id
# in it, e.g. "XM-DAC-41302" (the ILO), "GB-GOV-1", "XI-IATI-EC_INTPA", "DAC-1601".
IATI_ORG_ID_PATTERN = r"^[A-Za-z0-9]+(-[A-Za-z0-9_.:/]+)+$"
IATI_ORG_ID = RegexValidator(
    IATI_ORG_ID_PATTERN,
    _("Use an IATI organisation identifier, e.g. XM-DAC-41302 or GB-GOV-1."),
)

# A project code as the Office writes it: geography, year, number, donor, e.g. IDN/21/01/NOR.
PROJECT_CODE_PATTERN = r"^[A-Z]{3}/[0-9]{2}/[0-9]{2,3}/[A-Z0-9]{3}$"
PROJECT_CODE = RegexValidator(
    PROJECT_CODE_PATTERN,
    _("Write the code as geography/year/number/donor, e.g. IDN/21/01/NOR."),
)


class DonorKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    EUROPEAN_UNION = "european_union", _("European Union")
    UN_AGENCY = "un_agency", _("UN agency or fund")
    FINANCIAL_INSTITUTION = "financial_institution", _("International financial institution")
    FOUNDATION = "foundation", _("Foundation")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    DOMESTIC = "domestic", _("Domestic funding (the country itself)")


# IATI OrganisationType codes of each kind, for the IATI export.
IATI_ORGANISATION_TYPE = {
    DonorKind.GOVERNMENT: "10",
    DonorKind.EUROPEAN_UNION: "40",
    DonorKind.UN_AGENCY: "40",
    DonorKind.FINANCIAL_INSTITUTION: "40",
    DonorKind.FOUNDATION: "60",
    DonorKind.PRIVATE_SECTOR: "70",
    DonorKind.DOMESTIC: "10",
}


class Donor(VersionedModel):
    """Who funds projects: reference data, managed by administrators."""

    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{3}$", _("Use three capital letters or digits."))],
        help_text=_("Three letters, the last part of its projects' codes, e.g. NOR."),
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=DonorKind.choices)
    iati_org_id = models.CharField(
        _("IATI organisation identifier"),
        max_length=80,
        blank=True,
        validators=[IATI_ORG_ID],
        help_text=_("Where it has one, e.g. GB-GOV-1."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="donors",
        null=True,
        blank=True,
        help_text=_("For a government or domestic funding: its country."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        constraints = [
            models.UniqueConstraint(
                fields=["iati_org_id"],
                condition=~models.Q(iati_org_id=""),
                name="donor_iati_org_id_unique",
                violation_error_message=_("Another donor has this IATI identifier."),
            ),
            models.CheckConstraint(
                condition=models.Q(iati_org_id="")
                | models.Q(iati_org_id__regex=IATI_ORG_ID_PATTERN),
                name="donor_iati_org_id_format",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="domestic") | models.Q(country__isnull=False),
                name="donor_domestic_has_country",
                violation_error_message=_("Domestic funding comes from a country: choose it."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FundingKind(models.TextChoices):
    XBTC = "XBTC", _("Extra-budgetary technical cooperation (XBTC)")
    RBSA = "RBSA", _("Regular Budget Supplementary Account (RBSA)")
    RBTC = "RBTC", _("Regular budget technical cooperation (RBTC)")


class Geography(models.TextChoices):
    COUNTRIES = "countries", _("One or several countries")
    REGIONAL = "regional", _("Regional")
    INTERREGIONAL = "interregional", _("Interregional")
    GLOBAL = "global", _("Global")


# Projects of these geographies are managed by headquarters technical units.
HQ_GEOGRAPHIES = (Geography.INTERREGIONAL, Geography.GLOBAL)


class ProjectStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    PROPOSAL = "proposal", _("Proposal")
    APPRAISED = "appraised", _("Appraised")
    SUBMITTED = "submitted", _("Submitted to donor")
    FUNDED = "funded", _("Approved and funded")
    ONGOING = "ongoing", _("Ongoing")
    OPERATIONALLY_CLOSED = "operationally_closed", _("Operationally closed")
    FINANCIALLY_CLOSED = "financially_closed", _("Financially closed")
    DROPPED = "dropped", _("Dropped")


# Money of projects in these states is secured; of those in the pipeline, hoped for.
SECURED_STATES = (
    ProjectStatus.FUNDED,
    ProjectStatus.ONGOING,
    ProjectStatus.OPERATIONALLY_CLOSED,
    ProjectStatus.FINANCIALLY_CLOSED,
)
PIPELINE_STATES = (ProjectStatus.PROPOSAL, ProjectStatus.APPRAISED, ProjectStatus.SUBMITTED)


class Project(VersionedModel):
    """A development cooperation project and its place in the lifecycle."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[PROJECT_CODE])
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    funding_kind = models.CharField(
        _("funding source"), max_length=4, choices=FundingKind.choices, default=FundingKind.XBTC
    )
    geography = models.CharField(
        _("geography"), max_length=16, choices=Geography.choices, default=Geography.COUNTRIES
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="projects", blank=True
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="projects",
        null=True,
        blank=True,
        help_text=_("The region of its countries, or of a regional project."),
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("responsible office"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    technical_unit = models.ForeignKey(
        Office,
        verbose_name=_("technical unit"),
        on_delete=models.PROTECT,
        related_name="backstopped_projects",
        null=True,
        blank=True,
        limit_choices_to={"kind": "technical_unit"},
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.CONCEPT
    )
    history = HistoricalRecords(m2m_fields=[countries])

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("A project ends on or after the day it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=PROJECT_CODE_PATTERN), name="project_code_format"
            ),
            models.CheckConstraint(
                condition=~models.Q(geography="regional") | models.Q(region__isnull=False),
                name="project_regional_has_region",
                violation_error_message=_("Choose the region of a regional project."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "end_date"]),
            models.Index(fields=["region", "status"]),
            models.Index(fields=["office", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = str(_("A project ends on or after the day it starts."))
        if self.start_date and self.end_date and self.end_date.year - self.start_date.year > 15:
            errors["end_date"] = str(_("A project lasts at most fifteen years."))
        if self.geography == Geography.REGIONAL and not self.region_id:
            errors["region"] = str(_("Choose the region of a regional project."))
        if self.geography in HQ_GEOGRAPHIES and self.region_id:
            errors["region"] = str(_("A global or interregional project has no region."))
        unit = self.technical_unit if self.technical_unit_id else None
        if unit is not None and unit.kind != "technical_unit":
            errors["technical_unit"] = str(_("Choose a headquarters technical unit."))
        if errors:
            raise ValidationError(errors)

    @property
    def years(self) -> range:
        return range(self.start_date.year, self.end_date.year + 1)


class DonorContribution(models.Model):
    """What one donor gives a project (USD); the donor's figure, changed only by those who
    manage the project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="contributions"
    )
    donor = models.ForeignKey(
        Donor, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="contributions"
    )
    amount = models.DecimalField(
        _("contribution (USD)"),
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-amount", "pk"]
        verbose_name = _("donor contribution")
        verbose_name_plural = _("donor contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "donor"],
                name="contribution_one_per_donor",
                violation_error_message=_("This donor is already listed for the project."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="contribution_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor}: {self.amount}"


class ProjectYear(models.Model):
    """A project's budget, the donors' disbursements and its expenditure in one year (USD).
    Delivery is expenditure over the year's budget."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="years_set"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    budget = models.DecimalField(
        _("budget (USD)"), max_digits=15, decimal_places=2, validators=[MinValueValidator(0)]
    )
    disbursed = models.DecimalField(
        _("disbursed by donors (USD)"),
        max_digits=15,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    expenditure = models.DecimalField(
        _("expenditure (USD)"),
        max_digits=15,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "year"]
        verbose_name = _("project year")
        verbose_name_plural = _("project years")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="project_year_unique",
                violation_error_message=_("The project already has figures for this year."),
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0, disbursed__gte=0, expenditure__gte=0),
                name="project_year_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.budget}"


class CpoLink(models.Model):
    """A project's contribution to a CPO: a share (per cent) of the project's budget in the
    CPO's biennium. The shares of one project in one biennium add up to at most 100 %."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="cpo_links"
    )
    cpo = models.ForeignKey(
        CountryProgrammeOutcome,
        verbose_name=_("country programme outcome"),
        on_delete=models.PROTECT,
        related_name="project_links",
    )
    # The CPO's biennium, kept here so that a biennium's shares are summed without a join.
    biennium = models.ForeignKey(
        Biennium, verbose_name=_("biennium"), on_delete=models.PROTECT, related_name="+"
    )
    share = models.DecimalField(
        _("share of the budget (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HUNDRED)],
    )
    serviced_by = models.ForeignKey(
        Office,
        verbose_name=_("serviced by"),
        on_delete=models.PROTECT,
        related_name="serviced_cpo_links",
        null=True,
        blank=True,
        limit_choices_to={"kind": "technical_unit"},
        help_text=_("The headquarters technical unit that services this CPO for the project."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "biennium__start_year", "cpo__code"]
        verbose_name = _("CPO link")
        verbose_name_plural = _("CPO links")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "cpo"],
                name="cpo_link_unique",
                violation_error_message=_("The project is already linked to this outcome."),
            ),
            models.CheckConstraint(
                condition=models.Q(share__gt=0, share__lte=100),
                name="cpo_link_share_range",
                violation_error_message=_("A share lies between 0.01 and 100 per cent."),
            ),
        ]
        indexes = [models.Index(fields=["cpo", "project"], name="cpo_link_by_cpo")]

    def __str__(self) -> str:
        return f"{self.project_id} -> {self.cpo_id}: {self.share} %"

    @staticmethod
    def share_total_error(total: Decimal, biennium: object) -> str | None:
        """Why shares adding up to ``total`` in ``biennium`` are refused, or None."""
        if total <= HUNDRED:
            return None
        return str(
            _(
                "The project's shares in %(biennium)s would add up to %(total)s %%; "
                "they cannot exceed 100 %% of its budget."
            )
            % {"biennium": biennium, "total": total.normalize()}
        )


class Verdict(models.TextChoices):
    RELEVANT = "relevant", _("Relevant to the DWCP: may go to the donor")
    OUTSIDE_DWCP = "outside_dwcp", _("Outside every DWCP: may go ahead, counted as such")
    NOT_RELEVANT = "not_relevant", _("Not relevant: revise before submission")


# Verdicts with which a proposal may be submitted to a donor.
SUBMITTABLE_VERDICTS = (Verdict.RELEVANT, Verdict.OUTSIDE_DWCP)


class Appraisal(VersionedModel):
    """The regional programme officer's appraisal of a proposal for its DWCP relevance.

    The first two questions are facts the service records from the project's links when the
    appraisal is made; the others are the officer's answers. ``notes`` are internal.
    """

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="appraisal"
    )
    priorities = models.ManyToManyField(
        CountryProgrammePriority,
        verbose_name=_("country programme priorities served"),
        related_name="appraisals",
        blank=True,
    )
    in_dwcp_country = models.BooleanField(_("in a DWCP country"), default=False)
    linked_to_cpo = models.BooleanField(_("linked to a CPO of the biennium"), default=False)
    constituents_consulted = models.BooleanField(_("constituents consulted"), default=False)
    gender_dimension = models.BooleanField(_("gender dimension"), default=False)
    evaluation_planned = models.BooleanField(_("evaluation planned and budgeted"), default=False)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    notes = models.TextField(_("appraisal notes (internal)"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    appraised_at = models.DateTimeField(_("appraised at"))
    history = HistoricalRecords(m2m_fields=[priorities])

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.verdict}"
