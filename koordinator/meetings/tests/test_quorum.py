"""Quorum per body by its regulation."""

from __future__ import annotations

import pytest

from koordinator.bodies import services as body_services
from koordinator.conftest import Cast
from koordinator.core.testing import factories as f
from koordinator.meetings.models import Attendance, Meeting
from koordinator.meetings.quorum import needed, quorum


@pytest.mark.parametrize(
    ("rule", "members", "expected"),
    [
        ("more_than_half", 10, 6),
        ("more_than_half", 9, 5),
        ("half", 10, 5),
        ("half", 9, 5),
        ("two_thirds", 9, 6),
        ("two_thirds", 10, 7),
        ("more_than_half", 0, 0),
    ],
)
def test_needed(rule: str, members: int, expected: int) -> None:
    assert needed(rule, members) == expected


def test_quorum_counts_substitutes_only_where_the_regulation_says(
    cast: Cast, meeting: Meeting
) -> None:
    extra = [f.add_member(cast.body) for _ in range(2)]  # 5 members in all
    Attendance.objects.create(meeting=meeting, membership=cast.chair_membership, status="present")
    Attendance.objects.create(meeting=meeting, membership=extra[0], status="present")
    Attendance.objects.create(
        meeting=meeting, membership=extra[1], status="substitute", substitute_name="Иванов И.И."
    )
    (q,) = quorum(meeting)
    assert (q.members, q.present, q.substitutes, q.needed) == (5, 2, 1, 3)
    assert not q.has_quorum and q.text.startswith("Кворума нет")
    body_services.body_update(actor=None, body=cast.body, substitutes_count_for_quorum=True)
    meeting.refresh_from_db()
    (q,) = quorum(meeting)
    assert q.has_quorum and "учитываются в кворуме" in q.text


def test_joint_meeting_checks_each_body(cast: Cast, joint_meeting: Meeting) -> None:
    results = quorum(joint_meeting)
    assert next(r.body for r in results) == cast.region_body
    assert len(results) == 2
