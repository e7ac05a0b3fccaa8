"""Writes to meetings: create (from scratch or from planned questions), change, cancel.

Each runs in one transaction, records itself in the audit log and raises ``ValidationError``
with a Russian message, writing nothing, when the input is wrong. Times are aware datetimes;
a naive one is read in the host body's time zone (``Body.timezone``), which the meeting keeps.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Person
from koordinator.bodies.permissions import can_manage_body
from koordinator.bodies.selectors import composition_on
from koordinator.core import audit
from koordinator.meetings.models import (
    Meeting,
    MeetingBody,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    PlannedQuestion,
    Rapporteur,
    Studio,
    WorkPlan,
)
from koordinator.meetings.permissions import meeting_bodies

MEETING_FIELDS = (
    "kind",
    "format",
    "status",
    "starts_at",
    "ends_at",
    "timezone",
    "place",
    "vks_link",
    "presiding",
    "secretary",
)
# What an invitee's calendar shows: a change bumps the meeting's ICS sequence.
CALENDAR_FIELDS = {"starts_at", "ends_at", "place", "vks_link", "status"}
UPDATABLE = {
    "kind",
    "format",
    "starts_at",
    "ends_at",
    "place",
    "vks_link",
    "presiding",
    "secretary",
}


@dataclass(frozen=True)
class StudioIn:
    name: str
    address: str = ""


def aware(value: dt.datetime, tz_name: str) -> dt.datetime:
    """``value`` as an aware datetime; a naive one is wall time in ``tz_name``."""
    if value.tzinfo is None:
        return value.replace(tzinfo=zoneinfo.ZoneInfo(tz_name))
    return value


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": "Заседание не может закончиться раньше, чем началось, или в ту же минуту."}
        )


def _check_bodies(actor: User, host: Body, others: Sequence[Body]) -> list[Body]:
    """Other bodies of a joint meeting: visible to the actor, distinct, not the host."""
    if not can_manage_body(actor, host):
        raise PermissionDenied("Заседание созывает секретарь органа.")
    visible = set(Body.objects.visible_to(actor).values_list("pk", flat=True))
    out: list[Body] = []
    for body in others:
        if body.pk == host.pk or body in out:
            continue
        if body.pk not in visible:
            raise ValidationError({"bodies": "Органа нет среди доступных вам."})
        out.append(body)
    return out


def _check_people(
    bodies: Sequence[Body], day: dt.date, presiding: Person | None, secretary: Person | None
) -> tuple[Person | None, Person | None]:
    """Default presiding and secretary from the host's composition on ``day``; given ones must
    be in the composition of one of the meeting's bodies on that day."""
    compositions = [composition_on(body, day) for body in bodies]
    host = compositions[0]
    if presiding is None:
        presiding = next((m.person for m in host if "chair" in m.roles), None)
    if secretary is None:
        secretary = next((m.person for m in host if "secretary" in m.roles), None)
    people = {m.person_id for members in compositions for m in members}
    if presiding is not None and presiding.pk not in people:
        raise ValidationError(
            {"presiding": f"{presiding.full_name} не входит в состав органа на {day:%d.%m.%Y}."}
        )
    if secretary is not None and secretary.pk not in people:
        raise ValidationError(
            {"secretary": f"{secretary.full_name} не входит в состав органа на {day:%d.%m.%Y}."}
        )
    return presiding, secretary


def _check_link(link: str) -> str:
    """A videoconference link is a web address (never ``javascript:`` or the like: pages
    render it as a link)."""
    link = link.strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError(
                {"vks_link": "Ссылка на ВКС должна быть адресом вида https://…"}
            ) from None
    return link


def _check_format(format: str, studios: Sequence[StudioIn | Studio] | None) -> None:
    if format not in MeetingFormat.values:
        raise ValidationError({"format": "Неизвестная форма заседания."})
    if studios and format not in {MeetingFormat.VIDEOCONFERENCE, MeetingFormat.HYBRID}:
        raise ValidationError(
            {"studios": "Студии ВКС указываются только для заседаний по ВКС или смешанных."}
        )
    for studio in studios or ():
        if not studio.name.strip():
            raise ValidationError({"studios": "Укажите название студии ВКС."})


