"""The measured cases: pages (one client, then 10 concurrent ones), the deadline reader,
and the reminder sweep (in a transaction that is rolled back)."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from bench.browser import Answer, Browser
from bench.subjects import DOCX_DECISIONS, Subjects
from bench.timing import (
    QueryCounter,
    Stats,
    capture_sql,
    concurrent,
    page_statements,
    replay,
    slowest,
    timed,
    timed_alternately,
)
from koordinator.accounts.models import User

MAX_QUERIES = 20
PAGE_P95_MS = 100.0
DOCX_P95_MS = 1000.0
SQL_RATIO = 3.0
SWEEP_S = 60.0
#: Server worker processes for the concurrent clients: one per core (see bench/README.md).
WORKERS = os.cpu_count() or 1

PARSE_API = "/api/v1/deadlines/parse"
PHRASES = (
    "до 1 декабря 2026 г.",
    "в течение 10 (десяти) рабочих дней со дня подписания",
    "ежеквартально до 10 числа месяца, следующего за отчётным",
    "постоянно, с докладом ежеквартально",
    "в IV квартале 2026 года",
    "срочно",
)


@dataclass
class Options:
    warmup: int = 3
    iterations: int = 50
    clients: int = 10
    per_client: int = 50
    sweep_runs: int = 1
    concurrency: bool = True
    workers: int = WORKERS  # server worker processes; 0: client threads in one process


@dataclass
class Page:
    name: str
    url: str
    user: User | None
    target_ms: float = PAGE_P95_MS
    payload: dict[str, Any] | None = None  # POSTed as JSON when given
    skip: str = ""


def _url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def pages(s: Subjects) -> list[Page]:
    body = s.body.pk if s.body else None
    cases = [
        Page("executor inbox", _url("control:inbox"), s.executor),
        Page("control register, first page", _url("control:register"), s.secretary),
        Page(
            "control register, overdue in body",
            f"{_url('control:register')}?overdue=1&body={body}",
            s.secretary,
        ),
        Page("body page", _url("bodies:detail", body or 0), s.secretary),
        Page("meeting page", _url("meetings:detail", s.meeting_id or 0), s.meeting_user),
        Page("protocol editor", _url("meetings:protocol", s.meeting_id or 0), s.meeting_user),
        Page(
            f"protocol DOCX ({s.docx_decisions} decisions)",
            _url("documents:protocol_docx", s.docx_meeting_id or 0),
            s.docx_user,
            target_ms=DOCX_P95_MS,
        ),
        Page(
            "deadline parse (API)",
            PARSE_API,
            s.secretary,
            payload={"text": PHRASES[2], "issued_on": "2026-01-15", "policy": "working"},
        ),
    ]
    for case, missing in (
        (cases[0], s.executor is None),
        (cases[3], body is None),
        (cases[4], s.meeting_id is None),
        (cases[5], s.meeting_id is None),
        (cases[6], s.docx_meeting_id is None),
    ):
        if missing:
            case.skip = "no subject in the data"
    for case in cases:
        if case.user is None and not case.skip:
            case.skip = "no user to log in as"
    return cases


def _requester(case: Page) -> Callable[[Browser], Answer]:
    if case.payload is not None:
        body = json.dumps(case.payload)

        def post(browser: Browser) -> Answer:
            return browser.post(case.url, body, "application/json")

        return post

    def get(browser: Browser) -> Answer:
        return browser.get(case.url)

    return get


def _failure(browser: Browser, case: Page) -> str:
    return browser.failure(case.url, json.dumps(case.payload) if case.payload else None)


def _passes(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def run_page(case: Page, opts: Options) -> dict[str, Any]:
    row: dict[str, Any] = {"case": case.name, "url": case.url, "kind": "page"}
    if case.skip:
        return {**row, "error": f"skipped: {case.skip}"}
    assert case.user is not None
    row["user"] = case.user.username
    request = _requester(case)
    client = Browser(case.user)
    try:
        first = request(client)
        if first.status_code != 200:
            return {**row, "status": first.status_code, "error": _failure(client, case)}
        with capture_sql() as captured:
            request(client)
        statements = page_statements(captured)
        page, sql = timed_alternately(
            lambda: request(client),
            lambda: replay(statements),
            warmup=opts.warmup,
            iterations=opts.iterations,
        )
        heaviest = slowest(statements)
    finally:
        client.logout()
    row.update(
        status=200,
        queries=len(statements),
        page=page.as_dict(),
        sql=sql.as_dict(),
        slowest_sql=heaviest,
        ratio=round(page.p50 / sql.p50, 2) if sql.p50 > 0 else None,
        target_ms=case.target_ms,
    )
    if opts.concurrency:
        user = case.user
        conc = concurrent(
            lambda: Browser(user),
            lambda c: request(c).status_code,
            clients=opts.clients,
            per_client=opts.per_client,
            workers=opts.workers,
        )
        row["concurrent"] = {
            "clients": opts.clients,
            "mode": f"{opts.workers} worker processes" if opts.workers else "threads",
            **conc.as_dict(),
        }
    row["pass"] = _verdicts(row)
    return row


def _verdicts(row: dict[str, Any]) -> dict[str, bool | None]:
    conc = row.get("concurrent")
    return {
        "queries": _passes(row.get("queries"), MAX_QUERIES),
        "p95_concurrent": _passes(conc["p95_ms"] if conc else None, row["target_ms"]),
        "ratio": _passes(row.get("ratio"), SQL_RATIO),
    }


def run_docx_hundred(s: Subjects, opts: Options) -> dict[str, Any] | None:
    """When the data has no protocol with 100 decisions: the largest protocol, topped up to
    100 decisions (copies of its own, spread over its items) in a transaction that is rolled
    back. One client only: concurrent clients could not see the uncommitted rows."""
    from koordinator.meetings.models import AgendaItem, Decision

    if s.docx_meeting_id is None or s.docx_user is None or s.docx_decisions >= DOCX_DECISIONS:
        return None
    name = f"protocol DOCX ({DOCX_DECISIONS} decisions, topped up, rolled back)"
    url = _url("documents:protocol_docx", s.docx_meeting_id)
    row: dict[str, Any] = {"case": name, "url": url, "kind": "page", "user": s.docx_user.username}
    with transaction.atomic():
        items = list(AgendaItem.objects.filter(meeting=s.docx_meeting_id).order_by("number"))
        models = list(Decision.objects.filter(item__meeting=s.docx_meeting_id).order_by("pk"))
        orders = {item.pk: Decision.objects.filter(item=item).count() for item in items}
        added = []
        for n in range(DOCX_DECISIONS - len(models)):
            model, item = models[n % len(models)], items[n % len(items)]
            orders[item.pk] += 1
            added.append(
                Decision(
                    item=item,
                    order=orders[item.pk],
                    text=model.text,
                    lead_executor_id=model.lead_executor_id,
                    deadline_text=model.deadline_text,
                    due_on=model.due_on,
                )
            )
        Decision.objects.bulk_create(added)
        page = Page(name, url, s.docx_user, target_ms=DOCX_P95_MS)
        row.update(run_page(page, Options(**{**vars(opts), "concurrency": False})))
        transaction.set_rollback(True)
    row["pass"] = {
        "queries": row["pass"]["queries"],
        "p95": _passes(row.get("page", {}).get("p95_ms"), DOCX_P95_MS),
        "ratio": row["pass"]["ratio"],
    }
    return row


def run_parse(opts: Options) -> dict[str, Any]:
    """The pure reader: each phrase in turn, per call."""
    from koordinator.deadlines import parse

    issued = dt.date(2026, 1, 15)
    calls = iter(range(10**9))

    def one() -> None:
        parse(PHRASES[next(calls) % len(PHRASES)], issued_on=issued, policy="working")

    stats: Stats = timed(one, warmup=len(PHRASES), iterations=max(opts.iterations, 10) * 10)
    return {
        "case": "deadline parse (function)",
        "url": "koordinator.deadlines.parse",
        "kind": "function",
        "status": "ok",
        "queries": 0,
        "page": stats.as_dict(),
        "target_ms": PAGE_P95_MS,
        "pass": {"p95": stats.p95 <= PAGE_P95_MS},
    }


def _next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 or 7)


def run_sweep(opts: Options) -> list[dict[str, Any]]:
    """The reminder sweep over all open points, today and on the coming Monday (when it reads
    every owed point for the weekly digests), each in a transaction rolled back."""
    from koordinator.control.models import ControlPoint
    from koordinator.control.reminders import sweep

    today = timezone.localdate()
    days = [today] if today.weekday() == 0 else [today, _next_monday(today)]
    owed = ControlPoint.objects.owed().count()
    rows = []
    for day in days:
        samples: list[float] = []
        counts: dict[str, int] = {}
        queries = 0
        error = ""
        for _ in range(opts.sweep_runs):
            counter = QueryCounter()
            try:
                with transaction.atomic(), connection.execute_wrapper(counter):
                    started = time.perf_counter()
                    counts = sweep(today=day)
                    samples.append(time.perf_counter() - started)
                    transaction.set_rollback(True)
            except Exception as exc:
                error = repr(exc)
                break
            queries = counter.n
        row: dict[str, Any] = {
            "case": f"reminder sweep ({'Monday, digests' if day.weekday() == 0 else 'weekday'})",
            "url": f"koordinator.control.reminders.sweep(today={day.isoformat()})",
            "kind": "sweep",
            "owed_points": owed,
            "target_s": SWEEP_S,
        }
        if error:
            row["error"] = error
        else:
            row.update(
                status="ok",
                queries=queries,
                counts=counts,
                seconds=[round(x, 3) for x in samples],
                pass_={"seconds": max(samples) <= SWEEP_S},
            )
            row["pass"] = row.pop("pass_")
        rows.append(row)
    return rows
