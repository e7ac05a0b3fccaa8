"""``manage.py issue_token USERNAME --name NAME``: a personal API token, printed once.

Only the token's SHA-256 is stored, so the printed value cannot be shown again: a lost token is
replaced by a new one (and the old one deleted in the admin). The token alone goes to stdout,
so that a script can capture it; the explanation goes to stderr.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from koordinator.accounts.models import ApiToken, User
from koordinator.core import audit


class Command(BaseCommand):
    help = "Выпускает пользователю персональный токен API и печатает его один раз."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Имя пользователя (логин).")
        parser.add_argument(
            "--name",
            required=True,
            help="Назначение токена, например «выгрузка в ГАС „Управление“».",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        name: str = options["name"].strip()
        if not name:
            raise CommandError("Укажите назначение токена: --name.")
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"Пользователь «{username}» не найден.") from None
        if not user.is_active:
            raise CommandError(f"Пользователь «{username}» отключён: токен работать не будет.")
        with transaction.atomic():
            token, raw = ApiToken.issue(user=user, name=name[:100])
            # Issuing a credential is a change like any other; the console has no actor.
            audit.record(
                actor=None,
                action="api_token.issue",
                target=token,
                after={"user": user.pk, "name": token.name, "prefix": token.prefix},
            )
        self.stderr.write(
            f"Токен «{token.name}» для {user.username}. Сохраните его сейчас: "
            "повторно он показан не будет. Заголовок запроса: Authorization: Bearer <токен>."
        )
        self.stdout.write(raw)
