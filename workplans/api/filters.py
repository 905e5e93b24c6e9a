"""Filters of the workplans' lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from rbm.api import filters
from workplans.models import MidTermReview, OutcomeWorkplan, PublishedTable, WorkplanStatus

BIENNIUM_HELP = _("Biennium code, e.g. 2012-13.")
OUTCOME_HELP = _("P&B outcome id.")


class WorkplanFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="biennium", help_text=BIENNIUM_HELP)
    status = django_filters.ChoiceFilter(choices=WorkplanStatus.choices)
    outcome = filters.IdFilter(field_name="outcome_id", help_text=OUTCOME_HELP)
    coordinator = filters.CodeFilter(
        field_name="coordinator__username",
        pattern=r"^[\w.@+-]{1,150}$",
        help_text=_("The coordinator's username."),
    )

    class Meta:
        model = OutcomeWorkplan
        fields: list[str] = []


class MidTermReviewFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="workplan__biennium", help_text=BIENNIUM_HELP)
    outcome = filters.IdFilter(field_name="workplan__outcome_id", help_text=OUTCOME_HELP)
    workplan = filters.IdFilter(field_name="workplan_id", help_text=_("Workplan id."))

    class Meta:
        model = MidTermReview
        fields: list[str] = []


class PublishedTableFilter(filters.FilterSet):
    biennium = filters.BienniumFilter(field_name="biennium", help_text=BIENNIUM_HELP)

    class Meta:
        model = PublishedTable
        fields: list[str] = []
