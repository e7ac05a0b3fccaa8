"""Writes to the draft protocol: the editor (СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ), its form and ДСП
mark, and the «Присутствовали» block. The lifecycle (submit, sign, register, correct,
distribute) is in :mod:`services_protocol_lifecycle`; the version guard, the audit record and
reading deadlines in :mod:`services_protocol_common`.

Every edit names the ``version`` of the protocol it was made from and is refused with
``StaleVersion`` (writing nothing) when someone else saved first. Every service runs in one
transaction and audits itself with the protocol as the target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from koordinator.accounts.models import User
from koordinator.bodies.models import Membership, Organization, Person
from koordinator.core import audit
from koordinator.core.compiled import Compiled, Ids
from koordinator.core.models import without_timestamps
from koordinator.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    Protocol,
    ProtocolForm,
    Speech,
)
from koordinator.meetings.quorum import quorum
from koordinator.meetings.services_protocol_common import (
    bump_version,
    first_due,
    is_unreadable,
    read_deadline,
    record,
)

Direction = Literal["up", "down"]
DECISION_FIELDS = (
    "text",
    "lead_executor",
    "deadline_text",
    "due_on",
    "votes_for",
    "votes_against",
    "votes_abstained",
    "dissent",
    "restricted",
)
#: Above this many people «Присутствовали» prints the count and «список прилагается».
PRESENT_LIST_LIMIT = 10


# --- «Присутствовали» ------------------------------------------------------------------------


def _people_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "человек"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "человека"
    return "человек"


@dataclass(frozen=True)
class PresentBlock:
    """The protocol's «Присутствовали»: ``lines`` (surname and initials — post, in
    alphabetical order) when ten people or fewer, else only ``count`` and the list attached."""

    count: int
    lines: list[str] = field(default_factory=list)
    all_lines: list[str] = field(default_factory=list)

    @property
    def list_attached(self) -> bool:
        return self.count > PRESENT_LIST_LIMIT

    @property
    def text(self) -> str:
        if self.list_attached:
            return f"{self.count} {_people_word(self.count)} (список прилагается)"
        return "\n".join(self.lines)


_attendance = Compiled(
    lambda meeting: without_timestamps(
        Attendance.objects.filter(meeting=meeting).select_related(
            "membership__person", "membership__post__organization"
        )
    ).order_by("pk"),
    meeting=int,
)


_marks = Compiled(
    lambda meeting: without_timestamps(Attendance.objects.filter(meeting=meeting)).order_by("pk"),
    meeting=int,
)
_memberships = Compiled(
    lambda ids: without_timestamps(
        Membership.objects.filter(pk__in=ids).select_related("person", "post__organization")
    ),
    ids=Ids,
)


def meeting_attendance(
    meeting: Meeting, members: Sequence[Membership] | None = None
) -> list[Attendance]:
    """Every attendance mark of the meeting with the member's person and post (one query:
    enough for the «Присутствовали» block and the quorum).

    ``members`` (``meeting_members``: the memberships on the meeting's date, person and
    post joined) are the memberships most marks are for: the marks are then read alone and
    joined to them, and only a mark for a membership not among them (one that ended before
    the meeting's date) costs a second query."""
    if members is None:
        return list(_attendance(meeting=meeting.pk))
    marks = list(_marks(meeting=meeting.pk))
    known = {m.pk: m for m in members}
    missing = {a.membership_id for a in marks} - known.keys()
    known.update((m.pk, m) for m in _memberships(ids=missing))
    for mark in marks:
        mark.membership = known[mark.membership_id]
    return marks


def present_block(meeting: Meeting, attendance: Sequence[Attendance] | None = None) -> PresentBlock:
    """Members marked present (each person once, even in a joint meeting where they sit in
    two bodies), alphabetically. ``all_lines`` always holds the full list (for the
    attachment). Two queries."""
    if attendance is None:
        attendance = meeting_attendance(meeting)
    marks = [a for a in attendance if a.status == AttendanceStatus.PRESENT]
    people: dict[int, str] = {}
    keys: dict[int, tuple[str, str, str]] = {}
    for mark in marks:
        person = mark.membership.person
        if person.pk in people:
            continue
        people[person.pk] = f"{person.surname_initials} — {mark.membership.post.title}"
        keys[person.pk] = (person.last_name, person.first_name, person.patronymic)
    ordered = [people[pk] for pk in sorted(people, key=lambda pk: keys[pk])]
    count = len(ordered)
    return PresentBlock(
        count=count,
        lines=[] if count > PRESENT_LIST_LIMIT else ordered,
        all_lines=ordered,
    )


def quorum_text(meeting: Meeting) -> str:
    return " ".join(q.text for q in quorum(meeting))


# --- the protocol itself ---------------------------------------------------------------------


def _item_of(protocol: Protocol, item: AgendaItem) -> None:
    if item.meeting_id != protocol.meeting_id:
        raise ValidationError("Вопрос относится к другому заседанию.")


@transaction.atomic
def protocol_get_or_create(*, actor: User | None, meeting: Meeting) -> Protocol:
    """The meeting's protocol, created as a draft on first use."""
    protocol, created = Protocol.objects.get_or_create(meeting=meeting)
    protocol.meeting = meeting
    if created:
        record(actor=actor, protocol=protocol, action="create", after={"status": "draft"})
    return protocol


@transaction.atomic
def protocol_update(
    *,
    actor: User | None,
    protocol: Protocol,
    version: int | None,
    form: str | None = None,
    restricted: bool | None = None,
) -> Protocol:
    """Change the form (full/short) and the ДСП mark of the whole protocol."""
    before = audit.snapshot(protocol, ("form", "restricted"))
    if form is not None and form not in ProtocolForm.values:
        raise ValidationError({"form": "Неизвестная форма протокола."})
    bump_version(protocol, version)
    if form is not None:
        protocol.form = form
    if restricted is not None:
        protocol.restricted = restricted
    protocol.save(update_fields=["form", "restricted", "updated_at"])
    record(
        actor=actor,
        protocol=protocol,
        action="update",
        before=before,
        after=audit.snapshot(protocol, ("form", "restricted")),
    )
    return protocol


@transaction.atomic
def item_minutes_update(
    *,
    actor: User | None,
    protocol: Protocol,
    version: int | None,
    item: AgendaItem,
    heard_summary: str,
    report_attached: bool,
    restricted: bool,
) -> AgendaItem:
    """СЛУШАЛИ of one item: a summary or «текст доклада прилагается»; the item's ДСП mark."""
    _item_of(protocol, item)
    fields = ("heard_summary", "report_attached", "restricted")
    before = audit.snapshot(item, fields)
    bump_version(protocol, version)
    item.heard_summary = heard_summary.strip()
    item.report_attached = report_attached
    item.restricted = restricted
    item.save(update_fields=[*fields, "updated_at"])
    record(
        actor=actor,
        protocol=protocol,
        action="item_update",
        before={"item": item.pk, **before},
        after={"item": item.pk, **audit.snapshot(item, fields)},
    )
    return item


# --- ВЫСТУПИЛИ -------------------------------------------------------------------------------


def _clean_speech(person: Person | None, speaker: str) -> str:
    speaker = " ".join(speaker.split())
    if person is None and not speaker:
        raise ValidationError({"speaker": "Укажите, кто выступил."})
    return "" if person is not None else speaker


@transaction.atomic
def speech_add(
    *,
    actor: User | None,
    protocol: Protocol,
    version: int | None,
    item: AgendaItem,
    person: Person | None = None,
    speaker: str = "",
    summary: str = "",
) -> Speech:
    _item_of(protocol, item)
    speaker = _clean_speech(person, speaker)
    bump_version(protocol, version)
    last = Speech.objects.filter(item=item).aggregate(m=Max("order"))["m"] or 0
    speech = Speech.objects.create(
        item=item, person=person, speaker=speaker, summary=summary.strip(), order=last + 1
    )
    record(
        actor=actor,
        protocol=protocol,
        action="speech_add",
        after={
            "item": item.pk,
            "speech": speech.pk,
            "person": speech.person_id,
            "speaker": speaker,
            "summary": speech.summary,
        },
    )
    return speech


@transaction.atomic
def speech_update(
    *,
    actor: User | None,
    protocol: Protocol,
    version: int | None,
    speech: Speech,
    person: Person | None,
    speaker: str,
    summary: str,
) -> Speech:
    _item_of(protocol, speech.item)
    speaker = _clean_speech(person, speaker)
    fields = ("person", "speaker", "summary")
    before = audit.snapshot(speech, fields)
    bump_version(protocol, version)
    speech.person = person
    speech.speaker = speaker
    speech.summary = summary.strip()
    speech.save(update_fields=list(fields))
    record(
        actor=actor,
        protocol=protocol,
        action="speech_update",
        before={"speech": speech.pk, **before},
        after={"speech": speech.pk, **audit.snapshot(speech, fields)},
    )
    return speech


@transaction.atomic
def speech_delete(
    *, actor: User | None, protocol: Protocol, version: int | None, speech: Speech
) -> None:
    _item_of(protocol, speech.item)
    bump_version(protocol, version)
    before = {"speech": speech.pk, **audit.snapshot(speech, ("person", "speaker", "summary"))}
    item = speech.item
    speech.delete()
    _renumber(list(Speech.objects.filter(item=item).order_by("order", "pk")))
    record(actor=actor, protocol=protocol, action="speech_delete", before=before)


@transaction.atomic
def speech_move(
    *,
    actor: User | None,
    protocol: Protocol,
    version: int | None,
    speech: Speech,
    direction: Direction,
) -> Speech:
    _item_of(protocol, speech.item)
    bump_version(protocol, version)
    rows = list(Speech.objects.filter(item=speech.item_id).order_by("order", "pk"))
    _swap(rows, speech.pk, direction)
    _renumber(rows)
    record(
        actor=actor,
        protocol=protocol,
        action="speech_move",
        after={"speech": speech.pk, "direction": direction},
    )
    speech.refresh_from_db()
    return speech


def _swap(rows: list[Any], pk: int, direction: Direction) -> None:
    index = next(i for i, row in enumerate(rows) if row.pk == pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]


def _renumber(rows: Sequence[Speech | Decision]) -> None:
    """Give ``rows`` the orders 1…n, writing only those that change."""
    for n, row in enumerate(rows, start=1):
        if row.order != n:
            row.order = n
            row.save(update_fields=["order"])


# --- РЕШИЛИ ----------------------------------------------------------------------------------


def _votes(value: int | None, label: str) -> int | None:
    if value is not None and value < 0:
        raise ValidationError({label: "Число голосов не может быть отрицательным."})
    return value


@transaction.atomic
def decision_add(
    *,
    actor: User | None,
    protocol: Protocol,
    version: int | None,
    item: AgendaItem,
    text: str = "",
    after: Decision | None = None,
) -> Decision:
    """A new decision at the end of ``item`` (or right after ``after``), numbered by its
    place. A draft decision may be empty; submitting needs it complete."""
    _item_of(protocol, item)
    bump_version(protocol, version)
    rows = list(Decision.objects.filter(item=item).order_by("order", "pk"))
    decision = Decision(item=item, order=len(rows) + 1, text=text.strip())
    decision.save()
    if after is not None and after.item_id == item.pk:
        index = next((i for i, d in enumerate(rows) if d.pk == after.pk), len(rows) - 1)
        rows.insert(index + 1, decision)
        _renumber(rows)
    record(
        actor=actor,
        protocol=protocol,
        action="decision_add",
        after={"decision": decision.pk, "item": item.pk, "code": decision.code},
    )
    return decision


@transaction.atomic
def decision_update(
    *,
    actor: User | None,
    protocol: Protocol,
    version: int | None,
    decision: Decision,
    text: str,
    lead_executor: Organization | None = None,
    co_executors: Iterable[Organization] = (),
    deadline_text: str = "",
    due_on: dt.date | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstained: int | None = None,
    dissent: str = "",
    restricted: bool = False,
) -> Decision:
    """Save a decision. A deadline phrase that cannot be read is refused with the reason and
    nothing is written; a phrase that reads sets ``due_on`` to its (first) due date; without a
    phrase, ``due_on`` is the date picked."""
    _item_of(protocol, decision.item)
    co = [o for o in co_executors if lead_executor is None or o.pk != lead_executor.pk]
    deadline_text = " ".join(deadline_text.split())
    if deadline_text:
        result = read_deadline(deadline_text, meeting=protocol.meeting, protocol=protocol)
        if is_unreadable(result):
            raise ValidationError({"deadline_text": f"{decision.code}: {result.reason}"})
        due_on = first_due(result)
    for value, label in (
        (votes_for, "votes_for"),
        (votes_against, "votes_against"),
        (votes_abstained, "votes_abstained"),
    ):
        _votes(value, label)
    before = {
        "decision": decision.pk,
        **audit.snapshot(decision, DECISION_FIELDS),
        "co_executors": sorted(o.pk for o in decision.co_executors.all()),
    }
    bump_version(protocol, version)
    decision.text = text.strip()
    decision.lead_executor = lead_executor
    decision.deadline_text = deadline_text
    decision.due_on = due_on
    decision.votes_for = votes_for
    decision.votes_against = votes_against
    decision.votes_abstained = votes_abstained
    decision.dissent = dissent.strip()
    decision.restricted = restricted
    decision.save()
    decision.co_executors.set(co)
    after = {
        "decision": decision.pk,
        **audit.snapshot(decision, DECISION_FIELDS),
        "co_executors": sorted(o.pk for o in co),
    }
    if after != before:
        record(actor=actor, protocol=protocol, action="decision_update", before=before, after=after)
    return decision


@transaction.atomic
def decision_delete(
    *, actor: User | None, protocol: Protocol, version: int | None, decision: Decision
) -> None:
    _item_of(protocol, decision.item)
    bump_version(protocol, version)
    item = decision.item
    before = {"decision": decision.pk, "code": decision.code, "text": decision.text}
    decision.delete()
    _renumber(list(Decision.objects.filter(item=item).order_by("order", "pk")))
    record(actor=actor, protocol=protocol, action="decision_delete", before=before)


@transaction.atomic
def decision_move(
    *,
    actor: User | None,
    protocol: Protocol,
    version: int | None,
    decision: Decision,
    direction: Direction | None = None,
    to_item: AgendaItem | None = None,
) -> Decision:
    """Move a decision up or down within its item, or to the end of another item; both
    items are renumbered 1…n."""
    _item_of(protocol, decision.item)
    old_code = decision.code
    if to_item is not None and to_item.pk != decision.item_id:
        _item_of(protocol, to_item)
        bump_version(protocol, version)
        source = decision.item
        last = Decision.objects.filter(item=to_item).aggregate(m=Max("order"))["m"] or 0
        decision.item = to_item
        decision.order = last + 1
        decision.save(update_fields=["item", "order", "updated_at"])
        _renumber(list(Decision.objects.filter(item=source).order_by("order", "pk")))
    elif direction in ("up", "down"):
        bump_version(protocol, version)
        rows = list(Decision.objects.filter(item=decision.item_id).order_by("order", "pk"))
        _swap(rows, decision.pk, direction)
        _renumber(rows)
        decision.refresh_from_db()
    else:
        raise ValidationError("Укажите, куда переместить решение.")
    record(
        actor=actor,
        protocol=protocol,
        action="decision_move",
        before={"decision": decision.pk, "code": old_code},
        after={"decision": decision.pk, "code": decision.code},
    )
    return decision
