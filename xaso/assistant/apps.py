from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "xaso.assistant"
    verbose_name = "Virtual assistant"
