"""The control register as files: an Excel table (XLSX, openpyxl) to work with, and the usual
Word report «Информация о ходе исполнения решений … по состоянию на …» (DOCX, docxtpl, from
``documents/docx_templates/control_report.docx`` that a secretary may replace).

Both take rows already read by :func:`koordinator.control.selectors.register` and fetch the
reports of all rows in one more query, so a file costs the same whatever its length. The text
of a restricted (ДСП) assignment is replaced by a mark for whoever may not read it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from koordinator.accounts.models import User
from koordinator.bodies.models import Body
from koordinator.control.models import Assignment, Report, ReportState, Status, status_label
from koordinator.control.permissions import shows_text
from koordinator.documents.rendering import render_docx
from koordinator.documents.templating import clean_text, template_path

RESTRICTED_MASK = "ДСП (содержание не показывается)"
DOCX_TEMPLATE = "control_report.docx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

COLUMNS: tuple[tuple[str, int], ...] = (
    ("№ п/п", 6),
    ("Документ", 28),
    ("Пункт", 8),
    ("Содержание поручения", 60),
    ("Ответственный исполнитель", 28),
    ("Соисполнители", 28),
    ("Срок", 12),
    ("Статус", 22),
    ("Отчёт / примечание", 50),
    ("Просрочено дней", 10),
)


@dataclass
class Row:
    """One assignment as the files show it."""

    body: Body
    number: int
    document: str
    point: str
    text: str
    lead: str
    co_executors: str
    due: dt.date | None
    status: str
    note: str
    progress: str
    mark: str
    overdue_days: int | None


def _latest_reports(assignments: Sequence[Assignment]) -> dict[int, list[Report]]:
    """Every report of the assignments, newest first, in one query."""
    out: dict[int, list[Report]] = {}
    reports = (
        Report.objects.filter(point__assignment__in=[a.pk for a in assignments])
        .exclude(state=ReportState.TO_LEAD)
        .select_related("point", "organization")
        .order_by("-created_at", "-pk")
    )
    for report in reports:
        out.setdefault(report.point.assignment_id, []).append(report)
    return out


def _note(reports: list[Report]) -> str:
    if not reports:
        return ""
    latest = reports[0]
    label = f"{latest.get_kind_display().capitalize()} отчёт ({latest.get_state_display()})"
    text = f"{label}: {latest.text}"
    if latest.review_comment:
        text += f"\nЗамечания: {latest.review_comment}"
    return text


def _progress(reports: list[Report]) -> str:
    """The text of the latest accepted or submitted report; a returned one is said so."""
    for report in reports:
        if report.state in (ReportState.ACCEPTED, ReportState.SUBMITTED):
            return report.text
        if report.state == ReportState.RETURNED:
            return f"Отчёт возвращён на доработку: {report.review_comment}"
    return ""


def _mark(assignment: Assignment, status: str) -> str:
    if status in (Status.EXECUTED, Status.IRRELEVANT):
        day = f" {assignment.removed_at:%d.%m.%Y}" if assignment.removed_at else ""
        return f"Снято с контроля{day}: {Status(status).label.split(': ')[-1]}"
    if status == Status.ACCEPTED:
        return "Предлагается снять с контроля как исполненное"
    if status == Status.OVERDUE:
        return "Оставить на контроле (срок нарушен)"
    return "Оставить на контроле"


def rows(user: User, assignments: Iterable[Assignment], today: dt.date) -> list[Row]:
    items = list(assignments)
    reports = _latest_reports(items)
    out = []
    for n, a in enumerate(items, start=1):
        status = str(getattr(a, "status", ""))
        due: dt.date | None = getattr(a, "next_due", None)
        text = a.text if shows_text(user, a) else RESTRICTED_MASK
        own = reports.get(a.pk, [])
        overdue = (today - due).days if status == Status.OVERDUE and due and due < today else None
        out.append(
            Row(
                body=a.body,
                number=n,
                document=a.document,
                point=a.number,
                text=text,
                lead=str(a.lead_executor),
                co_executors="; ".join(str(o) for o in a.co_executors.all()),
                due=due,
                status=status_label(status),
                note=_note(own),
                progress=_progress(own),
                mark=_mark(a, status),
                overdue_days=overdue,
            )
        )
    return out


def title(body: Body | None) -> str:
    return f"Реестр поручений на контроле{f': {body}' if body else ''}"


def build_xlsx(heading: Sequence[str], table: Sequence[Row]) -> bytes:
    """The register as one sheet: the heading lines, then the table with a frozen header
    row, column widths and an autofilter."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Поручения"
    for line in heading:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append([name for name, _ in COLUMNS])
    for col, (_, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=col)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(col)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in table:
        sheet.append(
            [
                row.number,
                row.document,
                row.point,
                row.text,
                row.lead,
                row.co_executors,
                row.due,
                row.status,
                row.note,
                row.overdue_days,
            ]
        )
        for col in range(1, len(COLUMNS) + 1):
            sheet.cell(row=sheet.max_row, column=col).alignment = wrap
        sheet.cell(row=sheet.max_row, column=7).number_format = "DD.MM.YYYY"
    last = get_column_letter(len(COLUMNS))
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last}{max(sheet.max_row, header_row)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_docx(*, body: Body | None, body_name: str, day: dt.date, table: Sequence[Row]) -> bytes:
    """«Информация о ходе исполнения решений …» rendered from the (replaceable) template."""
    context = {
        "body_name": body_name,
        "day": f"{day:%d.%m.%Y}",
        "rows": [
            {
                "number": row.number,
                "decision": clean_text(f"{row.text}\n(п. {row.point}, {row.document})"),
                "executor": clean_text(
                    row.lead + (f"\nсоисполнители: {row.co_executors}" if row.co_executors else "")
                ),
                "due": f"{row.due:%d.%m.%Y}" if row.due else "—",
                "progress": clean_text(row.progress) or "Отчёт не представлен",
                "mark": clean_text(row.mark),
            }
            for row in table
        ],
    }
    return render_docx(template_path(DOCX_TEMPLATE, body), context)
