"""Composition import from XLSX: the service and its pages."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from koordinator.bodies.imports import import_composition
from koordinator.bodies.models import Membership, Person, Post
from koordinator.core.models import AuditRecord
from koordinator.documents.responses import XLSX

HEADER = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Должность",
    "Организация",
    "Роль",
    "По согласованию",
    "С",
    "По",
]
START = dt.date(2026, 3, 1)


def row(
    last: str,
    *,
    first: str = "Иван",
    patronymic: str = "Иванович",
    post: str | None = None,
    org: str = "УМВД",
    role: str = "член",
    agreement: Any = "",
    starts: Any = None,
    ends: Any = None,
) -> list[Any]:
    return [
        last,
        first,
        patronymic,
        post or f"инспектор {last}",
        org,
        role,
        agreement,
        starts,
        ends,
    ]


def xlsx(rows: list[list[Any]], header: list[Any] | None = None, above: int = 0) -> bytes:
    """A workbook built in memory: ``above`` title rows, the header, then ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    for _ in range(above):
        sheet.append(["Состав рабочей группы"])
    sheet.append(header if header is not None else HEADER)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "состав.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def counts() -> tuple[int, int, int, int]:
    return (
        Membership.objects.count(),
        Person.objects.count(),
        Post.objects.count(),
        AuditRecord.objects.count(),
    )


def run(cast, content: bytes, ground: str = "распоряжение от 01.03.2026 № 45-р"):
    return import_composition(
        actor=cast.secretary,
        body=cast.body,
        file=upload(content),
        default_starts_on=START,
        ground=ground,
    )


def errors_of(cast, content: bytes) -> list[str]:
    """The import's messages; asserts that it wrote nothing at all."""
    before = counts()
    with pytest.raises(ValidationError) as info:
        run(cast, content)
    assert counts() == before
    return info.value.messages


# --- a good file -----------------------------------------------------------------------------


def test_good_file_imports_every_row_with_audit(cast):
    before = counts()
    content = xlsx(
        [
            row(
                "Сидоров",
                role="Заместитель председателя",
                org="умвд",
                starts=dt.datetime(2026, 2, 1),
            ),
            row(
                "Кузнецова",
                first="Анна",
                patronymic="Петровна",
                agreement="да",
                starts="15.02.2026",
            ),
            row("Орлов", patronymic="", org="Администрация города Энска", role="член, секретарь"),
        ]
    )
    result = run(cast, content)

    assert result.count == 3
    assert result.people_created == 3
    assert counts()[0] == before[0] + 3
    assert counts()[1] == before[1] + 3
    by_name = {m.person.last_name: m for m in result.memberships}
    sidorov, kuznetsova, orlov = by_name["Сидоров"], by_name["Кузнецова"], by_name["Орлов"]
    assert sidorov.roles == ["deputy_chair"]
    assert sidorov.post.organization == cast.police
    assert sidorov.starts_on == dt.date(2026, 2, 1)
    assert kuznetsova.by_agreement is True
    assert kuznetsova.starts_on == dt.date(2026, 2, 15)
    assert orlov.roles == ["secretary", "member"]
    assert orlov.starts_on == START  # no date in the file: the form's date
    assert orlov.person.patronymic == ""
    assert all(m.ground == "распоряжение от 01.03.2026 № 45-р" for m in result.memberships)

    records = AuditRecord.objects.filter(body=cast.body, action="membership.add")
    assert records.count() == 3 + 3  # three from the cast, three imported
    imported = records.filter(target_id__in=[str(m.pk) for m in result.memberships])
    assert {r.actor for r in imported} == {cast.secretary}
    assert {r.ground for r in imported} == {"распоряжение от 01.03.2026 № 45-р"}
    assert AuditRecord.objects.filter(action="person.create", actor=cast.secretary).count() == 3
    # Per row: the new person, the new post, the membership; and one record for the file.
    assert counts()[3] == before[3] + 3 * 3 + 1
    summary = AuditRecord.objects.get(action="composition.import")
    assert summary.body == cast.body
    assert summary.after is not None
    assert sorted(summary.after["memberships"]) == sorted(m.pk for m in result.memberships)


def test_columns_in_any_order_any_case_with_title_rows_above(cast):
    header = [
        "роль",
        " ФАМИЛИЯ ",
        "Организация",
        "Имя",
        "Должность",
        "Примечание",
        "Электронная почта",
    ]
    content = xlsx(
        [
            [
                "член",
                "Лебедев",
                "УМВД России по городу Энску",
                "Олег",
                "дознаватель",
                "—",
                "l@example.ru",
            ]
        ],
        header=header,
        above=2,
    )
    result = run(cast, content)
    assert result.count == 1
    membership = result.memberships[0]
    assert membership.person.full_name == "Лебедев Олег"
    assert membership.person.email == "l@example.ru"
    assert result.ignored_columns == ("Примечание",)


