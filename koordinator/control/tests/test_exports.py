"""The register as XLSX and DOCX: same access as the register, masked ДСП, fixed query count."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from koordinator.conftest import Cast
from koordinator.control.exports import RESTRICTED_MASK
from koordinator.control.tests.conftest import Control, register

pytestmark = pytest.mark.django_db

XLSX = reverse("control:export_xlsx")
DOCX = reverse("control:export_docx")
SECRET = "Совершенно особая операция «Тишина»."


def sheet_texts(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def docx_texts(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def data_rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "№ п/п")
    return rows[header + 1 :]


@pytest.mark.parametrize("url", [XLSX, DOCX])
def test_anonymous_goes_to_login(cast: Cast, url: str) -> None:
    response = cast.client(None).get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_xlsx_rows_for_secretary(cast: Cast, control: Control) -> None:
    response = cast.client(cast.secretary).get(XLSX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = data_rows(response.content)
    assert len(rows) == 4
    texts = sheet_texts(response.content)
    assert control.one_off.text in texts
    assert str(control.other_org) in texts
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.freeze_panes is not None
    assert sheet.auto_filter.ref


def test_xlsx_executor_sees_own_only(cast: Cast, control: Control) -> None:
    texts = sheet_texts(cast.client(cast.executor).get(XLSX).content)
    assert control.one_off.text in texts
    assert control.foreign.text not in texts


def test_restricted_masked_for_higher_body_shown_to_secretary(cast: Cast, control: Control) -> None:
    register(cast, lead=control.other_org, text=SECRET, restricted=True, number="9")
    for url, read in ((XLSX, sheet_texts), (DOCX, docx_texts)):
        assert SECRET in str(read(cast.client(cast.secretary).get(url).content))
        observer = cast.client(cast.observer).get(url)
        assert observer.status_code == 200
        assert SECRET not in str(read(observer.content))


def test_mask_applies_to_a_reader_who_may_not_read(cast: Cast, control: Control) -> None:
    from koordinator.control import exports, selectors

    register(cast, lead=control.other_org, text=SECRET, restricted=True, number="9")
    qs = selectors.register(cast.secretary)
    rows = exports.rows(cast.observer, qs, control.today)
    assert RESTRICTED_MASK in [r.text for r in rows]
    assert SECRET not in [r.text for r in rows]


def test_user_seeing_nothing_gets_empty_file(cast: Cast, control: Control) -> None:
    response = cast.client(cast.outsider).get(XLSX)
    assert response.status_code == 200
    assert data_rows(response.content) == []
    response = cast.client(cast.outsider).get(DOCX)
    assert response.status_code == 200
    assert "Поручений на контроле нет" in docx_texts(response.content)


def test_docx_report(cast: Cast, control: Control) -> None:
    response = cast.client(cast.secretary).get(DOCX, {"body": cast.body.pk})
    assert response.status_code == 200
    text = docx_texts(response.content)
    assert "о ходе исполнения решений" in text
    assert "межведомственной рабочей группы" in text
    assert control.one_off.text in text
    assert "Отчёт не представлен" in text
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert (section.page_width or 0) > (section.page_height or 0)
    assert len(doc.tables[0].rows) == 1 + 4


@pytest.mark.parametrize("url", [XLSX, DOCX])
def test_bad_filter_gives_400(cast: Cast, control: Control, url: str) -> None:
    response = cast.client(cast.secretary).get(url, {"due_from": "вчера"})
    assert response.status_code == 400
    assert "Дата должна быть" in response.content.decode()


def test_filter_applies(cast: Cast, control: Control) -> None:
    rows = data_rows(cast.client(cast.secretary).get(XLSX, {"q": "рейды"}).content)
    assert len(rows) == 1


@pytest.mark.parametrize("url", [XLSX, DOCX])
def test_query_count_does_not_grow(cast: Cast, control: Control, url: str) -> None:
    client = cast.client(cast.secretary)
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(4):
        register(cast, lead=control.other_org, text=f"Ещё поручение {n}", number=f"5.{n}")
    with CaptureQueriesContext(connection) as second:
        response = client.get(url)
    assert response.status_code == 200
    assert len(second) == len(first)


def test_reports_in_note_and_progress(cast: Cast, control: Control) -> None:
    from koordinator.control import services_reports

    report = services_reports.report_submit(
        actor=cast.executor,
        point=control.point(control.one_off),
        organization=cast.police,
        kind="final",
        text="Проведено 12 рейдов.",
    )
    services_reports.report_return(
        actor=cast.secretary, report=report, comment="Укажите адреса рейдов."
    )
    client = cast.client(cast.secretary)
    note = " ".join(sheet_texts(client.get(XLSX).content))
    assert "Проведено 12 рейдов." in note
    assert "Замечания: Укажите адреса рейдов." in note
    assert "возвращён на доработку: Укажите адреса рейдов." in docx_texts(client.get(DOCX).content)
