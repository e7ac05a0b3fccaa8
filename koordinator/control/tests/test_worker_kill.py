"""At most once, for real: a worker process (``manage.py run_worker``) is killed (SIGKILL) in
the middle of sending a mail, a new worker is started, and the SMTP server has received each
mail exactly once. The interrupted mail is marked ``unknown`` by the new worker's start (no
waiting for ``outbox.STALE_CLAIM``) and is not sent again.

The processes run the development settings on an SQLite file in a temporary directory, with
the database task queue and the SMTP backend pointed at an aiosmtpd server of the test.
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from koordinator.control.tests.test_reminders import free_port

N = 6
BLOCK_ON = 2  # the server holds its reply to this message until the worker is killed
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


class Holding:
    """Records every message, then holds the reply to message ``BLOCK_ON`` (the first time)."""

    def __init__(self) -> None:
        self.subjects: list[str] = []
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        subject = str(email.message_from_bytes(envelope.content)["Subject"])
        self.subjects.append(subject)
        if subject == f"kill-test {BLOCK_ON}" and not self.holding.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 OK"


@pytest.fixture
def server() -> Iterator[tuple[Holding, int]]:
    handler = Holding()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        handler.release.set()
        controller.stop()


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"не дождались: {what}")


def test_killed_worker_sends_each_mail_once(tmp_path: Path, server: tuple[Holding, int]) -> None:
    handler, port = server
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="koordinator.settings",
        KOORDINATOR_ENV="development",
        DATA_DIR=str(tmp_path),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="0",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    env.pop("TIME_ZONE", None)

    def manage(*args: str) -> None:
        subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, MANAGE, *args], env=env, check=True, capture_output=True, timeout=60
        )

    manage("migrate", "--noinput")
    manage(
        "shell",
        "-c",
        "from koordinator.control.models import OutboxMessage as M\n"
        f"for n in range({N}):\n"
        "    M.objects.create(key=f'kill:{n}', kind='test', recipients=['to@example.org'],"
        " subject=f'kill-test {n}', text='text')",
    )
    database = tmp_path / "koordinator.sqlite3"

    def states() -> dict[str, str]:
        with sqlite3.connect(database, timeout=10) as db:
            return dict(db.execute("select key, state from control_outboxmessage").fetchall())

    def worker(name: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"{name}.log").open("wb")
        return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, MANAGE, "run_worker", "--interval", "0.2", "--worker-id", name],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    first = worker("first")
    try:
        wait_for(handler.holding.is_set, 20, "письмо на сервере")
        assert states()[f"kill:{BLOCK_ON}"] == "sending"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    handler.release.set()

    second = worker("second")
    try:
        wait_for(lambda: not {"pending", "sending"} & set(states().values()), 20, "очередь пуста")
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(10)
        except subprocess.TimeoutExpired:
            second.kill()
            second.wait(5)

    assert sorted(handler.subjects) == sorted(f"kill-test {n}" for n in range(N)), (
        tmp_path / "first.log"
    ).read_text() + (tmp_path / "second.log").read_text()
    final = states()
    assert final.pop(f"kill:{BLOCK_ON}") == "unknown"
    assert set(final.values()) == {"sent"}
