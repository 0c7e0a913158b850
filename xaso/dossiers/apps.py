from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "xaso.dossiers"
    verbose_name = "Dossiers (one-stop handling)"
