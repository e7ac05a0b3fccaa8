"""Stage 4 of ``generate_scale``: the decisions of distributed protocols put on control.

Per assignment: its control points (one for a one-off deadline, one per quarter for a
periodic one), reports, some approved deadline changes and pending requests, removals from
control, and the audit rows the services would have written (``assignment.create`` for every
assignment, ``assignment.remove`` for every removal). States follow the dates relative to
``today``: what fell due long ago was mostly reported, accepted and removed as executed (some
as no longer relevant, a few forgotten and overdue); recent points are open, submitted,
returned or overdue; future ones mostly open. Overdue itself is not stored (see the module
docstring of :mod:`koordinator.control.models`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from koordinator.control.models import (
    Assignment,
    ControlPoint,
    DeadlineChange,
    Removal,
    Report,
)
from koordinator.core.models import AuditRecord
from koordinator.core.scale import names, plan
from koordinator.core.scale.structure import BodyInfo, World
from koordinator.core.scale.writer import UTC, Progress, Writer

DAY = dt.timedelta(days=1)


@dataclass
class Counter:
    assignment_co: int = 0
    point: int = 0
    report: int = 0
    change: int = 0
    removal: int = 0
    audit: int = 0


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


class ControlBuilder:
    def __init__(self, world: World, progress: Progress, counts: dict[str, int]) -> None:
        self.world = world
        self.today = world.today
        self.w = Writer(progress, counts)
        self.n = Counter()
        self.assignments = self.w.table(
            Assignment,
            ("id", "body_id", "source", "decision_id", "meeting_id", "number", "document",
             "document_date", "issuer", "text", "file", "restricted", "lead_executor_id",
             "deadline_text", "issued_on", "is_periodic", "ends_on", "lifecycle", "removed_at",
             "removed_by_id", "removal_reason", "created_by_id", "created_at", "updated_at"),
        )  # fmt: skip
        self.co = self.w.table(
            Assignment.co_executors.through, ("id", "assignment_id", "organization_id")
        )
        self.points = self.w.table(
            ControlPoint,
            ("id", "assignment_id", "due_on", "original_due_on", "period_start", "period_end",
             "state", "closed_at"),
        )  # fmt: skip
        self.reports = self.w.table(
            Report,
            ("id", "point_id", "organization_id", "kind", "text", "state", "submitted_by_id",
             "on_paper", "received_on", "letter", "reviewed_by_id", "reviewed_at",
             "review_comment", "created_at", "updated_at"),
        )  # fmt: skip
        self.changes = self.w.table(
            DeadlineChange,
            ("id", "point_id", "old_due_on", "new_due_on", "reason", "state", "requested_by_id",
             "proposed_by_id", "proposed_at", "decided_by_id", "decided_at", "comment",
             "created_at", "updated_at"),
        )  # fmt: skip
        self.removals = self.w.table(
            Removal,
            ("id", "assignment_id", "kind", "reason", "state", "proposed_by_id", "decided_by_id",
             "decided_at", "comment", "created_at", "updated_at"),
        )  # fmt: skip
        self.audit = self.w.table(
            AuditRecord,
            ("id", "created_at", "actor_id", "action", "target_type", "target_id", "target_repr",
             "body_id", "before", "after", "ground"),
        )  # fmt: skip

    def run(self, progress: Progress) -> None:
        ids = plan.Ids()
        progress.start("контроль", len(self.world.bodies))
        for body in self.world.bodies:
            rng = names.seeded(self.world.seed, "control", body.id)
            for meeting in plan.meetings(self.world, body, ids):
                if meeting.protocol != "distributed":
                    continue
                for item in meeting.items:
                    for decision in item.decisions:
                        self.assignment(rng, body, meeting, item, decision)
            progress.advance()
            self.w.maybe_flush()
        self.w.flush()

    def assignment(
        self,
        rng: random.Random,
        body: BodyInfo,
        meeting: plan.MeetingPlan,
        item: plan.ItemPlan,
        d: plan.DecisionPlan,
    ) -> None:
        today = self.today
        issued = meeting.local_date
        assert meeting.distributed_at is not None
        created = meeting.distributed_at
        executor = self.world.executor_user[d.lead]
        number = f"{item.number}.{d.order}"
        document = meeting.document
        # Control points, each with its reports; ``accepted_on`` the day the last was accepted.
        states: list[str] = []
        last_review = issued
        for p in d.points:
            self.n.point += 1
            pid = self.n.point
            due = p.due_on
            if rng.random() < 0.05:  # an extension asked for and approved
                due = p.due_on + dt.timedelta(days=rng.choice((30, 60, 90)))
                asked = max(issued, p.due_on - dt.timedelta(days=10))
                if asked < today:
                    self.n.change += 1
                    self.changes.append(
                        (self.n.change, pid, p.due_on, due, names.EXTENSION_REASON, "approved",
                         executor, body.secretary_user, at(asked, 15), body.chair_user,
                         at(asked + DAY * 2), "", at(asked, 10), at(asked + DAY * 2))
                    )  # fmt: skip
                else:
                    due = p.due_on
            state, review = self.reports_for(rng, body, d, pid, due, issued, executor, p)
            last_review = max(last_review, review)
            if state == "open" and today <= due <= today + DAY * 30 and rng.random() < 0.1:
                asked = max(issued, today - DAY * rng.randint(0, 5))
                self.n.change += 1
                self.changes.append(
                    (self.n.change, pid, due, due + DAY * 30, names.EXTENSION_REASON,
                     "requested", executor, None, None, None, None, "", at(asked, 10),
                     at(asked, 10))
                )  # fmt: skip
            states.append(state)
            self.points.append(
                (pid, d.id, due, p.due_on, p.period_start, p.period_end, state,
                 at(review, 16) if state == "accepted" else None)
            )  # fmt: skip
        # What the chair decided about the assignment as a whole.
        lifecycle, removed_at, reason = "on_control", None, ""
        last_due = d.points[-1].due_on
        all_accepted = all(s == "accepted" for s in states)
        if all_accepted and last_due < today - DAY * 60 and rng.random() < 0.9:
            lifecycle, reason = "executed", "Поручение исполнено, отчёт принят."
            removed_on = min(today, last_review + DAY * rng.randint(7, 45))
        elif not all_accepted and last_due < today - DAY * 365 and rng.random() < 0.6:
            lifecycle, reason = (
                "irrelevant",
                "Утратило актуальность в связи с изменением обстановки.",
            )
            removed_on = min(today, last_due + DAY * rng.randint(30, 120))
        if lifecycle != "on_control":
            removed_at = at(removed_on, 11)
            self.n.removal += 1
            self.removals.append(
                (self.n.removal, d.id, lifecycle, reason, "approved", body.secretary_user,
                 body.chair_user, removed_at, "", removed_at - DAY * 3, removed_at)
            )  # fmt: skip
            if lifecycle == "irrelevant":  # the points still owed are closed with it
                start = len(self.points) - len(states)
                for i in range(start, len(self.points)):
                    row = self.points[i]
                    if row[6] != "accepted":
                        self.points[i] = (*row[:6], "closed", removed_at)
        elif all_accepted and last_due < today and rng.random() < 0.3:
            self.n.removal += 1
            proposed = at(min(today, last_review + DAY * 3), 10)
            self.removals.append(
                (self.n.removal, d.id, "executed", "Отчёт принят, прошу снять с контроля.",
                 "proposed", body.secretary_user, None, None, "", proposed, proposed)
            )  # fmt: skip
        self.assignments.append(
            (d.id, body.id, "protocol", d.id, meeting.id, number, document, issued,
             body.short_name, d.text, "", d.restricted, d.lead, d.deadline_text, issued,
             d.ends_on is not None, d.ends_on, lifecycle, removed_at,
             body.chair_user if removed_at else None, reason, body.secretary_user, created,
             removed_at or created)
        )  # fmt: skip
        if d.co is not None:
            self.n.assignment_co += 1
            self.co.append((self.n.assignment_co, d.id, d.co))
        target = f"п. {number} ({document})"
        after = {
            "number": number, "document": document, "document_date": issued.isoformat(),
            "issuer": body.short_name, "text": d.text, "restricted": d.restricted,
            "lead_executor": d.lead, "deadline_text": d.deadline_text,
            "issued_on": issued.isoformat(), "is_periodic": d.ends_on is not None,
            "ends_on": d.ends_on.isoformat() if d.ends_on else None, "lifecycle": "on_control",
        }  # fmt: skip
        self.n.audit += 1
        self.audit.append(
            (self.n.audit, created, body.secretary_user, "assignment.create",
             "control.assignment", str(d.id), target, body.id, None, after, "")
        )  # fmt: skip
        if removed_at is not None:
            self.n.audit += 1
            self.audit.append(
                (self.n.audit, removed_at, body.chair_user, "assignment.remove",
                 "control.assignment", str(d.id), target, body.id, {"lifecycle": "on_control"},
                 {"lifecycle": lifecycle}, reason)
            )  # fmt: skip

    def reports_for(
        self,
        rng: random.Random,
        body: BodyInfo,
        d: plan.DecisionPlan,
        pid: int,
        due: dt.date,
        issued: dt.date,
        executor: int,
        p: plan.PointPlan,
    ) -> tuple[str, dt.date]:
        """Draw the point's stored state from its lateness and write its reports; returns the
        state and the day of the last review (or ``issued``)."""
        today = self.today
        late = (today - due).days
        r = rng.random()
        if late > 120:
            state = "accepted" if r < 0.93 else "open" if r < 0.97 else "returned"
        elif late > 0:
            state = ("accepted" if r < 0.45 else "submitted" if r < 0.6
                     else "returned" if r < 0.7 else "open")  # fmt: skip
        elif late > -30:
            state = ("accepted" if r < 0.2 else "submitted" if r < 0.35
                     else "returned" if r < 0.4 else "open")  # fmt: skip
        else:
            state = "submitted" if r < 0.05 else "open"
        if state == "open" or issued >= today:
            return "open", issued
        periodic = p.period_start is not None
        kind = "final"
        text = rng.choice(names.REPORT_TEXTS)
        sent = max(issued, min(due - DAY * rng.randint(0, 10), today - DAY))
        if rng.random() < 0.15 or state == "returned":  # a first report sent back
            first = max(issued, sent - DAY * 10)
            back = min(today, first + DAY * rng.randint(1, 5))
            self.report(pid, d.lead, kind, text, "returned", executor, first, body, back,
                        names.RETURN_COMMENT)  # fmt: skip
            if state == "returned":
                return state, back
            sent = max(sent, back)
        if state == "submitted":
            self.report(pid, d.lead, kind, text, "submitted", executor, sent, body, None, "")
            return state, issued
        review = min(today, sent + DAY * rng.randint(1, 10))
        self.report(pid, d.lead, kind, text, "accepted", executor, sent, body, review, "")
        if periodic and rng.random() < 0.2 and d.co is not None:  # a co-executor's share
            co_user = self.world.executor_user[d.co]
            self.report(pid, d.co, "interim", text, "to_lead", co_user, sent - DAY, body, None, "")
        return state, review

    def report(
        self,
        pid: int,
        org: int,
        kind: str,
        text: str,
        state: str,
        user: int,
        sent: dt.date,
        body: BodyInfo,
        reviewed: dt.date | None,
        comment: str,
    ) -> None:
        self.n.report += 1
        paper = self.n.report % 10 == 0
        self.reports.append(
            (self.n.report, pid, org, kind, text, state, user, paper, sent if paper else None,
             f"письмо от {sent:%d.%m.%Y} № {self.n.report}" if paper else "",
             body.secretary_user if reviewed else None, at(reviewed, 15) if reviewed else None,
             comment, at(sent, 10), at(reviewed, 15) if reviewed else at(sent, 10))
        )  # fmt: skip


def build_control(world: World, progress: Progress, counts: dict[str, int]) -> None:
    ControlBuilder(world, progress, counts).run(progress)
    progress.finish()
