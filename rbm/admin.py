from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from rbm.models import Biennium, Country, FundingSource, Office, Region, User


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "alpha3", "alpha2", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "alpha3", "alpha2"]


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "region"]
    list_filter = ["kind", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]
    filter_horizontal = ["countries"]


@admin.register(Biennium)
class BienniumAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "start_year", "end_year"]


@admin.register(FundingSource)
class FundingSourceAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "position"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User], SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "role", "office", "region", "is_active"]
    list_filter = ["role", "region", "is_active"]
    list_select_related = ["office", "region"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Role"), {"fields": ("role", "office", "region")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ("role", "office", "region")}),
    )
