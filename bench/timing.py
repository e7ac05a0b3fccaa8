"""Timing helpers: percentiles, capturing a page's SQL and replaying it bare, and the same
page under concurrent clients.

The bare SQL of a page is what the page sent to the database on one run, captured with
``connection.execute_wrapper`` (the SQL text *and* its parameters, before the backend rewrites
placeholders) and replayed through the backend's own DB-API cursor (``create_cursor()``: no
Django cursor wrapper, no ORM), fetching every row. The replay runs in a transaction that is
rolled back, so a page that writes (a session, a last-used stamp) leaves nothing behind.
"""

from __future__ import annotations

import functools
import multiprocessing
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, connections, transaction

if TYPE_CHECKING:
    from bench.browser import Browser

#: Statements the replay leaves out: transaction control is the framework's, not the page's.
_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile (nearest rank, as load testers report it), in the input unit."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Stats:
    """Latencies in milliseconds."""

    samples: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": len(self.samples),
            "p50_ms": round(self.p50, 3),
            "p95_ms": round(self.p95, 3),
            "min_ms": round(min(self.samples), 3) if self.samples else None,
            "max_ms": round(max(self.samples), 3) if self.samples else None,
        }


def timed(fn: Callable[[], object], *, warmup: int, iterations: int) -> Stats:
    """Run ``fn`` ``warmup`` times untimed, then ``iterations`` times timed."""
    for _ in range(warmup):
        fn()
    stats = Stats()
    for _ in range(iterations):
        started = time.perf_counter()
        fn()
        stats.samples.append((time.perf_counter() - started) * 1000)
    return stats


def timed_alternately(
    first: Callable[[], object], second: Callable[[], object], *, warmup: int, iterations: int
) -> tuple[Stats, Stats]:
    """``timed`` for two functions at once, one call of each in turn: a page and its bare SQL.
    Timed one after the other, a change of the machine's speed between the two runs (on a
    shared virtual machine, up to 2× within a minute) showed as a change of their ratio."""
    for _ in range(warmup):
        first()
        second()
    a, b = Stats(), Stats()
    for _ in range(iterations):
        for fn, stats in ((first, a), (second, b)):
            started = time.perf_counter()
            fn()
            stats.samples.append((time.perf_counter() - started) * 1000)
    return a, b


@dataclass
class Captured:
    sql: str
    params: Any
    many: bool


@contextmanager
def capture_sql() -> Iterator[list[Captured]]:
    """Record every statement (SQL with its parameters) the default connection executes."""
    captured: list[Captured] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        captured.append(Captured(sql, params, many))
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(wrapper):
        yield captured


class QueryCounter:
    """An execute wrapper that only counts (the sweep sends too many statements to keep)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        self.n += 1
        return execute(sql, params, many, ctx)


def page_statements(captured: list[Captured]) -> list[Captured]:
    """The statements of the page itself, without transaction control."""
    return [q for q in captured if not q.sql.lstrip().upper().startswith(_CONTROL)]


def replay(statements: list[Captured]) -> None:
    """Execute the statements again on the bare DB-API cursor and read every row."""
    connection.ensure_connection()
    reads_only = all(q.sql.lstrip().upper().startswith(("SELECT", "WITH")) for q in statements)
    with transaction.atomic() if not reads_only else _nothing():
        cursor = connection.create_cursor()
        try:
            for q in statements:
                if q.many:
                    cursor.executemany(q.sql, q.params)
                elif q.params is None:
                    cursor.execute(q.sql)
                else:
                    cursor.execute(q.sql, q.params)
                if cursor.description is not None:
                    cursor.fetchall()
        finally:
            cursor.close()
        if not reads_only:
            transaction.set_rollback(True)


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def slowest(statements: list[Captured], n: int = 3) -> list[dict[str, Any]]:
    """The ``n`` statements that took longest in one more replay (SQL shortened), to say
    where a page's database time goes."""
    timed_each: list[tuple[float, Captured]] = []
    for q in statements:
        started = time.perf_counter()
        replay([q])
        timed_each.append(((time.perf_counter() - started) * 1000, q))
    timed_each.sort(key=lambda pair: -pair[0])
    return [{"ms": round(ms, 3), "sql": q.sql[:600]} for ms, q in timed_each[:n]]


@dataclass
class Concurrent:
    stats: Stats
    wall_s: float
    errors: list[str]

    @property
    def throughput(self) -> float:
        return len(self.stats.samples) / self.wall_s if self.wall_s else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.stats.as_dict(),
            "wall_s": round(self.wall_s, 3),
            "requests_per_s": round(self.throughput, 1),
            "errors": self.errors[:5],
        }


