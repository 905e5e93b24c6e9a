from django.contrib import admin

from dwcp.models import (
    MAX_PRIORITIES,
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    CpoImport,
    CpoResource,
    DecentWorkCountryProgramme,
    Milestone,
    ProgressReport,
    ProgressReview,
    ReportingExtension,
    ReportingPeriod,
    TripartiteParty,
)
from rbm.admin import ViewOnlyAdmin, ViewOnlyInline


class PartyInline(ViewOnlyInline):
    model = TripartiteParty
    extra = 0


class PriorityInline(ViewOnlyInline):
    model = CountryProgrammePriority
    extra = 0
    max_num = MAX_PRIORITIES
    exclude = ["version"]


@admin.register(DecentWorkCountryProgramme)
class ProgrammeAdmin(ViewOnlyAdmin):
    list_display = ["title", "country", "office", "start_year", "end_year", "phase", "published"]
    list_filter = ["phase", "published", "country__region"]
    list_select_related = ["country", "office"]
    search_fields = ["title", "country__name", "country__alpha3"]
    readonly_fields = ["version", "published_at"]
    inlines = [PartyInline, PriorityInline]


@admin.register(CountryProgrammePriority)
class PriorityAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "programme"]
    list_select_related = ["programme"]
    readonly_fields = ["version"]


class MilestoneInline(ViewOnlyInline):
    model = Milestone
    extra = 0


class ResourceInline(ViewOnlyInline):
    model = CpoResource
    extra = 0


@admin.register(CountryProgrammeOutcome)
class CpoAdmin(ViewOnlyAdmin):
    list_display = [
        "code",
        "title",
        "biennium",
        "outcome",
        "prioritized",
        "targeted",
        "result_status",
    ]
    list_filter = [
        "biennium",
        "prioritized",
        "targeted",
        "result_status",
        "programme__country__region",
    ]
    list_select_related = ["biennium", "outcome"]
    search_fields = ["code", "title"]
    raw_id_fields = ["programme", "priority", "outcome", "indicator"]
    readonly_fields = ["version"]
    inlines = [MilestoneInline, ResourceInline]


@admin.register(Milestone)
class MilestoneAdmin(ViewOnlyAdmin):
    list_display = ["cpo", "due_on", "text", "reached"]
    list_select_related = ["cpo"]
    raw_id_fields = ["cpo"]


@admin.register(CpoResource)
class CpoResourceAdmin(ViewOnlyAdmin):
    list_display = ["cpo", "funding_source", "planned", "spent"]
    list_select_related = ["cpo", "funding_source"]
    raw_id_fields = ["cpo"]


@admin.register(TripartiteParty)
class TripartitePartyAdmin(ViewOnlyAdmin):
    list_display = ["name", "kind", "programme", "agreed_on"]
    list_select_related = ["programme"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ViewOnlyAdmin):
    list_display = ["name", "code", "biennium", "starts_on", "ends_on", "due_on", "locks_on"]
    list_select_related = ["biennium"]


@admin.register(ReportingExtension)
class ReportingExtensionAdmin(ViewOnlyAdmin):
    list_display = ["office", "period", "state", "ends_on", "granted_by"]
    list_filter = ["state"]
    list_select_related = ["office", "period", "granted_by"]


class ReviewInline(ViewOnlyInline):
    model = ProgressReview
    extra = 0
    readonly_fields = ["action", "actor", "at", "comment"]
    can_delete = False


@admin.register(ProgressReport)
class ProgressReportAdmin(ViewOnlyAdmin):
    list_display = ["cpo", "period", "status", "review_state", "result_claimed"]
    list_filter = ["review_state", "status", "period"]
    list_select_related = ["cpo", "period"]
    raw_id_fields = ["cpo", "submitted_by", "validated_by"]
    readonly_fields = ["version", "submitted_at", "validated_at"]
    inlines = [ReviewInline]


@admin.register(ProgressReview)
class ProgressReviewAdmin(ViewOnlyAdmin):
    list_display = ["report", "action", "actor", "at"]
    list_select_related = ["report", "actor"]
    readonly_fields = ["report", "action", "actor", "at", "comment"]


@admin.register(CpoImport)
class CpoImportAdmin(ViewOnlyAdmin):
    """Read-only: imports are made by the upload page and ended by the worker. An
    administrator may delete old ones (their files are kept until then)."""

    list_display = ["filename", "uploaded_by", "created_at", "rows", "status", "attempts"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    search_fields = ["filename", "uploaded_by__username"]
    exclude = ["content"]
    readonly_fields = [
        "uploaded_by",
        "filename",
        "rows",
        "status",
        "attempts",
        "started_at",
        "finished_at",
        "outcome",
        "error",
        "created_at",
        "updated_at",
    ]
