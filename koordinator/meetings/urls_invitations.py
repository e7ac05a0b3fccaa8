"""Invitations, replies, attendance and the calendar feeds. The reply page and the feeds are
reached by a secret token instead of a login."""

from django.urls import URLPattern, path

from koordinator.meetings import views_invitations as v

urlpatterns: list[URLPattern] = [
    path("meetings/<int:pk>/invitations/", v.invitations, name="invitations"),
    path("meetings/<int:pk>/invitations/send/", v.invitations_send, name="invitations_send"),
    path("meetings/<int:pk>/invitations/reply/", v.invitation_record, name="invitation_record"),
    path("meetings/<int:pk>/invitees/add/", v.invitee_add, name="invitee_add"),
    path(
        "meetings/<int:pk>/invitees/<int:invitee_pk>/remove/",
        v.invitee_remove,
        name="invitee_remove",
    ),
    path(
        "meetings/<int:pk>/invitees/<int:invitee_pk>/attended/",
        v.invitee_attended,
        name="invitee_attended",
    ),
    path("meetings/<int:pk>/attendance/", v.attendance, name="attendance"),
    path("meetings/<int:pk>/attendance/mark/", v.attendance_mark, name="attendance_mark"),
    path(
        "meetings/<int:pk>/attendance/from-replies/",
        v.attendance_from_replies,
        name="attendance_from_replies",
    ),
    path("invitations/<str:token>/", v.invitation_reply, name="reply"),
    path("calendar/", v.calendar, name="calendar"),
    path("calendar/body/<str:token>.ics", v.calendar_body, name="calendar_body"),
    path("calendar/user/<str:token>.ics", v.calendar_user, name="calendar_user"),
]
