"""The audit record, and what every model shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        abstract = True


class AuditRecord(models.Model):
    """One state change: who did what to which object, with the values before and after.

    Written by the service that makes the change, in the same transaction, never by a signal.
    ``body`` is the coordination body whose history the change belongs to (null for changes to
    shared reference data, e.g. an organisation); ``ground`` is the document that justified it
    (e.g. «распоряжение от 12.03.2026 № 45-р»).
    """

    created_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("действие", max_length=64)
    target_type = models.CharField("тип объекта", max_length=64)
    target_id = models.CharField("идентификатор объекта", max_length=64)
    target_repr = models.CharField("объект", max_length=500)
    body = models.ForeignKey(
        "bodies.Body",
        verbose_name="координационный орган",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_records",
    )
    before = models.JSONField("было", null=True, blank=True)
    after = models.JSONField("стало", null=True, blank=True)
    ground = models.CharField("основание", max_length=500, blank=True)

    class Meta:
        verbose_name = "запись журнала"
        verbose_name_plural = "журнал изменений"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["body", "-created_at"], name="audit_body_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.action} {self.target_repr}"

    def changes(self) -> list[tuple[str, Any, Any]]:
        """Field-by-field (name, before, after) for the fields that differ."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
