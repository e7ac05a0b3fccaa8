from django.urls import URLPattern, path

from koordinator.meetings import views_invitations

urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/attendance/", views_invitations.attendance, name="attendance"),
    path("meetings/<int:pk>/invitations/", views_invitations.invitations, name="invitations"),
]
