"""Filters of the report runs and snapshots."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from rbm.api import filters
from reporting.models import Language, ReportRun, ReportSnapshot, RunStatus, Scope

BIENNIUM_HELP = _("Biennium code, e.g. 2012-13.")
REGION_HELP = _("Region code, e.g. asia-pacific.")
OBJECTIVE_HELP = _("Strategic objective id.")


class ReportRunFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="biennium", help_text=BIENNIUM_HELP)
    status = django_filters.ChoiceFilter(choices=RunStatus.choices)
    scope = django_filters.ChoiceFilter(choices=Scope.choices)
    region = filters.CodeFilter(field_name="region__code", help_text=REGION_HELP)
    objective = filters.IdFilter(field_name="objective_id", help_text=OBJECTIVE_HELP)
    language = django_filters.ChoiceFilter(choices=Language.choices)

    class Meta:
        model = ReportRun
        fields: list[str] = []


class ReportSnapshotFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="biennium", help_text=BIENNIUM_HELP)
    scope = django_filters.ChoiceFilter(choices=Scope.choices)
    region = filters.CodeFilter(field_name="region__code", help_text=REGION_HELP)
    objective = filters.IdFilter(field_name="objective_id", help_text=OBJECTIVE_HELP)
    language = django_filters.ChoiceFilter(choices=Language.choices)
    final = filters.BooleanFilter(help_text=_("Submitted to the Governing Body."))

    class Meta:
        model = ReportSnapshot
        fields: list[str] = []
