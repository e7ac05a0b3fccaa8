"""Loading a body's composition from an Excel workbook (.xlsx), one row per member.

The whole file is one transaction: every row is checked (the file's own rows against each
other, and against the composition as it stands), and if any row is wrong nothing is written,
not even the people and posts of the good rows, and the secretary gets every row's error at
once, numbered as Excel numbers the rows.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction

# openpyxl ships no type hints and the project pins no stubs for it.
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from koordinator.accounts.models import User
from koordinator.bodies import services
from koordinator.bodies.models import Body, Membership, Organization, Person, Role
from koordinator.core import audit
from koordinator.core.text import fold

# A composition is tens of people; the cap bounds the work a hostile or mistaken file costs.
MAX_ROWS = 1000
# Title rows («Состав рабочей группы …») may stand above the header: look this far for it.
HEADER_SEARCH_ROWS = 10
DATE_FORMAT_HINT = "ДД.ММ.ГГГГ"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    required: bool
    hint: str
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("last_name", "Фамилия", True, "полностью"),
    Column("first_name", "Имя", True, "полностью, не инициал"),
    Column("patronymic", "Отчество", False, "если есть"),
    Column("post_title", "Должность", True, "как в составе: «начальник отдела …»"),
    Column(
        "organization",
        "Организация",
        True,
        "полное или краткое наименование, как в справочнике организаций",
    ),
    Column(
        "roles",
        "Роль",
        True,
        "председатель, заместитель председателя, секретарь или член; несколько — через запятую",
        ("роли",),
    ),
    Column("by_agreement", "По согласованию", False, "да или нет (пусто — нет)"),
    Column(
        "starts_on",
        "С",
        False,
        f"дата входа в состав, {DATE_FORMAT_HINT}; пусто — дата из формы",
        ("дата начала", "входит в состав с"),
    ),
    Column(
        "ends_on", "По", False, f"последний день в составе, {DATE_FORMAT_HINT}", ("дата окончания",)
    ),
    Column(
        "email",
        "Электронная почта",
        False,
        "для нового в справочнике человека",
        ("e-mail", "email", "эл. почта", "адрес электронной почты"),
    ),
)

YES = {"да", "д", "yes", "y", "+", "1", "истина", "true", "x", "х", "v", "✓"}
NO = {"", "нет", "н", "no", "n", "-", "–", "0", "ложь", "false"}
_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?$")


@dataclass(frozen=True)
class ImportResult:
    memberships: tuple[Membership, ...]
    people_created: int
    ignored_columns: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.memberships)


@dataclass
class _Row:
    number: int
    person: dict[str, str]
    organization: Organization
    post_title: str
    roles: list[str]
    by_agreement: bool
    starts_on: dt.date
    ends_on: dt.date | None


def _norm(value: object) -> str:
    """Header and name comparison: case, spacing and «ё» do not matter."""
    return fold(str(value).strip().strip(" *:"))


def _text(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _size(file: File | IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    position = file.tell()
    end = file.seek(0, io.SEEK_END)
    file.seek(position)
    return end


def _rows(file: File | IO[bytes]) -> Generator[tuple[int, tuple[Any, ...]], None, None]:
    """(Excel row number, cell values) of the first sheet."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:
        # openpyxl fails on a foreign file in many ways (BadZipFile, KeyError, XML errors …),
        # none of them documented; to the user they all mean the same thing.
        raise ValidationError(
            {
                "file": "Файл не является книгой Excel (.xlsx). Сохраните его в Excel "
                "как «Книга Excel (*.xlsx)» и загрузите снова."
            }
        ) from exc
    try:
        # Some programs write a wrong used range into the file; read what is really there.
        sheet.reset_dimensions()
        cells = enumerate(sheet.iter_rows(values_only=True), start=1)
        while True:
            try:
                number, values = next(cells)
            except StopIteration:
                return
            except Exception as exc:
                # A damaged sheet inside a valid archive fails only here, while reading.
                raise ValidationError(
                    {
                        "file": "Файл повреждён: лист не удаётся прочитать. Сохраните его в Excel заново."
                    }
                ) from exc
            yield number, tuple(values)
    finally:
        workbook.close()


