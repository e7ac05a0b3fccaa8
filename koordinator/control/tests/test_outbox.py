"""The outbox: written in the change's transaction, sent at most once through a real SMTP
server; a mail server that is down only delays the mail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from koordinator.conftest import Cast
from koordinator.control import outbox, services_reports, tasks
from koordinator.control.models import OutboxMessage, OutboxState, ReportKind
from koordinator.control.tests.conftest import Control
from koordinator.control.tests.test_reminders import EXECUTOR, Inbox, _subject, free_port, smtp

__all__ = ["smtp"]  # the fixture, used here too


def message(n: int, to: str = EXECUTOR) -> OutboxMessage:
    return OutboxMessage.objects.create(
        key=f"test:{n}", kind="test", recipients=[to], subject=f"Письмо {n}", text="Текст"
    )


def _returned(cast: Cast, control: Control) -> Any:
    point = control.point(control.one_off)
    report = services_reports.report_submit(
        actor=cast.executor,
        point=point,
        organization=cast.police,
        kind=ReportKind.FINAL,
        text="Рейды проведены.",
    )
    return services_reports.report_return(
        actor=cast.secretary, report=report, comment="Приложите справку."
    )


def test_report_return_writes_the_outbox_in_its_transaction(cast: Cast, control: Control) -> None:
    cast.executor.email = EXECUTOR
    cast.executor.save(update_fields=["email"])
    before = OutboxMessage.objects.count()
    written: list[int] = []

    def change_then_fail() -> None:
        with transaction.atomic():
            _returned(cast, control)
            written.append(OutboxMessage.objects.count())
            raise RuntimeError("откат")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert written[0] > before
    assert OutboxMessage.objects.count() == before
    _returned(cast, control)
    assert any(EXECUTOR in m.recipients for m in OutboxMessage.objects.all())


def test_sends_each_once(smtp: Inbox, db: None) -> None:
    for n in range(3):
        message(n)
    assert outbox.send_pending() == 3
    assert outbox.send_pending() == 0
    assert sorted(_subject(m) for _, m in smtp.messages) == ["Письмо 0", "Письмо 1", "Письмо 2"]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}


def test_server_down_leaves_messages_pending(db: None) -> None:
    message(1)
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),  # nothing listens there
        EMAIL_TIMEOUT=2,
    ):
        assert outbox.send_pending() == 0
    stored = OutboxMessage.objects.get()
    assert stored.state == OutboxState.PENDING and stored.claimed_at is None


def test_server_down_then_up_sends_later(db: None) -> None:
    message(1)
    inbox = Inbox()
    port = free_port()
    settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_TIMEOUT": 2,
    }
    with override_settings(**settings):
        assert outbox.send_pending() == 0
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            assert outbox.send_pending() == 1
        finally:
            controller.stop()
    assert len(inbox.messages) == 1
    assert OutboxMessage.objects.get().state == OutboxState.SENT


class Refusing(Inbox):
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("nobody@"):
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_refused_recipient_is_failed_and_others_go_on(db: None) -> None:
    message(1, to="nobody@police.example")
    message(2)
    inbox = Refusing()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ):
            assert outbox.send_pending() == 1
    finally:
        controller.stop()
    states = dict(OutboxMessage.objects.values_list("key", "state"))
    assert states == {"test:1": OutboxState.FAILED, "test:2": OutboxState.SENT}
    assert len(inbox.messages) == 1


def test_interrupted_message_is_never_resent(smtp: Inbox, db: None) -> None:
    claimed = message(1)
    OutboxMessage.objects.filter(pk=claimed.pk).update(
        state=OutboxState.SENDING, claimed_at=timezone.now() - dt.timedelta(seconds=5)
    )
    message(2)
    outbox.send_pending()  # a fresh claim is not yet taken for interrupted
    assert OutboxMessage.objects.get(pk=claimed.pk).state == OutboxState.SENDING
    assert outbox.mark_interrupted(before=timezone.now()) == 1  # a worker's start
    outbox.send_pending()
    claimed.refresh_from_db()
    assert claimed.state == OutboxState.UNKNOWN and "не повторяется" in claimed.error
    assert len(smtp.messages) == 1  # only message 2


def test_stale_claim_is_marked_unknown(db: None) -> None:
    stale = message(1)
    OutboxMessage.objects.filter(pk=stale.pk).update(
        state=OutboxState.SENDING, claimed_at=timezone.now() - outbox.STALE_CLAIM * 2
    )
    assert outbox.mark_interrupted() == 1
    assert OutboxMessage.objects.get().state == OutboxState.UNKNOWN


@pytest.fixture
def database_queue() -> Iterator[None]:
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        yield


def test_only_one_daily_sweep_waits(db: None, database_queue: None) -> None:
    at = tasks.next_sweep_time()
    assert tasks.schedule_daily_sweep(at) == at
    assert tasks.schedule_daily_sweep(at + dt.timedelta(days=1)) == at
    assert tasks.schedule_daily_sweep() == at
    waiting = DBTaskResult.objects.filter(
        task_path=tasks.daily_sweep.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1


def test_daily_sweep_schedules_tomorrow(db: None, database_queue: None) -> None:
    result = tasks.daily_sweep.call()
    assert result["next_run"] == tasks.next_sweep_time().isoformat()
    paths = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).values_list(
            "task_path", flat=True
        )
    )
    assert sorted(paths) == sorted([tasks.daily_sweep.module_path, tasks.send_outbox.module_path])


def test_admin_lists_the_outbox_read_only(db: None, client: Any) -> None:
    from koordinator.core.testing import factories as f

    admin_user = f.UserFactory.create(username="root", is_staff=True, is_superuser=True)
    message(1)
    OutboxMessage.objects.filter(key="test:1").update(state=OutboxState.UNKNOWN)
    client.force_login(admin_user)
    page = client.get("/admin/control/outboxmessage/?state__exact=unknown")
    assert page.status_code == 200
    assert "Письмо 1" in page.content.decode()
    pk = OutboxMessage.objects.get().pk
    assert client.get(f"/admin/control/outboxmessage/{pk}/change/").status_code == 200
    assert client.get("/admin/control/outboxmessage/add/").status_code == 403
    for name in ("assignment", "controlpoint", "report"):
        assert client.get(f"/admin/control/{name}/").status_code == 200
    client.logout()
    assert client.get("/admin/control/outboxmessage/").status_code == 302
