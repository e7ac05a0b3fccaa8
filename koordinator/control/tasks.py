"""Background work of execution control, run by the worker (``manage.py run_worker``, which
runs ``manage.py db_worker`` of django-tasks-db).

- ``send_outbox`` sends the outbox (:func:`outbox.send_pending`); every change that writes a
  message enqueues it on commit;
- ``daily_sweep`` writes the day's reminders (:func:`reminders.sweep`), enqueues
  ``send_outbox`` and schedules itself for tomorrow at :data:`SWEEP_AT` local time. There is
  only ever one ``daily_sweep`` waiting (:func:`schedule_daily_sweep`).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from koordinator.control import outbox, reminders

SWEEP_AT = dt.time(7, 0)


@task()
def send_outbox() -> int:
    """Send what the outbox holds; see :func:`outbox.send_pending`."""
    return outbox.send_pending()


@task()
def daily_sweep() -> dict[str, Any]:
    """The day's reminders and periodic schedules, then the mail, then tomorrow's run."""
    counts: dict[str, Any] = {}
    try:
        counts.update(reminders.sweep())
    finally:  # a failed sweep (logged by the worker) does not stop tomorrow's
        send_outbox.enqueue()
        counts["next_run"] = schedule_daily_sweep(next_sweep_time()).isoformat()
    return counts


def next_sweep_time(now: dt.datetime | None = None) -> dt.datetime:
    """Tomorrow at :data:`SWEEP_AT` in ``settings.TIME_ZONE``."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = (now or timezone.now()).astimezone(zone)
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), SWEEP_AT, tzinfo=zone)


def uses_database_queue() -> bool:
    return str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db.")


def _pending_sweeps() -> Any:
    """Waiting ``daily_sweep`` runs in the database backend (None for another backend)."""
    if not uses_database_queue():
        return None
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=daily_sweep.module_path, status=TaskResultStatus.READY
    )


def schedule_daily_sweep(run_after: dt.datetime | None = None) -> dt.datetime:
    """Enqueue a ``daily_sweep`` at ``run_after`` (now if None) unless one is already
    waiting; the time of the waiting one."""
    pending = _pending_sweeps()
    if pending is None:  # the immediate backend of the tests: nothing waits
        when = run_after or timezone.now()
        if run_after is None:
            daily_sweep.enqueue()
        return when
    with transaction.atomic():
        waiting = pending.select_for_update().order_by("run_after").first()
        if waiting is not None:
            return waiting.run_after
        if run_after is None:
            result = daily_sweep.enqueue()
            return result.task.run_after or timezone.now()
        daily_sweep.using(run_after=run_after).enqueue()
        return run_after
