"""Forms of the protocol editor. They check the input's shape; the rules live in
``services_protocol`` and ``services_protocol_lifecycle``. Every editing form carries the
protocol ``version`` it was opened at.

Choices (organisations, speakers) are passed in as plain lists, read once per page, so that
twenty decision forms do not make twenty queries."""

from __future__ import annotations

from typing import Any

from django import forms

from koordinator.meetings.models import ProtocolForm


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProtocolSettingsForm(VersionedForm):
    form = forms.ChoiceField(label="Форма протокола", choices=ProtocolForm.choices)
    restricted = forms.BooleanField(label="Для служебного пользования (ДСП)", required=False)


class ItemMinutesForm(VersionedForm):
    heard_summary = forms.CharField(
        label="СЛУШАЛИ: кратко",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    report_attached = forms.BooleanField(label="Текст доклада прилагается", required=False)
    restricted = forms.BooleanField(label="Вопрос ДСП", required=False)


class SpeechForm(VersionedForm):
    person = forms.TypedChoiceField(label="Выступил", required=False, coerce=int, empty_value=None)
    speaker = forms.CharField(
        label="или (нет в списке)",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "Фамилия И.О., должность"}),
    )
    summary = forms.CharField(
        label="Кратко", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "— выберите —"), *people]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not (data.get("speaker") or "").strip():
            self.add_error("person", "Укажите, кто выступил.")
        return data


class DecisionForm(VersionedForm):
    text = forms.CharField(
        label="Текст решения",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead_executor = forms.TypedChoiceField(
        label="Ответственный исполнитель", required=False, coerce=int, empty_value=None
    )
    co_executors = forms.TypedMultipleChoiceField(
        label="Соисполнители",
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    deadline_text = forms.CharField(
        label="Срок (словами)",
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={"placeholder": "до 1 декабря 2026 г., ежеквартально до 5 числа…"}
        ),
    )
    due_on = forms.DateField(label="или дата", required=False, widget=DateInput())
    votes_for = forms.IntegerField(label="За", required=False, min_value=0)
    votes_against = forms.IntegerField(label="Против", required=False, min_value=0)
    votes_abstained = forms.IntegerField(label="Воздержались", required=False, min_value=0)
    dissent = forms.CharField(
        label="Особое мнение", required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    restricted = forms.BooleanField(label="ДСП", required=False)
    # Set by Ctrl+Enter: save, then add the next decision.
    next = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_executor"].choices = [("", "— не выбран —"), *organizations]  # type: ignore[attr-defined]
        self.fields["co_executors"].choices = organizations  # type: ignore[attr-defined]


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="Причина исправления",
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": "Например: опечатка в сроке решения 1.2"}),
    )


class MoveForm(VersionedForm):
    direction = forms.ChoiceField(choices=[("up", "выше"), ("down", "ниже")], required=False)
    to_item = forms.IntegerField(required=False)
