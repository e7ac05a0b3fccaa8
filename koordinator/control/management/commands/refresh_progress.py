"""``manage.py refresh_progress``: recompute every assignment's summary of its control points.

The triggers of ``control/progress.py`` keep ``next_due``, ``owed_due`` and ``progress`` as
the points change. A database loaded with the triggers switched off (``pg_restore
--disable-triggers``, a copy made by hand) needs this once; it changes nothing on a database
whose summaries are right, and says how many assignments it corrected.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from koordinator.control import progress
from koordinator.control.models import Assignment


def _summaries() -> dict[int, tuple[Any, ...]]:
    return {row[0]: row[1:] for row in Assignment.objects.values_list("pk", *progress.COLUMNS)}


class Command(BaseCommand):
    help = (
        "Пересчитать по всем поручениям сводку их контрольных сроков (после восстановления базы)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            before = _summaries()
            with connection.cursor() as cursor:
                cursor.execute(progress.REFRESH_ALL)
            after = _summaries()
        changed = sum(1 for pk, row in after.items() if before.get(pk) != row)
        self.stdout.write(f"Поручений: {len(after)}; исправлено сводок: {changed}.")
