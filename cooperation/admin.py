"""The admin shows donors and projects; they are written through the services (pages, API,
workbook), so that every write passes the same rules."""

from django.contrib import admin

from cooperation.models import Appraisal, CpoLink, Donor, DonorContribution, Project, ProjectYear
from rbm.admin import ViewOnlyAdmin, ViewOnlyInline


@admin.register(Donor)
class DonorAdmin(ViewOnlyAdmin):
    list_display = ["code", "name", "kind", "iati_org_id", "country"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "iati_org_id"]


class ContributionInline(ViewOnlyInline):
    model = DonorContribution
    extra = 0


class YearInline(ViewOnlyInline):
    model = ProjectYear
    extra = 0


class LinkInline(ViewOnlyInline):
    model = CpoLink
    extra = 0


@admin.register(Project)
class ProjectAdmin(ViewOnlyAdmin):
    list_display = ["code", "title", "status", "geography", "region", "office", "end_date"]
    list_filter = ["status", "funding_kind", "geography", "region"]
    list_select_related = ["region", "office"]
    search_fields = ["code", "title"]
    inlines = [ContributionInline, YearInline, LinkInline]


@admin.register(Appraisal)
class AppraisalAdmin(ViewOnlyAdmin):
    list_display = ["project", "verdict", "appraised_by", "appraised_at"]
    list_select_related = ["project", "appraised_by"]
