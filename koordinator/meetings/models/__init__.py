"""Work plans, meetings (joint ones included), agendas, attendance and protocols.

Split by sub-domain: ``plan`` (work plan), ``meeting`` (meeting, bodies, studios, agenda,
rapporteurs, materials, invitees, invitations, attendance), ``protocol`` (protocol,
signatures, revisions, speeches, decisions).
"""

from koordinator.meetings.models.meeting import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Invitation,
    InvitationResponse,
    Invitee,
    Material,
    Meeting,
    MeetingBody,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    Rapporteur,
    RapporteurRole,
    Studio,
)
from koordinator.meetings.models.plan import PlannedQuestion, PlanStatus, QuestionOutcome, WorkPlan
from koordinator.meetings.models.protocol import (
    Decision,
    Protocol,
    ProtocolForm,
    ProtocolRevision,
    ProtocolSignature,
    ProtocolStatus,
    SignatureRole,
    Speech,
)

__all__ = [
    "AgendaItem",
    "AgendaItemKind",
    "Attendance",
    "AttendanceStatus",
    "Decision",
    "Invitation",
    "InvitationResponse",
    "Invitee",
    "Material",
    "Meeting",
    "MeetingBody",
    "MeetingFormat",
    "MeetingKind",
    "MeetingStatus",
    "PlanStatus",
    "PlannedQuestion",
    "Protocol",
    "ProtocolForm",
    "ProtocolRevision",
    "ProtocolSignature",
    "ProtocolStatus",
    "QuestionOutcome",
    "Rapporteur",
    "RapporteurRole",
    "SignatureRole",
    "Speech",
    "Studio",
    "WorkPlan",
]
