from django.contrib import admin
from django.urls import path

from articles import views as article_views
from claims import views as claim_views

urlpatterns = [
    path("", article_views.document_list, name="document-list"),
    path("documents/<int:pk>/", article_views.document_detail, name="document-detail"),
    path("claims/", claim_views.claim_list, name="claim-list"),
    path("claims/<int:pk>/", claim_views.claim_detail, name="claim-detail"),
    path("admin/", admin.site.urls),
]
