from django.urls import path

from koordinator.bodies import views

app_name = "bodies"

urlpatterns = [
    path("bodies/", views.body_list, name="list"),
    path("bodies/<int:pk>/", views.body_detail, name="detail"),
    path("bodies/<int:pk>/settings/", views.body_settings, name="settings"),
    path("bodies/<int:pk>/composition/add/", views.membership_add, name="membership_add"),
    path("bodies/<int:pk>/composition.docx", views.composition_docx, name="composition_docx"),
    path(
        "bodies/<int:pk>/composition/import/", views.composition_import, name="composition_import"
    ),
    path(
        "bodies/<int:pk>/composition/import/sample.xlsx",
        views.composition_import_sample,
        name="composition_import_sample",
    ),
    path("bodies/<int:pk>/history/", views.body_history, name="history"),
    path("bodies/<int:pk>/history.csv", views.body_history_csv, name="history_csv"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_edit, name="organization_new"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
]