def _blank(values: tuple[Any, ...]) -> bool:
    return all(_text(v) == "" for v in values)


def _header_map(values: tuple[Any, ...]) -> tuple[dict[str, int], list[str]]:
    """Column key → index, and the titles of the columns we do not know."""
    by_name: dict[str, Column] = {}
    for column in COLUMNS:
        for name in (column.title, *column.aliases):
            by_name[_norm(name)] = column
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, value in enumerate(values):
        title = _text(value)
        if not title:
            continue
        known = by_name.get(_norm(title))
        if known is None:
            ignored.append(title)
        elif known.key in found:
            raise ValidationError({"file": f"Столбец «{known.title}» указан в заголовке дважды."})
        else:
            found[known.key] = index
    return found, ignored


def _find_header(
    rows: Iterator[tuple[int, tuple[Any, ...]]],
) -> tuple[int, dict[str, int], list[str]]:
    first: tuple[int, tuple[Any, ...]] | None = None
    seen = 0
    for number, values in rows:
        if _blank(values):
            continue
        first = first or (number, values)
        columns, ignored = _header_map(values)
        if "last_name" in columns:
            return number, columns, ignored
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise ValidationError({"file": "Лист пуст: в файле нет ни заголовка, ни строк состава."})
    number, values = first
    columns, ignored = _header_map(values)
    return number, columns, ignored


def _date(value: Any, column: str) -> dt.date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = _text(value)
        match = _DATE_RE.match(text)
        try:
            if match:
                day, month, year = (int(g) for g in match.groups())
                return dt.date(year, month, day)
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(
        f"дата «{_text(value)}» в столбце «{column}» не распознана; "
        f"укажите её в виде {DATE_FORMAT_HINT}"
    )


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _norm(value) if value is not None else ""
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"в столбце «По согласованию» ожидается «да» или «нет», а указано «{value}»")


