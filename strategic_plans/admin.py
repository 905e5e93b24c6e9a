from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from rbm.admin import ServiceAdmin, ViewOnlyAdmin
from strategic_plans.models import (
    FrameworkRevision,
    Indicator,
    Outcome,
    OutcomeResource,
    OutcomeStrategy,
    ProgrammeAndBudget,
    RegionalTarget,
    StrategicObjective,
    StrategicPlan,
    StrategyElement,
    Target,
)
from strategic_plans.services import target_warning


class FrameworkAdmin(ServiceAdmin):
    """The framework's records: written through the admin by those ``framework.manage``
    allows, through ``rbm.services.record_save`` like every admin write."""

    write_action = "framework.manage"


class ObjectiveInline(admin.TabularInline[StrategicObjective, StrategicPlan]):
    model = StrategicObjective
    extra = 0


class ProgrammeInline(admin.TabularInline[ProgrammeAndBudget, StrategicPlan]):
    model = ProgrammeAndBudget
    extra = 0


@admin.register(StrategicPlan)
class StrategicPlanAdmin(FrameworkAdmin):
    list_display = ["short_name", "title", "start_year", "end_year"]
    inlines = [ProgrammeInline, ObjectiveInline]


@admin.register(ProgrammeAndBudget)
class ProgrammeAndBudgetAdmin(FrameworkAdmin):
    list_display = ["title", "plan", "biennium"]
    list_select_related = ["plan", "biennium"]


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(FrameworkAdmin):
    list_display = ["__str__", "plan", "is_cross_cutting"]
    list_filter = ["plan"]
    list_select_related = ["plan"]


class IndicatorInline(admin.StackedInline[Indicator, Outcome]):
    model = Indicator
    extra = 0


@admin.register(Outcome)
class OutcomeAdmin(FrameworkAdmin):
    list_display = ["code", "title", "objective"]
    list_filter = ["objective__plan"]
    list_select_related = ["objective"]
    search_fields = ["code", "title"]
    filter_horizontal = ["coordinators"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(FrameworkAdmin):
    list_display = ["code", "text", "unit", "outcome"]
    list_filter = ["outcome__objective__plan"]
    list_select_related = ["outcome"]
    search_fields = ["code", "text"]


class RegionalTargetInline(admin.TabularInline[RegionalTarget, Target]):
    model = RegionalTarget
    extra = 0


@admin.register(Target)
class TargetAdmin(FrameworkAdmin):
    list_display = ["indicator", "biennium", "total"]
    list_filter = ["biennium", "indicator__outcome__objective__plan"]
    list_select_related = ["indicator", "biennium"]
    inlines = [RegionalTargetInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        warning = target_warning(form.instance)
        if warning:
            messages.warning(request, warning.message)


@admin.register(RegionalTarget)
class RegionalTargetAdmin(FrameworkAdmin):
    list_display = ["target", "region", "value"]
    list_select_related = ["target__indicator", "target__biennium", "region"]


@admin.register(OutcomeResource)
class OutcomeResourceAdmin(FrameworkAdmin):
    list_display = ["outcome", "biennium", "funding_source", "amount"]
    list_filter = ["biennium", "funding_source"]
    list_select_related = ["outcome", "biennium", "funding_source"]


@admin.register(StrategyElement)
class StrategyElementAdmin(FrameworkAdmin):
    list_display = ["title", "code", "position"]


@admin.register(OutcomeStrategy)
class OutcomeStrategyAdmin(FrameworkAdmin):
    list_display = ["outcome", "biennium", "element"]
    list_filter = ["biennium", "element"]
    list_select_related = ["outcome", "biennium", "element"]


@admin.register(FrameworkRevision)
class FrameworkRevisionAdmin(ViewOnlyAdmin):
    """Revisions are written by the services that change an adopted programme, never here."""

    list_display = ("programme", "record", "field", "user", "created_at")
    list_filter = ("programme",)
