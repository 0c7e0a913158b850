from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "xaso.places"
    verbose_name = "Places"
