"""The bench's environment (database, row counts, commit) and its Markdown table."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

#: Main tables, counted for the record (app_label.Model).
TABLES = (
    "bodies.Organization",
    "bodies.Body",
    "bodies.Person",
    "bodies.Membership",
    "accounts.User",
    "meetings.Meeting",
    "meetings.AgendaItem",
    "meetings.Protocol",
    "meetings.Decision",
    "control.Assignment",
    "control.ControlPoint",
    "control.Report",
    "control.OutboxMessage",
    "core.AuditRecord",
)


def _git(*args: str) -> str:
    try:
        out = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def database() -> dict[str, Any]:
    connection.ensure_connection()
    info: dict[str, Any] = {"vendor": connection.vendor}
    if connection.vendor == "sqlite":
        import sqlite3

        info["version"] = sqlite3.sqlite_version
        info["name"] = str(connection.settings_dict["NAME"])
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["version"] = cursor.fetchone()[0]
            cursor.execute("SHOW jit")
            info["jit"] = cursor.fetchone()[0]
        info["name"] = connection.settings_dict.get("NAME")
        info["host"] = connection.settings_dict.get("HOST")
    return info


def ensure_statistics(mode: str) -> str:
    """PostgreSQL plans by its statistics: a freshly bulk-loaded database has none until
    autovacuum gets to it, and its plans (sequential scans) are not those of a live system.
    ``auto`` runs ANALYZE when a main table was never analysed, ``always`` runs it, ``never``
    only says so. Statistics are not data: the rows stay as they are. SQLite is left alone
    (the application does not run ANALYZE there)."""
    if connection.vendor != "postgresql":
        return ""
    never = _never_analysed()
    if mode == "never":
        return f"tables never analysed (plans may be off): {', '.join(never)}" if never else ""
    if mode == "always" or never:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        took = time.perf_counter() - started
        why = f" (never analysed: {', '.join(never)})" if never else ""
        return f"ANALYZE run before measuring{why}, {took:.1f} s"
    return ""


def _never_analysed() -> list[str]:
    tables = [apps.get_model(label)._meta.db_table for label in TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) "
            "AND n_live_tup > 0 AND last_analyze IS NULL AND last_autoanalyze IS NULL "
            "ORDER BY relname",
            [tables],
        )
        return [row[0] for row in cursor.fetchall()]


def environment() -> dict[str, Any]:
    commit = _git("rev-parse", "HEAD")
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    counts = {}
    for label in TABLES:
        try:
            counts[label] = apps.get_model(label).objects.count()
        except LookupError:
            counts[label] = None
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit + ("-dirty" if dirty and commit else ""),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "database": database(),
        "rows": counts,
    }


def _ms(value: Any) -> str:
    return "—" if value is None else f"{value:.1f}"


def _mark(value: bool | None) -> str:
    return "—" if value is None else ("✅" if value else "❌")


HEADER = (
    "| Case | Queries | p50 ms | p95 ms | SQL p50 ms | page/SQL | p50 @N | p95 @N | req/s @N "
    "| ≤ 20 queries | p95 @N ≤ target | ≤ 3× SQL |\n"
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|:-:|:-:|"
)


def row_line(row: dict[str, Any]) -> str:
    name = row["case"]
    if row.get("error"):
        return f"| {name} | {row['error']} |" + " |" * 10
    verdict = row.get("pass", {})
    if row["kind"] == "sweep":
        secs = row["seconds"]
        text = f"{max(secs):.2f} s for {row['owed_points']} owed points (target ≤ {row['target_s']:.0f} s)"
        return f"| {name} | {row['queries']} | {text} | | | | | | | | {_mark(verdict.get('seconds'))} | |"
    page = row.get("page", {})
    sql = row.get("sql", {})
    conc = row.get("concurrent", {})
    p95_mark = verdict.get("p95_concurrent", verdict.get("p95"))
    return (
        f"| {name} | {row.get('queries', '—')} | {_ms(page.get('p50_ms'))} "
        f"| {_ms(page.get('p95_ms'))} | {_ms(sql.get('p50_ms'))} "
        f"| {row.get('ratio') if row.get('ratio') is not None else '—'} "
        f"| {_ms(conc.get('p50_ms'))} | {_ms(conc.get('p95_ms'))} "
        f"| {conc.get('requests_per_s', '—')} | {_mark(verdict.get('queries'))} "
        f"| {_mark(p95_mark)} (≤ {row['target_ms']:.0f}) | {_mark(verdict.get('ratio'))} |"
    )


def markdown(results: dict[str, Any]) -> str:
    env = results["environment"]
    db = env["database"]
    opts = results["options"]
    mode = (
        f"served by {opts['workers']} forked worker processes from one queue"
        if opts.get("workers")
        else "threads in one process: Python work is serialised by the GIL"
    )
    rows_text = ", ".join(f"{k.split('.')[1]} {v}" for k, v in env["rows"].items())
    lines = [
        "# Koordinator bench",
        "",
        f"{env['date']} · commit `{env['commit'] or 'unknown'}` · {db['vendor']} {db['version']} · "
        f"{env['machine']} · Python {env['python']}",
        "",
        f"Rows: {rows_text}.",
        "",
        f"One client: {opts['warmup']} warm-up + {opts['iterations']} timed requests. "
        f"@N: {opts['clients']} concurrent clients ({mode}), "
        f"{opts['per_client']} requests each. SQL: the page's own statements replayed on the "
        "bare DB-API cursor. Queries exclude savepoints.",
        "",
        HEADER.replace("@N", f"@{opts['clients']}"),
        *(row_line(r) for r in results["cases"]),
    ]
    labels = {
        "queries": "more than 20 queries",
        "p95_concurrent": "p95 under load above target",
        "ratio": "page > 3× its SQL",
        "p95": "p95 above target",
        "seconds": "slower than target",
    }
    misses = []
    for r in results["cases"]:
        if r.get("error"):
            misses.append(f"- {r['case']}: {r['error']}")
            continue
        failed = [labels.get(k, k) for k, v in r.get("pass", {}).items() if v is False]
        conc_errors = r.get("concurrent", {}).get("errors")
        if conc_errors:
            failed.append(f"errors under load: {'; '.join(conc_errors)}")
        if failed:
            misses.append(f"- {r['case']}: {', '.join(failed)}")
    notes = [f"- {n}" for n in results["subjects"].get("notes") or []]
    if env.get("statistics"):
        notes.insert(0, f"- {env['statistics']}")
    subjects = results["subjects"]
    lines += [
        "",
        f"Subjects: executor {subjects['executor']} ({subjects['executor_open_points']} open "
        f"points led by the agency); body {subjects['body_id']} ({subjects['body_assignments']} "
        f"assignments), secretary {subjects['secretary']}; meeting {subjects['meeting_id']} "
        f"({subjects['meeting_decisions']} decisions, signed protocol); DOCX meeting "
        f"{subjects['docx_meeting_id']} ({subjects['docx_decisions']} decisions).",
    ]
    if notes:
        lines += ["", "Notes:", "", *notes]
    if misses:
        lines += ["", "Targets missed:", "", *misses]
    return "\n".join(lines) + "\n"
