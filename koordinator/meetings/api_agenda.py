"""REST endpoints for meetings, agendas and materials (/api/v1/); work plans are in
``api_plan``, which shares the schemas and helpers defined here.

Each endpoint reads like a page view: fetch and authorize through the same access helpers as
the pages (404 for what the user may not see, 403 for what they may see but not change), turn
the JSON into service arguments, call one service, respond. The services' ``ValidationError``
becomes 400 with the Russian message. Restricted (ДСП) items and materials are left out for
everyone who is not an insider of the meeting, exactly as on the pages.

Times: ``starts_at``/``ends_at`` with an offset are taken as they are; without one they are
wall time in the host body's time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import ConfigDict

from koordinator.accounts.models import User
from koordinator.api.auth import current_user
from koordinator.bodies import permissions as body_permissions
from koordinator.bodies.models import Body, Organization, Person
from koordinator.meetings import permissions, selectors, services_agenda, services_meeting
from koordinator.meetings.models import (
    AgendaItem,
    Material,
    Meeting,
    MeetingFormat,
    MeetingKind,
    Rapporteur,
    RapporteurRole,
)

router = Router(tags=["Заседания"])


# --- schemas ---------------------------------------------------------------------------------


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


READ_ERRORS: dict[int, type[Schema]] = {401: Error, 403: Error, 404: Error}
WRITE_ERRORS: dict[int, type[Schema]] = {400: Error, 401: Error, 403: Error, 404: Error}


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)


class Ref(Schema):
    id: int
    name: str


class BodyRef(Schema):
    id: int
    name: str
    short_name: str


class PersonRef(Schema):
    id: int
    full_name: str
    initials_surname: str


class OrganizationRef(Schema):
    id: int
    name: str
    short_name: str


# meetings


class StudioSchema(Schema):
    name: str
    address: str = ""


class MeetingListOut(Schema):
    id: int
    kind: str
    format: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    timezone: str
    place: str
    bodies: list[BodyRef]
    is_joint: bool

    @staticmethod
    def resolve_bodies(obj: Meeting) -> list[Body]:
        return permissions.meeting_bodies(obj)


class RapporteurOut(Schema):
    id: int
    role: str
    person: PersonRef | None
    organization: OrganizationRef | None
    position: str


class MaterialOut(Schema):
    id: int
    title: str
    size: int
    restricted: bool
    organization: OrganizationRef | None
    created_at: dt.datetime


class ItemOut(Schema):
    id: int
    number: int
    kind: str
    title: str
    planned_question_id: int | None
    duration_minutes: int | None
    materials_due_on: dt.date | None
    restricted: bool
    rapporteurs: list[RapporteurOut]
    materials: list[MaterialOut]

    @staticmethod
    def resolve_rapporteurs(obj: AgendaItem) -> list[Rapporteur]:
        return list(obj.rapporteurs.all())

    @staticmethod
    def resolve_materials(obj: AgendaItem, context: dict[str, Any]) -> list[Material]:
        user = current_user(context["request"])
        insider = permissions.is_insider(user, obj.meeting)
        return [m for m in obj.materials.all() if insider or not m.restricted]


class MeetingOut(MeetingListOut):
    vks_link: str
    studios: list[StudioSchema]
    presiding: PersonRef | None
    secretary: PersonRef | None
    agenda_approved_at: dt.datetime | None
    agenda: list[ItemOut]

    @staticmethod
    def resolve_studios(obj: Meeting) -> list[Any]:
        return list(obj.studios.all())

    @staticmethod
    def resolve_agenda(obj: Meeting, context: dict[str, Any]) -> list[AgendaItem]:
        items = selectors.agenda(obj, current_user(context["request"]))
        for item in items:
            item.meeting = obj
        return items


class MeetingIn(InputSchema):
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    kind: MeetingKind = MeetingKind.REGULAR
    format: MeetingFormat = MeetingFormat.IN_PERSON
    place: str = ""
    vks_link: str = ""
    studios: list[StudioSchema] = Field(default_factory=list)
    presiding_id: int | None = Field(None, description="По умолчанию — председатель по составу.")
    secretary_id: int | None = Field(None, description="По умолчанию — секретарь по составу.")
    other_body_ids: list[int] = Field(
        default_factory=list, description="Другие органы совместного заседания."
    )


class MeetingPatch(InputSchema):
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    kind: MeetingKind | None = None
    format: MeetingFormat | None = None
    place: str | None = None
    vks_link: str | None = None
    studios: list[StudioSchema] | None = None
    presiding_id: int | None = None
    secretary_id: int | None = None
    other_body_ids: list[int] | None = None


class CancelIn(InputSchema):
    reason: str = ""


class ItemIn(InputSchema):
    title: str
    duration_minutes: int | None = None
    materials_due_on: dt.date | None = None
    restricted: bool = False


class ItemPatch(InputSchema):
    title: str | None = None
    duration_minutes: int | None = None
    materials_due_on: dt.date | None = None
    restricted: bool | None = None


class MoveIn(InputSchema):
    direction: Literal["up", "down"]


class RapporteurIn(InputSchema):
    role: RapporteurRole = RapporteurRole.RAPPORTEUR
    person_id: int | None = None
    organization_id: int | None = None
    position: str = ""


# --- helpers ---------------------------------------------------------------------------------


def find_organizations(ids: list[int], field: str = "organization_ids") -> list[Organization]:
    found = list(Organization.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({field: "Организация не найдена."})
    return found


def _organization(pk: int | None) -> Organization | None:
    if pk is None:
        return None
    return find_organizations([pk], "organization_id")[0]


def _person(pk: int | None, field: str) -> Person | None:
    # Persons are checked against the composition (or invitees) by the services; an unknown
    # id is bad input.
    if pk is None:
        return None
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise ValidationError({field: "Должностное лицо не найдено."})
    return person


def _bodies(user: User, ids: list[int]) -> list[Body]:
    found = list(Body.objects.visible_to(user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"other_body_ids": "Органа нет среди доступных вам."})
    return found


def meeting_fields(user: User, payload: MeetingIn) -> dict[str, Any]:
    return {
        "starts_at": payload.starts_at,
        "ends_at": payload.ends_at,
        "kind": payload.kind,
        "format": payload.format,
        "place": payload.place,
        "vks_link": payload.vks_link,
        "studios": [services_meeting.StudioIn(s.name, s.address) for s in payload.studios],
        "presiding": _person(payload.presiding_id, "presiding_id"),
        "secretary": _person(payload.secretary_id, "secretary_id"),
        "other_bodies": _bodies(user, payload.other_body_ids),
    }


def meeting_out(user: User, pk: int) -> Meeting:
    return permissions.get_meeting(user, pk)


def _item_out(user: User, item: AgendaItem) -> AgendaItem:
    return selectors.get_item(user, item.pk)


# --- meetings --------------------------------------------------------------------------------


@router.get("/bodies/{body_id}/meetings", response={200: list[MeetingListOut], **READ_ERRORS})
def meeting_list(request: HttpRequest, body_id: int) -> list[Meeting]:
    """Заседания органа (совместные тоже), новые сначала."""
    user = current_user(request)
    body = body_permissions.get_body(user, body_id)
    upcoming, past = selectors.body_meetings(user, body)
    return [*reversed(upcoming), *past]


@router.post("/bodies/{body_id}/meetings", response={201: MeetingOut, **WRITE_ERRORS})
def meeting_create(request: HttpRequest, body_id: int, payload: MeetingIn) -> Status[Meeting]:
    """Созвать заседание органа (секретарь); с other_body_ids — совместное."""
    user = current_user(request)
    body = body_permissions.get_body(user, body_id, for_change=True)
    meeting = services_meeting.meeting_create(
        actor=user, body=body, **meeting_fields(user, payload)
    )
    return Status(201, meeting_out(user, meeting.pk))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **READ_ERRORS})
def meeting_detail(request: HttpRequest, meeting_id: int) -> Meeting:
    return meeting_out(current_user(request), meeting_id)


@router.patch("/meetings/{meeting_id}", response={200: MeetingOut, **WRITE_ERRORS})
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> Meeting:
    user = current_user(request)
    meeting = permissions.get_meeting(user, meeting_id, for_change=True)
    data = payload.model_dump(exclude_unset=True)
    fields: dict[str, Any] = {}
    for name in ("starts_at", "kind", "format", "place", "vks_link"):
        if name in data:
            if data[name] is None:
                raise ValidationError({name: "Это поле не может быть пустым."})
            fields[name] = data[name]
    if "ends_at" in data:
        fields["ends_at"] = data["ends_at"]
    if "presiding_id" in data:
        fields["presiding"] = _person(data["presiding_id"], "presiding_id")
    if "secretary_id" in data:
        fields["secretary"] = _person(data["secretary_id"], "secretary_id")
    if data.get("studios") is not None:
        fields["studios"] = [
            services_meeting.StudioIn(s["name"], s.get("address", "")) for s in data["studios"]
        ]
    if data.get("other_body_ids") is not None:
        fields["other_bodies"] = _bodies(user, data["other_body_ids"])
    services_meeting.meeting_update(actor=user, meeting=meeting, **fields)
    return meeting_out(user, meeting.pk)


@router.post("/meetings/{meeting_id}/cancel", response={200: MeetingOut, **WRITE_ERRORS})
def meeting_cancel(request: HttpRequest, meeting_id: int, payload: CancelIn) -> Meeting:
    user = current_user(request)
    meeting = permissions.get_meeting(user, meeting_id, for_change=True)
    services_meeting.meeting_cancel(actor=user, meeting=meeting, reason=payload.reason)
    return meeting_out(user, meeting.pk)


@router.post("/meetings/{meeting_id}/agenda/approve", response={200: MeetingOut, **WRITE_ERRORS})
def agenda_approve(request: HttpRequest, meeting_id: int) -> Meeting:
    """Утвердить повестку (председатель или заместитель)."""
    user = current_user(request)
    meeting = permissions.get_meeting_for_leader(user, meeting_id)
    services_agenda.agenda_approve(actor=user, meeting=meeting)
    return meeting_out(user, meeting.pk)


# --- agenda items ----------------------------------------------------------------------------


@router.post("/meetings/{meeting_id}/items", response={201: ItemOut, **WRITE_ERRORS})
def item_create(request: HttpRequest, meeting_id: int, payload: ItemIn) -> Status[AgendaItem]:
    """Добавить вопрос в конец повестки. Изменение утверждённой повестки снимает утверждение."""
    user = current_user(request)
    meeting = permissions.get_meeting(user, meeting_id, for_change=True)
    item = services_agenda.item_add(actor=user, meeting=meeting, **payload.model_dump())
    return Status(201, _item_out(user, item))


@router.post("/meetings/{meeting_id}/items/control", response={201: ItemOut, **WRITE_ERRORS})
def item_create_control(request: HttpRequest, meeting_id: int) -> Status[AgendaItem]:
    """Добавить вопрос о ходе исполнения ранее принятых решений."""
    user = current_user(request)
    meeting = permissions.get_meeting(user, meeting_id, for_change=True)
    item = services_agenda.control_item_add(actor=user, meeting=meeting)
    return Status(201, _item_out(user, item))


@router.patch("/agenda-items/{item_id}", response={200: ItemOut, **WRITE_ERRORS})
def item_update(request: HttpRequest, item_id: int, payload: ItemPatch) -> AgendaItem:
    user = current_user(request)
    item = selectors.get_item(user, item_id, for_change=True)
    data = payload.model_dump(exclude_unset=True)
    for name in ("title", "restricted"):
        if name in data and data[name] is None:
            raise ValidationError({name: "Это поле не может быть пустым."})
    services_agenda.item_update(actor=user, item=item, **data)
    return _item_out(user, item)


@router.post("/agenda-items/{item_id}/move", response={200: list[ItemOut], **WRITE_ERRORS})
def item_move(request: HttpRequest, item_id: int, payload: MoveIn) -> list[AgendaItem]:
    """Поднять или опустить вопрос; возвращает повестку целиком (номера 1..n)."""
    user = current_user(request)
    item = selectors.get_item(user, item_id, for_change=True)
    services_agenda.item_move(actor=user, item=item, up=payload.direction == "up")
    meeting = meeting_out(user, item.meeting_id)
    items = selectors.agenda(meeting, user)
    for it in items:
        it.meeting = meeting
    return items


@router.delete("/agenda-items/{item_id}", response={204: None, **WRITE_ERRORS})
def item_delete(request: HttpRequest, item_id: int) -> Status[None]:
    user = current_user(request)
    item = selectors.get_item(user, item_id, for_change=True)
    services_agenda.item_delete(actor=user, item=item)
    return Status(204, None)


@router.post("/agenda-items/{item_id}/rapporteurs", response={201: ItemOut, **WRITE_ERRORS})
def rapporteur_add(request: HttpRequest, item_id: int, payload: RapporteurIn) -> Status[AgendaItem]:
    """Докладчик или содокладчик: person_id (член состава или приглашённый) и/или
    organization_id."""
    user = current_user(request)
    item = selectors.get_item(user, item_id, for_change=True)
    services_agenda.rapporteur_add(
        actor=user,
        item=item,
        role=str(payload.role),
        person=_person(payload.person_id, "person_id"),
        organization=_organization(payload.organization_id),
        position=payload.position,
    )
    return Status(201, _item_out(user, item))


@router.delete("/rapporteurs/{rapporteur_id}", response={204: None, **WRITE_ERRORS})
def rapporteur_delete(request: HttpRequest, rapporteur_id: int) -> Status[None]:
    user = current_user(request)
    rapporteur = selectors.get_rapporteur(user, rapporteur_id)
    services_agenda.rapporteur_remove(actor=user, rapporteur=rapporteur)
    return Status(204, None)


# --- materials -------------------------------------------------------------------------------


@router.get("/agenda-items/{item_id}/materials", response={200: list[MaterialOut], **READ_ERRORS})
def material_list(request: HttpRequest, item_id: int) -> list[Material]:
    user = current_user(request)
    item = selectors.get_item(user, item_id)
    insider = permissions.is_insider(user, item.meeting)
    materials = item.materials.select_related("organization").order_by("created_at", "pk")
    return [m for m in materials if insider or not m.restricted]


@router.post("/agenda-items/{item_id}/materials", response={201: MaterialOut, **WRITE_ERRORS})
def material_upload(
    request: HttpRequest,
    item_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
    organization_id: Form[int | None] = None,
    restricted: Form[bool] = False,
) -> Status[Material]:
    """Загрузить материал (multipart/form-data, поле file). Допустимые типы: pdf, doc, docx,
    xls, xlsx, odt, ods, rtf, txt, jpg, png; размер — не больше UPLOAD_MAX_MB."""
    user = current_user(request)
    item = selectors.get_item(user, item_id, for_change=True)
    material = services_agenda.material_upload(
        actor=user,
        item=item,
        file=file,
        title=title,
        organization=_organization(organization_id),
        restricted=restricted,
    )
    return Status(201, material)
