"""Quorum per body, by that body's regulation.

Members are counted on the meeting's date (the composition on that day). A member marked
present counts; a substitute counts only where the body's regulation says substitutes count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from koordinator.bodies.models import Body, Membership, QuorumRule
from koordinator.bodies.selectors import composition_on
from koordinator.meetings.models import Attendance, AttendanceStatus, Meeting
from koordinator.meetings.permissions import meeting_bodies

RULE_TEXT = {
    QuorumRule.MORE_THAN_HALF: "более половины",
    QuorumRule.HALF: "не менее половины",
    QuorumRule.TWO_THIRDS: "не менее двух третей",
}


def needed(rule: str, members: int) -> int:
    """The smallest number present that makes a quorum of ``members`` under ``rule``."""
    if members == 0:
        return 0
    if rule == QuorumRule.MORE_THAN_HALF:
        return members // 2 + 1
    share = Fraction(1, 2) if rule == QuorumRule.HALF else Fraction(2, 3)
    exact = share * members
    return int(exact) if exact.denominator == 1 else int(exact) + 1


@dataclass(frozen=True)
class BodyQuorum:
    body: Body
    members: int
    present: int
    substitutes: int
    counted: int
    needed: int

    @property
    def has_quorum(self) -> bool:
        return self.members > 0 and self.counted >= self.needed

    @property
    def text(self) -> str:
        """The line the protocol prints."""
        rule = RULE_TEXT[QuorumRule(self.body.quorum_rule)]
        state = "Кворум имеется" if self.has_quorum else "Кворума нет"
        subs = ""
        if self.substitutes:
            counted = "учитываются" if self.body.substitutes_count_for_quorum else "не учитываются"
            subs = f", замещающих лиц — {self.substitutes} ({counted} в кворуме)"
        return (
            f"{state}: присутствуют {self.present} из {self.members} членов "
            f"{self.body.short_name or self.body.name}{subs} (требуется {rule} — "
            f"{self.needed})."
        )


def quorum(
    meeting: Meeting,
    *,
    attendance: Sequence[Attendance] | None = None,
    members: Sequence[Membership] | None = None,
) -> list[BodyQuorum]:
    """Quorum of each of the meeting's bodies (a joint meeting checks each body).

    ``attendance`` (all the meeting's marks) and ``members`` (the memberships of all its
    bodies on its date, person and post joined) save their queries when the caller has them."""
    day = meeting.local_date
    if attendance is None:
        attendance = list(
            Attendance.objects.filter(meeting=meeting).only("membership_id", "status")
        )
    marks = {a.membership_id: a.status for a in attendance}
    by_body: dict[int, list[Membership]] | None = None
    if members is not None:
        by_body = {}
        for m in members:
            by_body.setdefault(m.post.body_id, []).append(m)
    out = []
    for body in meeting_bodies(meeting):
        seats = composition_on(body, day) if by_body is None else by_body.get(body.pk, [])
        present = sum(1 for m in seats if marks.get(m.pk) == AttendanceStatus.PRESENT)
        subs = sum(1 for m in seats if marks.get(m.pk) == AttendanceStatus.SUBSTITUTE)
        counted = present + (subs if body.substitutes_count_for_quorum else 0)
        out.append(
            BodyQuorum(
                body=body,
                members=len(seats),
                present=present,
                substitutes=subs,
                counted=counted,
                needed=needed(body.quorum_rule, len(seats)),
            )
        )
    return out


def has_quorum(meeting: Meeting) -> bool:
    return all(q.has_quorum for q in quorum(meeting))


def may_decide(results: list[BodyQuorum]) -> bool:
    """Decisions need a quorum in every body, unless that body's regulation allows them
    without one."""
    return all(q.has_quorum or q.body.decisions_without_quorum for q in results)
