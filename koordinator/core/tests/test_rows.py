"""The Jinja2 row templates (koordinator.core.rows): escaped as Django templates are, and a
name the rows lack is an error rather than an empty cell."""

from __future__ import annotations

import jinja2
import pytest

from koordinator.core.rows import render_rows


def _row(**extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "pk": 7,
        "due": "01.12.2026",
        "period": "",
        "url": "/control/7/",
        "number": "3.1",
        "document": 'Протокол № 4 <script>alert("x")</script>',
        "restricted": True,
        "text": "Обеспечить <b>охрану</b> & порядок",
        "body_name": "АТК",
        "lead_name": "УМВД",
        "late": False,
        "status_label": "на исполнении",
        "days_overdue": 0,
        "expected": "представить отчёт",
        "can_report": True,
    }
    row.update(extra)
    return row


def test_values_are_escaped() -> None:
    html = render_rows("control/inbox_rows.html", [_row()])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "Обеспечить &lt;b&gt;охрану&lt;/b&gt; &amp; порядок" in html
    assert '<span class="tag">ДСП</span>' in html
    assert 'href="/control/7/?report=7#point-7"' in html


def test_no_rows_says_so() -> None:
    assert "Поручений на контроле нет." in render_rows("control/inbox_rows.html", [])


def test_a_missing_value_is_an_error() -> None:
    row = _row()
    del row["lead_name"]
    with pytest.raises(jinja2.UndefinedError):
        render_rows("control/inbox_rows.html", [row])
