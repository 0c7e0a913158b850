from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "xaso.demo"
    verbose_name = "Demo data"