class _Organizations:
    """Organisations by exact name or short name, case-insensitive. Matched in Python: SQLite's
    case-insensitive comparison knows only Latin letters, and names here are Cyrillic."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[Organization]] = {}
        for org in Organization.objects.only("id", "name", "short_name", "is_active"):
            for name in {_norm(org.name), _norm(org.short_name)} - {""}:
                self._by_name.setdefault(name, []).append(org)

    def find(self, name: str) -> Organization:
        found = self._by_name.get(_norm(name), [])
        active = [o for o in found if o.is_active]
        if not found:
            raise ValueError(
                f"организация «{name}» не найдена в справочнике организаций; укажите полное "
                "или краткое наименование, как в справочнике, или сначала добавьте её туда"
            )
        if not active:
            raise ValueError(f"организация «{name}» в справочнике отмечена как не действующая")
        if len(active) > 1:
            names = "; ".join(o.name for o in active)
            raise ValueError(
                f"наименованию «{name}» соответствует несколько организаций ({names}); "
                "укажите полное наименование"
            )
        return active[0]


def _lower_first(message: str, keep: str) -> str:
    """«Строка 5: неизвестная роль …»: the message continues the sentence after the row
    number, so it starts in lower case, unless it starts with a surname."""
    if not message or (keep and message.casefold().startswith(keep.casefold())):
        return message
    return message[0].lower() + message[1:]


def _parse_row(
    number: int,
    values: tuple[Any, ...],
    columns: dict[str, int],
    organizations: _Organizations,
    default_starts_on: dt.date,
) -> tuple[_Row | None, list[str]]:
    def cell(key: str) -> Any:
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    problems: list[str] = []
    person = {
        "last_name": _text(cell("last_name")),
        "first_name": _text(cell("first_name")),
        "patronymic": _text(cell("patronymic")),
        "email": _text(cell("email")),
    }
    for key, label in (("last_name", "фамилия"), ("first_name", "имя")):
        if not person[key]:
            problems.append(f"не указано {label}" if key == "first_name" else f"не указана {label}")
    if person["email"]:
        try:
            validate_email(person["email"])
        except ValidationError:
            problems.append(f"адрес электронной почты «{person['email']}» указан неверно")

    post_title = _text(cell("post_title"))
    if not post_title:
        problems.append("не указана должность")

    organization: Organization | None = None
    org_name = _text(cell("organization"))
    if not org_name:
        problems.append("не указана организация")
    else:
        try:
            organization = organizations.find(org_name)
        except ValueError as exc:
            problems.append(str(exc))

    roles: list[str] = []
    raw_roles = [part for part in re.split(r"[,;\n]", _text(cell("roles"))) if part.strip()]
    if not raw_roles:
        problems.append("не указана роль")
    else:
        try:
            roles = services.clean_roles(raw_roles)
        except ValidationError as exc:
            problems.extend(_lower_first(m, "") for m in exc.messages)

    by_agreement = False
    try:
        by_agreement = _yes_no(cell("by_agreement"))
    except ValueError as exc:
        problems.append(str(exc))

    starts_on: dt.date | None = default_starts_on
    ends_on: dt.date | None = None
    try:
        starts_on = _date(cell("starts_on"), "С") or default_starts_on
    except ValueError as exc:
        problems.append(str(exc))
    try:
        ends_on = _date(cell("ends_on"), "По")
    except ValueError as exc:
        problems.append(str(exc))

    if problems or organization is None or starts_on is None:
        return None, [f"Строка {number}: {p.rstrip('.')}." for p in problems]
    return (
        _Row(
            number=number,
            person=person,
            organization=organization,
            post_title=post_title,
            roles=roles,
            by_agreement=by_agreement,
            starts_on=starts_on,
            ends_on=ends_on,
        ),
        [],
    )


def import_composition(
    *,
    actor: User | None,
    body: Body,
    file: File | IO[bytes],
    default_starts_on: dt.date,
    ground: str = "",
) -> ImportResult:
    """Add every row of the workbook to ``body``'s composition, or nothing.

    Rows are written one by one inside one outer transaction, each in its own savepoint, so
    that later rows are checked against earlier ones (a second chair, the same person twice,
    a post already taken) exactly as the services check them. Any error rolls the whole file
    back, people, posts and audit records included, and raises ``ValidationError`` whose
    ``messages`` are all the errors found, «Строка N: …» each. Errors about the file itself
    (not a workbook, too big, no header, missing columns) are raised under the ``file`` key.
    An organisation must already be in the directory: the import never creates one.
    """
    limit_mb = settings.UPLOAD_MAX_MB
    if _size(file) > limit_mb * 1024 * 1024:
        raise ValidationError({"file": f"Файл больше {limit_mb} МБ."})

    rows = _rows(file)
    try:
        header_row, columns, ignored = _find_header(rows)
        missing = [c.title for c in COLUMNS if c.required and c.key not in columns]
        if missing:
            raise ValidationError(
                {
                    "file": f"В строке заголовка (строка {header_row}) нет обязательных "
                    f"столбцов: {', '.join(f'«{m}»' for m in missing)}."
                }
            )

        organizations = _Organizations()
        parsed: list[_Row] = []
        errors: list[str] = []
        seen: dict[tuple[str, str, str], int] = {}
        count = 0
        for number, values in rows:
            if _blank(values):
                continue
            count += 1
            if count > MAX_ROWS:
                raise ValidationError({"file": f"В файле больше {MAX_ROWS} строк состава."})
            row, row_errors = _parse_row(number, values, columns, organizations, default_starts_on)
            errors.extend(row_errors)
            if row is None:
                continue
            key = (
                _norm(row.person["last_name"]),
                _norm(row.person["first_name"]),
                _norm(row.person["patronymic"]),
            )
            if key in seen:
                name = " ".join(
                    p
                    for p in (row.person[k] for k in ("last_name", "first_name", "patronymic"))
                    if p
                )
                errors.append(f"Строка {number}: {name} уже указан(а) в строке {seen[key]}.")
                continue
            seen[key] = number
            parsed.append(row)
    finally:
        rows.close()

    if not parsed and not errors:
        raise ValidationError(
            {"file": "В файле нет ни одной строки состава: заполните строки под заголовком."}
        )

    with transaction.atomic():
        people_before = Person.objects.count()
        created: list[Membership] = []
        for row in parsed:
            try:
                # membership_add_person is atomic itself: nested here, it is a savepoint, so
                # a refused row leaves no person or post behind while the others go on.
                membership = services.membership_add_person(
                    actor=actor,
                    body=body,
                    person_fields=row.person,
                    organization=row.organization,
                    post_title=row.post_title,
                    roles=row.roles,
                    starts_on=row.starts_on,
                    ends_on=row.ends_on,
                    by_agreement=row.by_agreement,
                    ground=ground,
                )
            except ValidationError as exc:
                errors.extend(
                    f"Строка {row.number}: {_lower_first(m, row.person['last_name'])}"
                    for m in exc.messages
                )
            else:
                created.append(membership)
        if errors:
            errors.sort(key=lambda m: int(m.split()[1].rstrip(":")))
            # Raising inside the block rolls back the rows that did go in.
            raise ValidationError(errors)
        audit.record(
            actor=actor,
            action="composition.import",
            target=body,
            body=body,
            after={
                "file": str(getattr(file, "name", "") or "")[:255],
                "memberships": [m.pk for m in created],
            },
            ground=ground,
        )
        return ImportResult(
            memberships=tuple(created),
            people_created=Person.objects.count() - people_before,
            ignored_columns=tuple(ignored),
        )


def sample_workbook(body: Body, day: dt.date) -> bytes:
    """An .xlsx to fill in: the header row and one example row that would import as is
    (its organisation is the body's own), plus a sheet explaining the columns."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = "Состав"
    sheet.append([c.title for c in COLUMNS])
    sheet.append(
        [
            "Иванов",
            "Иван",
            "Иванович",
            "начальник отдела",
            body.organization.name,
            Role.MEMBER.label,
            "нет",
            day,
            None,
            "",
        ]
    )
    bold = Font(bold=True)
    widths = {"Должность": 40, "Организация": 50, "Роль": 28, "Электронная почта": 28}
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = bold
        letter = header.column_letter
        sheet.column_dimensions[letter].width = widths.get(column.title, 16)
        if column.key in {"starts_on", "ends_on"}:
            # Dates typed into these columns show as the user expects them, ДД.ММ.ГГГГ.
            sheet.column_dimensions[letter].number_format = "DD.MM.YYYY"
            sheet.cell(row=2, column=index).number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A2"
    agreement_letter = sheet.cell(row=1, column=_index("by_agreement")).column_letter
    yes_no = DataValidation(type="list", formula1='"да,нет"', allow_blank=True)
    yes_no.add(f"{agreement_letter}2:{agreement_letter}{MAX_ROWS + 1}")
    sheet.add_data_validation(yes_no)

    help_sheet = workbook.create_sheet("Пояснения")
    help_sheet.append(["Столбец", "Обязательный", "Что писать"])
    for cell in help_sheet[1]:
        cell.font = bold
    for column in COLUMNS:
        help_sheet.append([column.title, "да" if column.required else "нет", column.hint])
    help_sheet.append([])
    help_sheet.append(
        [
            "Загружается первый лист. Если хотя бы одна строка содержит ошибку, "
            "не загружается ничего."
        ]
    )
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["B"].width = 14
    help_sheet.column_dimensions["C"].width = 90

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _index(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)
