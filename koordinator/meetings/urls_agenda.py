from django.urls import URLPattern, path

from koordinator.meetings import views_agenda

urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/", views_agenda.meeting_detail, name="detail"),
]