def _set_studios(meeting: Meeting, studios: Sequence[StudioIn]) -> None:
    meeting.studios.all().delete()
    Studio.objects.bulk_create(
        Studio(meeting=meeting, name=s.name.strip(), address=s.address.strip(), order=n)
        for n, s in enumerate(studios)
    )


def _snapshot(meeting: Meeting) -> dict[str, Any]:
    return {
        **audit.snapshot(meeting, MEETING_FIELDS),
        "bodies": [b.pk for b in meeting_bodies(meeting)],
        "studios": [s.name for s in meeting.studios.all()],
    }


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    body: Body,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    kind: str = MeetingKind.REGULAR,
    format: str = MeetingFormat.IN_PERSON,
    place: str = "",
    vks_link: str = "",
    presiding: Person | None = None,
    secretary: Person | None = None,
    studios: Sequence[StudioIn] = (),
    other_bodies: Sequence[Body] = (),
) -> Meeting:
    """Call a meeting of ``body`` (the host). With ``other_bodies`` it is a joint meeting:
    one agenda, one attendance list, a protocol number in each body's sequence. A meeting in
    the past may be created, to enter one already held."""
    others = _check_bodies(actor, body, other_bodies)
    starts_at = aware(starts_at, body.timezone)
    ends_at = aware(ends_at, body.timezone) if ends_at else None
    _check_times(starts_at, ends_at)
    _check_format(format, studios)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": "Неизвестный вид заседания."})
    day = starts_at.astimezone(zoneinfo.ZoneInfo(body.timezone)).date()
    presiding, secretary = _check_people([body, *others], day, presiding, secretary)
    meeting = Meeting(
        kind=kind,
        format=format,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=body.timezone,
        place=place.strip(),
        vks_link=_check_link(vks_link),
        presiding=presiding,
        secretary=secretary,
    )
    meeting.full_clean()
    meeting.save()
    MeetingBody.objects.bulk_create(
        MeetingBody(meeting=meeting, body=b, is_host=n == 0, order=n)
        for n, b in enumerate([body, *others])
    )
    _set_studios(meeting, studios)
    audit.record(
        actor=actor, action="meeting.create", target=meeting, body=body, after=_snapshot(meeting)
    )
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    locked = (
        Meeting.objects.select_for_update()
        .with_bodies()
        .prefetch_related("studios")
        .get(pk=meeting.pk)
    )
    if locked.status == MeetingStatus.CANCELLED:
        raise ValidationError("Заседание отменено: изменить его нельзя.")
    return locked


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    studios: Sequence[StudioIn] | None = None,
    other_bodies: Sequence[Body] | None = None,
    **fields: Any,
) -> Meeting:
    """Change the time, place, form, presiding or secretary; ``studios`` and ``other_bodies``
    (None: unchanged) replace the lists. The host body stays."""
    meeting = _lock(meeting)
    before = _snapshot(meeting)
    bodies = meeting_bodies(meeting)
    host = bodies[0]
    for name, value in fields.items():
        if name not in UPDATABLE:
            raise ValueError(f"meeting_update cannot change {name}")
        if name in {"starts_at", "ends_at"} and value is not None:
            value = aware(value, meeting.timezone)
        if name == "place":
            value = str(value).strip()
        if name == "vks_link":
            value = _check_link(str(value))
        setattr(meeting, name, value)
    _check_times(meeting.starts_at, meeting.ends_at)
    _check_format(meeting.format, studios if studios is not None else list(meeting.studios.all()))
    if meeting.kind not in MeetingKind.values:
        raise ValidationError({"kind": "Неизвестный вид заседания."})
    current = {b.pk for b in bodies[1:]}
    if other_bodies is not None and {b.pk for b in other_bodies} - {host.pk} != current:
        # Only the host's secretary changes who takes part (a co-body's secretary may edit
        # the rest of the meeting).
        others = _check_bodies(actor, host, other_bodies)
        kept = {b.pk for b in others}
        for link in meeting.meeting_bodies.all():
            if not link.is_host and link.body_id not in kept:
                if link.protocol_number is not None:
                    raise ValidationError(
                        {"bodies": f"Протокол уже зарегистрирован в органе «{link.body}»."}
                    )
                link.delete()
        present = {link.body_id for link in meeting.meeting_bodies.all()}
        last = max((link.order for link in meeting.meeting_bodies.all()), default=0)
        for n, body in enumerate((b for b in others if b.pk not in present), start=last + 1):
            MeetingBody.objects.create(meeting=meeting, body=body, order=n)
        meeting = _refetch(meeting)
        bodies = meeting_bodies(meeting)
    day = meeting.local_date
    if {"presiding", "secretary", "starts_at"} & fields.keys() or other_bodies is not None:
        # Checked against the composition on the (possibly new) date of every body.
        meeting.presiding, meeting.secretary = _check_people(
            bodies, day, meeting.presiding, meeting.secretary
        )
    meeting.full_clean()
    if studios is not None:
        _set_studios(meeting, studios)
    after = _snapshot(_refetch(meeting))
    if after != before:
        if any(before[k] != after[k] for k in CALENDAR_FIELDS):
            meeting.ics_sequence += 1
        meeting.save()
        audit.record(
            actor=actor,
            action="meeting.update",
            target=meeting,
            body=host,
            before=before,
            after=after,
        )
    return _refetch(meeting)


