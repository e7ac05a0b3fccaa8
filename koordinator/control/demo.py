"""Demo execution control: assignments in every state, relative to today.

Called at the end of :func:`koordinator.core.demo.load` (same transaction). The signed
protocols of the demo meetings have already put their decisions on control; here the city's
working group gets instructions registered by its secretary and worked through the services
the way people would (reports, returns, extensions, removals), so the register, the inbox of
the ``executor`` user (УМВД России по городу Энску) and the audit log tell one story. Only what
the services refuse — dates already in the past — is written directly, and audited the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from koordinator.accounts.models import User
from koordinator.bodies.models import Body, Organization
from koordinator.control import services, services_changes, services_reports
from koordinator.control.models import (
    Assignment,
    ChangeState,
    ControlPoint,
    DeadlineChange,
    Lifecycle,
    PointState,
    ReportKind,
)
from koordinator.control.services_agenda import add_to_agenda
from koordinator.meetings import services_agenda as agenda
from koordinator.meetings.models import Meeting, MeetingStatus

if TYPE_CHECKING:
    from koordinator.core.demo import Loaded

INSTRUCTION_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class _Demo:
    def __init__(self, out: Loaded) -> None:
        self.today = timezone.localdate()
        self.body: Body = out.bodies["working_group"]
        self.city_atk: Body = out.bodies["city_atk"]
        self.umvd: Organization = out.organizations["umvd"]
        self.edu: Organization = out.organizations["city_edu"]
        self.youth: Organization = out.organizations["city_youth"]
        self.secretary: User = out.users["secretary"]
        self.chair: User = out.users["chair"]
        self.executor: User = out.users["executor"]
        self.number = 0

    def day(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    def register(
        self,
        text: str,
        *,
        due: int | None = None,
        issued: int = -45,
        lead: Organization | None = None,
        body: Body | None = None,
        **kw: object,
    ) -> Assignment:
        self.number += 1
        issued_on = self.day(issued)
        return services.assignment_register(
            actor=self.secretary,
            body=body or self.body,
            number=str(kw.pop("number", self.number)),
            document=str(
                kw.pop(
                    "document",
                    f"поручение заместителя главы города Энска от {issued_on:%d.%m.%Y} № 3-{40 + self.number}",
                )
            ),
            document_date=issued_on,
            issuer=str(kw.pop("issuer", "заместитель главы города Энска")),
            text=text,
            lead_executor=lead or self.umvd,
            due_on=self.day(due) if due is not None else None,
            **kw,  # type: ignore[arg-type]
        )

    def point(self, assignment: Assignment) -> ControlPoint:
        point = assignment.points.order_by("due_on").first()
        assert point is not None
        return point

    def report(self, assignment: Assignment, text: str, *, final: bool = True) -> object:
        point = (
            assignment.points.filter(state__in=(PointState.OPEN, PointState.RETURNED))
            .order_by("due_on")
            .first()
        )
        assert point is not None
        return services_reports.report_submit(
            actor=self.executor,
            point=point,
            organization=assignment.lead_executor,
            kind=ReportKind.FINAL if final else ReportKind.INTERIM,
            text=text,
        )

    def remove(self, assignment: Assignment, kind: str, reason: str) -> None:
        removal = services_changes.removal_propose(
            actor=self.secretary, assignment=assignment, kind=kind, reason=reason
        )
        services_changes.removal_decide(actor=self.chair, removal=removal, approve=True)

    def extended_in_past(self, assignment: Assignment, *, old: int, new: int) -> None:
        """An extension approved some time ago (the services refuse past dates, so the rows
        are written directly and audited as the services would)."""
        point = self.point(assignment)
        old_due, new_due = self.day(old), self.day(new)
        point.original_due_on = old_due
        point.due_on = new_due
        point.save(update_fields=["original_due_on", "due_on"])
        decided = timezone.now() - dt.timedelta(days=max(1, -old))
        DeadlineChange.objects.create(
            point=point,
            old_due_on=old_due,
            new_due_on=new_due,
            reason="Проверки продлены по согласованию с прокуратурой города.",
            state=ChangeState.APPROVED,
            requested_by=self.executor,
            proposed_by=self.secretary,
            proposed_at=decided,
            decided_by=self.chair,
            decided_at=decided,
        )
        services.record(
            actor=self.chair,
            assignment=assignment,
            action="extension_approve",
            before={"due_on": old_due},
            after={"due_on": new_due, "point": f"{point.original_due_on:%d.%m.%Y}"},
            ground="Проверки продлены по согласованию с прокуратурой города.",
        )


def load(out: Loaded) -> list[Assignment]:
    """Add the control demo to what :func:`koordinator.core.demo.load` wrote."""
    d = _Demo(out)
    made: list[Assignment] = []

    on_time = d.register(
        "Провести профилактические рейды в местах компактного проживания иностранных граждан.",
        due=12,
        co_executors=[d.youth],
    )
    made.append(on_time)

    overdue = d.register(
        "Представить анализ правонарушений, совершённых иностранными гражданами в III квартале.",
        due=-6,
        issued=-40,
    )
    made.append(overdue)

    overdue_extended = d.register(
        "Провести проверки соблюдения миграционного законодательства на строительных объектах.",
        due=-45,
        issued=-60,
    )
    d.extended_in_past(overdue_extended, old=-45, new=-3)
    made.append(overdue_extended)

    submitted = d.register(
        "Организовать обучающий семинар для участковых уполномоченных по работе с мигрантами.",
        due=5,
    )
    d.report(submitted, "Семинар проведён 10.11.2026, обучено 24 участковых уполномоченных.")
    made.append(submitted)

    returned = d.register(
        "Подготовить памятку для работодателей о порядке привлечения иностранных работников.",
        due=9,
    )
    report = d.report(returned, "Памятка подготовлена.")
    services_reports.report_return(
        actor=d.secretary,
        report=report,  # type: ignore[arg-type]
        comment="Приложите текст памятки и сведения о тираже и местах распространения.",
    )
    made.append(returned)

    accepted = d.register(
        "Обеспечить охрану общественного порядка при проведении праздника «Навруз».",
        due=-20,
        issued=-70,
    )
    report = d.report(accepted, "Охрана обеспечена, нарушений общественного порядка не допущено.")
    services_reports.report_accept(actor=d.secretary, report=report)  # type: ignore[arg-type]
    made.append(accepted)

    extended = d.register(
        "Проверить места массового пребывания мигрантов на предмет антитеррористической защищённости.",
        due=4,
    )
    change = services_changes.extension_request(
        actor=d.executor,
        point=d.point(extended),
        new_due_on=d.day(30),
        reason="Проверки совпадают с оперативно-профилактическим мероприятием «Нелегал».",
    )
    services_changes.extension_propose(
        actor=d.secretary,
        point=d.point(extended),
        new_due_on=d.day(30),
        reason=change.reason,
        change=change,
    )
    services_changes.extension_decide(actor=d.chair, change=change, approve=True)
    made.append(extended)

    pending = d.register(
        "Организовать совместные рейды с управлением по делам молодёжи в общежитиях.",
        due=3,
    )
    services_changes.extension_request(
        actor=d.executor,
        point=d.point(pending),
        new_due_on=d.day(21),
        reason="Общежития закрыты на карантин до конца месяца.",
    )
    made.append(pending)

    executed = d.register(
        "Направить в рабочую группу сведения о численности иностранных граждан на учёте.",
        due=-10,
        issued=-50,
    )
    report = d.report(executed, "Сведения направлены письмом от 01.11.2026 № 12/345.")
    services_reports.report_accept(actor=d.secretary, report=report)  # type: ignore[arg-type]
    d.remove(executed, Lifecycle.EXECUTED, "")
    made.append(executed)

    irrelevant = d.register(
        "Подготовить предложения по размещению пункта временного содержания мигрантов.",
        due=15,
        lead=d.edu,
    )
    d.remove(
        irrelevant,
        Lifecycle.IRRELEVANT,
        "Вопрос решён областным законом от 15.10.2026; поручение утратило актуальность.",
    )
    made.append(irrelevant)

    periodic = d.register(
        "Ежеквартально информировать рабочую группу о миграционной обстановке в городе.",
        issued=-200,
        deadline_text="ежеквартально до 10 числа месяца, следующего за отчётным",
    )
    while True:
        late = periodic.points.filter(state=PointState.OPEN, due_on__lt=d.today).first()
        if late is None:
            break
        report = d.report(
            periodic,
            f"Информация за период {late.period_label or late.due_on} представлена: "
            "обстановка стабильная.",
        )
        services_reports.report_accept(actor=d.secretary, report=report)  # type: ignore[arg-type]
    made.append(periodic)

    instruction = d.register(
        "Принять дополнительные меры по антитеррористической защищённости мест массового "
        "пребывания людей в период новогодних праздников.",
        due=-2,
        issued=-30,
        body=d.city_atk,
        number="2.3",
        document=f"протокол заседания АТК Энской области от {d.day(-30):%d.%m.%Y} № 4",
        issuer="Антитеррористическая комиссия Энской области",
        file=SimpleUploadedFile(
            "protokol-ATK-oblasti.pdf", INSTRUCTION_PDF, content_type="application/pdf"
        ),
    )
    made.append(instruction)

    # The working group's next meeting: the standing item, and the overdue analysis put on the
    # agenda from it, so the meeting page shows execution control at work.
    upcoming = (
        Meeting.objects.filter(
            bodies=d.body, status=MeetingStatus.DRAFT, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    if upcoming is not None:
        agenda.control_item_add(actor=d.secretary, meeting=upcoming)
        add_to_agenda(d.secretary, upcoming, overdue)

    return made
