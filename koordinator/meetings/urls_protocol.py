from django.urls import URLPattern, path

from koordinator.meetings import views_protocol as v
from koordinator.meetings import views_protocol_lifecycle as lc

urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/protocol/", v.protocol_edit, name="protocol"),
    path("meetings/<int:pk>/protocol/settings/", v.protocol_settings, name="protocol_settings"),
    path("meetings/<int:pk>/protocol/deadline/", v.deadline_preview, name="protocol_deadline"),
    path("meetings/<int:pk>/protocol/submit/", lc.protocol_submit, name="protocol_submit"),
    path("meetings/<int:pk>/protocol/sign/", lc.protocol_sign, name="protocol_sign"),
    path("meetings/<int:pk>/protocol/correct/", lc.protocol_correct, name="protocol_correct"),
    path(
        "meetings/<int:pk>/protocol/distribute/",
        lc.protocol_distribute,
        name="protocol_distribute",
    ),
    path("meetings/protocol/items/<int:pk>/", v.item_minutes, name="protocol_item"),
    path("meetings/protocol/items/<int:pk>/speeches/", v.speech_add, name="protocol_speech_add"),
    path(
        "meetings/protocol/items/<int:pk>/decisions/",
        v.decision_add,
        name="protocol_decision_add",
    ),
    path("meetings/protocol/speeches/<int:pk>/", v.speech_save, name="protocol_speech"),
    path(
        "meetings/protocol/speeches/<int:pk>/delete/",
        v.speech_delete,
        name="protocol_speech_delete",
    ),
    path("meetings/protocol/speeches/<int:pk>/move/", v.speech_move, name="protocol_speech_move"),
    path("meetings/protocol/decisions/<int:pk>/", v.decision_save, name="protocol_decision"),
    path(
        "meetings/protocol/decisions/<int:pk>/delete/",
        v.decision_delete,
        name="protocol_decision_delete",
    ),
    path(
        "meetings/protocol/decisions/<int:pk>/move/",
        v.decision_move,
        name="protocol_decision_move",
    ),
]
