"""The audit record, and what every model shares."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        abstract = True


TIMESTAMPS = ("created_at", "updated_at")
_Q = TypeVar("_Q", bound=models.QuerySet[Any])


def without_timestamps(queryset: _Q) -> _Q:
    """``queryset`` without the ``created_at``/``updated_at`` of its rows and of every row it
    joins by ``select_related`` (call that first), for reads that never print them. Each is a
    datetime psycopg parses and Django moves to the current timezone: some 650 a request on the
    DOCX of a protocol with 100 decisions.

    What it reads is for showing: an instance saved without ``update_fields`` would keep its
    old ``updated_at``, so services load what they change by themselves."""
    joins = queryset.query.select_related
    if joins is True:
        raise ValueError("without_timestamps needs select_related with named relations.")
    names: list[str] = []
    pending: list[tuple[str, type[models.Model], dict[str, Any]]] = [
        ("", queryset.model, joins or {})
    ]
    while pending:
        path, model, below = pending.pop()
        if issubclass(model, TimeStampedModel):
            names += [f"{path}__{name}" if path else name for name in TIMESTAMPS]
        for step, further in below.items():
            related = model._meta.get_field(step).related_model
            assert isinstance(related, type)
            pending.append((f"{path}__{step}" if path else step, related, further))
    return queryset.defer(*names)


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

    @property
    def action_label(self) -> str:
        """The action in words: «включение в состав», «изменение через справочники: …»."""
        if self.action in ACTION_LABELS:
            return ACTION_LABELS[self.action]
        parts = self.action.split(".")
        if len(parts) == 3 and parts[0] == "admin":
            verb = {"create": "создание", "update": "изменение", "delete": "удаление"}
            return f"{verb.get(parts[1], parts[1])} через справочники ({self._model_label()})"
        return self.action

    def _model(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.target_type)
        except (LookupError, ValueError):
            return None

    def _model_label(self) -> str:
        model = self._model()
        return str(model._meta.verbose_name) if model else self.target_type

    def field(self, name: str) -> Any:
        """The model field ``name`` of the target, if there is one."""
        model = self._model()
        if model is None:
            return None
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field label, before, after) for the fields that differ, in words where possible:
        names of related objects (see ``audit.with_names``), labels of choices."""
        before = self.before or {}
        after = self.after or {}
        out = []
        for key in dict.fromkeys([*before.keys(), *after.keys()]):
            if before.get(key) == after.get(key):
                continue
            field = self.field(key)
            label = (
                str(getattr(field, "verbose_name", key))
                if field is not None
                else KEY_LABELS.get(f"{self.target_type}.{key}", key)
            )
            out.append(
                (
                    label,
                    self._value(field, key, before.get(key)),
                    self._value(field, key, after.get(key)),
                )
            )
        return out

    def _value(self, field: Any, key: str, value: Any) -> Any:
        if field is None and value is not None:
            labels = LIST_LABELS.get(f"{self.target_type}.{key}", {})
            if isinstance(value, str) and value in labels:
                return labels[value]
        if value is None or field is None:
            return _display(value)
        if field.is_relation and field.many_to_one:
            names: dict[tuple[Any, Any], str] = getattr(self, "_names", {})
            return names.get((field.related_model, value), f"№ {value}")
        choices: dict[Any, Any] = dict(field.flatchoices or ()) or LIST_LABELS.get(
            f"{self.target_type}.{key}", {}
        )
        if isinstance(value, list):
            return ", ".join(str(choices.get(v, v)) for v in value)
        if isinstance(value, str | int) and value in choices:
            return str(choices[value])
        return _display(value)


