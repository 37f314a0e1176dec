from django.contrib import admin
from django.urls import include, path

from claimtracker.views import healthz

urlpatterns = [
    path("", include("articles.urls")),
    path("claims/", include("claims.urls")),
    path("review/", include("claims.review_urls")),
    path("actors/", include("sources.urls")),
    path("events/", include("analysis.urls")),
    path("api/", include("api.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
