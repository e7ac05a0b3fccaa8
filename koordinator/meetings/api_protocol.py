"""REST endpoints of the protocol (/api/v1/): read it with its items, speeches and decisions;
edit the minutes, speeches and decisions; submit, sign, correct, distribute.

Same access helpers as the pages (404 for outsiders, 403 for read-only users and for a
signature by someone who does not sign), same services. Every edit names the protocol
``version`` it was made from; a stale one is refused with 409 and nothing is written. Each
write answers with the whole protocol, so the client always has the new version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import ConfigDict

from koordinator.accounts.models import User
from koordinator.api.auth import current_user
from koordinator.bodies.models import Organization, Person
from koordinator.core.access import require
from koordinator.meetings import selectors_protocol as sel
from koordinator.meetings import services_protocol as svc
from koordinator.meetings import services_protocol_lifecycle as lifecycle
from koordinator.meetings.models import AgendaItem, Protocol, ProtocolForm
from koordinator.meetings.services_protocol_common import StaleVersion, is_unreadable, read_deadline

router = Router(tags=["Протоколы"])


# --- schemas ---------------------------------------------------------------------------------


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)


class VersionIn(InputSchema):
    version: int = Field(description="Версия протокола, с которой сделаны изменения.")


class OrgRef(Schema):
    id: int
    name: str
    short_name: str


class DecisionOut(Schema):
    id: int
    code: str
    order: int
    text: str
    lead_executor: OrgRef | None
    co_executors: list[OrgRef]
    deadline_text: str
    due_on: dt.date | None
    votes_for: int | None
    votes_against: int | None
    votes_abstained: int | None
    dissent: str
    restricted: bool


class SpeechOut(Schema):
    id: int
    order: int
    person_id: int | None
    speaker: str = Field(description="Кто выступил (из справочника или как записано).")
    summary: str


class ItemOut(Schema):
    id: int
    number: int
    title: str
    restricted: bool
    rapporteurs: list[str]
    heard_summary: str
    report_attached: bool
    speeches: list[SpeechOut]
    decisions: list[DecisionOut]
    hidden_decisions: int


class NumberOut(Schema):
    body_id: int
    body: str
    number: int
    period: int | None


class SignatureOut(Schema):
    body_id: int
    role: str
    person: str
    signed_at: dt.datetime


class ProtocolOut(Schema):
    id: int
    meeting_id: int
    status: str
    status_label: str
    form: str
    restricted: bool
    version: int
    quorum_text: str
    submitted_at: dt.datetime | None
    signed_at: dt.datetime | None
    registered_at: dt.datetime | None
    distributed_at: dt.datetime | None
    numbers: list[NumberOut]
    signatures: list[SignatureOut]
    missing_signatures: list[str]
    can_edit: bool
    can_sign: bool
    hidden: bool = Field(description="Протокол ДСП: содержание скрыто от пользователя.")
    hidden_items: int
    items: list[ItemOut]


class ProtocolPatch(VersionIn):
    form: ProtocolForm | None = None
    restricted: bool | None = None


class ItemPatch(VersionIn):
    heard_summary: str | None = None
    report_attached: bool | None = None
    restricted: bool | None = None


class SpeechIn(VersionIn):
    person_id: int | None = None
    speaker: str = ""
    summary: str = ""


class DecisionIn(VersionIn):
    text: str = ""
    lead_executor_id: int | None = None
    co_executor_ids: list[int] = []
    deadline_text: str = ""
    due_on: dt.date | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstained: int | None = None
    dissent: str = ""
    restricted: bool = False


class MoveIn(VersionIn):
    direction: Literal["up", "down"] | None = None
    to_item_id: int | None = Field(None, description="Перенести в конец другого вопроса.")


class CorrectIn(InputSchema):
    reason: str


class DeadlineIn(InputSchema):
    text: str


class DeadlineOut(Schema):
    ok: bool
    explanation: str = ""
    dates: list[dt.date] = []
    reason: str = ""


class DistributionOut(Schema):
    sent_to: list[OrgRef]
    without_email: list[OrgRef]
    protocol: ProtocolOut


# --- helpers ---------------------------------------------------------------------------------


def _org(o: Organization | None) -> dict[str, Any] | None:
    return None if o is None else {"id": o.pk, "name": o.name, "short_name": o.short_name}


def _out(user: User, protocol: Protocol) -> dict[str, Any]:
    meeting = protocol.meeting
    view = sel.protocol_items(user, meeting, protocol)
    editable = bool(sel.permissions.can_manage_meeting(user, meeting) and protocol.is_editable)
    return {
        "id": protocol.pk,
        "meeting_id": meeting.pk,
        "status": protocol.status,
        "status_label": protocol.get_status_display(),
        "form": protocol.form,
        "restricted": protocol.restricted,
        "version": protocol.version,
        "quorum_text": protocol.quorum_text,
        "submitted_at": protocol.submitted_at,
        "signed_at": protocol.signed_at,
        "registered_at": protocol.registered_at,
        "distributed_at": protocol.distributed_at,
        "numbers": [
            {
                "body_id": mb.body_id,
                "body": mb.body.short_name or mb.body.name,
                "number": mb.protocol_number,
                "period": mb.protocol_period,
            }
            for mb in protocol.meeting.meeting_bodies.filter(protocol_number__isnull=False)
            .select_related("body")
            .order_by("body_id")
        ],
        "signatures": [
            {
                "body_id": s.body_id,
                "role": s.role,
                "person": str(s.person),
                "signed_at": s.signed_at,
            }
            for s in protocol.signatures.select_related("person")
        ],
        "missing_signatures": [r.label for r in lifecycle.missing_signatures(protocol)],
        "can_edit": editable,
        "can_sign": sel.can_sign(user, protocol),
        "hidden": view.hidden,
        "hidden_items": view.hidden_items,
        "items": [
            {
                "id": iv.item.pk,
                "number": iv.item.number,
                "title": iv.item.title,
                "restricted": iv.item.restricted,
                "rapporteurs": [str(r) for r in iv.rapporteurs],
                "heard_summary": iv.item.heard_summary,
                "report_attached": iv.item.report_attached,
                "speeches": [
                    {
                        "id": s.pk,
                        "order": s.order,
                        "person_id": s.person_id,
                        "speaker": str(s),
                        "summary": s.summary,
                    }
                    for s in iv.speeches
                ],
                "decisions": [
                    {
                        "id": d.pk,
                        "code": d.code,
                        "order": d.order,
                        "text": d.text,
                        "lead_executor": _org(d.lead_executor),
                        "co_executors": [_org(o) for o in d.co_executors.all()],
                        "deadline_text": d.deadline_text,
                        "due_on": d.due_on,
                        "votes_for": d.votes_for,
                        "votes_against": d.votes_against,
                        "votes_abstained": d.votes_abstained,
                        "dissent": d.dissent,
                        "restricted": d.restricted,
                    }
                    for d in iv.decisions
                ],
                "hidden_decisions": iv.hidden_decisions,
            }
            for iv in view.items
        ],
    }


def _fresh(user: User, protocol: Protocol) -> dict[str, Any]:
    protocol.refresh_from_db()
    return _out(user, protocol)


def _stale_to_409(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except StaleVersion as exc:
        raise HttpError(409, " ".join(exc.messages)) from None


def _organization(pk: int | None, field: str) -> Organization | None:
    if pk is None:
        return None
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"Организация с id={pk} не найдена."})
    return found


def _person(pk: int | None) -> Person | None:
    if pk is None:
        return None
    found = Person.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"person_id": f"Должностное лицо с id={pk} не найдено."})
    return found


def _decision_fields(payload: DecisionIn) -> dict[str, Any]:
    return {
        "text": payload.text,
        "lead_executor": _organization(payload.lead_executor_id, "lead_executor_id"),
        "co_executors": [_organization(i, "co_executor_ids") for i in payload.co_executor_ids],
        "deadline_text": payload.deadline_text,
        "due_on": payload.due_on,
        "votes_for": payload.votes_for,
        "votes_against": payload.votes_against,
        "votes_abstained": payload.votes_abstained,
        "dissent": payload.dissent,
        "restricted": payload.restricted,
    }


# --- the protocol ----------------------------------------------------------------------------


@router.get(
    "/meetings/{meeting_id}/protocol",
    response=ProtocolOut,
    summary="Протокол заседания (404, если он ещё не начат)",
)
def protocol_detail(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    user = current_user(request)
    protocol = sel.protocol_of_meeting(user, meeting_id, for_change=False)
    return _out(user, protocol)


@router.post(
    "/meetings/{meeting_id}/protocol",
    response=ProtocolOut,
    summary="Начать протокол (или получить уже начатый)",
)
def protocol_start(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    user = current_user(request)
    meeting = sel.get_meeting(user, meeting_id, for_change=True)
    protocol = svc.protocol_get_or_create(actor=user, meeting=meeting)
    return _out(user, protocol)


@router.patch("/meetings/{meeting_id}/protocol", response=ProtocolOut, summary="Форма, ДСП")
def protocol_patch(request: HttpRequest, meeting_id: int, payload: ProtocolPatch) -> dict[str, Any]:
    user = current_user(request)
    protocol = sel.get_protocol(user, meeting_id, for_change=True)
    _stale_to_409(
        svc.protocol_update,
        actor=user,
        protocol=protocol,
        version=payload.version,
        form=payload.form,
        restricted=payload.restricted,
    )
    return _fresh(user, protocol)


@router.patch("/protocol/items/{item_id}", response=ProtocolOut, summary="СЛУШАЛИ по вопросу")
def item_patch(request: HttpRequest, item_id: int, payload: ItemPatch) -> dict[str, Any]:
    user = current_user(request)
    item, protocol = sel.get_item(user, item_id, for_change=True)
    _stale_to_409(
        svc.item_minutes_update,
        actor=user,
        protocol=protocol,
        version=payload.version,
        item=item,
        heard_summary=item.heard_summary
        if payload.heard_summary is None
        else payload.heard_summary,
        report_attached=item.report_attached
        if payload.report_attached is None
        else payload.report_attached,
        restricted=item.restricted if payload.restricted is None else payload.restricted,
    )
    return _fresh(user, protocol)


# --- speeches --------------------------------------------------------------------------------


@router.post("/protocol/items/{item_id}/speeches", response={201: ProtocolOut})
def speech_create(request: HttpRequest, item_id: int, payload: SpeechIn) -> Status[Any]:
    user = current_user(request)
    item, protocol = sel.get_item(user, item_id, for_change=True)
    _stale_to_409(
        svc.speech_add,
        actor=user,
        protocol=protocol,
        version=payload.version,
        item=item,
        person=_person(payload.person_id),
        speaker=payload.speaker,
        summary=payload.summary,
    )
    return Status(201, _fresh(user, protocol))


@router.patch("/protocol/speeches/{speech_id}", response=ProtocolOut)
def speech_patch(request: HttpRequest, speech_id: int, payload: SpeechIn) -> dict[str, Any]:
    user = current_user(request)
    speech, protocol = sel.get_speech(user, speech_id, for_change=True)
    _stale_to_409(
        svc.speech_update,
        actor=user,
        protocol=protocol,
        version=payload.version,
        speech=speech,
        person=_person(payload.person_id),
        speaker=payload.speaker,
        summary=payload.summary,
    )
    return _fresh(user, protocol)


@router.delete("/protocol/speeches/{speech_id}", response=ProtocolOut)
def speech_remove(request: HttpRequest, speech_id: int, version: int) -> dict[str, Any]:
    user = current_user(request)
    speech, protocol = sel.get_speech(user, speech_id, for_change=True)
    _stale_to_409(svc.speech_delete, actor=user, protocol=protocol, version=version, speech=speech)
    return _fresh(user, protocol)


@router.post("/protocol/speeches/{speech_id}/move", response=ProtocolOut)
def speech_reorder(request: HttpRequest, speech_id: int, payload: MoveIn) -> dict[str, Any]:
    user = current_user(request)
    speech, protocol = sel.get_speech(user, speech_id, for_change=True)
    if payload.direction is None:
        raise ValidationError({"direction": "Укажите направление: up или down."})
    _stale_to_409(
        svc.speech_move,
        actor=user,
        protocol=protocol,
        version=payload.version,
        speech=speech,
        direction=payload.direction,
    )
    return _fresh(user, protocol)


# --- decisions -------------------------------------------------------------------------------


@router.post(
    "/protocol/items/{item_id}/decisions",
    response={201: ProtocolOut},
    summary="Добавить решение (номер — следующий в вопросе)",
)
def decision_create(request: HttpRequest, item_id: int, payload: DecisionIn) -> Status[Any]:
    user = current_user(request)
    item, protocol = sel.get_item(user, item_id, for_change=True)
    fields = _decision_fields(payload)
    with transaction.atomic():
        decision = _stale_to_409(
            svc.decision_add, actor=user, protocol=protocol, version=payload.version, item=item
        )
        svc.decision_update(
            actor=user, protocol=protocol, version=protocol.version, decision=decision, **fields
        )
    return Status(201, _fresh(user, protocol))


@router.patch("/protocol/decisions/{decision_id}", response=ProtocolOut)
def decision_patch(request: HttpRequest, decision_id: int, payload: DecisionIn) -> dict[str, Any]:
    """The whole decision is sent (fields left out become empty)."""
    user = current_user(request)
    decision, protocol = sel.get_decision(user, decision_id, for_change=True)
    _stale_to_409(
        svc.decision_update,
        actor=user,
        protocol=protocol,
        version=payload.version,
        decision=decision,
        **_decision_fields(payload),
    )
    return _fresh(user, protocol)


@router.delete("/protocol/decisions/{decision_id}", response=ProtocolOut)
def decision_remove(request: HttpRequest, decision_id: int, version: int) -> dict[str, Any]:
    user = current_user(request)
    decision, protocol = sel.get_decision(user, decision_id, for_change=True)
    _stale_to_409(
        svc.decision_delete, actor=user, protocol=protocol, version=version, decision=decision
    )
    return _fresh(user, protocol)


@router.post(
    "/protocol/decisions/{decision_id}/move",
    response=ProtocolOut,
    summary="Переместить решение выше/ниже или в другой вопрос (номера пересчитываются)",
)
def decision_reorder(request: HttpRequest, decision_id: int, payload: MoveIn) -> dict[str, Any]:
    user = current_user(request)
    decision, protocol = sel.get_decision(user, decision_id, for_change=True)
    to_item = None
    if payload.to_item_id is not None:
        to_item = AgendaItem.objects.filter(
            pk=payload.to_item_id, meeting=protocol.meeting_id
        ).first()
        if to_item is None:
            raise ValidationError({"to_item_id": "Такого вопроса в повестке заседания нет."})
    _stale_to_409(
        svc.decision_move,
        actor=user,
        protocol=protocol,
        version=payload.version,
        decision=decision,
        direction=payload.direction,
        to_item=to_item,
    )
    return _fresh(user, protocol)


@router.post(
    "/meetings/{meeting_id}/protocol/deadline",
    response=DeadlineOut,
    summary="Прочитать срок, записанный словами",
)
def deadline_read(request: HttpRequest, meeting_id: int, payload: DeadlineIn) -> dict[str, Any]:
    user = current_user(request)
    protocol = sel.get_protocol(user, meeting_id, for_change=True)
    result = read_deadline(payload.text, meeting=protocol.meeting, protocol=protocol)
    if is_unreadable(result):
        return {"ok": False, "reason": result.reason}
    dates = result.due_dates(4) if result.kind == "recurring" else [result.due]
    return {"ok": True, "explanation": result.explanation, "dates": dates}


# --- lifecycle -------------------------------------------------------------------------------


@router.post("/meetings/{meeting_id}/protocol/submit", response=ProtocolOut)
def protocol_submit(request: HttpRequest, meeting_id: int, payload: VersionIn) -> dict[str, Any]:
    user = current_user(request)
    protocol = sel.get_protocol(user, meeting_id, for_change=True)
    _stale_to_409(lifecycle.protocol_submit, actor=user, protocol=protocol, version=payload.version)
    return _fresh(user, protocol)


@router.post("/meetings/{meeting_id}/protocol/sign", response=ProtocolOut)
def protocol_sign(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    user = current_user(request)
    protocol = sel.get_protocol(user, meeting_id)
    wanted = ", ".join(r.label for r in lifecycle.required_signatures(protocol))
    require(sel.can_sign(user, protocol), f"Протокол подписывают: {wanted}.")
    lifecycle.protocol_sign(actor=user, protocol=protocol)
    return _fresh(user, protocol)


@router.post("/meetings/{meeting_id}/protocol/correct", response=ProtocolOut)
def protocol_correct(request: HttpRequest, meeting_id: int, payload: CorrectIn) -> dict[str, Any]:
    user = current_user(request)
    protocol = sel.get_protocol(user, meeting_id, for_change=True)
    lifecycle.protocol_correct(actor=user, protocol=protocol, reason=payload.reason)
    return _fresh(user, protocol)


@router.post("/meetings/{meeting_id}/protocol/distribute", response=DistributionOut)
def protocol_distribute(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    user = current_user(request)
    protocol = sel.get_protocol(user, meeting_id, for_change=True)
    result = lifecycle.protocol_distribute(actor=user, protocol=protocol)
    return {
        "sent_to": [_org(o) for o in result.sent_to],
        "without_email": [_org(o) for o in result.without_email],
        "protocol": _fresh(user, protocol),
    }