def test_existing_person_is_reused(cast):
    person = Person.objects.create(last_name="Гусев", first_name="Иван", patronymic="Иванович")
    result = run(cast, xlsx([row("Гусев")]))
    assert result.memberships[0].person == person
    assert result.people_created == 0


def test_blank_rows_are_skipped(cast):
    content = xlsx([row("Белов"), [None] * 9, ["", " ", None], row("Чернов")])
    assert run(cast, content).count == 2


# --- bad input: a clear message naming the row, and nothing written ---------------------------


def test_not_a_workbook(cast):
    assert errors_of(cast, b"%PDF-1.4 this is not a spreadsheet") == [
        "Файл не является книгой Excel (.xlsx). Сохраните его в Excel как "
        "«Книга Excel (*.xlsx)» и загрузите снова."
    ]


def test_zip_that_is_not_a_workbook(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    [message] = errors_of(cast, buffer.getvalue())
    assert message.startswith("Файл не является книгой Excel (.xlsx)")


def test_missing_required_columns_are_named(cast):
    header = ["Фамилия", "Отчество", "Должность", "Роль"]
    [message] = errors_of(cast, xlsx([["Иванов", "Иванович", "инспектор", "член"]], header=header))
    assert (
        message == "В строке заголовка (строка 1) нет обязательных столбцов: «Имя», «Организация»."
    )


def test_empty_sheet(cast):
    workbook = Workbook()
    out = io.BytesIO()
    workbook.save(out)
    [message] = errors_of(cast, out.getvalue())
    assert message.startswith("Лист пуст")


def test_header_without_rows(cast):
    [message] = errors_of(cast, xlsx([]))
    assert message.startswith("В файле нет ни одной строки состава")


def test_file_over_the_size_limit(cast, settings):
    settings.UPLOAD_MAX_MB = 1
    [message] = errors_of(cast, b"x" * (1024 * 1024 + 1))
    assert message == "Файл больше 1 МБ."


def test_duplicate_member_in_the_file(cast):
    messages = errors_of(cast, xlsx([row("Зайцев"), row("Волков"), row("ЗАЙЦЕВ", post="другая")]))
    assert messages == ["Строка 4: ЗАЙЦЕВ Иван Иванович уже указан(а) в строке 2."]


def test_member_already_in_the_composition(cast):
    existing = cast.member.person
    content = xlsx(
        [row(existing.last_name, first=existing.first_name, patronymic=existing.patronymic)]
    )
    [message] = errors_of(cast, content)
    assert message.startswith(f"Строка 2: {existing.full_name} уже входит в состав")


def test_post_taken_twice_in_the_file(cast):
    content = xlsx([row("Зайцев", post="начальник штаба"), row("Волков", post="начальник штаба")])
    [message] = errors_of(cast, content)
    assert message.startswith(
        "Строка 3: должность «начальник штаба» уже занята: Зайцев Иван Иванович"
    )


def test_end_before_start(cast):
    content = xlsx([row("Зайцев", starts="10.03.2026", ends="01.03.2026")])
    assert errors_of(cast, content) == [
        "Строка 2: дата окончания членства не может быть раньше даты начала."
    ]


def test_unknown_role(cast):
    [message] = errors_of(cast, xlsx([row("Зайцев", role="зам")]))
    assert message.startswith("Строка 2: неизвестная роль «зам». Допустимые: председатель")


def test_empty_role(cast):
    assert errors_of(cast, xlsx([row("Зайцев", role="")])) == ["Строка 2: не указана роль."]


def test_second_chair(cast):
    [message] = errors_of(cast, xlsx([row("Зайцев", role="председатель")]))
    assert message == (
        f"Строка 2: председатель уже назначен: {cast.chair.person.full_name}. "
        "По положению у органа один председатель."
    )


def test_unknown_organisation_is_not_created(cast):
    from koordinator.bodies.models import Organization

    organisations = Organization.objects.count()
    [message] = errors_of(cast, xlsx([row("Зайцев", org="ООО «Ромашка»")]))
    assert message.startswith(
        "Строка 2: организация «ООО «Ромашка»» не найдена в справочнике организаций"
    )
    assert Organization.objects.count() == organisations


@pytest.mark.parametrize("bad", ["31.02.2026", "2026", "вчера", 46000, "01.03.26"])
def test_unreadable_date(cast, bad):
    [message] = errors_of(cast, xlsx([row("Зайцев", starts=bad)]))
    assert message == (
        f"Строка 2: дата «{bad}» в столбце «С» не распознана; укажите её в виде ДД.ММ.ГГГГ."
    )


def test_unreadable_by_agreement(cast):
    [message] = errors_of(cast, xlsx([row("Зайцев", agreement="возможно")]))
    assert message.startswith("Строка 2: в столбце «По согласованию» ожидается «да» или «нет»")


def test_all_errors_reported_in_row_order_and_good_rows_rolled_back(cast):
    content = xlsx(
        [
            row("Хорошев"),  # good: written first, then rolled back
            row("Плохов", role="зам"),
            row("Новиков", org="Неизвестная контора", starts="99.99.2026"),
            row("Хорошева", first="Анна"),  # good
            row("Хорошев"),  # the same person as row 2
            row("Председателев", role="председатель"),
        ],
        above=1,
    )
    messages = errors_of(cast, content)
    numbers = [m.split(":")[0] for m in messages]
    assert numbers == ["Строка 4", "Строка 5", "Строка 5", "Строка 7", "Строка 8"]
    assert "неизвестная роль «зам»" in messages[0]
    assert "организация «Неизвестная контора» не найдена" in messages[1]
    assert "дата «99.99.2026»" in messages[2]
    assert "Хорошев Иван Иванович уже указан(а) в строке 3" in messages[3]
    assert "председатель уже назначен" in messages[4]
    assert not Person.objects.filter(last_name__in=["Хорошев", "Хорошева"]).exists()


# --- pages -----------------------------------------------------------------------------------


def import_url(cast) -> str:
    return f"/bodies/{cast.body.pk}/composition/import/"


def post_file(client, cast, content: bytes):
    return client.post(
        import_url(cast),
        {"file": upload(content), "starts_on": "2026-03-01", "ground": "распоряжение № 45-р"},
    )


def test_import_page_for_the_secretary(cast):
    response = cast.client(cast.secretary).get(import_url(cast))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f"/bodies/{cast.body.pk}/composition/import/sample.xlsx" in page


def test_import_through_the_page(cast, monkeypatch):
    monkeypatch.setattr("koordinator.bodies.selectors.today", lambda: dt.date(2026, 3, 10))
    client = cast.client(cast.secretary)
    response = post_file(client, cast, xlsx([row("Зайцев"), row("Волков", agreement="да")]))
    assert response.status_code == 302
    assert response["Location"] == f"/bodies/{cast.body.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Загружено членов состава: 2" in page
    assert "Зайцев Иван Иванович" in page
    assert set(
        Membership.objects.filter(person__last_name__in=["Зайцев", "Волков"]).values_list(
            "ground", flat=True
        )
    ) == {"распоряжение № 45-р"}


def test_import_in_the_future_shows_that_day(cast, monkeypatch):
    monkeypatch.setattr("koordinator.bodies.selectors.today", lambda: dt.date(2026, 3, 10))
    response = post_file(
        cast.client(cast.secretary), cast, xlsx([row("Зайцев", starts="01.05.2026")])
    )
    assert response["Location"] == f"/bodies/{cast.body.pk}/?on=2026-05-01"


def test_page_shows_every_row_error_and_writes_nothing(cast):
    before = counts()
    content = xlsx([row("Зайцев", role="зам"), row("Волков"), row("Гусев", org="Нет такой")])
    response = post_file(cast.client(cast.secretary), cast, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Строка 2: неизвестная роль «зам»" in page
    assert "Строка 4: организация «Нет такой» не найдена" in page
    assert counts() == before


def test_page_shows_file_error_on_the_field(cast):
    response = post_file(cast.client(cast.secretary), cast, b"not an xlsx")
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["file"][0]
        .startswith("Файл не является книгой Excel (.xlsx)")
    )


def test_sample_downloads_and_imports_as_is(cast):
    client = cast.client(cast.secretary)
    response = client.get(f"/bodies/{cast.body.pk}/composition/import/sample.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert f'filename="composition-sample-{cast.body.pk}.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Фамилия", "Имя", "Отчество", "Должность", "Организация", "Роль"]
    assert "Электронная почта" in header
    # The example row is a real one: the sample imports without edits.
    result = run(cast, response.content)
    assert result.count == 1
    assert result.memberships[0].post.organization == cast.body.organization


@pytest.mark.parametrize("path", ["", "sample.xlsx"])
def test_outsider_gets_404(cast, path):
    response = cast.client(cast.outsider).get(import_url(cast) + path)
    assert response.status_code == 404


@pytest.mark.parametrize("user", ["member", "chair", "observer"])
@pytest.mark.parametrize("path", ["", "sample.xlsx"])
def test_read_only_users_get_403(cast, user, path):
    response = cast.client(getattr(cast, user)).get(import_url(cast) + path)
    assert response.status_code == 403


def test_read_only_user_cannot_post(cast):
    before = counts()
    response = post_file(cast.client(cast.member), cast, xlsx([row("Зайцев")]))
    assert response.status_code == 403
    assert counts() == before


def test_outsider_cannot_post(cast):
    before = counts()
    response = post_file(cast.client(cast.outsider), cast, xlsx([row("Зайцев")]))
    assert response.status_code == 404
    assert counts() == before
