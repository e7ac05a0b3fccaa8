"""``manage.py demo_logins --url URL``: how to sign in as each demo role (``make run``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from koordinator.accounts.models import User
from koordinator.bodies.models import Body
from koordinator.core import demo


class Command(BaseCommand):
    help = "Печатает, под какими именами входить в демо и какую страницу открыть."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Адрес запущенного сервера."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ENV == "production":
            raise CommandError("В режиме production демо-пользователей нет.")
        base = options["url"].rstrip("/")
        users = {u.username: u for u in User.objects.filter(username__in=demo.USERNAMES)}
        if not users:
            self.stdout.write("Демо не загружено: выполните manage.py load_demo.")
            return
        bodies = {b.name: b.pk for b in Body.objects.filter(name__in=[s.name for s in demo.BODIES])}
        by_key = {s.key: bodies.get(s.name) for s in demo.BODIES}
        rows: list[tuple[str, str, str, str]] = []
        for spec in demo.USERS:
            user = users.get(spec.username)
            if user is None:
                continue
            # A demo user whose password was changed by hand: say so rather than mislead.
            shown = demo.DEMO_PASSWORD if user.check_password(demo.DEMO_PASSWORD) else "(изменён)"
            if spec.is_superuser:
                path = reverse("admin:index")
            elif spec.start_body and by_key.get(spec.start_body):
                path = reverse("bodies:detail", args=[by_key[spec.start_body]])
            else:
                path = reverse("home")
            rows.append((spec.username, shown, spec.who, base + path))

        header = ("Имя", "Пароль", "Кто это", "Что открыть")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(f"Координатор: вход {base}{reverse('login')}")
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[3]
            )
        self.stdout.write("")
