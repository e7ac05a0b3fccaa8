"""Writes to a meeting's agenda: items, their order, rapporteurs, materials, the chair's
approval.

Each runs in one transaction (under the meeting's row lock, so two secretaries cannot hand out
the same item number), records itself in the audit log, and raises ``ValidationError`` with a
Russian message, writing nothing, when the input is wrong.

Changing an approved agenda (adding, changing, moving or deleting an item, its rapporteurs)
withdraws the approval: the chair approves the new agenda again. Materials are not the agenda
and do not withdraw it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Membership, Organization, Person
from koordinator.core import audit
from koordinator.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Invitee,
    Material,
    Meeting,
    MeetingStatus,
    PlannedQuestion,
    Rapporteur,
    RapporteurRole,
)
from koordinator.meetings.permissions import meeting_bodies
from koordinator.meetings.services_plan import clean_title

ITEM_FIELDS = ("number", "kind", "title", "planned_question", "duration_minutes")
ITEM_FIELDS_ALL = (*ITEM_FIELDS, "materials_due_on", "restricted")
ALLOWED_EXTENSIONS = (
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "odt",
    "ods",
    "rtf",
    "txt",
    "jpg",
    "png",
)
CONTROL_TITLE = "О ходе исполнения решений, принятых на заседаниях {bodies}"


def _lock(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().with_bodies().get(pk=meeting.pk)
    if locked.status == MeetingStatus.CANCELLED:
        raise ValidationError("Заседание отменено: повестку изменить нельзя.")
    return locked


def _withdraw_approval(actor: User | None, meeting: Meeting) -> bool:
    """An approved agenda that changes is no longer the approved one."""
    if meeting.agenda_approved_at is None:
        return False
    before = audit.snapshot(meeting, ("agenda_approved_by", "agenda_approved_at"))
    meeting.agenda_approved_by = None
    meeting.agenda_approved_at = None
    meeting.save(update_fields=["agenda_approved_by", "agenda_approved_at", "updated_at"])
    audit.record(
        actor=actor,
        action="agenda.approval_withdrawn",
        target=meeting,
        body=meeting_bodies(meeting)[0],
        before=before,
        after={"agenda_approved_by": None, "agenda_approved_at": None},
    )
    return True


def _renumber(meeting: Meeting, ordered: list[AgendaItem] | None = None) -> None:
    items = ordered if ordered is not None else list(meeting.items.order_by("number", "pk"))
    for n, item in enumerate(items, start=1):
        if item.number != n:
            item.number = n
            item.save(update_fields=["number", "updated_at"])


def _duration(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or not 1 <= value <= 600:
        raise ValidationError({"duration_minutes": "Регламент: от 1 до 600 минут."})
    return value


def default_materials_due(meeting: Meeting) -> dt.date:
    """The meeting's date minus the host body's «materials N days before» (calendar days)."""
    host = meeting_bodies(meeting)[0]
    return meeting.local_date - dt.timedelta(days=host.materials_days_before)


@transaction.atomic
def item_add(
    *,
    actor: User | None,
    meeting: Meeting,
    title: str,
    duration_minutes: int | None = None,
    restricted: bool = False,
    materials_due_on: dt.date | None = None,
    planned_question: PlannedQuestion | None = None,
    kind: str = AgendaItemKind.REGULAR,
) -> AgendaItem:
    """Add an item at the end of the agenda. The materials' due date defaults to the meeting's
    date minus the body's days-before setting."""
    meeting = _lock(meeting)
    title = clean_title(title)
    last = meeting.items.order_by("-number").first()
    item = AgendaItem(
        meeting=meeting,
        number=(last.number + 1) if last else 1,
        kind=kind,
        title=title,
        planned_question=planned_question,
        duration_minutes=_duration(duration_minutes),
        restricted=restricted,
        materials_due_on=materials_due_on or default_materials_due(meeting),
    )
    item.full_clean()
    item.save()
    _withdraw_approval(actor, meeting)
    audit.record(
        actor=actor,
        action="agenda.item_add",
        target=item,
        body=meeting_bodies(meeting)[0],
        after=audit.snapshot(item, ITEM_FIELDS_ALL),
    )
    return item


