"""Stage 3 of ``generate_scale``: meetings, their bodies and protocols, agendas, decisions."""

from __future__ import annotations

import datetime as dt

from koordinator.core.scale import names, plan
from koordinator.core.scale.structure import World
from koordinator.core.scale.writer import Progress, Writer
from koordinator.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingBody,
    Protocol,
    ProtocolSignature,
)

MEETING_STATUS = {"held": "held", "announced": "announced", "draft": "draft"}


def build_meetings(world: World, progress: Progress, counts: dict[str, int]) -> None:
    writer = Writer(progress, counts)
    meetings = writer.table(
        Meeting,
        ("id", "kind", "format", "status", "starts_at", "ends_at", "timezone", "place",
         "vks_link", "presiding_id", "secretary_id", "agenda_approved_by_id",
         "agenda_approved_at", "ics_sequence", "created_at", "updated_at"),
    )  # fmt: skip
    links = writer.table(
        MeetingBody,
        ("id", "meeting_id", "body_id", "is_host", "order", "protocol_number", "protocol_period",
         "registered_at"),
    )  # fmt: skip
    protocols = writer.table(
        Protocol,
        ("id", "meeting_id", "form", "status", "restricted", "version", "corrections",
         "quorum_text", "submitted_at", "signed_at", "registered_at", "distributed_at",
         "created_at", "updated_at"),
    )  # fmt: skip
    signatures = writer.table(
        ProtocolSignature, ("id", "protocol_id", "body_id", "role", "person_id", "user_id",
                            "signed_at")
    )  # fmt: skip
    items = writer.table(
        AgendaItem,
        ("id", "meeting_id", "number", "kind", "title", "planned_question_id", "duration_minutes",
         "materials_due_on", "restricted", "heard_summary", "report_attached", "created_at",
         "updated_at"),
    )  # fmt: skip
    decisions = writer.table(
        Decision,
        ("id", "item_id", "order", "text", "lead_executor_id", "deadline_text", "due_on",
         "votes_for", "votes_against", "votes_abstained", "dissent", "restricted", "created_at",
         "updated_at"),
    )  # fmt: skip
    co_executors = writer.table(
        Decision.co_executors.through, ("id", "decision_id", "organization_id")
    )
    attendance = writer.table(
        Attendance,
        ("id", "meeting_id", "membership_id", "status", "substitute_name", "substitute_position",
         "absence_reason", "created_at", "updated_at"),
    )  # fmt: skip
    ids = plan.Ids()
    protocol_id = signature_id = co_id = attendance_id = 0
    progress.start("заседания", len(world.bodies))
    for body in world.bodies:
        place = f"зал заседаний ({body.short_name})"
        for m in plan.meetings(world, body, ids):
            created = m.starts_at - dt.timedelta(days=30)
            held = m.status == "held"
            approved_at = m.starts_at - dt.timedelta(days=7) if m.status != "draft" else None
            meetings.append(
                (m.id, "regular", "in_person", MEETING_STATUS[m.status], m.starts_at,
                 m.starts_at + dt.timedelta(hours=2), body.timezone, place, "",
                 body.chair_person, body.secretary_person,
                 body.chair_user if approved_at else None, approved_at, 0, created,
                 m.distributed_at or m.signed_at or m.starts_at)
            )  # fmt: skip
            links.append((m.id, m.id, body.id, True, 0, m.number,
                          m.local_date.year if m.number else None, m.distributed_at))  # fmt: skip
            present = 0
            if held:
                day = m.local_date
                marked = m.starts_at + dt.timedelta(hours=2)
                for n, (mid, since, until) in enumerate(body.seats):
                    if since > day or (until is not None and until < day):
                        continue
                    attendance_id += 1
                    # Someone misses each meeting (never the chair or the secretary: seats 0, 2).
                    absent = n > 2 and (m.id + n) % 7 == 0
                    present += not absent
                    attendance.append(
                        (attendance_id, m.id, mid, "absent" if absent else "present", "", "",
                         "командировка" if absent else "", marked, marked)
                    )  # fmt: skip
            if m.protocol is not None:
                protocol_id += 1
                status = m.protocol
                protocols.append(
                    (protocol_id, m.id, "full", status, m.restricted, 1, 0,
                     f"Присутствовали {present} из {body.members} членов; кворум имеется.",
                     m.signed_at, m.signed_at, m.distributed_at, m.distributed_at,
                     m.starts_at + dt.timedelta(hours=3),
                     m.distributed_at or m.signed_at or m.starts_at + dt.timedelta(hours=3))
                )  # fmt: skip
                if m.signed_at is not None:
                    for role, person, user in (
                        ("presiding", body.chair_person, body.chair_user),
                        ("secretary", body.secretary_person, body.secretary_user),
                    ):
                        signature_id += 1
                        signatures.append((signature_id, protocol_id, body.id, role, person,
                                           user, m.signed_at))  # fmt: skip
            for item in m.items:
                items.append(
                    (item.id, m.id, item.number, "regular", item.title, None, 20,
                     m.local_date - dt.timedelta(days=10), item.restricted,
                     names.HEARD if held else "", held, created, created)
                )  # fmt: skip
                for d in item.decisions:
                    decided = m.starts_at + dt.timedelta(hours=3)
                    decisions.append(
                        (d.id, item.id, d.order, d.text, d.lead, d.deadline_text,
                         d.points[0].due_on, None, None, None, "", d.restricted, decided,
                         decided)
                    )  # fmt: skip
                    if d.co is not None:
                        co_id += 1
                        co_executors.append((co_id, d.id, d.co))
        progress.advance()
        writer.maybe_flush()
    writer.flush()
    progress.finish()
