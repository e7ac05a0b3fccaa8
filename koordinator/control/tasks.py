"""Background work of execution control, run by the worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from koordinator.control import outbox


@task()
def send_outbox() -> int:
    """Send what the outbox holds; see :func:`outbox.send_pending`."""
    return outbox.send_pending()
