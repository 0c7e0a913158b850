from django.contrib import admin
from django.urls import include, path

from xaso.api.main import api
from xaso.dossiers import views as dossier_views
from xaso.front.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("xaso.accounts.urls")),
    path("procedures/", include("xaso.catalog.urls")),
    path("dossiers/", include("xaso.dossiers.urls")),
    path("assistant/", include("xaso.assistant.urls")),
    path("workforce/", include("xaso.workforce.urls")),
    path("insights/", include("xaso.insights.urls")),
    path("planning/", include("xaso.planning.urls")),
    path("track/", dossier_views.track, name="track"),
    path("track/<str:code>", dossier_views.track_code, name="track_code"),
    path("submit/<str:code>/", dossier_views.submit_online, name="submit"),
    path("", include("xaso.front.urls")),
]
