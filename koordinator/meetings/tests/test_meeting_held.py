"""A meeting becomes «состоялось» when its protocol goes to signature."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from koordinator.conftest import Cast
from koordinator.core.models import AuditRecord
from koordinator.meetings import services_meeting
from koordinator.meetings.models import Meeting, MeetingStatus


def test_marking_held_is_audited_and_idempotent(cast: Cast, meeting: Meeting) -> None:
    services_meeting.meeting_mark_held(actor=cast.secretary, meeting=meeting)
    services_meeting.meeting_mark_held(actor=cast.secretary, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert AuditRecord.objects.filter(action="meeting.held", target_id=str(meeting.pk)).count() == 1


def test_a_cancelled_meeting_cannot_be_held(cast: Cast, meeting: Meeting) -> None:
    services_meeting.meeting_cancel(actor=cast.secretary, meeting=meeting, reason="перенос")
    with pytest.raises(ValidationError, match="Заседание отменено"):
        services_meeting.meeting_mark_held(actor=cast.secretary, meeting=meeting)
