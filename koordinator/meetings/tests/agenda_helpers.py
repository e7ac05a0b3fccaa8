"""What the agenda's page and API tests share: who may only read, who is outside, a PDF to
upload, the first item."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from koordinator.meetings.models import AgendaItem, Meeting

READ_ONLY = ["member", "observer", "chair"]
OUTSIDERS = ["outsider", "executor"]


def pdf(name: str = "справка.pdf", size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%" * size, content_type="application/pdf")


def first(meeting: Meeting) -> AgendaItem:
    return meeting.items.get(number=1)
