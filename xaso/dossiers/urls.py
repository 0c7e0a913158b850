from django.urls import path

from xaso.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.queues, name="queues"),
    path("new/", views.intake, name="intake"),
    path("register/", views.register, name="register"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/act/<str:action>/", views.act, name="act"),
    path("<str:code>/slips/<str:form>.pdf", views.slip, name="slip"),
]
