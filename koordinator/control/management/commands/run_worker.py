"""``manage.py run_worker``: the background worker of Koordinator.

Before it starts ``manage.py db_worker`` (django-tasks-db) it

- marks ``unknown`` every outbox message left in ``sending`` by a worker that was stopped
  mid-send (claimed before this start: it is never sent again, see ``control.outbox``);
- makes sure a ``daily_sweep`` is waiting (one to run now if there is none);
- enqueues ``send_outbox`` once, for what is pending.

Run one worker per installation (a second one started later would take the first one's
message in flight for interrupted; that message is still marked sent when the first finishes).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from koordinator.control import outbox, tasks


class Command(BaseCommand):
    help = "Фоновый обработчик: напоминания о сроках и отправка писем из очереди."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Пауза между проверками очереди, секунд (по умолчанию 1).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Выполнить то, что уже в очереди, и выйти.",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Перезапускаться при изменении кода (только для разработки).",
        )
        parser.add_argument("--worker-id", default=None, help="Имя обработчика (уникальное).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not tasks.uses_database_queue():
            raise CommandError(
                "Фоновый обработчик работает с очередью в базе данных: "
                "TASKS_BACKEND должен быть django_tasks_db.DatabaseBackend."
            )
        started = timezone.now()
        interrupted = outbox.mark_interrupted(before=started)
        if interrupted:
            self.stderr.write(
                f"Писем, отправка которых была прервана (не повторяются): {interrupted}."
            )
        when = tasks.schedule_daily_sweep()
        tasks.send_outbox.enqueue()
        self.stderr.write(
            f"Ежедневный обход: {timezone.localtime(when):%d.%m.%Y %H:%M}. Обработчик запущен."
        )
        worker: dict[str, Any] = {
            "interval": options["interval"],
            "batch": options["batch"],
            "reload": options["reload"],
            "verbosity": options["verbosity"],
            "startup_delay": False,
        }
        if options["worker_id"]:
            worker["worker_id"] = options["worker_id"]
        call_command("db_worker", **worker)
