from django.contrib import admin

from rbm.admin import ViewOnlyAdmin, ViewOnlyInline
from workplans.models import (
    CorrectiveAction,
    MidTermReview,
    OutcomeWorkplan,
    PublishedFigure,
    PublishedTable,
    Reallocation,
    WorkplanEvent,
    WorkplanResource,
)


class ResourceInline(ViewOnlyInline):
    model = WorkplanResource
    extra = 0


class EventInline(ViewOnlyInline):
    model = WorkplanEvent
    extra = 0
    readonly_fields = ["kind", "author", "text", "created_at"]
    can_delete = False


@admin.register(OutcomeWorkplan)
class OutcomeWorkplanAdmin(ViewOnlyAdmin):
    list_display = ["outcome", "biennium", "coordinator", "status"]
    list_filter = ["biennium", "status"]
    list_select_related = ["outcome", "biennium", "coordinator"]
    readonly_fields = ["version"]
    inlines = [ResourceInline, EventInline]


@admin.register(WorkplanResource)
class WorkplanResourceAdmin(ViewOnlyAdmin):
    list_display = ["workplan", "funding_source", "region", "amount"]
    list_select_related = ["workplan__outcome", "workplan__biennium", "funding_source", "region"]


@admin.register(WorkplanEvent)
class WorkplanEventAdmin(ViewOnlyAdmin):
    list_display = ["workplan", "kind", "author", "created_at"]
    list_select_related = ["workplan__outcome", "workplan__biennium", "author"]
    readonly_fields = ["workplan", "kind", "author", "text", "created_at"]


class CorrectiveActionInline(ViewOnlyInline):
    model = CorrectiveAction
    extra = 0


class ReallocationInline(ViewOnlyInline):
    model = Reallocation
    extra = 0
    readonly_fields = [
        "kind",
        "from_source",
        "from_region",
        "to_source",
        "to_region",
        "amount",
        "reason",
        "decided_by",
    ]
    can_delete = False


@admin.register(MidTermReview)
class MidTermReviewAdmin(ViewOnlyAdmin):
    list_display = ["workplan", "review_date"]
    list_select_related = ["workplan__outcome", "workplan__biennium"]
    readonly_fields = ["version"]
    inlines = [CorrectiveActionInline, ReallocationInline]


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ViewOnlyAdmin):
    list_display = ["review", "region", "text"]
    list_select_related = ["review__workplan__outcome", "review__workplan__biennium", "region"]


@admin.register(Reallocation)
class ReallocationAdmin(ViewOnlyAdmin):
    """Reallocations move money: they are recorded through the mid-term review page only."""

    list_display = ["review", "kind", "amount", "from_region", "to_region"]
    list_select_related = ["review__workplan__outcome", "review__workplan__biennium"]


class FigureInline(ViewOnlyInline):
    model = PublishedFigure
    extra = 0


@admin.register(PublishedTable)
class PublishedTableAdmin(ViewOnlyAdmin):
    list_display = ["name", "biennium", "recorded_by", "created_at"]
    list_select_related = ["biennium", "recorded_by"]
    inlines = [FigureInline]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ViewOnlyAdmin):
    list_display = ["table", "outcome_code", "region_code", "demand", "target"]
    list_select_related = ["table"]
