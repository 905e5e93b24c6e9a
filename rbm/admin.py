from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from rbm.models import (
    ApiToken,
    Biennium,
    Country,
    FundingSource,
    Office,
    Region,
    User,
)
from rbm.services import api_token_create, record_delete, record_save


class ServiceAdmin(SimpleHistoryAdmin):
    """An admin whose writes go through a service (``rbm.services.record_save`` and
    ``record_delete``): the permission table's ``write_action``, the model's rules, the
    version. Its inlines' rows are saved the same way."""

    write_action = "reference.manage"

    def _acting(self, request: HttpRequest) -> User:
        assert isinstance(request.user, User)
        return request.user

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        record_save(user=self._acting(request), record=obj, action=self.write_action)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_delete(user=self._acting(request), record=obj, action=self.write_action)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        user = self._acting(request)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_delete(user=user, record=obj, action=self.write_action)
        for obj in instances:
            record_save(user=user, record=obj, action=self.write_action)
        formset.save_m2m()


class ViewOnlyAdmin(SimpleHistoryAdmin):
    """An admin that shows records and their history but changes nothing: the app's pages
    and API write them through its services (workflow states, versions, the trail)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ViewOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline of a ``ViewOnlyAdmin``: rows shown, none added, changed or deleted."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ServiceAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]


@admin.register(Country)
class CountryAdmin(ServiceAdmin):
    list_display = ["name", "alpha3", "alpha2", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "alpha3", "alpha2"]


@admin.register(Office)
class OfficeAdmin(ServiceAdmin):
    list_display = ["name", "code", "kind", "region"]
    list_filter = ["kind", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]
    filter_horizontal = ["countries"]


@admin.register(Biennium)
class BienniumAdmin(ServiceAdmin):
    list_display = ["__str__", "start_year", "end_year"]


@admin.register(FundingSource)
class FundingSourceAdmin(ServiceAdmin):
    list_display = ["code", "name", "position"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User], ServiceAdmin):
    write_action = "users.manage"

    list_display = ["username", "first_name", "last_name", "role", "office", "region", "is_active"]
    list_filter = ["role", "region", "is_active"]
    list_select_related = ["office", "region"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Role"), {"fields": ("role", "office", "region")}),
        (_("Notifications"), {"fields": ("language", "email_mode")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ("role", "office", "region")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are usually created by their owners on the account page. An administrator may
    issue one for a user here (e.g. for a system account): the key is shown once, in a
    message, and only its hash is stored. Setting "revoked at" revokes a token."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "prefix"]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("user", "name")
        return ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")

    def get_readonly_fields(
        self, request: HttpRequest, obj: ApiToken | None = None
    ) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("user", "name", "prefix", "created_at", "last_used_at")

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            assert isinstance(request.user, User)
            record_save(user=request.user, record=obj, action="users.manage")
            return
        token, key = api_token_create(user=obj.user, name=obj.name)
        obj.pk, obj.prefix, obj.key_hash = token.pk, token.prefix, token.key_hash
        obj.created_at = token.created_at
        obj._state.adding = False
        messages.warning(
            request,
            _("The key of the token “%(name)s” is %(key)s. Copy it now: it is not shown again.")
            % {"name": token.name, "key": key},
        )
