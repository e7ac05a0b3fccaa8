"""Reminders about deadlines (``control.reminders.sweep``), sent through a real SMTP server
(aiosmtpd on 127.0.0.1): the right mail on the right day, once, and never a restricted text."""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from koordinator.conftest import Cast
from koordinator.control import outbox, reminders, tasks
from koordinator.control.models import ControlPoint, OutboxMessage, OutboxState
from koordinator.control.tests.conftest import Control, register

SECRET = "Усилить охрану объекта «Водозабор-2» (ДСП)"
EXECUTOR = "executor@police.example"
SECRETARY = "secretary@atk.example"


@dataclass
class Inbox:
    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"

    def about(self, needle: str) -> list[tuple[list[str], Message]]:
        return [(r, m) for r, m in self.messages if needle in _subject(m)]


def _subject(message: Message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def _text(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_TIMEOUT=5,
            DEFAULT_FROM_EMAIL="atk@enskaya-oblast.example",
        ):
            yield inbox
    finally:
        controller.stop()


@pytest.fixture
def addressed(cast: Cast, control: Control) -> Control:
    cast.executor.email = EXECUTOR
    cast.executor.save(update_fields=["email"])
    cast.secretary.email = SECRETARY
    cast.secretary.save(update_fields=["email"])
    return control


def run(day: dt.date) -> dict[str, int]:
    counts = reminders.sweep(today=day)
    outbox.send_pending()
    return counts


def due(control: Control) -> dt.date:
    return control.point(control.one_off).due_on


def not_monday(day: dt.date) -> bool:
    return day.weekday() != 0


def test_before_and_overdue_on_their_days(smtp: Inbox, addressed: Control) -> None:
    title = addressed.one_off.title
    on = due(addressed)
    expected = {-8: 0, -7: 1, -6: 1, -2: 1, -1: 2, 0: 2, 1: 3, 2: 3}
    for offset, total in expected.items():
        run(on + dt.timedelta(days=offset))
        assert len(smtp.about(title)) == total, offset
    first, second, late = smtp.about(title)
    assert first[0] == [EXECUTOR] and "осталось 7 дней" in _text(first[1])
    assert second[0] == [EXECUTOR] and "осталось 1 день" in _text(second[1])
    assert _subject(late[1]).startswith("Просрочено")
    assert sorted(late[0]) == [EXECUTOR, SECRETARY]
    assert addressed.one_off.text in _text(first[1])


def test_monday_digest_once_a_week(smtp: Inbox, addressed: Control) -> None:
    today = addressed.today
    monday = today + dt.timedelta(days=7 - today.weekday())
    run(monday)
    run(monday)
    digests = smtp.about("Еженедельная сводка")
    assert len(digests) == 1
    rcpt, message = digests[0]
    assert rcpt == [EXECUTOR]
    text = _text(message)
    assert addressed.one_off.title in text and addressed.periodic.title in text
    assert addressed.foreign.title not in text  # another agency's
    run(monday + dt.timedelta(days=1))
    assert len(smtp.about("Еженедельная сводка")) == 1
    run(monday + dt.timedelta(days=7))
    assert len(smtp.about("Еженедельная сводка")) == 2


@pytest.mark.parametrize("switch", ["remind_before", "remind_overdue", "weekly_digest"])
def test_each_switched_off_per_body(
    smtp: Inbox, cast: Cast, addressed: Control, switch: str
) -> None:
    setattr(cast.body, switch, False)
    cast.body.save(update_fields=[switch])
    on = due(addressed)
    days = [on - dt.timedelta(days=7), on - dt.timedelta(days=1), on + dt.timedelta(days=1)]
    monday = addressed.today + dt.timedelta(days=7 - addressed.today.weekday())
    for day in [*days, monday]:
        run(day)
    kinds = set(OutboxMessage.objects.values_list("kind", flat=True))
    off = {"remind_before": "reminder", "remind_overdue": "overdue", "weekly_digest": "digest"}
    assert off[switch] not in kinds
    assert kinds == set(off.values()) - {off[switch]}


def test_sweep_twice_writes_nothing_new(smtp: Inbox, addressed: Control) -> None:
    day = due(addressed) - dt.timedelta(days=1)
    first = reminders.sweep(today=day)
    count = OutboxMessage.objects.count()
    second = reminders.sweep(today=day)
    assert first["before"] >= 1
    assert second["before"] == second["overdue"] == 0
    assert OutboxMessage.objects.count() == count
    outbox.send_pending()
    outbox.send_pending()
    assert len(smtp.about(addressed.one_off.title)) == 1


def test_missed_days_are_caught_up_once(smtp: Inbox, addressed: Control) -> None:
    title = addressed.one_off.title
    on = due(addressed)
    run(on - dt.timedelta(days=5))  # the worker was down on day −7
    assert len(smtp.about(title)) == 1
    assert "осталось 5 дней" in _text(smtp.about(title)[0][1])
    run(on - dt.timedelta(days=3))
    assert len(smtp.about(title)) == 1
    run(on + dt.timedelta(days=3))  # down on day −1 and on the overdue day
    late = smtp.about(title)
    assert len(late) == 2 and _subject(late[1][1]).startswith("Просрочено")
    run(on + dt.timedelta(days=4))
    assert len(smtp.about(title)) == 2


def test_moved_deadline_reminds_again(smtp: Inbox, addressed: Control) -> None:
    title = addressed.one_off.title
    on = due(addressed)
    run(on - dt.timedelta(days=1))
    assert len(smtp.about(title)) == 1
    new_due = on + dt.timedelta(days=20)
    ControlPoint.objects.filter(pk=addressed.point(addressed.one_off).pk).update(due_on=new_due)
    run(new_due - dt.timedelta(days=7))
    run(new_due - dt.timedelta(days=1))
    assert len(smtp.about(title)) == 3
    run(on + dt.timedelta(days=1))  # the old date passed: not overdue any more
    assert not [m for _, m in smtp.about(title) if _subject(m).startswith("Просрочено")]


def test_restricted_text_never_in_a_mail(smtp: Inbox, cast: Cast, addressed: Control) -> None:
    secret = register(
        cast,
        lead=cast.police,
        number="3.1",
        text=SECRET,
        due_on=addressed.today + dt.timedelta(days=3),
        restricted=True,
    )
    on = secret.points.get().due_on
    monday = addressed.today + dt.timedelta(days=7 - addressed.today.weekday())
    for day in sorted({on - dt.timedelta(days=1), on + dt.timedelta(days=1), monday}):
        run(day)
    about = smtp.about(secret.title)
    assert len(about) >= 2
    assert _subject(about[-1][1]).startswith("Просрочено")
    digest = smtp.about("Еженедельная сводка")
    assert digest and secret.title in _text(digest[0][1])
    for _, message in smtp.messages:
        assert "Водозабор" not in _text(message)
        assert "Водозабор" not in _subject(message)
    assert "ДСП" in _text(about[0][1])


def test_sweep_queries_do_not_grow_with_points(addressed: Control) -> None:
    one_off = addressed.one_off
    on = due(addressed)
    day = on - dt.timedelta(days=1)

    def add(n: int, start: int) -> None:
        ControlPoint.objects.bulk_create(
            ControlPoint(
                assignment=one_off,
                due_on=on + dt.timedelta(days=(i % 2)),
                original_due_on=on + dt.timedelta(days=1000 + i),
            )
            for i in range(start, start + n)
        )

    def queries() -> tuple[int, int]:
        OutboxMessage.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            counts = reminders.sweep(today=day)
        return len(ctx.captured_queries), counts["before"]

    reminders.sweep(today=day)  # the periodic schedules extended once for all
    add(5, 0)
    few, written_few = queries()
    add(10, 5)
    many, written_many = queries()
    assert written_many == written_few + 10
    assert many == few


def test_daily_sweep_task_sweeps_and_sends(smtp: Inbox, addressed: Control) -> None:
    result = tasks.daily_sweep.enqueue()
    assert result.return_value is not None
    assert "next_run" in result.return_value
    assert OutboxMessage.objects.exclude(state=OutboxState.PENDING).count() == (
        OutboxMessage.objects.count()
    )


def test_next_sweep_is_tomorrow_at_seven_local() -> None:
    now = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)  # 01:30 on 1 April in Moscow
    when = tasks.next_sweep_time(now)
    assert when.date() == dt.date(2026, 4, 2) and when.hour == 7
    assert when.utcoffset() == dt.timedelta(hours=3)


def test_small_batches_write_the_same(
    smtp: Inbox, addressed: Control, monkeypatch: pytest.MonkeyPatch
) -> None:
    on = due(addressed)
    days = [on + dt.timedelta(days=n) for n in (-7, -1, 1)]
    for day in days:
        reminders.sweep(today=day)
    whole = set(OutboxMessage.objects.values_list("key", flat=True))
    OutboxMessage.objects.all().delete()
    monkeypatch.setattr(reminders, "BATCH", 2)
    for day in days:
        reminders.sweep(today=day)
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == whole
    assert len(whole) >= 3
