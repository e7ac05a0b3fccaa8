"""Admin changes are audited like any other write (the admin saves inside a transaction)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from koordinator.bodies.models import Body
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

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (e.g. a user's roles per body) are audited one by one too."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            self._record(request, "delete", obj, before=audit.snapshot(obj, _fields(obj)))
            obj.delete()
        for obj in instances:
            created = obj.pk is None
            before = None
            if not created:
                before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk), _fields(obj))
            obj.save()
            self._record(
                request,
                "create" if created else "update",
                obj,
                before=before,
                after=audit.snapshot(obj, _fields(obj)),
            )
        formset.save_m2m()

    def _record(self, request: HttpRequest, verb: str, obj: Any, **values: Any) -> None:
        body = getattr(obj, "body", None)
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"admin.{verb}.{obj._meta.model_name}",
            target=obj,
            body=body if isinstance(body, Body) else None,
            **values,
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
