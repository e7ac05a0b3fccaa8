"""Registering an incoming instruction by hand, and laying out control points."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from koordinator.conftest import Cast
from koordinator.control import services
from koordinator.control.models import Assignment, ControlPoint, Source
from koordinator.control.tests.conftest import Control
from koordinator.core.models import AuditRecord
from koordinator.core.testing import factories as f
from koordinator.deadlines import Deadline, Unreadable

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def counts() -> tuple[int, int, int]:
    return Assignment.objects.count(), ControlPoint.objects.count(), AuditRecord.objects.count()


def scan(name: str = "поручение.pdf", size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%" * size, content_type="application/pdf")


def register(cast: Cast, **kw: Any) -> Assignment:
    from django.utils import timezone

    params: dict[str, Any] = {
        "actor": cast.secretary,
        "body": cast.body,
        "number": " 3.1 ",
        "document": "поручение АТК области от 01.11.2026 № 12",
        "document_date": timezone.localdate() - 10 * DAY,
        "issuer": "  АТК   области ",
        "text": "Провести сверку списков мигрантов.\n",
        "lead_executor": cast.police,
    }
    params.update(kw)
    return services.assignment_register(**params)


def test_register_an_instruction_with_its_scan(cast: Cast) -> None:
    other = f.OrganizationFactory.create(name="Управление образования")
    document_date = dt.date.today() - 10 * DAY
    assignment = register(
        cast,
        document_date=document_date,
        due_on=document_date + 40 * DAY,
        co_executors=[other, cast.police],
        restricted=True,
        file=scan(),
    )
    assert assignment.source == Source.INSTRUCTION and assignment.body == cast.body
    assert (assignment.number, assignment.issuer) == ("3.1", "АТК области")
    assert assignment.text == "Провести сверку списков мигрантов."
    assert assignment.issued_on == document_date and assignment.restricted
    assert assignment.created_by == cast.secretary
    assert list(assignment.co_executors.all()) == [other]  # the lead is not its own co-executor
    assert str(assignment.file.name).endswith(".pdf") and assignment.file.size == 100
    point = ControlPoint.objects.get(assignment=assignment)
    assert point.due_on == point.original_due_on == document_date + 40 * DAY
    audit = AuditRecord.objects.get(action="assignment.register")
    after = audit.after or {}
    assert audit.actor == cast.secretary and after["co_executors"] == [str(other)]
    assert after["document_date"] == document_date.isoformat()


def test_deadline_in_words_counts_from_the_document_date(cast: Cast) -> None:
    document_date = dt.date.today() - 10 * DAY
    assignment = register(
        cast, document_date=document_date, deadline_text="в течение 10 рабочих дней"
    )
    expected = services.read("в течение 10 рабочих дней", issued_on=document_date, body=cast.body)
    assert isinstance(expected, Deadline)
    assert [p.due_on for p in assignment.points.all()] == [expected.due]
    assert assignment.deadline_text == "в течение 10 рабочих дней"
    assert not assignment.is_periodic

    plain = register(cast, number="3.2", document_date=document_date)
    month = services.read("", issued_on=document_date, body=cast.body)
    assert isinstance(month, Deadline)
    assert [p.due_on for p in plain.points.all()] == [month.due]


def test_document_without_a_name_gets_one(cast: Cast) -> None:
    document_date = dt.date.today() - DAY
    assignment = register(cast, document=" ", document_date=document_date)
    assert assignment.document == f"поручение от {document_date:%d.%m.%Y} № 3.1"


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"text": "  \n"}, "text", "Укажите содержание поручения"),
        ({"number": "  "}, "number", "Укажите номер"),
        ({"issuer": ""}, "issuer", "Укажите, кем дано"),
        ({"document_date": dt.date.today() + DAY}, "document_date", "не может быть позже"),
        (
            {"due_on": dt.date.today() - 20 * DAY},
            "due_on",
            "Срок не может быть раньше даты документа",
        ),
        (
            {"due_on": dt.date.today() + DAY, "deadline_text": "до 01.12.2030"},
            "due_on",
            "либо датой, либо словами",
        ),
        ({"file": scan("вирус.exe")}, "file", "Файлы типа «exe» не принимаются"),
        ({"file": scan(size=0)}, "file", "Файл пустой"),
    ],
)
def test_bad_input_writes_nothing(cast: Cast, kw: dict[str, Any], field: str, message: str) -> None:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        register(cast, **kw)
    assert message in " ".join(caught.value.message_dict[field])
    assert counts() == before


def test_unreadable_deadline_gives_the_readers_reason(cast: Cast) -> None:
    phrase = "как только, так сразу"
    document_date = dt.date.today() - 10 * DAY
    reason = services.read(phrase, issued_on=document_date, body=cast.body)
    assert isinstance(reason, Unreadable)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        register(cast, document_date=document_date, deadline_text=phrase)
    assert caught.value.message_dict["deadline_text"] == [f"Срок не распознан: {reason.reason}"]
    assert counts() == before


@override_settings(UPLOAD_MAX_MB=1)
def test_file_over_the_limit_writes_nothing(cast: Cast) -> None:
    before = counts()
    with pytest.raises(ValidationError, match=r"больше допустимого: 1\.5 МБ при пределе 1 МБ"):
        register(cast, file=scan(size=1536 * 1024))
    assert counts() == before


# --- control points of periodic assignments --------------------------------------------------


def test_open_ended_periodic_points_reach_the_horizon(control: Control) -> None:
    assignment = control.periodic
    assert assignment.is_periodic and assignment.ends_on is None
    points = list(assignment.points.all())
    horizon = control.today + services.HORIZON
    assert len(points) >= 4
    assert all(p.period_start and p.period_end for p in points)
    assert points[-1].due_on <= horizon
    deadline = services.read(
        assignment.deadline_text, issued_on=assignment.issued_on, body=assignment.body
    )
    assert isinstance(deadline, Deadline)
    following = deadline.control_points(1, after=points[-1].original_due_on)
    assert following[0].due > horizon


def test_extend_schedules_adds_the_next_periods_once(control: Control) -> None:
    assignment = control.periodic
    first = list(assignment.points.values_list("original_due_on", flat=True))
    assert services.extend_schedules(today=control.today) == 0  # still far from the horizon

    later = control.today + 200 * DAY
    added = services.extend_schedules(today=later)
    assert added >= 1
    dues = list(assignment.points.values_list("original_due_on", flat=True))
    assert dues[: len(first)] == first and len(dues) == len(first) + added
    assert len(set(dues)) == len(dues)
    assert max(dues) <= later + services.HORIZON
    assert services.extend_schedules(today=later) == 0  # the same day again: nothing new
    assert assignment.points.count() == len(dues)
    # One-off assignments and removed ones are left alone.
    assert control.one_off.points.count() == 1


def test_schedule_does_not_duplicate_existing_points(control: Control) -> None:
    assignment = control.periodic
    deadline = services.read(
        assignment.deadline_text, issued_on=assignment.issued_on, body=assignment.body
    )
    assert isinstance(deadline, Deadline)
    count = assignment.points.count()
    assert services.schedule(assignment, deadline, today=control.today) == 0
    assert assignment.points.count() == count
