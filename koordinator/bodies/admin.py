from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from koordinator.bodies.models import Body, Membership, Organization, Person, Post
from koordinator.core.admin import AuditedAdmin


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "level", "territory", "kind", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["name", "short_name", "territory"]
    autocomplete_fields = ["parent"]


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ["short_name", "kind", "organization", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["organization", "parent"]
    readonly_fields = ["path"]

    def audit_body(self, obj: Any) -> Any:
        return obj

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Keep the materialised path (and the paths below) in step, as body_update does.
        old_path = obj.path
        obj.path = f"{obj.parent.path if obj.parent_id else '/'}{obj.pk}/"
        if obj.path != old_path:
            obj.save(update_fields=["path"])
            if old_path:
                for child in Body.objects.filter(path__startswith=old_path).exclude(pk=obj.pk):
                    child.path = obj.path + child.path[len(old_path) :]
                    child.save(update_fields=["path"])


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["last_name", "first_name", "patronymic", "email"]
    search_fields = ["last_name", "first_name", "patronymic", "email"]


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    list_display = ["title", "organization", "body"]
    search_fields = ["title"]
    autocomplete_fields = ["organization", "body"]

    def audit_body(self, obj: Any) -> Any:
        return obj.body


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["person", "post", "roles", "by_agreement", "starts_on", "ends_on"]
    autocomplete_fields = ["person", "post"]

    def audit_body(self, obj: Any) -> Any:
        return obj.post.body
