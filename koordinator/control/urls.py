"""Pages of execution control. Every view checks access through ``control.permissions``."""

from django.urls import path

from koordinator.control import views, views_actions, views_export

app_name = "control"

urlpatterns = [
    path("control/", views.register, name="register"),
    path("control/inbox/", views.inbox, name="inbox"),
    path("control/summary/", views_export.summary, name="summary"),
    path("control/export.xlsx", views_export.register_xlsx, name="export_xlsx"),
    path("control/export.docx", views_export.register_docx, name="export_docx"),
    path("control/assignments/new/", views.assignment_new, name="assignment_new"),
    path("control/assignments/<int:pk>/", views.assignment_card, name="assignment"),
    path("control/assignments/<int:pk>/file/", views.assignment_file, name="assignment_file"),
    path(
        "control/assignments/<int:pk>/removal/",
        views_actions.removal_propose,
        name="removal_propose",
    ),
    path("control/points/<int:pk>/report/", views_actions.report_submit, name="report_submit"),
    path("control/points/<int:pk>/paper/", views_actions.report_paper, name="report_paper"),
    path(
        "control/points/<int:pk>/extension/",
        views_actions.extension_request,
        name="extension_request",
    ),
    path(
        "control/points/<int:pk>/extension/propose/",
        views_actions.extension_propose,
        name="extension_propose",
    ),
    path("control/reports/<int:pk>/accept/", views_actions.report_accept, name="report_accept"),
    path("control/reports/<int:pk>/return/", views_actions.report_return, name="report_return"),
    path("control/report-files/<int:pk>/", views.report_file, name="report_file"),
    path(
        "control/extensions/<int:pk>/decide/",
        views_actions.extension_decide,
        name="extension_decide",
    ),
    path("control/removals/<int:pk>/decide/", views_actions.removal_decide, name="removal_decide"),
    path(
        "meetings/<int:meeting_id>/control/",
        views_export.agenda_control,
        name="agenda_control",
    ),
    path(
        "meetings/<int:meeting_id>/control/<int:pk>/add/",
        views_export.agenda_add,
        name="agenda_add",
    ),
]
