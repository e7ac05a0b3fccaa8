"""Helpers for the API tests: JSON requests, the audit trail, and query counting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from koordinator.core.models import AuditRecord

API = "/api/v1"


def call(
    client: Client, method: str, path: str, payload: dict[str, Any] | None = None, **extra: Any
) -> Any:
    """One API request; ``payload`` is the query string for GET and the JSON body otherwise."""
    url = API + path
    if method == "get":
        return client.get(url, payload or {}, **extra)
    return getattr(client, method)(
        url, payload if payload is not None else {}, content_type="application/json", **extra
    )


def audit_count() -> int:
    return AuditRecord.objects.count()


def last_audit() -> AuditRecord:
    record = AuditRecord.objects.order_by("-id").first()
    assert record is not None
    return record


def assert_query_count_is_flat(
    fetch: Callable[[], Any], add_rows: Callable[[int], None], n: int = 6
) -> None:
    """Measure a list with ``n`` rows, add as many again, measure again: the counts must match.

    ``fetch`` requests the list (its JSON has ``items`` and ``count``); ``add_rows(k)`` adds k
    rows to it. Every row must be in the answer, or a short page would hide an N+1.
    """

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = fetch()
        assert response.status_code == 200, response.content
        data = response.json()
        assert len(data["items"]) == data["count"]
        return len(ctx.captured_queries), data["count"]

    _, rows = measure()
    add_rows(n - rows)
    queries, rows = measure()
    assert rows == n
    add_rows(n)
    doubled_queries, rows = measure()
    assert rows == 2 * n
    assert doubled_queries == queries
