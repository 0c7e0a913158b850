from __future__ import annotations

from django.urls import path

from xaso.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("proposals/", views.create, name="create"),
    path("proposals/<int:proposal_id>/accept/", views.accept, name="accept"),
    path("proposals/<int:proposal_id>/replan/", views.replan, name="replan"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("pools/", views.pools, name="pools"),
    path("pools/save/", views.pool_save, name="pool_save"),
    path("rotation/", views.rotation, name="rotation"),
    path("rotation/solve/", views.rotation_solve, name="rotation_solve"),
    path("rotation/training/", views.rotation_training, name="rotation_training"),
    path("rotation/decisions/", views.rotation_decide, name="rotation_decide"),
    path("rotation/decisions/<int:decision_id>/withdraw/", views.rotation_withdraw, name="rotation_withdraw"),
    path("rotation/<int:plan_id>/accept/", views.rotation_accept, name="rotation_accept"),
    path("rotation/<int:plan_id>/disclosure/", views.rotation_disclosure, name="rotation_disclosure"),
    path("rotation/province/", views.rotation_province, name="rotation_province"),
    path("rotation/province/solve/", views.rotation_province_solve, name="rotation_province_solve"),
    path(
        "rotation/province/<int:plan_id>/accept/",
        views.rotation_province_accept,
        name="rotation_province_accept",
    ),
    path(
        "rotation/province/<int:plan_id>/disclosure/",
        views.rotation_province_disclosure,
        name="rotation_province_disclosure",
    ),
]
