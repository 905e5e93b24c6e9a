"""Filters of the country programmes' lists (on top of what the user may read)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    Phase,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ResultStatus,
    ReviewState,
)
from rbm.api import filters

BIENNIUM_HELP = _("Biennium code, e.g. 2012-13.")
REGION_HELP = _("Region code, e.g. asia-pacific.")
COUNTRY_HELP = _("Member State, ISO 3166-1 alpha-3 code, e.g. IDN.")
OFFICE_HELP = _("The responsible office's id.")


class DwcpFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(
        method=filters.covers_biennium(),
        help_text=_("Programmes whose period meets this biennium (2012-13)."),
    )
    region = filters.CodeFilter(field_name="country__region__code", help_text=REGION_HELP)
    country = filters.CountryFilter(field_name="country__alpha3", help_text=COUNTRY_HELP)
    office = filters.IdFilter(field_name="office_id", help_text=OFFICE_HELP)
    phase = django_filters.ChoiceFilter(choices=Phase.choices)
    published = filters.BooleanFilter()

    class Meta:
        model = DecentWorkCountryProgramme
        fields: list[str] = []


class PriorityFilter(filters.FilterSet):
    programme = filters.IdFilter(field_name="programme_id", help_text=_("Programme id."))
    region = filters.CodeFilter(
        field_name="programme__country__region__code", help_text=REGION_HELP
    )
    country = filters.CountryFilter(field_name="programme__country__alpha3", help_text=COUNTRY_HELP)
    office = filters.IdFilter(field_name="programme__office_id", help_text=OFFICE_HELP)

    class Meta:
        model = CountryProgrammePriority
        fields: list[str] = []


class CpoFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="biennium", help_text=BIENNIUM_HELP)
    region = filters.CodeFilter(
        field_name="programme__country__region__code", help_text=REGION_HELP
    )
    country = filters.CountryFilter(field_name="programme__country__alpha3", help_text=COUNTRY_HELP)
    office = filters.IdFilter(field_name="programme__office_id", help_text=OFFICE_HELP)
    programme = filters.IdFilter(field_name="programme_id", help_text=_("Programme id."))
    priority = filters.IdFilter(field_name="priority_id", help_text=_("Priority id."))
    outcome = filters.IdFilter(field_name="outcome_id", help_text=_("P&B outcome id."))
    indicator = filters.IdFilter(field_name="indicator_id", help_text=_("Indicator id."))
    result_status = django_filters.ChoiceFilter(choices=ResultStatus.choices)
    prioritized = filters.BooleanFilter(help_text=_("Prioritized by the constituents (demand)."))
    targeted = filters.BooleanFilter(help_text=_("Targeted by the Office this biennium."))

    class Meta:
        model = CountryProgrammeOutcome
        fields: list[str] = []


class ReportingPeriodFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="biennium", help_text=BIENNIUM_HELP)

    class Meta:
        model = ReportingPeriod
        fields: list[str] = []


class ProgressReportFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="period__biennium", help_text=BIENNIUM_HELP)
    region = filters.CodeFilter(
        field_name="cpo__programme__country__region__code", help_text=REGION_HELP
    )
    country = filters.CountryFilter(
        field_name="cpo__programme__country__alpha3", help_text=COUNTRY_HELP
    )
    office = filters.IdFilter(field_name="cpo__programme__office_id", help_text=OFFICE_HELP)
    programme = filters.IdFilter(field_name="cpo__programme_id", help_text=_("Programme id."))
    cpo = filters.IdFilter(field_name="cpo_id", help_text=_("Country programme outcome id."))
    outcome = filters.IdFilter(field_name="cpo__outcome_id", help_text=_("P&B outcome id."))
    indicator = filters.IdFilter(field_name="cpo__indicator_id", help_text=_("Indicator id."))
    period = filters.CodeFilter(
        field_name="period__code", help_text=_("Reporting period code, e.g. 2012-H1.")
    )
    status = django_filters.ChoiceFilter(choices=ProgressStatus.choices)
    review_state = django_filters.ChoiceFilter(choices=ReviewState.choices)
    result_claimed = filters.BooleanFilter()

    class Meta:
        model = ProgressReport
        fields: list[str] = []
