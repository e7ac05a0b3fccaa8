"""Meeting URLs, assembled from each sub-domain's own list."""

from koordinator.meetings import urls_agenda, urls_invitations, urls_protocol

app_name = "meetings"

urlpatterns = [
    *urls_agenda.urlpatterns,
    *urls_invitations.urlpatterns,
    *urls_protocol.urlpatterns,
]
