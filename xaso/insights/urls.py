from django.urls import path

from xaso.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("province/", views.province, name="province"),
    path("commune/<int:code>/", views.commune, name="commune"),
    path("commune/<int:code>/criterion/<str:key>/", views.criterion, name="criterion"),
    path("reports/<str:scope>/<str:period>.<str:fmt>", views.report, name="report"),
]
