from __future__ import annotations

from django.urls import path

from xaso.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("proposals/", views.create, name="create"),
    path("proposals/<int:proposal_id>/accept/", views.accept, name="accept"),
    path("proposals/<int:proposal_id>/replan/", views.replan, name="replan"),
]
