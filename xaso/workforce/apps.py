from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "xaso.workforce"
    verbose_name = "Workforce capacity"
