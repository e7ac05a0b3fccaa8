"""``manage.py generate_scale --factor F --seed S``: a national-scale dataset for benchmarks.

For an empty, disposable database (it refuses to run on one that holds bodies, meetings or
assignments, and in production). See :mod:`koordinator.core.scale`.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from koordinator.core import scale

MAX_FACTOR = 10.0


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Дата в формате ГГГГ-ММ-ДД, например 2026-11-22: «{value}».") from exc


class Command(BaseCommand):
    help = (
        "Заполняет пустую базу данных набором национального масштаба для нагрузочных "
        "измерений: при --factor 1 — 85 регионов, 2400 муниципальных органов, около 100 000 "
        "заседаний за десять лет, 600 000 поручений. Одинаковые --factor, --seed и --today "
        "дают одинаковые данные."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--factor", type=str, default="1", help="масштаб (0 < F ≤ 10)")
        parser.add_argument("--seed", type=int, default=1, help="начальное число генератора")
        parser.add_argument(
            "--today",
            type=str,
            default="",
            help="дата «сегодня» (ГГГГ-ММ-ДД); по умолчанию — текущая дата",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            factor = float(options["factor"])
        except ValueError as exc:
            raise CommandError(f"Масштаб должен быть числом: «{options['factor']}».") from exc
        if not 0 < factor <= MAX_FACTOR:
            raise CommandError(
                f"Масштаб должен быть больше 0 и не больше {MAX_FACTOR:g}: получено {factor:g}."
            )
        if getattr(settings, "ENV", "") == "production":
            raise CommandError(
                "Набор для измерений не создаётся в режиме production "
                "(KOORDINATOR_ENV=production): у всех его пользователей один общий пароль."
            )
        filled = scale.non_empty()
        if filled:
            raise CommandError(
                "База данных не пуста (есть: "
                + ", ".join(filled)
                + "). Команда заполняет только пустую базу: создайте отдельную базу, "
                "выполните migrate и запустите команду снова."
            )
        today = _date(options["today"]) if options["today"] else timezone.localdate()
        regions, municipal = scale.shape(factor)
        self.stdout.write(
            f"Масштаб {factor:g}, seed {options['seed']}, сегодня {today:%d.%m.%Y}: "
            f"{regions} рег., {municipal} муниципальных органов; база {connection.vendor}."
        )
        started = time.monotonic()
        counts, timings = scale.generate(
            factor=factor, seed=options["seed"], today=today, stream=cast(TextIO, self.stderr._out)
        )
        total = time.monotonic() - started
        for label, count in counts.items():
            self.stdout.write(f"  {label:<40} {count:>10}")
        stages = ", ".join(f"{name} {seconds:.1f} с" for name, seconds in timings.items())
        self.stdout.write(f"Готово за {total:.1f} с ({stages}); строк: {sum(counts.values())}.")
