"""Downloads of generated documents (plain URLs; no REST endpoint is needed for files)."""

from django.urls import URLPattern, path

from koordinator.documents import views

app_name = "documents"

urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/protocol.docx", views.protocol_docx, name="protocol_docx"),
    path("meetings/<int:pk>/protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("meetings/<int:pk>/agenda.docx", views.agenda_docx, name="agenda_docx"),
    path("meetings/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path(
        "meetings/<int:pk>/extracts/<int:org_pk>.docx",
        views.extract_docx,
        name="extract_docx",
    ),
]
