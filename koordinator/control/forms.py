"""Forms of the execution control pages. They check the shape of the input; the rules (who may
report, past dates, removal conditions, file types and sizes) live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from koordinator.bodies.forms import DateInput, OrganizationChoiceField
from koordinator.bodies.models import Body, Organization
from koordinator.control.models import Lifecycle, Report, ReportKind


def _organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(is_active=True).order_by("name")


class OrganizationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    organization = OrganizationChoiceField(
        label="От организации",
        queryset=Organization.objects,
        error_messages={
            "invalid_choice": "Отчитаться можно только за своё ведомство, если оно — "
            "исполнитель этого поручения."
        },
    )
    kind = forms.ChoiceField(
        label="Вид отчёта", choices=ReportKind.choices, initial=ReportKind.INTERIM
    )
    text = forms.CharField(label="Что сделано", widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label="Файлы", required=False)
    consolidates = forms.ModelMultipleChoiceField(
        label="Включить отчёты соисполнителей",
        queryset=Report.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        orgs: list[Organization],
        co_reports: QuerySet[Report] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "report_%s")
        super().__init__(*args, **kwargs)
        org_field = self.fields["organization"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = Organization.objects.filter(pk__in=[o.pk for o in orgs])
        self.orgs = orgs
        if orgs:
            org_field.initial = orgs[0].pk
        if len(orgs) == 1:
            # One agency: nothing to choose; an empty value means that agency.
            org_field.widget = forms.HiddenInput()
            org_field.required = False
        co_field = self.fields["consolidates"]
        assert isinstance(co_field, forms.ModelMultipleChoiceField)
        if co_reports is not None and co_reports.exists():
            co_field.queryset = co_reports
        else:
            del self.fields["consolidates"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A hidden field's error would not be shown next to it: show it for the whole form.
        for bound in self.hidden_fields():
            for error in list(bound.errors):
                self.add_error(None, error)
        return data

    def clean_organization(self) -> Organization | None:
        value: Organization | None = self.cleaned_data.get("organization")
        if value is None and len(self.orgs) == 1:
            return self.orgs[0]
        return value


class PaperReportForm(forms.Form):
    organization = OrganizationChoiceField(label="От организации", queryset=Organization.objects)
    kind = forms.ChoiceField(label="Вид отчёта", choices=ReportKind.choices)
    text = forms.CharField(label="Содержание отчёта", widget=forms.Textarea(attrs={"rows": 4}))
    received_on = forms.DateField(label="Дата поступления", widget=DateInput())
    letter = forms.CharField(
        label="Реквизиты письма", max_length=300, required=False, help_text="Например: № 12/345"
    )
    scan = forms.FileField(label="Скан отчёта (письма)", required=False)

    def __init__(self, *args: Any, orgs: list[Organization], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "paper_%s")
        super().__init__(*args, **kwargs)
        org_field = self.fields["organization"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = Organization.objects.filter(pk__in=[o.pk for o in orgs])


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Замечания", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExtensionForm(forms.Form):
    new_due_on = forms.DateField(label="Новый срок", widget=DateInput())
    reason = forms.CharField(label="Обоснование", widget=forms.Textarea(attrs={"rows": 2}))
    change = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "ext_%s")
        super().__init__(*args, **kwargs)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", "утвердить"), ("0", "отклонить")], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(label="Комментарий", required=False)


class RemovalForm(forms.Form):
    kind = forms.ChoiceField(
        label="Как снять",
        choices=[
            (Lifecycle.EXECUTED, "исполнено"),
            (Lifecycle.IRRELEVANT, "утратило актуальность"),
        ],
        widget=forms.RadioSelect,
        initial=Lifecycle.EXECUTED,
    )
    reason = forms.CharField(
        label="Основание",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Для «утратило актуальность» обязательно",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "removal_%s")
        super().__init__(*args, **kwargs)


class AssignmentForm(forms.Form):
    body = forms.ModelChoiceField(label="Контролирующий орган", queryset=Body.objects.none())
    number = forms.CharField(label="Номер пункта / поручения", max_length=50)
    document = forms.CharField(
        label="Документ",
        max_length=300,
        required=False,
        help_text="Например: протокол заседания АТК области от 01.11.2026 № 4",
    )
    document_date = forms.DateField(label="Дата документа", widget=DateInput())
    issuer = forms.CharField(label="Кем дано", max_length=300)
    text = forms.CharField(label="Содержание поручения", widget=forms.Textarea(attrs={"rows": 5}))
    lead_executor = OrganizationChoiceField(
        label="Ответственный исполнитель", queryset=_organizations()
    )
    co_executors = OrganizationsField(
        label="Соисполнители", queryset=_organizations(), required=False
    )
    deadline_text = forms.CharField(
        label="Срок (как записан)",
        max_length=300,
        required=False,
        help_text="Например: «до 1 декабря 2026 г.», «ежеквартально до 10 числа месяца, "
        "следующего за отчётным». Пусто и без даты — месяц со дня документа.",
    )
    due_on = forms.DateField(label="или срок датой", required=False, widget=DateInput())
    restricted = forms.BooleanField(label="Для служебного пользования (ДСП)", required=False)
    file = forms.FileField(label="Документ (скан)", required=False)

    def __init__(self, *args: Any, bodies: QuerySet[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body_field = self.fields["body"]
        assert isinstance(body_field, forms.ModelChoiceField)
        body_field.queryset = bodies
        self.fields["deadline_text"].widget.attrs.update(
            {"autocomplete": "off", "aria-describedby": "deadline-preview"}
        )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["co_executors"] = list(data["co_executors"])
        return data
