"""Forms of the invitation, reply and attendance pages. They check input shape; the rules
(a substitute needs a name, a reason for an absence …) live in the services."""

from __future__ import annotations

from django import forms

from koordinator.bodies.forms import OrganizationChoiceField
from koordinator.bodies.models import Organization
from koordinator.meetings.models import AttendanceStatus, InvitationResponse

REPLY_CHOICES = [
    (InvitationResponse.ATTEND.value, "Буду лично"),
    (InvitationResponse.SUBSTITUTE.value, "Направлю замещающее лицо"),
    (InvitationResponse.ABSENT.value, "Не смогу присутствовать"),
]


class InviteeForm(forms.Form):
    last_name = forms.CharField(label="Фамилия", max_length=100)
    first_name = forms.CharField(label="Имя", max_length=100)
    patronymic = forms.CharField(label="Отчество", max_length=100, required=False)
    organization = OrganizationChoiceField(
        label="Организация",
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    position = forms.CharField(label="Должность", max_length=500, required=False)
    email = forms.EmailField(label="Электронная почта", required=False)


class SendForm(forms.Form):
    resend = forms.BooleanField(
        label="Разослать повторно всем (после изменения даты, места или повестки)",
        required=False,
    )


class ReplyForm(forms.Form):
    response = forms.ChoiceField(label="Ваш ответ", choices=REPLY_CHOICES, widget=forms.RadioSelect)
    substitute_name = forms.CharField(
        label="Замещающее лицо (фамилия, имя, отчество)", max_length=300, required=False
    )
    substitute_position = forms.CharField(
        label="Должность замещающего лица", max_length=500, required=False
    )
    reason = forms.CharField(label="Причина отсутствия", max_length=500, required=False)


class ReplyByHandForm(ReplyForm):
    """The secretary records a reply received by telephone or letter."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    response = forms.ChoiceField(
        label="Ответ",
        choices=[(InvitationResponse.PENDING.value, "нет ответа"), *REPLY_CHOICES],
    )


class AttendanceForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Отметка", choices=AttendanceStatus.choices)
    substitute_name = forms.CharField(label="Замещающее лицо", max_length=300, required=False)
    substitute_position = forms.CharField(label="Его должность", max_length=500, required=False)
    absence_reason = forms.CharField(label="Причина отсутствия", max_length=500, required=False)


class AttendedForm(forms.Form):
    attended = forms.BooleanField(label="Присутствовал", required=False)
