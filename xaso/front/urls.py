from django.urls import path

from xaso.front import views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("communes/", views.communes, name="communes"),
    path("communes/<int:code>/", views.commune, name="commune"),
    path("staff/<int:staff_id>/", views.staff, name="staff"),
]
