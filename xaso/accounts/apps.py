from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xaso.accounts"
    verbose_name = "Accounts and roles"