def concurrent(
    make_client: Callable[[], Browser],
    request: Callable[[Browser], int],
    *,
    clients: int,
    per_client: int,
    warmup: int = 1,
    workers: int = 0,
) -> Concurrent:
    """``clients`` clients start together (a barrier) and each sends ``per_client`` requests
    back to back; a request's time runs from sending it to getting its status. ``request``
    returns the HTTP status; anything but 200 is an error.

    ``workers`` > 0: a server of that many forked worker processes (gunicorn's sync workers),
    each with its own logged-in test client and database connection, takes the requests from
    one queue in the order they come, as a server's listening socket hands them out; a request
    that finds every worker busy waits in the queue, and that wait is in its time.
    ``workers`` = 0: the clients are threads of one process, each with its own test client and
    connection; the GIL lets one request run Python at a time (one threaded server process)."""
    if workers > 0:
        return _served(make_client, request, clients, per_client, warmup, workers)
    barrier = threading.Barrier(clients + 1)
    lock = threading.Lock()
    samples: list[float] = []
    errors: list[str] = []

    def worker() -> None:
        got, failed = _client_run(make_client, request, per_client, warmup, barrier.wait)
        with lock:
            samples.extend(got)
            errors.extend(failed)

    wall = _together([worker] * clients, barrier)
    return Concurrent(Stats(samples), wall, errors)


def _together(targets: list[Callable[[], None]], start: threading.Barrier) -> float:
    """Run each target in a thread; the threads wait on ``start`` with this one. The seconds
    from the start until every thread has finished."""
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for t in threads:
        t.start()
    start.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def _client_run(
    make_client: Callable[[], Browser],
    request: Callable[[Browser], int],
    per_client: int,
    warmup: int,
    ready: Callable[[], object],
) -> tuple[list[float], list[str]]:
    """One client: log in and warm up, wait for the others (``ready``), send the requests."""
    samples: list[float] = []
    errors: list[str] = []
    client: Browser | None = None
    try:
        client = make_client()
        for _ in range(warmup):
            request(client)
    except Exception as exc:  # recorded; the barrier still has to be met
        errors.append(f"setup: {exc!r}")
    ready()
    try:
        if client is not None:
            for _ in range(per_client):
                started = time.perf_counter()
                status = request(client)
                samples.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    errors.append(f"HTTP {status}")
            client.logout()  # deletes the session the client made
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()
    return samples, errors


def _served(
    make_client: Callable[[], Browser],
    request: Callable[[Browser], int],
    clients: int,
    per_client: int,
    warmup: int,
    workers: int,
) -> Concurrent:
    """Client threads in this process send to ``workers`` forked worker processes through one
    queue; each worker answers on the asking client's own pipe."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.SimpleQueue()  # client number, or None: stop
    pipes = [ctx.Pipe(duplex=False) for _ in range(clients)]  # (client end, worker end)
    ready = ctx.Barrier(workers + 1)
    connections.close_all()  # a forked child must not share the parent's connection

    def serve() -> None:
        client: Browser | None = None
        failure = ""
        try:
            client = make_client()
            for _ in range(warmup):
                request(client)
        except Exception as exc:
            failure = f"setup: {exc!r}"
        ready.wait()
        try:
            while (asked := queue.get()) is not None:
                try:
                    status = request(client) if client is not None else 0
                    pipes[asked][1].send((status, failure))
                except Exception as exc:
                    pipes[asked][1].send((0, repr(exc)))
            if client is not None:
                client.logout()  # deletes the session the client made
        finally:
            connections.close_all()

    procs = [ctx.Process(target=serve, daemon=True) for _ in range(workers)]
    for proc in procs:
        proc.start()
    ready.wait()  # every worker logged in and warmed up
    start = threading.Barrier(clients + 1)
    lock = threading.Lock()
    samples: list[float] = []
    errors: list[str] = []

    def client_thread(n: int) -> None:
        got: list[float] = []
        failed: list[str] = []
        answers = pipes[n][0]
        start.wait()
        for _ in range(per_client):
            started = time.perf_counter()
            queue.put(n)
            status, error = answers.recv()
            got.append((time.perf_counter() - started) * 1000)
            if error:
                failed.append(error)
            elif status != 200:
                failed.append(f"HTTP {status}")
        with lock:
            samples.extend(got)
            errors.extend(failed)

    wall = _together([functools.partial(client_thread, n) for n in range(clients)], start)
    for _ in procs:
        queue.put(None)
    for proc in procs:
        proc.join()
    return Concurrent(Stats(samples), wall, errors)