@transaction.atomic
def control_item_add(*, actor: User | None, meeting: Meeting) -> AgendaItem:
    """The standing item on the execution of earlier decisions (its content comes from
    execution control). One per meeting."""
    locked = _lock(meeting)
    if locked.items.filter(kind=AgendaItemKind.CONTROL).exists():
        raise ValidationError("Вопрос о ходе исполнения решений уже есть в повестке.")
    names = " и ".join(b.short_name or b.name for b in meeting_bodies(locked))
    return item_add(
        actor=actor,
        meeting=locked,
        title=CONTROL_TITLE.format(bodies=names),
        kind=AgendaItemKind.CONTROL,
    )


@transaction.atomic
def item_update(*, actor: User | None, item: AgendaItem, **fields: Any) -> AgendaItem:
    """Change the wording, timing, materials' due date or the restricted mark."""
    meeting = _lock(item.meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    before = audit.snapshot(item, ITEM_FIELDS_ALL)
    for name, value in fields.items():
        if name == "title":
            value = clean_title(value)
        elif name == "duration_minutes":
            value = _duration(value)
        elif name == "materials_due_on":
            if value is None:
                value = default_materials_due(meeting)
        elif name != "restricted":
            raise ValueError(f"item_update cannot change {name}")
        setattr(item, name, value)
    item.full_clean()
    after = audit.snapshot(item, ITEM_FIELDS_ALL)
    if after != before:
        item.save()
        # The due date of materials is not what the chair approves.
        if {k for k in after if after[k] != before[k]} - {"materials_due_on"}:
            _withdraw_approval(actor, meeting)
        audit.record(
            actor=actor,
            action="agenda.item_update",
            target=item,
            body=meeting_bodies(meeting)[0],
            before=before,
            after=after,
        )
    item.meeting = meeting
    return item


@transaction.atomic
def item_move(*, actor: User | None, item: AgendaItem, up: bool) -> AgendaItem:
    """Move an item one place up or down; all items are renumbered 1..n."""
    meeting = _lock(item.meeting)
    items = list(meeting.items.order_by("number", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(items):
        return items[index]
    items[index], items[target] = items[target], items[index]
    _renumber(meeting, items)
    moved = items[target]
    _withdraw_approval(actor, meeting)
    audit.record(
        actor=actor,
        action="agenda.item_move",
        target=moved,
        body=meeting_bodies(meeting)[0],
        before={"number": index + 1},
        after={"number": moved.number},
    )
    return moved


@transaction.atomic
def item_delete(*, actor: User | None, item: AgendaItem) -> None:
    meeting = _lock(item.meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    if item.decisions.exists() or item.speeches.exists():
        raise ValidationError(
            "По вопросу уже записаны выступления или решения протокола: удалить его нельзя."
        )
    audit.record(
        actor=actor,
        action="agenda.item_delete",
        target=item,
        body=meeting_bodies(meeting)[0],
        before=audit.snapshot(item, ITEM_FIELDS_ALL),
    )
    files = [m.file for m in item.materials.all()]
    item.delete()

    def remove_files() -> None:
        for file in files:
            file.delete(save=False)

    transaction.on_commit(remove_files)
    _renumber(meeting)
    _withdraw_approval(actor, meeting)


@transaction.atomic
def rapporteur_add(
    *,
    actor: User | None,
    item: AgendaItem,
    role: str = RapporteurRole.RAPPORTEUR,
    person: Person | None = None,
    organization: Organization | None = None,
    position: str = "",
) -> Rapporteur:
    """A rapporteur or co-rapporteur: an official from the composition of one of the
    meeting's bodies on its date or an invitee of the meeting, or an agency. For an official
    the agency and position default to their post's (or the invitation's)."""
    meeting = _lock(item.meeting)
    if role not in RapporteurRole.values:
        raise ValidationError({"role": "Неизвестная роль докладчика."})
    if person is None and organization is None:
        raise ValidationError({"person": "Укажите докладчика: должностное лицо или организацию."})
    position = " ".join(position.split())
    if person is not None:
        day = meeting.local_date
        bodies = meeting_bodies(meeting)
        membership = (
            Membership.objects.on(day)
            .filter(post__body__in=bodies, person=person)
            .select_related("post__organization")
            .first()
        )
        invitee = (
            None
            if membership
            else Invitee.objects.filter(meeting=meeting, person=person)
            .select_related("organization")
            .first()
        )
        if membership is None and invitee is None:
            raise ValidationError(
                {
                    "person": f"{person.full_name} не входит в состав органа на "
                    f"{day:%d.%m.%Y} и не приглашён на заседание."
                }
            )
        if membership is not None:
            organization = organization or membership.post.organization
            position = position or membership.post.title
        elif invitee is not None:
            organization = organization or invitee.organization
            position = position or invitee.position
    last = item.rapporteurs.order_by("-order").first()
    rapporteur = Rapporteur(
        item=item,
        role=role,
        person=person,
        organization=organization,
        position=position[:500],
        order=(last.order + 1) if last else 0,
    )
    rapporteur.full_clean()
    rapporteur.save()
    _withdraw_approval(actor, meeting)
    audit.record(
        actor=actor,
        action="agenda.rapporteur_add",
        target=rapporteur,
        body=meeting_bodies(meeting)[0],
        after=audit.snapshot(rapporteur, ("item", "role", "person", "organization", "position")),
    )
    return rapporteur


@transaction.atomic
def rapporteur_remove(*, actor: User | None, rapporteur: Rapporteur) -> None:
    meeting = _lock(rapporteur.item.meeting)
    audit.record(
        actor=actor,
        action="agenda.rapporteur_remove",
        target=rapporteur,
        body=meeting_bodies(meeting)[0],
        before=audit.snapshot(rapporteur, ("item", "role", "person", "organization", "position")),
    )
    rapporteur.delete()
    _withdraw_approval(actor, meeting)


@transaction.atomic
def agenda_approve(*, actor: User, meeting: Meeting) -> Meeting:
    """The chair (or a deputy) approves the agenda as it stands."""
    meeting = _lock(meeting)
    if meeting.agenda_approved_at is not None:
        raise ValidationError("Повестка уже утверждена.")
    if not meeting.items.exists():
        raise ValidationError("В повестке нет ни одного вопроса: утверждать нечего.")
    meeting.agenda_approved_by = actor
    meeting.agenda_approved_at = timezone.now()
    meeting.save(update_fields=["agenda_approved_by", "agenda_approved_at", "updated_at"])
    audit.record(
        actor=actor,
        action="agenda.approve",
        target=meeting,
        body=meeting_bodies(meeting)[0],
        after=audit.snapshot(meeting, ("agenda_approved_by", "agenda_approved_at")),
    )
    return meeting


def check_upload(file: UploadedFile) -> str:
    """The file's extension if it may be uploaded; a Russian message otherwise."""
    name = file.name or ""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ALLOWED_EXTENSIONS:
        allowed = ", ".join(ALLOWED_EXTENSIONS)
        raise ValidationError(
            {
                "file": f"Файлы типа «{ext or 'без расширения'}» не принимаются. Допустимы: {allowed}."
            }
        )
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    size = file.size or 0
    if size == 0:
        raise ValidationError({"file": "Файл пустой."})
    if size > limit:
        raise ValidationError(
            {
                "file": f"Файл больше допустимого: {size / 1024 / 1024:.1f} МБ при пределе "
                f"{settings.UPLOAD_MAX_MB} МБ."
            }
        )
    return ext


@transaction.atomic
def material_upload(
    *,
    actor: User | None,
    item: AgendaItem,
    file: UploadedFile,
    title: str = "",
    organization: Organization | None = None,
    restricted: bool = False,
) -> Material:
    """Attach a material to an item. The file is checked (type, size) before anything is
    written. A material of a restricted item is restricted too."""
    check_upload(file)
    meeting = _lock(item.meeting)
    title = " ".join(title.split()) or PurePath(file.name or "материал").stem
    material = Material(
        item=item,
        title=title[:500],
        size=file.size or 0,
        organization=organization,
        uploaded_by=actor if actor is not None and actor.pk else None,
        restricted=restricted or item.restricted,
    )
    material.full_clean(exclude=["file"])
    material.file.save(PurePath(file.name or "file").name, file, save=False)
    # The file is on disk now: if the row is not written, remove it again.
    try:
        material.save()
        audit.record(
            actor=actor,
            action="agenda.material_upload",
            target=material,
            body=meeting_bodies(meeting)[0],
            after=audit.snapshot(material, ("item", "title", "size", "organization", "restricted")),
        )
    except Exception:
        material.file.delete(save=False)
        raise
    return material


@transaction.atomic
def material_delete(*, actor: User | None, material: Material) -> None:
    meeting = _lock(material.item.meeting)
    audit.record(
        actor=actor,
        action="agenda.material_delete",
        target=material,
        body=meeting_bodies(meeting)[0],
        before=audit.snapshot(material, ("item", "title", "size", "organization", "restricted")),
    )
    material.delete()
    transaction.on_commit(lambda: material.file.delete(save=False))