def _display(value: Any) -> Any:
    """A stored value as people read it: 01.12.2026, да/нет, a list joined by commas."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


# Labels for codes kept in list fields (e.g. a membership's roles), by "app.model.field";
# filled by the apps that own the codes (see BodiesConfig.ready).
LIST_LABELS: dict[str, dict[str, str]] = {}
# Labels for keys of audit data that are not fields of the target model ("app.model.key").
KEY_LABELS: dict[str, str] = {}

ACTION_LABELS = {
    "assignment.create": "поручение поставлено на контроль (из протокола)",
    "assignment.sync": "поручение обновлено по исправленному протоколу",
    "assignment.register": "поручение вышестоящего органа поставлено на контроль",
    "assignment.report_submit": "представлен отчёт об исполнении",
    "assignment.report_register": "зарегистрирован отчёт, поступивший на бумаге",
    "assignment.report_accept": "отчёт принят",
    "assignment.report_return": "отчёт возвращён на доработку",
    "assignment.extension_request": "запрошен перенос срока",
    "assignment.extension_propose": "перенос срока предложен председателю",
    "assignment.extension_approve": "перенос срока утверждён",
    "assignment.extension_reject": "перенос срока отклонён",
    "assignment.removal_propose": "предложено снять с контроля",
    "assignment.removal_reject": "оставлено на контроле",
    "assignment.remove": "снято с контроля",
    "assignment.on_agenda": "поручение включено в повестку",
    "organization.create": "новая организация",
    "organization.update": "изменение организации",
    "body.create": "образование органа",
    "body.update": "изменение наименования или положения",
    "person.create": "новое должностное лицо",
    "post.create": "новая должность в составе",
    "membership.add": "включение в состав",
    "membership.update": "изменение членства",
    "composition.import": "загрузка состава из XLSX",
    "user.create": "новый пользователь",
    "bodyrole.create": "назначение роли в органе",
    "organizationrole.create": "назначение роли в организации",
    "api_token.issue": "выдача токена API",
    "person.update": "изменение сведений о должностном лице",
    "workplan.create": "новый план работы",
    "workplan.approve": "утверждение плана работы",
    "plannedquestion.add": "вопрос включён в план",
    "plannedquestion.update": "изменение вопроса плана",
    "plannedquestion.move": "перемещение вопроса плана",
    "plannedquestion.delete": "вопрос исключён из плана",
    "plannedquestion.outcome": "перенос или снятие вопроса плана",
    "meeting.create": "назначение заседания",
    "meeting.update": "изменение заседания",
    "meeting.cancel": "отмена заседания",
    "meeting.held": "заседание состоялось",
    "meeting.invitations_send": "рассылка приглашений",
    "agenda.item_add": "вопрос включён в повестку",
    "agenda.item_update": "изменение вопроса повестки",
    "agenda.item_move": "перемещение вопроса повестки",
    "agenda.item_delete": "вопрос исключён из повестки",
    "agenda.rapporteur_add": "назначение докладчика",
    "agenda.rapporteur_remove": "докладчик исключён",
    "agenda.material_upload": "материалы к вопросу",
    "agenda.material_delete": "материалы удалены",
    "agenda.approve": "утверждение повестки",
    "agenda.approval_withdrawn": "утверждение повестки снято (повестка изменена)",
    "invitee.add": "приглашённый добавлен",
    "invitee.remove": "приглашённый исключён",
    "invitee.attended": "отметка о присутствии приглашённого",
    "invitation.reply": "ответ на приглашение",
    "invitation.reply_by_hand": "ответ на приглашение (внесён секретарём)",
    "attendance.mark": "отметка о присутствии",
    "protocol.create": "протокол создан",
    "protocol.update": "изменение протокола",
    "protocol.item_update": "изменение записи по вопросу",
    "protocol.speech_add": "выступление добавлено",
    "protocol.speech_update": "изменение выступления",
    "protocol.speech_move": "перемещение выступления",
    "protocol.speech_delete": "выступление удалено",
    "protocol.decision_add": "решение добавлено",
    "protocol.decision_update": "изменение решения",
    "protocol.decision_move": "перемещение решения",
    "protocol.decision_delete": "решение удалено",
    "protocol.submit": "протокол передан на подпись",
    "protocol.sign": "протокол подписан",
    "protocol.register": "протокол зарегистрирован",
    "protocol.distribute": "выписки разосланы исполнителям",
    "protocol.correct": "исправление протокола (новая редакция)",
}
