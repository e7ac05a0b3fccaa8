"""``python -m bench``: measure the busiest pages on the configured database as it is.

Run it through ``make bench`` (``DATABASE_URL=… make bench`` for PostgreSQL). It generates no
data: fill the database first (``manage.py generate_scale`` or ``load_demo``). It leaves no
trace either: the sweep is rolled back, the clients' sessions are deleted, last-login stamps
are not written. Writes ``bench/results.json`` and ``bench/results.md`` and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument(
        "--iterations",
        type=int,
        default=50,
        help="timed requests per page, each followed by a replay of its SQL (one client)",
    )
    p.add_argument("--warmup", type=int, default=3, help="untimed requests before timing")
    p.add_argument("--clients", type=int, default=10, help="concurrent clients")
    p.add_argument(
        "--per-client",
        type=int,
        default=50,
        help="requests per concurrent client (10 × 50: p95 is the 25th slowest of 500)",
    )
    p.add_argument("--sweep-runs", type=int, default=1, help="timed runs of the reminder sweep")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes of the server the concurrent clients share (default: one per "
        "core, as the README advises when PostgreSQL shares the machine; --workers 10 gives "
        "each client its own)",
    )
    p.add_argument(
        "--threads",
        action="store_true",
        help="concurrent clients as threads in one process (the GIL serialises their Python) "
        "instead of a server of worker processes",
    )
    p.add_argument("--no-concurrency", action="store_true", help="skip the concurrent runs")
    p.add_argument("--no-sweep", action="store_true", help="skip the reminder sweep")
    p.add_argument(
        "--analyze",
        choices=("auto", "always", "never"),
        default="auto",
        help="PostgreSQL: ANALYZE first (auto: when a main table was never analysed)",
    )
    p.add_argument("--only", default="", help="run only the cases whose name contains this")
    p.add_argument("--out", type=Path, default=HERE, help="where results.json/.md go")
    return p.parse_args(argv)


def _setup() -> None:
    os.environ.setdefault("KOORDINATOR_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koordinator.settings")
    import django

    django.setup()
    from django.contrib.auth import user_logged_in
    from django.contrib.auth.models import update_last_login
    from django.test.utils import override_settings

    # Timing as in production: no DEBUG (no query log, no debug pages).
    override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]).enable()
    # force_login would stamp the users' last_login; the bench must not change the data.
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    # The garbage collector as the WSGI entry point sets it for a server process.
    from koordinator.core import heap

    heap.settle()


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    _setup()
    from bench import cases, report, subjects

    opts = cases.Options(
        warmup=args.warmup,
        iterations=args.iterations,
        clients=args.clients,
        per_client=args.per_client,
        sweep_runs=args.sweep_runs,
        concurrency=not args.no_concurrency,
        workers=0
        if args.threads
        else max(1, cases.WORKERS if args.workers is None else args.workers),
    )
    started = time.perf_counter()
    statistics = report.ensure_statistics(args.analyze)
    env = report.environment()
    env["statistics"] = statistics
    print(f"bench: {env['database']['vendor']} {env['database'].get('name')}", file=sys.stderr)
    chosen = subjects.pick()
    rows: list[dict[str, Any]] = []

    def wanted(name: str) -> bool:
        return args.only.lower() in name.lower()

    for page in cases.pages(chosen):
        if wanted(page.name):
            print(f"  {page.name}: {page.url}", file=sys.stderr)
            try:
                rows.append(cases.run_page(page, opts))
            except Exception as exc:  # a broken page is a result, not the end of the bench
                rows.append(
                    {"case": page.name, "url": page.url, "kind": "page", "error": repr(exc)}
                )
    if wanted("protocol DOCX"):
        hundred = cases.run_docx_hundred(chosen, opts)
        if hundred is not None:
            rows.insert(
                next((i + 1 for i, r in enumerate(rows) if "DOCX" in r["case"]), len(rows)),
                hundred,
            )
    if wanted("deadline parse (function)"):
        rows.append(cases.run_parse(opts))
    if not args.no_sweep and wanted("reminder sweep"):
        print("  reminder sweep", file=sys.stderr)
        rows.extend(cases.run_sweep(opts))
    results = {
        "environment": env,
        "options": vars(opts),
        "subjects": chosen.describe(),
        "targets": {
            "max_queries": cases.MAX_QUERIES,
            "page_p95_ms_concurrent": cases.PAGE_P95_MS,
            "docx_p95_ms": cases.DOCX_P95_MS,
            "page_to_sql_ratio": cases.SQL_RATIO,
            "sweep_s": cases.SWEEP_S,
        },
        "cases": rows,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    table = report.markdown(results)
    (args.out / "results.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