def _refetch(meeting: Meeting) -> Meeting:
    """The meeting as stored plus unsaved field changes of ``meeting`` (the relations fresh)."""
    fresh = Meeting.objects.with_bodies().prefetch_related("studios").get(pk=meeting.pk)
    for name in MEETING_FIELDS:
        field = Meeting._meta.get_field(name)
        attname = getattr(field, "attname", name)
        setattr(fresh, attname, getattr(meeting, attname))
    fresh.ics_sequence = meeting.ics_sequence
    return fresh


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str = "") -> Meeting:
    meeting = _lock(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError("Заседание уже состоялось: отменить его нельзя.")
    before = audit.snapshot(meeting, MEETING_FIELDS)
    meeting.status = MeetingStatus.CANCELLED
    meeting.ics_sequence += 1
    meeting.save(update_fields=["status", "ics_sequence", "updated_at"])
    audit.record(
        actor=actor,
        action="meeting.cancel",
        target=meeting,
        body=meeting_bodies(meeting)[0],
        before=before,
        after=audit.snapshot(meeting, MEETING_FIELDS),
        ground=reason.strip(),
    )
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: User | None, meeting: Meeting) -> Meeting:
    """The meeting took place. Called when its protocol goes to signature; a cancelled
    meeting cannot become held, a held one stays as it is."""
    meeting = _lock(meeting)
    if meeting.status == MeetingStatus.HELD:
        return meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("Заседание отменено: протокол по нему не составляется.")
    before = audit.snapshot(meeting, MEETING_FIELDS)
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="meeting.held",
        target=meeting,
        body=meeting_bodies(meeting)[0],
        before=before,
        after=audit.snapshot(meeting, MEETING_FIELDS),
    )
    return meeting


@transaction.atomic
def meeting_from_plan(
    *,
    actor: User,
    plan: WorkPlan,
    questions: Iterable[PlannedQuestion],
    **meeting_fields: Any,
) -> Meeting:
    """A meeting of the plan's body whose agenda is the selected planned questions, in the
    plan's order. Each question's responsible agencies become the item's rapporteurs; the
    question's rapporteurs text is kept as the first agency's position («начальник …»)."""
    from koordinator.meetings import services_agenda

    chosen = list(questions)
    if not chosen:
        raise ValidationError({"questions": "Выберите хотя бы один вопрос плана."})
    if any(q.plan_id != plan.pk for q in chosen):
        raise ValidationError({"questions": "Вопрос не из этого плана."})
    chosen.sort(key=lambda q: (q.quarter, q.order, q.pk))
    meeting = meeting_create(actor=actor, body=plan.body, **meeting_fields)
    for question in chosen:
        item = services_agenda.item_add(
            actor=actor, meeting=meeting, title=question.title, planned_question=question
        )
        for n, org in enumerate(question.organizations.all()):
            Rapporteur.objects.create(
                item=item,
                organization=org,
                position=question.rapporteurs[:500] if n == 0 else "",
                order=n,
            )
    return meeting
