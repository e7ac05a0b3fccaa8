"""Forms of the body pages. They check input shape; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from koordinator.bodies.models import Body, Gender, Organization, Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class OrganizationChoiceField(forms.ModelChoiceField):
    """Organisations by full name, in the order they are sorted by (short names, which
    ``str()`` gives, would look unsorted)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MembershipAddForm(forms.Form):
    last_name = forms.CharField(label="Фамилия", max_length=100)
    first_name = forms.CharField(label="Имя", max_length=100)
    patronymic = forms.CharField(label="Отчество", max_length=100, required=False)
    gender = forms.ChoiceField(label="Пол", choices=[("", "—"), *Gender.choices], required=False)
    email = forms.EmailField(label="Электронная почта", required=False)
    organization = OrganizationChoiceField(
        label="Организация", queryset=Organization.objects.filter(is_active=True).order_by("name")
    )

    post_title = forms.CharField(label="Должность", max_length=500)
    roles = forms.MultipleChoiceField(
        label="Роли",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Role.MEMBER],
    )
    by_agreement = forms.BooleanField(label="По согласованию", required=False)
    starts_on = forms.DateField(label="Входит в состав с", widget=DateInput())
    ends_on = forms.DateField(label="По", widget=DateInput(), required=False)
    ground = forms.CharField(
        label="Основание",
        max_length=500,
        required=False,
        help_text="Например: распоряжение от 12.03.2026 № 45-р",
    )


class MembershipEditForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Роли", choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    by_agreement = forms.BooleanField(label="По согласованию", required=False)
    starts_on = forms.DateField(label="Входит в состав с", widget=DateInput())
    ends_on = forms.DateField(label="По", widget=DateInput(), required=False)
    ground = forms.CharField(label="Основание изменения", max_length=500, required=False)


class MembershipEndForm(forms.Form):
    ends_on = forms.DateField(label="Последний день в составе", widget=DateInput())
    ground = forms.CharField(label="Основание", max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Shown on the same page as the edit form: its own ids keep every label on its input.
        kwargs.setdefault("auto_id", "end_%s")
        super().__init__(*args, **kwargs)


class BodySettingsForm(forms.ModelForm):
    ground = forms.CharField(label="Основание изменения", max_length=500, required=False)

    class Meta:
        model = Body
        fields = [
            "name",
            "short_name",
            "kind",
            "established_by",
            "timezone",
            *Body.REGULATION_FIELDS,
        ]
        widgets = {"term_started_on": DateInput()}


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "parent",
            "level",
            "territory",
            "kind",
            "email",
            "is_active",
        ]


class CompositionImportForm(forms.Form):
    file = forms.FileField(label="Файл XLSX")
    starts_on = forms.DateField(
        label="Дата, с которой действует состав (если в файле не указана)", widget=DateInput()
    )
    ground = forms.CharField(label="Основание", max_length=500, required=False)
