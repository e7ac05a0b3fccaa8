"""Execution control in the admin: read only. Assignments and reports change through the
services (audited); the outbox is shown so that the administrator sees what was sent, what
failed and what was interrupted mid-send (``unknown``: not repeated)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from koordinator.control.models import Assignment, ControlPoint, OutboxMessage, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "subject", "state", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("subject", "key")
    date_hierarchy = "created_at"
    list_select_related = False
    readonly_fields = (
        "key",
        "kind",
        "body",
        "recipients",
        "subject",
        "text",
        "state",
        "created_at",
        "claimed_at",
        "sent_at",
        "error",
    )


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("number", "document", "body", "lead_executor", "lifecycle", "restricted")
    list_filter = ("lifecycle", "restricted", "body")
    list_select_related = ("body", "lead_executor")
    search_fields = ("number", "document")
    exclude = ("text",)  # restricted text stays in the application's pages


@admin.register(ControlPoint)
class ControlPointAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "due_on", "original_due_on", "state")
    list_filter = ("state",)
    list_select_related = ("assignment",)
    raw_id_fields = ("assignment",)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("point", "organization", "kind", "state")
    list_filter = ("state", "kind")
    list_select_related = ("point__assignment", "organization")
    raw_id_fields = ("point",)
    exclude = ("text",)
