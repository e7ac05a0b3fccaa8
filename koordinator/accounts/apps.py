from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "koordinator.accounts"
    verbose_name = "Пользователи и доступ"
