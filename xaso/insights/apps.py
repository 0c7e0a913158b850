from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "xaso.insights"
    verbose_name = "Insights (Decision 766 index, dashboards, reports)"
