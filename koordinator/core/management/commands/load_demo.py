"""``manage.py load_demo [--reset]``: the two situations of DOMAIN.md, for a local run."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from koordinator.bodies.models import Membership
from koordinator.core import demo
from koordinator.core.models import AuditRecord
from koordinator.meetings.models import Meeting, Protocol, ProtocolStatus


class Command(BaseCommand):
    help = (
        "Загружает демонстрационные данные: рабочую группу города Энска, координационное "
        "совещание и АТК Энской области, АТК города Энска, их планы работы, проведённые "
        "заседания с подписанными протоколами и готовящиеся заседания, демо-пользователей. "
        "Повторный запуск ничего не меняет."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Очистить базу (manage.py flush) и загрузить демо заново. Только SQLite, "
            "не в режиме production.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo users share a published password: they must never reach a production database.
        if settings.ENV == "production":
            raise CommandError(
                "Демо-данные не загружаются в режиме production (KOORDINATOR_ENV=production): "
                "у демо-пользователей общеизвестный пароль."
            )
        if options["reset"]:
            if connection.vendor != "sqlite":
                raise CommandError(
                    f"--reset стирает всю базу и разрешён только для SQLite разработчика, "
                    f"а здесь {connection.vendor}."
                )
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("База очищена.")
        elif demo.is_loaded():
            self.stdout.write("Демо-данные уже загружены; ничего не изменено.")
            return
        try:
            loaded = demo.load()
        except ValidationError as exc:
            raise CommandError(
                "Демо-данные не загружены: они противоречат данным в базе ("
                + "; ".join(exc.messages)
                + "). Очистите базу: manage.py load_demo --reset."
            ) from exc
        memberships = Membership.objects.filter(post__body__in=loaded.bodies.values()).count()
        meetings = Meeting.objects.filter(bodies__in=loaded.bodies.values()).distinct()
        signed = Protocol.objects.filter(
            meeting__in=meetings, status=ProtocolStatus.REGISTERED
        ).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-данные загружены: организаций — {len(loaded.organizations)}, "
                f"должностных лиц — {len(loaded.people)}, органов — {len(loaded.bodies)}, "
                f"записей о членстве — {memberships}, заседаний — {meetings.count()} "
                f"(подписанных протоколов — {signed}), пользователей — {len(loaded.users)}, "
                f"записей журнала — {AuditRecord.objects.count()}."
            )
        )
