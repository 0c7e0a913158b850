from django.urls import path

from xaso.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("offer/<int:code>/", views.commune_offer, name="offer"),
    path("<str:code>/", views.detail, name="detail"),
]
