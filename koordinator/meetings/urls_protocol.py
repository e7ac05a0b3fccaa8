from django.urls import URLPattern, path

from koordinator.meetings import views_protocol

urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/protocol/", views_protocol.protocol_edit, name="protocol"),
]
