"""Admin changes are audited like any other write (the admin saves inside a transaction)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from koordinator.core import audit


def _fields(obj: models.Model) -> list[str]:
    return [
        f.name
        for f in obj._meta.concrete_fields
        if f.name not in {"created_at", "updated_at", "password"}
    ]


class AuditedAdmin(admin.ModelAdmin):
    def audit_body(self, obj: Any) -> Any:
        """The body whose history the change belongs to, if any."""
        return None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk:
            old = type(obj)._default_manager.get(pk=obj.pk)
            before = audit.snapshot(old, _fields(old))
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"admin.{'update' if change else 'create'}.{obj._meta.model_name}",
            target=obj,
            body=self.audit_body(obj),
            before=before,
            after=audit.snapshot(obj, _fields(obj)),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"admin.delete.{obj._meta.model_name}",
            target=obj,
            body=self.audit_body(obj),
            before=audit.snapshot(obj, _fields(obj)),
        )
        super().delete_model(request, obj)
