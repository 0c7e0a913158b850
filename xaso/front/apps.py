from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "xaso.front"
    verbose_name = "Web front (shell, home, health)"
