from django.urls import URLPattern, path

from koordinator.meetings import views_agenda as v
from koordinator.meetings import views_plan as p

urlpatterns: list[URLPattern] = [
    # meetings
    path("bodies/<int:pk>/meetings/", v.body_meetings, name="body_meetings"),
    path("bodies/<int:pk>/meetings/new/", v.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", v.meeting_detail, name="detail"),
    path("meetings/<int:pk>/edit/", v.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", v.meeting_cancel, name="meeting_cancel"),
    # agenda
    path("meetings/<int:pk>/agenda/add/", v.agenda_item_add, name="agenda_item_add"),
    path("meetings/<int:pk>/agenda/control/", v.agenda_control_add, name="agenda_control_add"),
    path("meetings/<int:pk>/agenda/approve/", v.agenda_approve, name="agenda_approve"),
    path("agenda-items/<int:pk>/", v.agenda_item_edit, name="agenda_item_edit"),
    path("agenda-items/<int:pk>/move/", v.agenda_item_move, name="agenda_item_move"),
    path("agenda-items/<int:pk>/delete/", v.agenda_item_delete, name="agenda_item_delete"),
    path("agenda-items/<int:pk>/rapporteurs/", v.rapporteur_add, name="rapporteur_add"),
    path("rapporteurs/<int:pk>/delete/", v.rapporteur_delete, name="rapporteur_delete"),
    path("agenda-items/<int:pk>/materials/", v.material_upload, name="material_upload"),
    path("materials/<int:pk>/", v.material_download, name="material_download"),
    path("materials/<int:pk>/delete/", v.material_delete, name="material_delete"),
    # work plans
    path("bodies/<int:pk>/plans/", p.body_plans, name="body_plans"),
    path("plans/<int:pk>/", p.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/questions/", p.plan_question_add, name="plan_question_add"),
    path("plans/<int:pk>/approve/", p.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/meeting/", p.plan_meeting, name="plan_meeting"),
    path("plan-questions/<int:pk>/", p.plan_question_edit, name="plan_question_edit"),
    path("plan-questions/<int:pk>/move/", p.plan_question_move, name="plan_question_move"),
    path("plan-questions/<int:pk>/delete/", p.plan_question_delete, name="plan_question_delete"),
    path("plan-questions/<int:pk>/outcome/", p.plan_question_outcome, name="plan_question_outcome"),
]
