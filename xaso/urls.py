from django.contrib import admin
from django.urls import include, path

from xaso.api.main import api
from xaso.front.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("xaso.accounts.urls")),
    path("procedures/", include("xaso.catalog.urls")),
    path("", include("xaso.front.urls")),
]
