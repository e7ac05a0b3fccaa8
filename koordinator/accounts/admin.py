from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from koordinator.accounts.models import ApiToken, BodyRole, OrganizationRole, User
from koordinator.core.admin import AuditedAdmin


class BodyRoleInline(admin.TabularInline):
    model = BodyRole
    extra = 0
    autocomplete_fields = ["body"]


class OrganizationRoleInline(admin.TabularInline):
    model = OrganizationRole
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Должностное лицо", {"fields": ("person",)}))  # type: ignore[misc]
    autocomplete_fields = ["person"]
    inlines = [BodyRoleInline, OrganizationRoleInline]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "last_used_at"]
