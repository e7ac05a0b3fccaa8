"""Fast row writing for ``generate_scale``: buffered per table, COPY on PostgreSQL.

Rows are plain tuples in the order of the columns given to :meth:`Writer.table`, with ids
computed by the generator (so rows of different tables link without reading anything back).
On PostgreSQL the buffer goes out through ``COPY … FROM STDIN`` (psycopg 3); on any other
database through one ``executemany`` INSERT per batch, values converted the way Django stores
them (aware datetimes as naive UTC, dates as ISO strings, JSON as text). Foreign keys are
checked at commit (Django creates them deferrable on PostgreSQL and SQLite alike); the tables
are still written in the order they were declared, parents first, because the control points'
triggers update the assignments they belong to as the points arrive.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from django.db import connection, models

BATCH = 10_000
UTC = dt.UTC


class Progress:
    """A one-line progress bar on stderr: ``\\r`` redrawn at most ten times a second on a
    terminal; elsewhere (CI, a log file) a single line when the stage ends."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.stage = ""
        self.total = 0
        self.done = 0
        self.rows = 0
        self.started = 0.0
        self.drawn = 0.0

    def start(self, stage: str, total: int) -> None:
        self.stage, self.total, self.done, self.rows = stage, max(total, 1), 0, 0
        self.started = self.drawn = time.monotonic()
        self._draw(force=True)

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        self._draw()

    def add_rows(self, rows: int) -> None:
        self.rows += rows
        self._draw()

    def _line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        share = min(self.done / self.total, 1.0)
        filled = int(share * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        return (
            f"{self.stage:<12} [{bar}] {self.done}/{self.total} "
            f"{self.rows:,} строк, {self.rows / elapsed:,.0f} строк/с, {elapsed:.1f} с"
        ).replace(",", " ")

    def _draw(self, *, force: bool = False) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if force or now - self.drawn >= 0.1:
            self.drawn = now
            self.stream.write("\r" + self._line() + "\033[K")
            self.stream.flush()

    def finish(self) -> float:
        self.done = self.total
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r{self._line()}\033[K\n" if self.tty else f"{self._line()}\n")
        self.stream.flush()
        return elapsed


class Writer:
    """Buffers rows per table and writes them in batches; :meth:`flush` writes the rest.

    ``counts`` holds how many rows each table got (by model label), for the command's summary.
    """

    def __init__(self, progress: Progress, counts: dict[str, int]) -> None:
        self.progress = progress
        self.counts = counts
        self.tables: dict[str, tuple[str, Sequence[str], list[tuple[Any, ...]]]] = {}
        self.copy = connection.vendor == "postgresql"

    def table(self, model: type[models.Model], columns: Sequence[str]) -> list[tuple[Any, ...]]:
        """Declare a table; returns its buffer (append tuples, then call :meth:`maybe_flush`)."""
        label = model._meta.label
        if label not in self.tables:
            self.tables[label] = (model._meta.db_table, tuple(columns), [])
            self.counts.setdefault(label, 0)
        return self.tables[label][2]

    def maybe_flush(self) -> None:
        """When a table's buffer is full, write every table in the order they were declared:
        a parent's rows reach the database before its children's (the control points'
        triggers update the assignments they belong to, which must be there)."""
        if any(len(rows) >= BATCH for _table, _columns, rows in self.tables.values()):
            self.flush()

    def flush(self) -> None:
        """Write every table's buffer, in the order the tables were declared."""
        for label in self.tables:
            self._flush(label)

    def _flush(self, label: str) -> None:
        table, columns, rows = self.tables[label]
        if not rows:
            return
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in columns)
        with connection.cursor() as cursor:
            raw = getattr(cursor, "cursor", cursor)
            if self.copy and hasattr(raw, "copy"):
                with raw.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([_json(v) for v in row])
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})",  # noqa: S608
                    [tuple(_plain(v) for v in row) for row in rows],
                )
        self.counts[label] += len(rows)
        self.progress.add_rows(len(rows))
        rows.clear()


def _json(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _plain(value: Any) -> Any:
    """A value as Django's SQLite backend stores it."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """After explicit ids: move the id sequences past the highest id (no-op on SQLite)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze(model_list: Sequence[type[models.Model]]) -> None:
    """Fresh planner statistics for the filled tables (PostgreSQL; autovacuum would get
    there too, but benchmarks run right after the load)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in model_list:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
