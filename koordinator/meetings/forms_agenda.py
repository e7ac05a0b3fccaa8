"""Forms of the work plan, meeting and agenda pages. They check input shape; the rules (the
«О …» wording, times in order, who may be presiding, file types and sizes) live in the
services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from koordinator.bodies.forms import DateInput, OrganizationChoiceField
from koordinator.bodies.models import Body, Organization, Person
from koordinator.meetings.models import (
    MeetingFormat,
    MeetingKind,
    PlannedQuestion,
    QuestionOutcome,
    RapporteurRole,
)
from koordinator.meetings.services_meeting import StudioIn

QUARTERS = [(1, "I квартал"), (2, "II квартал"), (3, "III квартал"), (4, "IV квартал")]


def _organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(is_active=True).order_by("name")


class OrganizationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


# --- work plan -------------------------------------------------------------------------------


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label="Год", min_value=2000, max_value=2100)


class QuestionForm(forms.Form):
    quarter = forms.TypedChoiceField(label="Квартал", choices=QUARTERS, coerce=int)
    title = forms.CharField(
        label="Вопрос",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Начинается с «О », «Об » или «Обо »",
    )
    rapporteurs = forms.CharField(
        label="Ответственные (докладчики)",
        max_length=1000,
        required=False,
        help_text="Например: начальник УМВД России по городу Энску",
    )
    organizations = OrganizationsField(
        label="Ответственные органы", queryset=_organizations(), required=False
    )


class QuestionOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Решение по вопросу", choices=QuestionOutcome.choices)
    outcome_note = forms.CharField(label="Причина / куда перенесён", max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "outcome_%s")
        super().__init__(*args, **kwargs)


# --- meetings --------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    """A meeting of ``body``; times are wall time in the body's time zone."""

    kind = forms.ChoiceField(label="Вид", choices=MeetingKind.choices)
    format = forms.ChoiceField(label="Форма", choices=MeetingFormat.choices)
    date = forms.DateField(label="Дата", widget=DateInput())
    starts_at = forms.TimeField(label="Начало", widget=TimeInput())
    ends_at = forms.TimeField(label="Окончание", widget=TimeInput(), required=False)
    place = forms.CharField(label="Место проведения", max_length=500, required=False)
    vks_link = forms.CharField(label="Ссылка на ВКС", max_length=500, required=False)
    studios = forms.CharField(
        label="Студии ВКС",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="По одной в строке: «название; адрес»",
    )
    presiding = PersonChoiceField(
        label="Председательствующий",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— по составу —",
        help_text="Если не выбран — председатель по составу на дату заседания",
    )
    secretary = PersonChoiceField(
        label="Секретарь",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— по составу —",
        help_text="Если не выбран — секретарь по составу на дату заседания",
    )
    other_bodies = forms.ModelMultipleChoiceField(
        label="Совместное заседание с органами",
        queryset=Body.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        bodies: QuerySet[Body],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        people_field = self.fields["presiding"]
        assert isinstance(people_field, forms.ModelChoiceField)
        people_field.queryset = people
        secretary_field = self.fields["secretary"]
        assert isinstance(secretary_field, forms.ModelChoiceField)
        secretary_field.queryset = people
        bodies_field = self.fields["other_bodies"]
        assert isinstance(bodies_field, forms.ModelMultipleChoiceField)
        bodies_field.queryset = bodies
        if not bodies.exists():
            del self.fields["other_bodies"]

    def clean_studios(self) -> list[StudioIn]:
        out = []
        for line in self.cleaned_data["studios"].splitlines():
            if not line.strip():
                continue
            name, _, address = line.partition(";")
            out.append(StudioIn(name=name.strip(), address=address.strip()))
        return out

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as the meeting services take it (naive wall-time datetimes)."""
        data = self.cleaned_data
        day: dt.date = data["date"]
        ends = data.get("ends_at")
        return {
            "kind": data["kind"],
            "format": data["format"],
            "starts_at": dt.datetime.combine(day, data["starts_at"]),
            "ends_at": dt.datetime.combine(day, ends) if ends else None,
            "place": data["place"],
            "vks_link": data["vks_link"],
            "presiding": data["presiding"],
            "secretary": data["secretary"],
            "studios": data["studios"],
            "other_bodies": list(data.get("other_bodies") or []),
        }


class PlanMeetingForm(MeetingForm):
    questions = forms.ModelMultipleChoiceField(
        label="Вопросы плана в повестку",
        queryset=PlannedQuestion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, questions: QuerySet[PlannedQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["questions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = questions


class CancelForm(forms.Form):
    reason = forms.CharField(label="Причина отмены", max_length=500, required=False)


# --- agenda ----------------------------------------------------------------------------------


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label="Вопрос",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Начинается с «О », «Об » или «Обо »",
    )
    duration_minutes = forms.IntegerField(
        label="Регламент, мин", min_value=1, max_value=600, required=False
    )
    materials_due_on = forms.DateField(
        label="Материалы представить до",
        widget=DateInput(),
        required=False,
        help_text="Если не указано — за установленное положением число дней до заседания",
    )
    restricted = forms.BooleanField(label="ДСП (для служебного пользования)", required=False)


class RapporteurForm(forms.Form):
    role = forms.ChoiceField(label="Роль", choices=RapporteurRole.choices)
    person = PersonChoiceField(
        label="Должностное лицо (член состава или приглашённый)",
        queryset=Person.objects.none(),
        required=False,
    )
    organization = OrganizationChoiceField(
        label="Организация", queryset=_organizations(), required=False
    )
    position = forms.CharField(label="Должность", max_length=500, required=False)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "rap_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class MaterialForm(forms.Form):
    file = forms.FileField(label="Файл")
    title = forms.CharField(label="Наименование", max_length=500, required=False)
    organization = OrganizationChoiceField(
        label="От организации", queryset=_organizations(), required=False
    )
    restricted = forms.BooleanField(label="ДСП", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "mat_%s")
        super().__init__(*args, **kwargs)
