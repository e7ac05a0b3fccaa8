"""The meetings' fixtures (``meeting``, ``joint_meeting``) for the document tests."""

from koordinator.meetings.tests.conftest import joint_meeting, meeting

__all__ = ["joint_meeting", "meeting"]
